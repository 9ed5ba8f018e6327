"""The web dashboard, in a real browser: Debian's chromium driven by
playwright-core (drive.mjs) against the real binary, with secrets made by
boto3. A person lists them, opens one, reveals a value, advances the clock
until a scheduled rotation runs and watches the labels move; with
--admin-token the page asks for the token; with --auth sigv4 it shows
read-only admin data. Other clients still get the JSON index at GET /.
Screenshots land in $SML_DASHBOARD_ARTIFACTS (ctest: build/test/dashboard)."""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from harness import DEFAULT_ACCOUNT, DEFAULT_REGION, ServerTestCase, skip_on_moto  # noqa: E402

HANDLER = "password-rotator"
LAMBDA_ARN = f"arn:aws:lambda:{DEFAULT_REGION}:{DEFAULT_ACCOUNT}:function:{HANDLER}"
OTHER_ACCOUNT, OTHER_REGION = "111122223333", "eu-west-1"
STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"]
SIGV4_KEY = ("AKIADASHBOARDTEST001", "dashboard-secret-key-000000000000000000")
BROWSER_HEADERS = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def artifacts_dir():
    path = os.environ.get("SML_DASHBOARD_ARTIFACTS") or os.path.join(
        tempfile.gettempdir(), "sml-dashboard-artifacts")
    os.makedirs(path, exist_ok=True)
    return path


