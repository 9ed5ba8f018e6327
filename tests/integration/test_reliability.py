"""No request can crash or brick the server.

- Identity from the credential scope is checked where it enters: a region that
  is not a region name (here: bytes that are not even UTF-8) is refused with
  AWS's InvalidSignatureException, for every operation, before anything runs.
- The HTTP limits hold as documented: the 16 KiB header limit is the whole
  header block's, an 8 MiB body sent in full before reading gets its 413, a
  Transfer-Encoding other than a lone "chunked" is refused.
- The process: out of file descriptors it retries accepting every 100 ms
  instead of spinning; a log pipe whose reader is gone, or a closed stderr,
  costs log lines, not the process or its files.
- A data dir holding the worst a rotation can meet (a secret whose region and
  name are not UTF-8, an interrupted rotation of it, a row that cannot even be
  read) still starts, records the failures in the rotation history, and keeps
  serving across restarts.
- A data dir whose file system fills up: writes fail as InternalServiceError
  and change nothing, reads go on, writes work again once there is room, and
  everything acknowledged is there after a restart.
"""
import json
import os
import resource
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
import unittest
import urllib.parse
import urllib.request

from botocore.exceptions import ClientError

from harness import (Server, ServerTestCase, decode, free_port, raw_json_headers,
                     server_environment, skip_on_moto)

BAD_REGION = b"\xff\xfe"
BAD_AUTHORIZATION = (b"AWS4-HMAC-SHA256 Credential=test/20261129/" + BAD_REGION +
                     b"/secretsmanager/aws4_request, SignedHeaders=host, Signature=abc")
INVALID_REGION_MESSAGE = "Credential should be scoped to a valid region, not '\ufffd\ufffd'. "
FAILING_HANDLER = "arn:aws:lambda:us-east-1:000000000000:function:failing"


def wait_until_answering(url, seconds=10):
    """For a server started here rather than by the harness."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return urllib.request.urlopen(url, timeout=2).read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def exchange(port, request, timeout=10):
    """Sends `request` in full, then reads the answer: (status, head bytes)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(request)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(65536)
            if not chunk:
                break
            head += chunk
    if not head:
        return None, head
    return int(head.split(b" ", 2)[1]), head


