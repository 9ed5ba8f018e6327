"""Rotation end to end: a real rotation function (rotation_function.py, the
shape of AWS's template) rotates secrets as an `exec` handler and behind a
Lambda Invoke API, on RotateSecret and when the emulator's clock passes
NextRotationDate; a failure at each step leaves the secret consistent; a
rotation interrupted by a crash is reattempted after the restart."""
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

from harness import Server, ServerTestCase  # noqa: E402
from fake_lambda import FakeLambda  # noqa: E402

FUNCTION = os.path.join(HERE, "rotation_function.py")
ACCOUNT = "111122223333"
CLI_V2 = "/usr/bin/aws"
STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"]


def lambda_arn(name):
    return f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{name}"


def register(server, name, document):
    status, _, body = server.http("PUT", "/_local/rotation-handlers/" + urllib.parse.quote(name, safe=""),
                                  body=json.dumps(document))
    assert status == 200, body


def exec_handler(*flags, timeout=30):
    return {"type": "exec", "command": [sys.executable, FUNCTION, *flags], "timeoutSeconds": timeout}


def rotations(server, secret):
    status, _, body = server.http("GET", "/_local/rotations?secretId=" + urllib.parse.quote(secret, safe=""))
    assert status == 200, body
    return json.loads(body)["rotations"]


