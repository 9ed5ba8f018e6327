"""--init FILE and --init-dir DIR against the real binary: secrets (with tags,
another account and region, a resource policy, a rotation schedule) are there
before the first request; a restart on the same data directory leaves them as
they are; a bad file exits 2 naming the file, the entry and the reason; the
scripts of an init dir run in name order once the server answers, a failing
one logged and not fatal."""
import json
import os
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

from harness import DEFAULT_ACCOUNT, Server, free_port, server_environment, skip_on_moto

OTHER_ACCOUNT = "111122223333"


def write(path, text, executable=False):
    with open(path, "w") as f:
        f.write(text)
    if executable:
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return ""


@skip_on_moto()
class InitFileTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="sml-it-init-")
        self.addCleanup(self.dir.cleanup)

    def init_file(self, document):
        return write(os.path.join(self.dir.name, "init.json"), json.dumps(document))

    def test_SecretsAreThereAtTheFirstRequest_AndARestartLeavesThemAsTheyAre(self):
        policy = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"},
            "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}
        path = self.init_file({
            "rotationHandlers": {"password-rotator": {"type": "builtin", "name": "password"}},
            "secrets": [
                {"Name": "app/db", "SecretString": json.dumps({"username": "app", "password": "init-pw-1"}),
                 "Description": "seeded", "Tags": [{"Key": "team", "Value": "core"}],
                 "RotationLambdaARN": "password-rotator",
                 "RotationRules": {"AutomaticallyAfterDays": 30},
                 "ResourcePolicy": policy},
                {"Name": "blob", "SecretBinary": "AAECAw=="},
                {"Name": "abroad", "SecretString": "init-abroad-1", "AccountId": OTHER_ACCOUNT,
                 "Region": "eu-west-1"},
            ]})
        server = Server(in_memory=False, extra_args=["--init", path])
        self.addCleanup(server.cleanup)
        server.start()
        sm = server.client()
        value = sm.get_secret_value(SecretId="app/db")
        self.assertEqual(json.loads(value["SecretString"])["password"], "init-pw-1")
        self.assertEqual(value["VersionStages"], ["AWSCURRENT"])
        described = sm.describe_secret(SecretId="app/db")
        self.assertEqual(described["Description"], "seeded")
        self.assertEqual(described["Tags"], [{"Key": "team", "Value": "core"}])
        self.assertTrue(described["RotationEnabled"])
        self.assertEqual(described["RotationLambdaARN"], "password-rotator")
        self.assertEqual(described["RotationRules"]["AutomaticallyAfterDays"], 30)
        self.assertIn("NextRotationDate", described)
        self.assertEqual(len(described["VersionIdsToStages"]), 1)  # configured, not rotated
        self.assertEqual(json.loads(sm.get_resource_policy(SecretId="app/db")["ResourcePolicy"]), policy)
        self.assertEqual(sm.get_secret_value(SecretId="blob")["SecretBinary"], b"\x00\x01\x02\x03")
        abroad = server.client(access_key=OTHER_ACCOUNT, region="eu-west-1")
        self.assertEqual(abroad.get_secret_value(SecretId="abroad")["SecretString"], "init-abroad-1")
        self.assertIn(f":{OTHER_ACCOUNT}:", abroad.describe_secret(SecretId="abroad")["ARN"])
        status, _, body = server.http("GET", "/_local/rotation-handlers/password-rotator")
        self.assertEqual(status, 200, body)

        # Changed through the API, then a restart with the same file: kept.
        sm.put_secret_value(SecretId="blob", SecretString="changed-after-init")
        server.restart()
        sm = server.client()
        self.assertEqual(sm.get_secret_value(SecretId="blob")["SecretString"], "changed-after-init")
        self.assertEqual(len(sm.list_secrets()["SecretList"]), 2)
        kept = [line for line in server.log().splitlines() if "left as it is" in line]
        self.assertEqual(len(kept), 3, server.log())
        self.assertTrue(any("name=blob" in line for line in kept))
        self.assertEqual(server.leaked_values(), [])
        server.sensitive_values.update({"init-pw-1", "init-abroad-1"})
        self.assertEqual(server.leaked_values(), [])
        server.stop()

    def test_TheVariableSmlInit_WorksAsTheFlag(self):
        path = self.init_file({"secrets": [{"Name": "from-env", "SecretString": "init-env-1"}]})
        server = Server(extra_env={"SML_INIT": path})
        with server:
            self.assertEqual(server.client().get_secret_value(SecretId="from-env")["SecretString"],
                             "init-env-1")

    def run_binary(self, *args, timeout=20):
        cmd = [os.environ["SML_BINARY"], "--port", str(free_port()), "--in-memory", *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env=server_environment())

    def test_ABadFile_ExitsTwoNamingTheFileTheEntryAndTheReason(self):
        cases = [
            ({"secrets": [{"Name": "ok", "SecretString": "init-bad-1"}, {"Name": "bad name!"}]},
             'secrets[1] ("bad name!"): ValidationException: Invalid name.'),
            ({"secrets": [{"Name": "x", "SecretString": "a", "SecretBinary": "AA=="}]},
             'secrets[0] ("x"): InvalidParameterException'),
            ({"secrets": [{"Name": "r", "RotationLambdaARN": "nobody",
                           "RotationRules": {"AutomaticallyAfterDays": 1}}]},
             'secrets[0] ("r"): AccessDeniedException'),
            ({"secrets": [{"Nmae": "typo"}]}, "secrets[0]: unknown member 'Nmae'"),
            ({"rotationHandlers": {"h": {"type": "nope"}}}, 'rotationHandlers "h": '),
        ]
        for document, expected in cases:
            with self.subTest(expected=expected):
                path = self.init_file(document)
                done = self.run_binary("--init", path)
                self.assertEqual(done.returncode, 2, done.stderr)
                self.assertIn(f"--init {path}: {expected}", done.stderr)
                self.assertNotIn("init-bad-1", done.stderr)
        path = write(os.path.join(self.dir.name, "broken.json"), '{"secrets": [\n  {"Name": "a" "b"}]}')
        done = self.run_binary("--init", path)
        self.assertEqual(done.returncode, 2)
        self.assertIn(f"--init {path}: not valid JSON (syntax error at line 2, column", done.stderr)
        done = self.run_binary("--init", os.path.join(self.dir.name, "missing.json"))
        self.assertEqual(done.returncode, 2)
        self.assertIn("cannot read the file", done.stderr)