def drive(scenario, **scenario_input):
    """Runs drive.mjs <scenario> in chromium; returns what the page showed."""
    if not os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")):
        raise AssertionError("playwright-core is missing: run `npm ci` in "
                             "tests/integration/dashboard (scripts/test.sh does)")
    screenshot = os.path.join(artifacts_dir(), f"dashboard-{scenario}.png")
    scenario_input.setdefault("screenshot", screenshot)
    proc = subprocess.run(["node", "drive.mjs", scenario], cwd=HERE, capture_output=True,
                          text=True, input=json.dumps(scenario_input), timeout=180)
    if proc.returncode != 0:
        raise AssertionError(f"drive.mjs {scenario} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout)


def handlers_file():
    fd, path = tempfile.mkstemp(prefix="sml-it-handlers-", suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump({HANDLER: {"type": "builtin", "name": "password"}}, f)
    return path


class DashboardServer(ServerTestCase):
    """A server with the builtin password handler registered at start."""

    extra_args = ()

    @classmethod
    def setUpClass(cls):
        cls.handlers = handlers_file()
        cls.server_args = ("--handlers", cls.handlers, *cls.extra_args)
        try:
            super().setUpClass()
        except Exception:
            os.unlink(cls.handlers)
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            os.unlink(cls.handlers)

    def admin_json(self, path, token=None):
        headers = {"X-Sml-Admin-Token": token} if token else {}
        status, _, body = self.server.http("GET", path, headers=headers)
        self.assertEqual(status, 200, body[:300])
        return json.loads(body)


@skip_on_moto("the dashboard is secretsmanager-local's")
class Dashboard(DashboardServer):
    def test_Browser_ListsOpensRevealsAndWatchesAScheduledRotation(self):
        sm = self.sm
        name, plain, gone = self.name("db"), self.name("plain"), self.name("gone")
        password = self.value("initial")
        value = json.dumps({"username": "app", "password": password})
        self.server.sensitive_values.add(value)
        arn = sm.create_secret(Name=name, SecretString=value, Description="Payments database",
                               Tags=[{"Key": "team", "Value": "payments"}])["ARN"]
        sm.create_secret(Name=plain, SecretString=self.value())
        sm.create_secret(Name=gone, SecretString=self.value())
        sm.delete_secret(SecretId=gone, RecoveryWindowInDays=7)
        other_name = self.name("elsewhere")
        other = self.server.client(access_key=OTHER_ACCOUNT, region=OTHER_REGION)
        other.create_secret(Name=other_name, SecretString=self.value())
        sm.rotate_secret(SecretId=name, RotationLambdaARN=LAMBDA_ARN,
                         RotationRules={"AutomaticallyAfterDays": 30}, RotateImmediately=False)
        first = sm.get_secret_value(SecretId=name)["VersionId"]

        seen = drive("rotation", url=self.server.endpoint + "/", name=name, arn=arn, value=value,
                     marker=password,
                     versionId=first, names=[name, plain], deletedName=gone,
                     description="Payments database", lambdaArn=LAMBDA_ARN,
                     handlerName=HANDLER, scope=f"{DEFAULT_ACCOUNT}/{DEFAULT_REGION}",
                     otherScope=f"{OTHER_ACCOUNT}/{OTHER_REGION}", otherName=other_name)

        # What the page showed is what boto3 reads.
        stages = {v["VersionId"]: sorted(v["VersionStages"])
                  for v in sm.list_secret_version_ids(SecretId=name)["Versions"]}
        self.assertEqual(stages, {version: sorted(labels)
                                  for version, labels in seen["labels"].items()})
        self.assertEqual(stages[seen["current"]], ["AWSCURRENT"])
        self.assertEqual(stages[first], ["AWSPREVIOUS"])
        rotated = sm.get_secret_value(SecretId=name)
        self.server.sensitive_values.add(rotated["SecretString"])
        self.assertEqual(rotated["VersionId"], seen["current"])
        self.assertNotEqual(json.loads(rotated["SecretString"])["password"], password)
        self.assertEqual([step[0] for step in seen["steps"]], STEPS)
        self.assertTrue(all(step[1] == "succeeded" for step in seen["steps"]), seen["steps"])
        # Newest first: the scheduled rotation, then RotateSecret's test of testSecret.
        history = self.admin_json("/_local/rotations?secretId=" + arn)["rotations"]
        self.assertEqual([(a["trigger"], a["outcome"], [s["step"] for s in a["steps"]])
                          for a in history],
                         [("scheduled", "succeeded", STEPS), ("manual", "succeeded", ["testSecret"])])

    def test_NonBrowserGetRoot_StillAnswersTheJsonIndex(self):
        for headers in ({}, {"Accept": "*/*"}, {"Accept": "application/json"}):
            status, response_headers, body = self.server.http("GET", "/", headers=headers)
            self.assertEqual(status, 200)
            self.assertEqual(response_headers["content-type"], "application/json")
            paths = [e["path"] for e in json.loads(body)["endpoints"]]
            self.assertIn("/_local/regions", paths)
            self.assertIn("/_local/dashboard/*", paths)

    def test_BrowserGetRoot_IsOnePageWithAStrictContentSecurityPolicy(self):
        status, headers, body = self.server.http("GET", "/", headers=BROWSER_HEADERS)
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "text/html; charset=utf-8")
        policy = headers["content-security-policy"]
        self.assertIn("default-src 'none'", policy)
        self.assertIn("script-src 'self'", policy)
        self.assertNotIn("unsafe-inline", policy)
        self.assertEqual(headers["x-content-type-options"], "nosniff")
        page = body.decode()
        # Nothing inline the policy would block, nothing from elsewhere.
        self.assertEqual(re.findall(r"<script(?![^>]*\bsrc=)", page), [])
        self.assertNotIn("<style", page)
        self.assertNotRegex(page, r"(src|href)=\"(https?:)?//")
        for path, content_type in (("/_local/dashboard/dashboard.js", "text/javascript"),
                                   ("/_local/dashboard/dashboard.css", "text/css")):
            self.assertIn(path, page)
            status, headers, body = self.server.http("GET", path)
            self.assertEqual(status, 200, path)
            self.assertEqual(headers["content-type"], content_type + "; charset=utf-8")
            self.assertEqual(headers["content-security-policy"], policy)
            self.assertNotRegex(body.decode(), r"https?://")
        status, _, body = self.server.http("GET", "/_local/dashboard/secrets.db")
        self.assertEqual(status, 404)
        self.assertEqual(json.loads(body)["__type"], "ResourceNotFoundException")

    def test_Regions_ListsTheAccountRegionPairsThatHoldSecrets(self):
        self.sm.create_secret(Name=self.name(), SecretString=self.value())
        self.server.client(access_key="222233334444", region="ap-south-1").create_secret(
            Name=self.name(), SecretString=self.value())
        pairs = [(r["accountId"], r["region"])
                 for r in self.admin_json("/_local/regions")["regions"]]
        self.assertIn((DEFAULT_ACCOUNT, DEFAULT_REGION), pairs)
        self.assertIn(("222233334444", "ap-south-1"), pairs)
        self.assertEqual(pairs, sorted(set(pairs)))


@skip_on_moto("the dashboard is secretsmanager-local's")
class DashboardWithAdminToken(DashboardServer):
    TOKEN = "dashboard-admin-token-3f9c"
    extra_args = ("--admin-token", TOKEN)

    def test_Browser_AsksForTheTokenOnce(self):
        drive("token", url=self.server.endpoint + "/", token=self.TOKEN, handlerName=HANDLER,
              allow403=True)

    def test_PageNeedsNoToken_AdminDataDoes(self):
        status, _, _ = self.server.http("GET", "/", headers=BROWSER_HEADERS)
        self.assertEqual(status, 200)
        status, _, _ = self.server.http("GET", "/_local/dashboard/dashboard.js")
        self.assertEqual(status, 200)
        status, _, body = self.server.http("GET", "/_local/regions")
        self.assertEqual(status, 403)
        self.assertEqual(json.loads(body)["__type"], "AccessDeniedException")
        self.assertIn("regions", self.admin_json("/_local/regions", token=self.TOKEN))


@skip_on_moto("the dashboard is secretsmanager-local's")
class DashboardUnderSigV4(DashboardServer):
    @classmethod
    def setUpClass(cls):
        fd, cls.credentials = tempfile.mkstemp(prefix="sml-it-creds-")
        with os.fdopen(fd, "w") as f:
            f.write(f"[default]\naws_access_key_id = {SIGV4_KEY[0]}\n"
                    f"aws_secret_access_key = {SIGV4_KEY[1]}\n")
        cls.extra_args = ("--auth", "sigv4", "--credentials", cls.credentials)
        try:
            super().setUpClass()
        except Exception:
            os.unlink(cls.credentials)
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            os.unlink(cls.credentials)

    def test_Browser_ShowsReadOnlyAdminData(self):
        self.assertEqual(self.admin_json("/_local/health")["auth"], "sigv4")
        signed = self.server.client(access_key=SIGV4_KEY[0], secret_key=SIGV4_KEY[1])
        name = self.name("signed")
        signed.create_secret(Name=name, SecretString=self.value())
        signed.rotate_secret(SecretId=name, RotationLambdaARN=LAMBDA_ARN,
                             RotationRules={"AutomaticallyAfterDays": 30})
        drive("sigv4", url=self.server.endpoint + "/", handlerName=HANDLER, rotatedName=name)


if __name__ == "__main__":
    unittest.main()
