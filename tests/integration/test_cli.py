"""The same small scenario with AWS CLI v1 (`aws` on PATH, pyenv's) and AWS
CLI v2 (/usr/bin/aws, Debian's awscli package), as a user types it."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import uuid

from harness import ServerTestCase

V2_PATH = "/usr/bin/aws"


def cli_version(path):
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"aws-cli/(\d+)\.(\d+)\.(\d+)", out.stdout + out.stderr)
    return tuple(int(x) for x in m.groups()) if m else None


def find_v1():
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        path = os.path.join(directory, "aws")
        if os.access(path, os.X_OK):
            v = cli_version(path)
            if v and v[0] == 1:
                return path
    return None


class CliScenario:
    """Mixin: subclasses set `cli` (path) in setUpClass."""
    cli = None

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="sml-it-cli-")
        self.addCleanup(shutil.rmtree, self.home, True)

    def env(self, endpoint_env=False):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({
            "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
            "AWS_PAGER": "", "AWS_MAX_ATTEMPTS": "1", "HOME": self.home,
            "AWS_CONFIG_FILE": os.path.join(self.home, "config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.home, "credentials"),
        })
        if endpoint_env:
            env["AWS_ENDPOINT_URL"] = self.server.endpoint
        return env

    def aws(self, *args, expect_ok=True, endpoint_env=False):
        cmd = [self.cli]
        if not endpoint_env:
            cmd += ["--endpoint-url", self.server.endpoint]
        cmd += ["--output", "json", "secretsmanager", *args]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                              env=self.env(endpoint_env))
        if expect_ok:
            self.assertEqual(proc.returncode, 0, f"{' '.join(args[:1])}: {proc.stderr[-800:]}")
            return json.loads(proc.stdout) if proc.stdout.strip() else {}
        self.assertNotEqual(proc.returncode, 0, proc.stdout[-300:])
        return proc.stderr

    def test_Scenario(self):
        prefix = f"cli{uuid.uuid4().hex[:8]}"
        name = f"{prefix}/app/db"
        first, second = self.value(), self.value()
        created = self.aws("create-secret", "--name", name, "--secret-string", first,
                           "--description", "made by the cli",
                           "--tags", "Key=env,Value=dev")
        self.assertEqual(created["Name"], name)
        self.assertRegex(created["ARN"], r":secret:" + re.escape(name) + r"-[A-Za-z0-9]{6}$")
        v1 = created["VersionId"]

        got = self.aws("get-secret-value", "--secret-id", name)
        self.assertEqual(got["SecretString"], first)
        self.assertEqual(got["VersionStages"], ["AWSCURRENT"])
        self.assertIsInstance(got["CreatedDate"], (int, float, str))

        put = self.aws("put-secret-value", "--secret-id", name, "--secret-string", second)
        v2 = put["VersionId"]
        self.assertEqual(self.aws("get-secret-value", "--secret-id", created["ARN"])["SecretString"],
                         second)

        listed = self.aws("list-secrets", "--filters", f"Key=name,Values={prefix}/")
        self.assertEqual([s["Name"] for s in listed["SecretList"]], [name])
        listed = self.aws("list-secrets", "--filters", "Key=tag-key,Values=env",
                          f"Key=name,Values={prefix}")
        self.assertEqual([s["Name"] for s in listed["SecretList"]], [name])
        # Negation: the only secret tagged `env` is excluded by its name.
        self.assertEqual(self.aws("list-secrets", "--filters", "Key=tag-key,Values=env",
                                  f"Key=name,Values=!{prefix}")["SecretList"], [])

        described = self.aws("describe-secret", "--secret-id", name)
        self.assertEqual(described["Description"], "made by the cli")
        self.assertEqual(described["VersionIdsToStages"], {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]})
        self.assertEqual(described["Tags"], [{"Key": "env", "Value": "dev"}])

        self.aws("update-secret-version-stage", "--secret-id", name, "--version-stage",
                 "AWSCURRENT", "--move-to-version-id", v1, "--remove-from-version-id", v2)
        self.assertEqual(self.aws("get-secret-value", "--secret-id", name)["SecretString"], first)
        described = self.aws("describe-secret", "--secret-id", name)
        self.assertEqual(described["VersionIdsToStages"], {v1: ["AWSCURRENT"], v2: ["AWSPREVIOUS"]})

        deleted = self.aws("delete-secret", "--secret-id", name, "--force-delete-without-recovery")
        self.assertEqual(deleted["Name"], name)
        err = self.aws("describe-secret", "--secret-id", name, expect_ok=False)
        self.assertIn("ResourceNotFoundException", err)
        self.assertIn("Secrets Manager can't find the specified secret.", err)

    def test_ErrorsReachTheUser(self):
        name = f"cli{uuid.uuid4().hex[:8]}/dup"
        self.aws("create-secret", "--name", name, "--secret-string", self.value())
        err = self.aws("create-secret", "--name", name, "--secret-string", self.value(),
                       expect_ok=False)
        self.assertIn("ResourceExistsException", err)
        self.assertIn(f"The operation failed because the secret {name} already exists.", err)

    def test_AwsExactBehaviours(self):
        """BEHAVIOR.md §2, §3, §6, §8 as a CLI user meets them."""
        prefix = f"cli{uuid.uuid4().hex[:8]}"
        # §6: `all` and `description` are word searches.
        beta = f"{prefix}/AppBeta/x"
        self.aws("create-secret", "--name", beta, "--description", "")
        self.aws("create-secret", "--name", f"{prefix}/COMPANYthings/x",
                 "--description", "one and two")
        listed = self.aws("list-secrets", "--filters", f"Key=name,Values={prefix}",
                          "Key=all,Values=beta")
        self.assertEqual([s["Name"] for s in listed["SecretList"]], [beta])
        # §4: an empty description is no description.
        self.assertNotIn("Description", listed["SecretList"][0])
        listed = self.aws("list-secrets", "--filters", f"Key=name,Values={prefix}",
                          "Key=description,Values=two one")
        self.assertEqual([s["Name"] for s in listed["SecretList"]], [f"{prefix}/COMPANYthings/x"])

        # §3: the first version gets AWSCURRENT whatever its stages.
        token = str(uuid.uuid4())
        value = self.value()
        put = self.aws("put-secret-value", "--secret-id", beta, "--secret-string", value,
                       "--client-request-token", token, "--version-stages", "AWSPENDING")
        self.assertEqual(sorted(put["VersionStages"]), ["AWSCURRENT", "AWSPENDING"])
        # ... and a token reused for other data is refused with AWS's text.
        err = self.aws("put-secret-value", "--secret-id", beta, "--secret-string", self.value(),
                       "--client-request-token", token, expect_ok=False)
        self.assertIn("ResourceExistsException", err)
        self.assertIn(f"You can't use ClientRequestToken {token} because that value is already "
                      f"in use for a version of secret {put['ARN']}.", err)

        # §3: the first version holds AWSCURRENT and AWSPENDING; AWSPENDING
        # leaves it together with AWSCURRENT.
        put = self.aws("put-secret-value", "--secret-id", beta, "--secret-string", self.value())
        described = self.aws("describe-secret", "--secret-id", beta)
        self.assertEqual(described["VersionIdsToStages"],
                         {token: ["AWSPREVIOUS"], put["VersionId"]: ["AWSCURRENT"]})

        # §2: an invalid SecretId, even for a forced delete.
        err = self.aws("delete-secret", "--secret-id", "bad name",
                       "--force-delete-without-recovery", expect_ok=False)
        self.assertIn("ValidationException", err)
        self.assertIn("Invalid name. Must be a valid name containing alphanumeric characters, "
                      "or any of the following: -/_+=.@!", err)

        # §8: a public policy is refused only with --block-public-policy.
        public = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "secretsmanager:GetSecretValue",
            "Resource": "*"}]})
        err = self.aws("put-resource-policy", "--secret-id", beta, "--resource-policy", public,
                       "--block-public-policy", expect_ok=False)
        self.assertIn("PublicPolicyException", err)
        self.aws("put-resource-policy", "--secret-id", beta, "--resource-policy", public)
        self.assertEqual(self.aws("get-resource-policy", "--secret-id", beta)["ResourcePolicy"],
                         public)

    def test_GetRandomPassword(self):
        out = self.aws("get-random-password", "--password-length", "20", "--exclude-punctuation")
        self.assertEqual(len(out["RandomPassword"]), 20)
        self.assertTrue(out["RandomPassword"].isalnum())


class CliV1(CliScenario, ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.cli = find_v1()
        if cls.cli is None:
            raise unittest.SkipTest("AWS CLI v1 not found on PATH")
        super().setUpClass()

    def test_AwsEndpointUrlEnv_IsHonoured(self):
        name = f"cli{uuid.uuid4().hex[:8]}/env"
        value = self.value()
        self.aws("create-secret", "--name", name, "--secret-string", value, endpoint_env=True)
        got = self.aws("get-secret-value", "--secret-id", name, endpoint_env=True)
        self.assertEqual(got["SecretString"], value)


class CliV2(CliScenario, ServerTestCase):
    @classmethod
    def setUpClass(cls):
        if cli_version(V2_PATH) is None or cli_version(V2_PATH)[0] != 2:
            raise unittest.SkipTest(f"AWS CLI v2 not found at {V2_PATH} "
                                    "(scripts/install-deps.sh installs Debian's awscli)")
        cls.cli = V2_PATH
        super().setUpClass()

    def test_AwsEndpointUrlEnv_IsHonoured(self):
        version = cli_version(self.cli)
        if version < (2, 13, 0):
            self.skipTest(f"AWS CLI {'.'.join(map(str, version))} predates AWS_ENDPOINT_URL "
                          "support (added in 2.13.0)")
        name = f"cli{uuid.uuid4().hex[:8]}/env"
        value = self.value()
        self.aws("create-secret", "--name", name, "--secret-string", value, endpoint_env=True)
        got = self.aws("get-secret-value", "--secret-id", name, endpoint_env=True)
        self.assertEqual(got["SecretString"], value)


if __name__ == "__main__":
    unittest.main()