@skip_on_moto("identity and HTTP limits are the emulator's")
class IdentityAndHttpLimits(ServerTestCase):
    def post_with_bad_region(self, operation, body):
        return self.server.http("POST", "/", body=json.dumps(body),
                                headers=raw_json_headers(operation,
                                                         {"Authorization": BAD_AUTHORIZATION}))

    def assertStillServing(self):
        self.assertIn("SecretList", self.sm.list_secrets())

    def test_RegionThatIsNotARegionName_IsInvalidSignature_ForEveryOperation(self):
        name = self.name()
        for operation, body in [
                ("CreateSecret", {"Name": name, "SecretString": "x"}),
                ("RotateSecret", {"SecretId": name, "RotationLambdaARN": FAILING_HANDLER}),
                ("ListSecrets", {}),
                ("BatchGetSecretValue", {"Filters": [{"Key": "name", "Values": ["x"]}]})]:
            status, headers, raw = self.post_with_bad_region(operation, body)
            self.assertEqual(status, 400, (operation, raw))
            self.assertEqual(headers.get("x-amzn-errortype"), "InvalidSignatureException")
            self.assertEqual(decode(raw), {"__type": "InvalidSignatureException",
                                           "Message": INVALID_REGION_MESSAGE})
        time.sleep(0.5)  # a rotation thread, had one started, would have run by now
        self.assertStillServing()
        self.assertEqual(self.server.proc.poll(), None)

    def test_HeaderBlockOfManySmallLines_OverSixteenKiB_Is431(self):
        lines = b"".join(b"X-L%d: small\r\n" % i for i in range(1200))  # ~18 KiB
        self.assertGreater(len(lines), 16 * 1024)
        status, _ = exchange(self.server.port, b"GET /_local/health HTTP/1.1\r\nHost: x\r\n" +
                             lines + b"\r\n")
        self.assertEqual(status, 431)
        self.assertStillServing()

    def test_EightMiBBody_SentInFullBeforeReading_Gets413(self):
        body = b"a" * (8 * 1024 * 1024)
        status, head = exchange(self.server.port,
                                b"POST / HTTP/1.1\r\nHost: x\r\n"
                                b"X-Amz-Target: secretsmanager.ListSecrets\r\n"
                                b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.assertEqual(status, 413, head[:200])
        self.assertStillServing()

    def test_TransferEncodingOtherThanChunked_IsRefused(self):
        status, head = exchange(self.server.port,
                                b"POST / HTTP/1.1\r\nHost: x\r\n"
                                b"X-Amz-Target: secretsmanager.ListSecrets\r\n"
                                b"Transfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
        self.assertEqual(status, 501, head[:200])
        status, _ = exchange(self.server.port,
                             b"POST / HTTP/1.1\r\nHost: x\r\n"
                             b"X-Amz-Target: secretsmanager.ListSecrets\r\n"
                             b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
        self.assertEqual(status, 200)

    def test_OutOfDescriptors_AcceptWaitsQuietly_ThenServesAgain(self):
        with Server() as server:
            subprocess.run(["prlimit", "--pid", str(server.proc.pid), "--nofile=64:64"],
                           check=True)
            held = []
            try:
                for _ in range(100):  # past the limit they wait in the listen backlog
                    held.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
                time.sleep(1)
                # One line for the episode, not one per failed accept (a spin).
                self.assertEqual(server.log().count("accept failed"), 1, server.log()[-2000:])
            finally:
                for s in held:
                    s.close()
            status, _, _ = server.http("GET", "/_local/health")
            self.assertEqual(status, 200)
            self.assertIn("accepting connections again", server.log())

    def test_SoftDescriptorLimitBelowTheHardOne_IsRaised_ConnectionsPastItAreServed(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard != resource.RLIM_INFINITY and hard < 1024:
            self.skipTest(f"hard descriptor limit {hard} leaves nothing to raise to")
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, hard))  # the server inherits it
        try:
            server = Server().start()
        finally:
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        try:
            held = [socket.create_connection(("127.0.0.1", server.port), timeout=5)
                    for _ in range(300)]
            for s in held:
                s.sendall(b"GET /_local/health HTTP/1.1\r\nHost: x\r\n\r\n")
            answered = sum(s.recv(12).startswith(b"HTTP/1.1 200") for s in held)
            self.assertEqual(answered, 300)
            for s in held:
                s.close()
        finally:
            server.stop()
            server.cleanup()

    def test_LogPipeWhoseReaderIsGone_DoesNotEndTheServer(self):
        port = free_port()
        read_end, write_end = os.pipe()
        proc = subprocess.Popen([os.environ["SML_BINARY"], "--port", str(port), "--in-memory"],
                                stdin=subprocess.DEVNULL, stdout=write_end, stderr=write_end,
                                env=server_environment(), start_new_session=True)
        os.close(write_end)
        try:
            url = f"http://127.0.0.1:{port}/_local/health"
            wait_until_answering(url)
            os.close(read_end)  # like `secretsmanager-local 2>&1 | head -1`
            for _ in range(20):  # each request logs a line into the closed pipe
                self.assertEqual(urllib.request.urlopen(url, timeout=2).status, 200)
                time.sleep(0.01)
            self.assertIsNone(proc.poll())
        finally:
            proc.terminate()
            self.assertEqual(proc.wait(timeout=10), 0)

    def test_StartedWithStderrClosed_LogsGoNowhere_NotIntoItsFiles(self):
        port = free_port()
        data_dir = tempfile.mkdtemp(prefix="sml-it-closed-fds-")
        self.addCleanup(shutil.rmtree, data_dir, True)

        def close_stderr():  # like `secretsmanager-local 2>&-`
            os.close(2)

        proc = subprocess.Popen(
            [os.environ["SML_BINARY"], "--port", str(port), "--data-dir", data_dir],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=server_environment(),
            start_new_session=True, preexec_fn=close_stderr)
        try:
            url = f"http://127.0.0.1:{port}/_local/health"
            wait_until_answering(url)
            for _ in range(5):
                self.assertEqual(urllib.request.urlopen(url, timeout=2).status, 200)
        finally:
            proc.terminate()
            self.assertEqual(proc.wait(timeout=10), 0)
        with open(os.path.join(data_dir, "server.lock")) as lock:
            self.assertEqual(lock.read(), f"{proc.pid}\n")


@skip_on_moto("the admin clock is the emulator's")
class AdminClock(ServerTestCase):
    def test_AdvanceOfAnyLength_StopsAtTheLastSettableTime_AndTheServerStaysUp(self):
        # The longest durations the parser takes: near the int64 limit in ms.
        for amount in ("106751991167d", "9223372036854775s"):
            status, _, out = self.server.http("POST", "/_local/clock",
                                              json.dumps({"advance": amount}),
                                              {"Content-Type": "application/json"})
            self.assertEqual(status, 400, out)
            self.assertIn(b"cannot move past 9999-12-31T23:59:59.999Z", out)
        status, _, _ = self.server.http("GET", "/_local/clock")
        self.assertEqual(status, 200)
        self.assertIn("SecretList", self.sm.list_secrets())
        self.assertEqual(self.server.proc.poll(), None)


@skip_on_moto("plants rows in the emulator's SQLite file")
class WorstCaseDataDir(unittest.TestCase):
    """Rows planted straight into secrets.db, then the server started on it."""

    def setUp(self):
        # The planted rotations run an exec handler registered over HTTP.
        self.server = Server(in_memory=False, extra_args=["--allow-exec-handlers"])
        self.server.start()
        self.addCleanup(self.server.cleanup)
        status, _, body = self.server.http(
            "PUT", "/_local/rotation-handlers/" + urllib.parse.quote(FAILING_HANDLER, safe=""),
            body=json.dumps({"type": "exec", "command": ["/bin/sh", "-c", "cat >/dev/null; exit 7"]}))
        self.assertEqual(status, 200, body)

    def tearDown(self):
        if self.server.proc is not None:
            self.server.stop()

    def plant(self, statements):
        """Stops the server, runs `statements` (sql, params) on its database."""
        self.server.stop()
        db = sqlite3.connect(f"{self.server.data_dir}/secrets.db")
        try:
            for sql, params in statements:
                db.execute(sql, params)
            db.commit()
        finally:
            db.close()

    def rotations(self):
        status, _, body = self.server.http("GET", "/_local/rotations")
        self.assertEqual(status, 200, body)
        return json.loads(body)["rotations"]

    def wait_for(self, predicate, what, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rotations = self.rotations()
            if predicate(rotations):
                return rotations
            time.sleep(0.1)
        self.fail(f"{what}; history: {self.rotations()}\nlog:\n{self.server.log()}")

    def assertServing(self):
        status, _, _ = self.server.http("GET", "/_local/health")
        self.assertEqual(status, 200)
        self.assertIsNone(self.server.proc.poll(), self.server.log())
        self.assertNotIn("terminate", self.server.log())

    def interrupted_attempt(self, secret_id):
        return ("INSERT INTO rotation_attempts (secret_id, secret_arn, secret_name, token, "
                "trigger, started, outcome, error, steps_json) "
                "SELECT id, arn, name, 'planted-token', 'scheduled', 0, 'running', '', '[]' "
                "FROM secrets WHERE id = ?", (secret_id,))

    def create(self, name):
        arn = self.server.client().create_secret(Name=name, SecretString="planted")["ARN"]
        self.server.sensitive_values.add("planted")
        return arn

    def test_RotationOfAnInvalidUtf8Secret_FailsInTheHistory_AndRestartsStayUp(self):
        self.create("victim")
        bad = "CAST(X'fffe' AS TEXT)"
        self.plant([
            (f"UPDATE secrets SET region = {bad}, name = CAST(X'ff78' AS TEXT), "
             f"arn = 'arn:aws:secretsmanager:' || {bad} || ':000000000000:secret:' || "
             "CAST(X'ff78' AS TEXT) || '-AbCdEf', rotation_enabled = 1, rotation_lambda_arn = ?, "
             "rotation_rules_json = '{\"AutomaticallyAfterDays\":1}', next_rotation_date = 0 "
             "WHERE name = 'victim'", (FAILING_HANDLER,)),
            self.interrupted_attempt(1)])
        self.server.start()
        history = self.wait_for(
            lambda r: len(r) == 2 and all(a["outcome"] == "failed" for a in r),
            "the interrupted and the resumed rotation should both end as failed")
        self.assertTrue(any(a["error"].startswith("interrupted") for a in history), history)
        self.assertTrue(any("createSecret failed: exited with status 7" in a.get("error", "")
                            for a in history), history)
        self.assertServing()
        for _ in range(2):
            self.server.restart()
            time.sleep(0.5)
            self.assertServing()
        self.assertEqual(len(self.rotations()), 2, "a failed rotation must not rerun at start")
        self.server.client().create_secret(Name="after", SecretString="planted")

    def test_UnreadableRowWithAnInterruptedRotation_StillStarts(self):
        self.create("corrupt")
        self.plant([
            ("UPDATE secrets SET tags_json = '{broken', rotation_enabled = 1, "
             "rotation_lambda_arn = ?, next_rotation_date = 0 WHERE name = 'corrupt'",
             (FAILING_HANDLER,)),
            self.interrupted_attempt(1)])
        for _ in range(3):
            self.server.start()
            history = self.wait_for(lambda r: r and r[0]["outcome"] == "failed",
                                    "the interrupted attempt should be recorded as failed")
            self.assertEqual(len(history), 1, history)
            time.sleep(0.3)
            self.assertServing()
            self.server.stop()
        self.assertIn("interrupted rotation not resumed", self.server.log())
        self.assertIn("due events cannot be read", self.server.log())
        self.server.start()
        self.server.client().create_secret(Name="after", SecretString="planted")


def listed_names(sm):
    pages = sm.get_paginator("list_secrets").paginate()
    return [entry["Name"] for page in pages for entry in page["SecretList"]]


@skip_on_moto("the data dir is the emulator's")
class FullDisk(unittest.TestCase):
    """The data dir on a tmpfs of 2 MiB (mounting needs root; skipped without)."""

    def setUp(self):
        self.mount = tempfile.mkdtemp(prefix="sml-it-full-")
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", self.mount],
                                 capture_output=True)
        if mounted.returncode != 0:
            os.rmdir(self.mount)
            self.skipTest("cannot mount a small tmpfs here: " + mounted.stderr.decode().strip())
        self.server = Server(data_dir=os.path.join(self.mount, "data"))

    def tearDown(self):
        self.server.cleanup()
        subprocess.run(["umount", self.mount], check=True)
        shutil.rmtree(self.mount)

    def test_FullDisk_FailsWritesAlone_AndEverythingAcknowledgedSurvives(self):
        self.server.start()
        sm = self.server.client()
        value, changed = "v" * 2000, "changed-value-f3a9"
        self.server.sensitive_values.update({value, changed, "after-value-c41d"})
        created = []
        for i in range(2000):  # 2 MiB cannot hold them
            try:
                sm.create_secret(Name=f"full-{i}", SecretString=value)
            except ClientError as e:
                failure = e.response
                break
            created.append(f"full-{i}")
        else:
            self.fail("the file system never filled up")
        self.assertGreater(len(created), 10)
        self.assertEqual(failure["Error"]["Code"], "InternalServiceError")
        self.assertEqual(failure["ResponseMetadata"]["HTTPStatusCode"], 500)
        self.assertIn("database or disk is full", self.server.log())

        # Writes keep failing and change nothing; reads go on.
        with self.assertRaises(ClientError) as put:
            sm.put_secret_value(SecretId=created[0], SecretString=changed)
        self.assertEqual(put.exception.response["Error"]["Code"], "InternalServiceError")
        for name in created:
            self.assertEqual(sm.get_secret_value(SecretId=name)["SecretString"], value)
        self.assertEqual(sorted(listed_names(sm)), sorted(created))

        # Room again: writes work without a restart.
        subprocess.run(["mount", "-o", "remount,size=16m", self.mount], check=True)
        sm.put_secret_value(SecretId=created[0], SecretString=changed)
        sm.create_secret(Name="after", SecretString="after-value-c41d")

        self.server.restart()
        sm = self.server.client()
        self.assertEqual(sorted(listed_names(sm)), sorted(created + ["after"]))
        self.assertEqual(sm.get_secret_value(SecretId=created[0])["SecretString"], changed)
        self.assertEqual(sm.get_secret_value(SecretId=created[-1])["SecretString"], value)
        self.server.stop()
        database = sqlite3.connect(os.path.join(self.server.data_dir, "secrets.db"))
        self.assertEqual(database.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
        database.close()
        self.assertEqual(self.server.leaked_values(), [])


if __name__ == "__main__":
    unittest.main()