def wait_for_attempt(server, secret, count=1, timeout=30):
    """Waits until `count` attempts of the secret have finished; returns the newest."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [a for a in rotations(server, secret) if a["outcome"] != "running"]
        if len(done) >= count:
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no finished rotation attempt #{count} of {secret}: {rotations(server, secret)}")


def move_clock(server, **body):
    status, _, reply = server.http("POST", "/_local/clock", body=json.dumps(body), timeout=120)
    assert status == 200, reply
    return json.loads(reply)


def iso(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc)


def start_of_day(moment):
    return moment.astimezone(datetime.timezone.utc).replace(hour=0, minute=0, second=0,
                                                            microsecond=0)


def stages(sm, secret):
    return sm.describe_secret(SecretId=secret)["VersionIdsToStages"]


class ExecRotationTest(ServerTestCase):
    server_args = ("--allow-exec-handlers",)  # exec handlers are registered over HTTP below

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sm = cls.server.client(access_key=ACCOUNT)
        register(cls.server, lambda_arn("rotate-ok"), exec_handler())
        for step in STEPS:
            register(cls.server, f"rotate-fail-{step}", exec_handler("--fail-at", step))

    def create(self):
        name = self.name("rot")
        value = {"username": "app", "password": self.value("initial")}
        self.sm.create_secret(Name=name, SecretString=json.dumps(value))
        return name, value

    def test_RotateSecret_RunsTheFourStepsAndMovesAwsCurrent(self):
        name, initial = self.create()
        out = self.sm.rotate_secret(SecretId=name, RotationLambdaARN=lambda_arn("rotate-ok"),
                                    RotationRules={"AutomaticallyAfterDays": 30})
        token = out["VersionId"]
        attempt = wait_for_attempt(self.server, name)
        self.assertEqual(attempt["outcome"], "succeeded", attempt)
        self.assertEqual([s["step"] for s in attempt["steps"]], STEPS)
        self.assertEqual(attempt["trigger"], "manual")

        current = self.sm.get_secret_value(SecretId=name)
        self.assertEqual(current["VersionId"], token)
        rotated = json.loads(current["SecretString"])
        self.server.sensitive_values.add(rotated["password"])
        self.assertEqual(rotated["username"], "app")
        self.assertNotEqual(rotated["password"], initial["password"])
        previous = json.loads(self.sm.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")["SecretString"])
        self.assertEqual(previous, initial)
        self.assertNotIn("AWSPENDING", sum(stages(self.sm, name).values(), []))

        described = self.sm.describe_secret(SecretId=name)
        self.assertTrue(described["RotationEnabled"])
        self.assertEqual(described["RotationLambdaARN"], lambda_arn("rotate-ok"))
        self.assertEqual(described["RotationRules"]["AutomaticallyAfterDays"], 30)
        self.assertIn("LastRotatedDate", described)
        gap = described["NextRotationDate"] - described["LastRotatedDate"]
        self.assertGreater(gap, datetime.timedelta(days=29))
        self.assertLess(gap, datetime.timedelta(days=31, hours=1))

    def test_RotateSecretWithoutRules_EnablesRotation_SoTheTemplateFunctionSucceeds(self):
        # rotation_function.py refuses a secret whose RotationEnabled is
        # false, as AWS's templates do.
        name, initial = self.create()
        out = self.sm.rotate_secret(SecretId=name, RotationLambdaARN=lambda_arn("rotate-ok"))
        attempt = wait_for_attempt(self.server, name)
        self.assertEqual(attempt["outcome"], "succeeded", attempt)
        self.assertEqual([s["step"] for s in attempt["steps"]], STEPS)
        current = self.sm.get_secret_value(SecretId=name)
        self.assertEqual(current["VersionId"], out["VersionId"])
        self.server.sensitive_values.add(json.loads(current["SecretString"])["password"])
        described = self.sm.describe_secret(SecretId=name)
        self.assertIs(described["RotationEnabled"], True)
        self.assertNotIn("RotationRules", described)
        self.assertNotIn("NextRotationDate", described)
        self.assertIn("LastRotatedDate", described)

        # Again with the stored function, after CancelRotateSecret turned it off.
        self.sm.cancel_rotate_secret(SecretId=name)
        self.assertIs(self.sm.describe_secret(SecretId=name)["RotationEnabled"], False)
        second = self.sm.rotate_secret(SecretId=name)
        attempt = wait_for_attempt(self.server, name, count=2)
        self.assertEqual(attempt["outcome"], "succeeded", attempt)
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["VersionId"], second["VersionId"])
        self.server.sensitive_values.add(
            json.loads(self.sm.get_secret_value(SecretId=name)["SecretString"])["password"])

    def test_AdvancingTheClockPastNextRotationDate_RotatesAgain(self):
        name, _ = self.create()
        self.sm.rotate_secret(SecretId=name, RotationLambdaARN=lambda_arn("rotate-ok"),
                              RotationRules={"ScheduleExpression": "rate(10 days)"})
        wait_for_attempt(self.server, name)
        first = self.sm.get_secret_value(SecretId=name)["VersionId"]
        due = self.sm.describe_secret(SecretId=name)["NextRotationDate"]

        move_clock(self.server, set=(due + datetime.timedelta(minutes=1)).astimezone(
            datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
        attempt = rotations(self.server, name)[0]  # ran before the clock call answered
        self.assertEqual(attempt["trigger"], "scheduled")
        self.assertEqual(attempt["outcome"], "succeeded", attempt)
        second = self.sm.get_secret_value(SecretId=name)
        self.assertNotEqual(second["VersionId"], first)
        self.server.sensitive_values.add(json.loads(second["SecretString"])["password"])
        self.assertEqual(self.sm.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")["VersionId"], first)
        described = self.sm.describe_secret(SecretId=name)
        self.assertGreater(described["NextRotationDate"], due + datetime.timedelta(days=9))

    def test_AFailureAtEachStep_LeavesAwsCurrentAndPendingInPlace(self):
        for step in STEPS:
            with self.subTest(step=step):
                name, initial = self.create()
                before = self.sm.get_secret_value(SecretId=name)["VersionId"]
                out = self.sm.rotate_secret(SecretId=name, RotationLambdaARN=f"rotate-fail-{step}",
                                            RotationRules={"AutomaticallyAfterDays": 7})
                attempt = wait_for_attempt(self.server, name)
                self.assertEqual(attempt["outcome"], "failed")
                self.assertIn(step, attempt["error"])
                # The handler's last stderr line (Python's exception) says why.
                self.assertTrue(attempt["error"].endswith(
                    f"exited with status 1: RuntimeError: injected failure in {step}"), attempt["error"])
                self.assertEqual(attempt["steps"][-1]["error"],
                                 f"exited with status 1: RuntimeError: injected failure in {step}")
                self.assertEqual([s["step"] for s in attempt["steps"]], STEPS[:STEPS.index(step) + 1])
                self.assertIn("injected failure", attempt["steps"][-1]["output"])

                current = self.sm.get_secret_value(SecretId=name)
                self.assertEqual(current["VersionId"], before)
                self.assertEqual(json.loads(current["SecretString"]), initial)
                self.assertEqual(stages(self.sm, name)[out["VersionId"]], ["AWSPENDING"])
                # An unfinished rotation blocks the next one, as in AWS.
                self.assertError(self.sm.rotate_secret, "InvalidRequestException",
                                 "A previous rotation isn't complete. That rotation will be reattempted.",
                                 SecretId=name)
                # Off again, or every later clock move in this class would
                # run (and retry) its failing scheduled rotations too.
                self.sm.cancel_rotate_secret(SecretId=name)

    def test_UnregisteredHandler_IsAwsAccessDenied_AndTheLogSaysHowToRegisterIt(self):
        name, _ = self.create()
        arn = lambda_arn("not-registered-anywhere")
        self.assertError(self.sm.rotate_secret, "AccessDeniedException",
                         "Secrets Manager cannot invoke the specified Lambda function. Ensure that the "
                         "function policy grants access to the principal secretsmanager.amazonaws.com.",
                         SecretId=name, RotationLambdaARN=arn, RotationRules={"AutomaticallyAfterDays": 7})
        lines = [line for line in self.server.log().splitlines() if "not-registered-anywhere" in line]
        self.assertTrue(lines, self.server.log()[-2000:])
        self.assertIn("register_as=not-registered-anywhere", lines[-1])
        self.assertIn("PUT /_local/rotation-handlers/not-registered-anywhere", lines[-1])
        self.assertIn("--handlers FILE", lines[-1])

    def test_RotateImmediatelyFalse_RunsOnlyTestSecretAndDropsThePlaceholder(self):
        register(self.server, "rotate-test-only", exec_handler())
        name, initial = self.create()
        out = self.sm.rotate_secret(SecretId=name, RotationLambdaARN="rotate-test-only",
                                    RotationRules={"AutomaticallyAfterDays": 5}, RotateImmediately=False)
        attempt = wait_for_attempt(self.server, name)
        self.assertEqual([s["step"] for s in attempt["steps"]], ["testSecret"])
        # The template's testSecret reads the AWSPENDING version: it holds the current value.
        self.assertEqual(attempt["outcome"], "succeeded", attempt.get("error"))
        self.assertNotIn(out["VersionId"], stages(self.sm, name))
        listed = self.sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)
        self.assertNotIn(out["VersionId"], [v["VersionId"] for v in listed["Versions"]])
        self.assertEqual(json.loads(self.sm.get_secret_value(SecretId=name)["SecretString"]), initial)
        self.assertIn("NextRotationDate", self.sm.describe_secret(SecretId=name))

    def test_UnregisteredFunction_IsAccessDenied_AndNoFunction_IsInvalidRequest(self):
        name, _ = self.create()
        self.assertError(self.sm.rotate_secret, "AccessDeniedException",
                         "Secrets Manager cannot invoke the specified Lambda function. Ensure that the "
                         "function policy grants access to the principal secretsmanager.amazonaws.com.",
                         SecretId=name, RotationLambdaARN=lambda_arn("nobody"))
        self.assertError(self.sm.rotate_secret, "InvalidRequestException",
                         "No Lambda rotation function ARN is associated with this secret.", SecretId=name)
        self.assertNotIn("RotationEnabled", self.sm.describe_secret(SecretId=name))

    def test_CancelRotateSecret_TurnsRotationOff(self):
        name, _ = self.create()
        self.sm.rotate_secret(SecretId=name, RotationLambdaARN=lambda_arn("rotate-ok"),
                              RotationRules={"AutomaticallyAfterDays": 3})
        wait_for_attempt(self.server, name)
        self.sm.cancel_rotate_secret(SecretId=name)
        described = self.sm.describe_secret(SecretId=name)
        self.assertFalse(described["RotationEnabled"])
        self.assertNotIn("NextRotationDate", described)

    def test_BuiltinPasswordHandler_RotatesAPlainString(self):
        register(self.server, "builtin-password", {"type": "builtin", "name": "password"})
        name = self.name("builtin")
        self.sm.create_secret(Name=name, SecretString=self.value("plain"))
        self.sm.rotate_secret(SecretId=name, RotationLambdaARN="builtin-password",
                              RotationRules={"AutomaticallyAfterDays": 1})
        attempt = wait_for_attempt(self.server, name)
        self.assertEqual(attempt["outcome"], "succeeded", attempt)
        rotated = self.sm.get_secret_value(SecretId=name)["SecretString"]
        self.server.sensitive_values.add(rotated)
        self.assertEqual(len(rotated), 32)

    def test_RotateSecret_StoresTheExternalRotationMetadataAndRole_AndDescribeShowsThem(self):
        register(self.server, "builtin-external", {"type": "builtin", "name": "password"})
        name = self.name("external")
        self.sm.create_secret(Name=name, SecretString=self.value("plain"))
        self.assertNotIn("ExternalSecretRotationMetadata", self.sm.describe_secret(SecretId=name))
        metadata = [{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}]
        role = f"arn:aws:iam::{ACCOUNT}:role/partner-rotation"
        self.sm.rotate_secret(SecretId=name, RotationLambdaARN="builtin-external",
                              ExternalSecretRotationMetadata=metadata,
                              ExternalSecretRotationRoleArn=role)
        attempt = wait_for_attempt(self.server, name)
        self.assertEqual(attempt["outcome"], "succeeded", attempt)
        self.server.sensitive_values.add(self.sm.get_secret_value(SecretId=name)["SecretString"])
        described = self.sm.describe_secret(SecretId=name)
        self.assertEqual(described["ExternalSecretRotationMetadata"], metadata)
        self.assertEqual(described["ExternalSecretRotationRoleArn"], role)
        listed = self.sm.list_secrets(Filters=[{"Key": "name", "Values": [name]}])["SecretList"]
        self.assertEqual([(e["ExternalSecretRotationMetadata"], e["ExternalSecretRotationRoleArn"])
                          for e in listed], [(metadata, role)])


class ClockTest(ServerTestCase):
    """POST /_local/clock steps through every due event (one server per test
    class: the clock only moves forward, and other classes keep theirs)."""
    server_args = ("--allow-exec-handlers",)  # exec handlers are registered over HTTP below

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sm = cls.server.client(access_key=ACCOUNT)
        register(cls.server, lambda_arn("rotate-ok"), exec_handler())

    def health(self):
        status, _, body = self.server.http("GET", "/_local/health")
        self.assertEqual(status, 200, body)
        return json.loads(body)

    def test_A_Jump95Days_RotatesThreeTimes_EachInsideItsOwnWindow(self):
        name = self.name("clock")
        self.sm.create_secret(Name=name, SecretString=json.dumps({"password": self.value("c")}))
        self.sm.rotate_secret(SecretId=name, RotationLambdaARN=lambda_arn("rotate-ok"),
                              RotationRules={"AutomaticallyAfterDays": 30})
        first = wait_for_attempt(self.server, name)
        self.assertEqual(first["outcome"], "succeeded", first)

        reply = move_clock(self.server, advance="95d")
        self.assertEqual(reply["advancedMillis"], 95 * 86_400_000)
        attempts = list(reversed(rotations(self.server, name)))  # oldest first
        self.assertEqual([a["trigger"] for a in attempts],
                         ["manual", "scheduled", "scheduled", "scheduled"])
        day = datetime.timedelta(days=1)
        previous = iso(attempts[0]["startedAt"])
        for attempt in attempts[1:]:
            self.assertEqual(attempt["outcome"], "succeeded", attempt)
            started = iso(attempt["startedAt"])
            # The 30th UTC day after the previous actual rotation.
            window_start = start_of_day(previous) + 30 * day
            self.assertGreaterEqual(started, window_start)
            self.assertLess(started, window_start + day)
            previous = started
        for attempt in attempts:
            password = json.loads(self.sm.get_secret_value(
                SecretId=name, VersionId=attempt["token"])["SecretString"])["password"]
            self.server.sensitive_values.add(password)
        described = self.sm.describe_secret(SecretId=name)
        last = described["LastRotatedDate"]
        self.assertLess(abs(last - previous), datetime.timedelta(seconds=30))
        self.assertGreaterEqual(described["NextRotationDate"],
                                start_of_day(last) + 30 * day)
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["VersionId"],
                         attempts[-1]["token"])

        # 95 days ahead of the wall clock, less the wall time the jump took.
        offset = self.health()["clockOffsetMillis"]
        self.assertLessEqual(offset, 95 * 86_400_000)
        self.assertGreater(offset, 95 * 86_400_000 - 120_000)

    def test_B_Reset_PutsTheClockBackToWallTime(self):
        move_clock(self.server, advance="2d")
        self.assertGreater(self.health()["clockOffsetMillis"], 0)
        self.server.reset()
        self.assertEqual(self.health()["clockOffsetMillis"], 0)
        status, _, body = self.server.http("GET", "/_local/clock")
        now = iso(json.loads(body)["now"])
        self.assertLess(abs(now - datetime.datetime.now(datetime.timezone.utc)),
                        datetime.timedelta(minutes=1))


class ClockPurgeTest(ServerTestCase):
    def test_AJumpPastSeveralRecoveryWindows_PurgesEachSecret(self):
        names = [self.name("purge") for _ in range(2)]
        for name, days in zip(names, (7, 9)):
            self.sm.create_secret(Name=name, SecretString=self.value())
            self.sm.delete_secret(SecretId=name, RecoveryWindowInDays=days)
        move_clock(self.server, advance="10d")
        for name in names:
            self.assertError(self.sm.describe_secret, "ResourceNotFoundException", SecretId=name)
            self.sm.create_secret(Name=name, SecretString=self.value())  # the name is free


class ClockRestartTest(unittest.TestCase):
    def test_TheOffset_SurvivesARestart_AndIsLoggedAtStart(self):
        server = Server(in_memory=False)
        try:
            server.start()
            move_clock(server, advance="3d")
            server.restart()
            status, _, body = server.http("GET", "/_local/health")
            offset = json.loads(body)["clockOffsetMillis"]
            # The clock lands on now + 3 days: the offset is 3 days less the
            # wall time the move itself took.
            self.assertGreater(offset, 3 * 86_400_000 - 60_000)
            self.assertLessEqual(offset, 3 * 86_400_000)
            start_log = server.log().split("emulator clock")[-1].splitlines()[0]
            self.assertIn(f"offset_millis={offset}", start_log)
            server.stop()
        finally:
            server.cleanup()


@unittest.skipUnless(os.access(CLI_V2, os.X_OK), f"AWS CLI v2 not at {CLI_V2}")
class CliRotationTest(ServerTestCase):
    """RotateSecret and the clock as a CLI user meets them."""
    server_args = ("--allow-exec-handlers",)  # exec handlers are registered over HTTP below

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sm = cls.server.client(access_key=ACCOUNT)
        register(cls.server, lambda_arn("rotate-ok"), exec_handler())

    def aws(self, *args):
        home = tempfile.mkdtemp(prefix="sml-it-cli-")
        self.addCleanup(shutil.rmtree, home, True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"AWS_ACCESS_KEY_ID": ACCOUNT, "AWS_SECRET_ACCESS_KEY": "test",
                    "AWS_DEFAULT_REGION": "us-east-1", "AWS_PAGER": "", "AWS_MAX_ATTEMPTS": "1",
                    "HOME": home, "AWS_CONFIG_FILE": os.path.join(home, "config"),
                    "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "credentials")})
        out = subprocess.run([CLI_V2, "--endpoint-url", self.server.endpoint, "--output", "json",
                              "secretsmanager", *args], capture_output=True, text=True, env=env,
                             timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr[-800:])
        return json.loads(out.stdout) if out.stdout.strip() else {}

    def test_RotateWithoutRules_ThenAScheduleAndAJumpOf65Days(self):
        name = self.name("cli")
        self.sm.create_secret(Name=name, SecretString=json.dumps({"password": self.value("c")}))
        self.aws("rotate-secret", "--secret-id", name,
                 "--rotation-lambda-arn", lambda_arn("rotate-ok"))
        self.assertEqual(wait_for_attempt(self.server, name)["outcome"], "succeeded")
        self.assertIs(self.aws("describe-secret", "--secret-id", name)["RotationEnabled"], True)

        self.aws("rotate-secret", "--secret-id", name,
                 "--rotation-rules", "AutomaticallyAfterDays=30")
        self.assertEqual(wait_for_attempt(self.server, name, count=2)["outcome"], "succeeded")
        move_clock(self.server, advance="65d")
        attempts = rotations(self.server, name)
        self.assertEqual([a["trigger"] for a in attempts], ["scheduled", "scheduled", "manual",
                                                            "manual"])
        self.assertTrue(all(a["outcome"] == "succeeded" for a in attempts), attempts)
        for attempt in attempts:
            self.server.sensitive_values.add(json.loads(self.sm.get_secret_value(
                SecretId=name, VersionId=attempt["token"])["SecretString"])["password"])
        described = self.aws("describe-secret", "--secret-id", name)
        self.assertEqual(described["VersionIdsToStages"][attempts[0]["token"]], ["AWSCURRENT"])


class LambdaRotationTest(ServerTestCase):
    def test_LambdaInvokeApiHandler_Rotates_AndReportsFunctionErrors(self):
        sm = self.server.client(access_key=ACCOUNT)
        with FakeLambda(self.server.endpoint, {"rotate": {}, "broken": {"fail_at": "testSecret"}}) as fake:
            register(self.server, lambda_arn("rotate"), {"type": "lambda", "url": fake.url})
            register(self.server, lambda_arn("broken"), {"type": "lambda", "url": fake.url})
            name = self.name("lambda")
            sm.create_secret(Name=name, SecretString=json.dumps({"password": self.value("x")}))
            out = sm.rotate_secret(SecretId=name, RotationLambdaARN=lambda_arn("rotate"),
                                   RotationRules={"AutomaticallyAfterDays": 2})
            self.assertEqual(wait_for_attempt(self.server, name)["outcome"], "succeeded")
            self.assertEqual(sm.get_secret_value(SecretId=name)["VersionId"], out["VersionId"])
            self.assertEqual([step for fn, step in fake.invocations if fn == "rotate"], STEPS)

            broken = self.name("lambda-broken")
            sm.create_secret(Name=broken, SecretString=json.dumps({"password": self.value("y")}))
            sm.rotate_secret(SecretId=broken, RotationLambdaARN=lambda_arn("broken"),
                             RotationRules={"AutomaticallyAfterDays": 2})
            attempt = wait_for_attempt(self.server, broken)
            self.assertEqual(attempt["outcome"], "failed")
            self.assertIn("function error: Unhandled", attempt["error"])


class RestartTest(unittest.TestCase):
    def test_ARotationInterruptedByACrash_IsReattemptedAfterRestart(self):
        server = Server(in_memory=False, extra_args=["--allow-exec-handlers"])
        hold = os.path.join(server.data_dir, "hold-setSecret")
        try:
            server.start()
            sm = server.client(access_key=ACCOUNT)
            open(hold, "w").close()
            register(server, lambda_arn("held"), exec_handler("--hold-at", "setSecret:" + hold))
            name = f"restart/{os.getpid()}"
            sm.create_secret(Name=name, SecretString=json.dumps({"password": "before-crash"}))
            server.sensitive_values.add("before-crash")
            out = sm.rotate_secret(SecretId=name, RotationLambdaARN=lambda_arn("held"),
                                   RotationRules={"AutomaticallyAfterDays": 1})
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:  # createSecret has run once AWSPENDING has a value
                try:
                    sm.get_secret_value(SecretId=name, VersionStage="AWSPENDING")
                    break
                except sm.exceptions.ResourceNotFoundException:
                    time.sleep(0.05)
            time.sleep(0.3)
            server.kill9()  # mid-rotation: setSecret is held
            os.remove(hold)

            server.start()  # the interrupted rotation is due again at start
            sm = server.client(access_key=ACCOUNT)
            attempt = wait_for_attempt(server, name, count=2, timeout=30)
            self.assertEqual(attempt["outcome"], "succeeded", attempt)
            self.assertEqual(attempt["token"], out["VersionId"])
            self.assertEqual(sm.get_secret_value(SecretId=name)["VersionId"], out["VersionId"])
            interrupted = rotations(server, name)[-1]
            self.assertEqual(interrupted["outcome"], "failed")
            self.assertIn("interrupted", interrupted["error"])
            server.stop()
        finally:
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