@skip_on_moto()
class InitDirTest(unittest.TestCase):
    def test_ScriptsRunInNameOrderOnceTheServerAnswers_AFailureIsLoggedNotFatal(self):
        hooks = tempfile.TemporaryDirectory(prefix="sml-it-hooks-")
        self.addCleanup(hooks.cleanup)
        order = os.path.join(hooks.name, "order.txt")
        # 20: creates a secret through the server with the environment it was given.
        write(os.path.join(hooks.name, "20-create.py"), textwrap.dedent(f"""\
            #!{sys.executable}
            import os, boto3
            with open({order!r}, "a") as f:
                f.write("20 " + os.environ["AWS_REGION"] + " " + os.environ["AWS_ACCESS_KEY_ID"] + "\\n")
            sm = boto3.client("secretsmanager", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
            sm.create_secret(Name="made-by-hook", SecretString="hook-value-1")
            print("created made-by-hook")
            """), executable=True)
        write(os.path.join(hooks.name, "10-fails.sh"),
              f"#!/bin/sh\necho 10 >> {order}\necho 'hook went wrong' >&2\nexit 3\n", executable=True)
        write(os.path.join(hooks.name, "30-last.sh"), f"#!/bin/sh\necho 30 >> {order}\n", executable=True)
        write(os.path.join(hooks.name, "05-not-executable.sh"), f"#!/bin/sh\necho 05 >> {order}\n")

        server = Server(extra_args=["--init-dir", hooks.name, "--region", "eu-central-1"])
        with server:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and "30" not in read(order):
                time.sleep(0.1)
            self.assertEqual(read(order).splitlines(), ["10", f"20 eu-central-1 {DEFAULT_ACCOUNT}", "30"])
            sm = server.client(region="eu-central-1")
            self.assertEqual(sm.get_secret_value(SecretId="made-by-hook")["SecretString"], "hook-value-1")
            log = server.log()
            failed = [l for l in log.splitlines() if "init script finished" in l and "10-fails.sh" in l]
            self.assertEqual(len(failed), 1, log)
            self.assertIn("outcome=failed", failed[0])
            self.assertIn("exited with status 3", failed[0])
            self.assertIn("hook went wrong", failed[0])
            created = [l for l in log.splitlines() if "init script finished" in l and "20-create.py" in l]
            self.assertIn("created made-by-hook", created[0])
            self.assertIn("05-not-executable.sh", log)
            status, _, _ = server.http("GET", "/_local/health")
            self.assertEqual(status, 200)

    def test_AScriptStillRunningAtShutdownIsStopped(self):
        hooks = tempfile.TemporaryDirectory(prefix="sml-it-hooks-")
        self.addCleanup(hooks.cleanup)
        started = os.path.join(hooks.name, "started")
        write(os.path.join(hooks.name, "10-forever.sh"), f"#!/bin/sh\ntouch {started}\nsleep 600\n",
              executable=True)
        server = Server(extra_args=["--init-dir", hooks.name])
        self.addCleanup(server.cleanup)
        server.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not os.path.exists(started):
            time.sleep(0.05)
        self.assertTrue(os.path.exists(started))
        began = time.monotonic()
        server.stop()  # exit status 0 within the harness's limit
        self.assertLess(time.monotonic() - began, 5)
        self.assertIn("stopped: the server is shutting down", server.log())


if __name__ == "__main__":
    unittest.main()
