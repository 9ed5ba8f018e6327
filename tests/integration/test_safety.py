"""Safe by default: exec rotation handlers (commands the server runs) are
registrable over HTTP only with the admin token or an explicit opt-in; a
server reachable from other machines with --auth off says so loudly at
start; `secretsmanager-local healthcheck` probes a running server."""
import http.server
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid

from harness import Server, free_port, server_environment, skip_on_moto

HERE = os.path.dirname(os.path.abspath(__file__))
FUNCTION = os.path.join(HERE, "rotation", "rotation_function.py")
CREDENTIALS = os.path.join(HERE, "fixtures", "credentials.ini")
TOKEN = "adm-" + uuid.uuid4().hex
EXEC = {"type": "exec", "command": [sys.executable, FUNCTION], "timeoutSeconds": 30}
LAMBDA = {"type": "lambda", "url": "http://127.0.0.1:9"}
BUILTIN = {"type": "builtin", "name": "password"}


def handler_path(name):
    return "/_local/rotation-handlers/" + urllib.parse.quote(name, safe="")


def put_handler(server, name, document, token=None):
    headers = {"X-Sml-Admin-Token": token} if token else {}
    status, _, body = server.http("PUT", handler_path(name), json.dumps(document), headers)
    return status, json.loads(body)


def registered(server, token=None):
    headers = {"X-Sml-Admin-Token": token} if token else {}
    status, _, body = server.http("GET", "/_local/rotation-handlers", headers=headers)
    assert status == 200, body
    return json.loads(body)["handlers"]


def rotate_and_wait(server, handler, token=None, timeout=30):
    """Rotates a new secret with `handler`; returns the finished attempt."""
    sm = server.client()
    name = f"safety/{uuid.uuid4().hex[:10]}"
    sm.create_secret(Name=name, SecretString=json.dumps({"username": "app", "password": "p0"}))
    server.sensitive_values.add("p0")
    sm.rotate_secret(SecretId=name, RotationLambdaARN=handler,
                     RotationRules={"AutomaticallyAfterDays": 30})
    headers = {"X-Sml-Admin-Token": token} if token else {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, _, body = server.http(
            "GET", "/_local/rotations?secretId=" + urllib.parse.quote(name, safe=""),
            headers=headers)
        assert status == 200, body
        done = [a for a in json.loads(body)["rotations"] if a["outcome"] != "running"]
        if done:
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"rotation of {name} did not finish")


class ServerCase(unittest.TestCase):
    def serve(self, *args, **kwargs):
        server = Server(extra_args=args, **kwargs)
        self.addCleanup(server.cleanup)
        server.start()
        self.addCleanup(server.stop)
        return server


@skip_on_moto()
class ExecHandlersOverHttp(ServerCase):
    def test_Default_RefusesExec_WithA403ThatSaysHowToAllowIt(self):
        server = self.serve()
        status, body = put_handler(server, "run-me", EXEC)
        self.assertEqual(status, 403)
        self.assertEqual(body["__type"], "AccessDeniedException")
        for hint in ("--admin-token", "--allow-exec-handlers", "SML_ALLOW_EXEC_HANDLERS",
                     "--handlers FILE"):
            self.assertIn(hint, body["Message"])
        self.assertNotIn("run-me", registered(server))

    def test_Default_StillRegistersLambdaAndBuiltin_AndBuiltinRotates(self):
        server = self.serve()
        self.assertEqual(put_handler(server, "via-lambda", LAMBDA)[0], 200)
        self.assertEqual(put_handler(server, "pw", BUILTIN)[0], 200)
        self.assertEqual(set(registered(server)), {"via-lambda", "pw"})
        self.assertEqual(rotate_and_wait(server, "pw")["outcome"], "succeeded")

    def test_AdminToken_AcceptsExecWithTheToken_Only(self):
        server = self.serve("--admin-token", TOKEN)
        self.assertEqual(put_handler(server, "run-me", EXEC)[0], 403)
        self.assertEqual(put_handler(server, "run-me", EXEC, token="wrong")[0], 403)
        self.assertEqual(put_handler(server, "run-me", EXEC, token=TOKEN)[0], 200)
        self.assertEqual(put_handler(server, "pw", BUILTIN, token=TOKEN)[0], 200)
        self.assertEqual(put_handler(server, "via-lambda", LAMBDA, token=TOKEN)[0], 200)
        self.assertEqual(rotate_and_wait(server, "run-me", token=TOKEN)["outcome"], "succeeded")

    def test_AllowExecHandlersFlag_AcceptsExec(self):
        server = self.serve("--allow-exec-handlers")
        self.assertEqual(put_handler(server, "run-me", EXEC)[0], 200)
        self.assertEqual(rotate_and_wait(server, "run-me")["outcome"], "succeeded")

    def test_AllowExecHandlersVariable_AcceptsExec(self):
        server = self.serve(extra_env={"SML_ALLOW_EXEC_HANDLERS": "1"})
        self.assertEqual(put_handler(server, "run-me", EXEC)[0], 200)

    def test_HandlersFile_RegistersExecWithoutOptIn(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"from-file": EXEC}, f)
        self.addCleanup(os.remove, f.name)
        server = self.serve("--handlers", f.name)
        self.assertEqual(registered(server)["from-file"]["type"], "exec")
        self.assertEqual(rotate_and_wait(server, "from-file")["outcome"], "succeeded")

    def test_PersistedExecHandler_KeepsWorkingAfterRestartWithoutOptIn(self):
        server = Server(in_memory=False, extra_args=["--allow-exec-handlers"])
        self.addCleanup(server.cleanup)
        server.start()
        self.assertEqual(put_handler(server, "kept", EXEC)[0], 200)
        server.stop()
        server.extra_args = []
        server.start()
        self.addCleanup(server.stop)
        self.assertEqual(put_handler(server, "another", EXEC)[0], 403)
        self.assertEqual(registered(server)["kept"]["type"], "exec")
        self.assertEqual(rotate_and_wait(server, "kept")["outcome"], "succeeded")


EXPOSED = "EXPOSED: listening on "


@skip_on_moto()
class ExposureWarning(ServerCase):
    # The exposed servers get an admin token and live for a moment, in memory.
    def warnings(self, server):
        return [line for line in server.log().splitlines() if EXPOSED in line]

    def test_AllInterfacesWithAuthOff_WarnsOnceBeforeTheListeningLine(self):
        server = self.serve("--admin-token", TOKEN, host="0.0.0.0")
        [warning] = self.warnings(server)
        self.assertIn(" warn ", warning)
        self.assertIn(f"{EXPOSED}0.0.0.0:{server.port} (not loopback) with --auth off", warning)
        self.assertIn("anyone who can reach this port can read, change and delete", warning)
        self.assertIn("--auth sigv4", warning)
        self.assertIn("--admin-token", warning)
        lines = server.log().splitlines()
        listening = next(i for i, line in enumerate(lines) if " info listening " in line)
        self.assertLess(lines.index(warning), listening)

    def test_JsonLog_CarriesTheWarningAsLevelWarn(self):
        server = self.serve("--admin-token", TOKEN, "--log-format", "json", host="0.0.0.0")
        [warning] = self.warnings(server)
        self.assertEqual(json.loads(warning)["level"], "warn")

    def test_Loopback_DoesNotWarn(self):
        for host in ("127.0.0.1", "localhost"):
            with self.subTest(host=host):
                server = self.serve(host=host)
                self.assertIn(" info listening ", server.log())
                self.assertEqual(self.warnings(server), [])

    def test_AllInterfacesWithSigV4_DoesNotWarn(self):
        server = self.serve("--auth", "sigv4", "--credentials", CREDENTIALS,
                            "--admin-token", TOKEN, host="0.0.0.0")
        self.assertIn(" info listening ", server.log())
        self.assertEqual(self.warnings(server), [])


def healthcheck(*args, env=None):
    binary = os.environ["SML_BINARY"]
    return subprocess.run([binary, "healthcheck", *args], capture_output=True, text=True,
                          timeout=30, env=server_environment(env))


def other_server(test, status, body=b""):
    """An HTTP server that is not secretsmanager-local; returns its port."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    other = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    test.addCleanup(other.server_close)
    test.addCleanup(other.shutdown)
    return other.server_address[1]


@skip_on_moto()
class WebPages(ServerCase):
    """A page whose name was re-pointed at 127.0.0.1 sends its own name as
    Host: refused, whatever it asks; local names and the listed ones pass.
    A page of another origin can POST without a preflight (a form, a no-cors
    fetch): refused too, so it cannot wipe the secrets."""

    def read_secrets(self, server, host):
        headers = {"Host": f"{host}:{server.port}", "Content-Type": "application/x-amz-json-1.1",
                   "X-Amz-Target": "secretsmanager.BatchGetSecretValue"}
        body = json.dumps({"Filters": [{"Key": "name", "Values": ["rebind"]}]})
        return server.http("POST", "/", body, headers)

    def test_ForeignHost_Is403_NothingRead_NothingReset(self):
        server = self.serve()
        server.client().create_secret(Name="rebind/db", SecretString="rebind-value")
        status, headers, body = self.read_secrets(server, "attacker.example.com")
        self.assertEqual(status, 403)
        self.assertEqual(headers["x-amzn-errortype"], "AccessDeniedException")
        self.assertNotIn(b"rebind-value", body)
        self.assertIn(b"--allowed-hosts attacker.example.com", body)
        status, _, _ = server.http("POST", "/_local/reset",
                                   headers={"Host": "attacker.example.com"})
        self.assertEqual(status, 403)
        for host in ("localhost", "127.0.0.1", "sml", "host.docker.internal"):
            status, _, body = self.read_secrets(server, host)
            self.assertEqual(status, 200, host)
            self.assertIn(b"rebind-value", body)

    def test_CrossOriginPost_Is403_NothingReset_SameOriginWorks(self):
        server = self.serve()
        server.client().create_secret(Name="csrf/db", SecretString="csrf-value")
        for path, body in (("/_local/reset", None), ("/_local/clock", '{"advance":"30d"}')):
            status, _, answer = server.http("POST", path, body, {
                "Origin": "https://attacker.example.com", "Content-Type": "text/plain"})
            self.assertEqual(status, 403, path)
            self.assertIn(b"another origin", answer)
        status, _, health = server.http("GET", "/_local/health")
        self.assertEqual(json.loads(health)["secrets"], 1)
        self.assertEqual(json.loads(health)["clockOffsetMillis"], 0)
        status, headers, _ = server.http("POST", "/_local/reset", None, {
            "Origin": f"http://127.0.0.1:{server.port}"})
        self.assertEqual(status, 200)
        # No CORS headers: other pages cannot read any answer either.
        self.assertFalse([name for name in headers if name.startswith("access-control-")])

    def test_AllowedHostsFlag_AddsNames(self):
        server = self.serve("--allowed-hosts", "dev.example.com")
        server.client().create_secret(Name="rebind/db", SecretString="rebind-value")
        status, _, body = self.read_secrets(server, "dev.example.com")
        self.assertEqual(status, 200)
        self.assertIn(b"rebind-value", body)
        self.assertEqual(self.read_secrets(server, "attacker.example.com")[0], 403)


@skip_on_moto()
class Healthcheck(ServerCase):
    def assertHealthy(self, result):
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"^ok: http://127\.0\.0\.1:\d+/_local/health \(version ")
        self.assertEqual(result.stdout.count("\n"), 1)

    def assertUnhealthy(self, result, reason):
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, "")
        self.assertEqual(result.stderr.count("\n"), 1, result.stderr)
        self.assertRegex(result.stderr, reason)

    def test_RunningServer_IsHealthy_ByFlagOrVariable(self):
        server = self.serve("--admin-token", TOKEN)  # health needs no token
        self.assertHealthy(healthcheck("--port", str(server.port)))
        self.assertHealthy(healthcheck(env={"SML_PORT": str(server.port)}))

    def test_WildcardHost_IsProbedOnLoopback(self):
        server = self.serve()
        self.assertHealthy(healthcheck("--host", "0.0.0.0", "--port", str(server.port)))

    def test_NothingListening_FailsWithOneLine(self):
        port = free_port()
        self.assertUnhealthy(healthcheck("--port", str(port)),
                             rf"^cannot connect to 127\.0\.0\.1:{port}: Connection refused\n$")

    def test_SomethingElseListening_FailsWithItsStatus(self):
        port = other_server(self, 404)
        self.assertUnhealthy(healthcheck("--port", str(port)),
                             rf"^http://127\.0\.0\.1:{port}/_local/health answered HTTP 404\n$")

    def test_AnswerWithoutStatusOk_Fails(self):
        for body in (b'{"status":"starting"}', b'{"status":1}', b"[]", b"not json"):
            with self.subTest(body=body):
                port = other_server(self, 200, body)
                self.assertUnhealthy(
                    healthcheck("--port", str(port)),
                    rf'^http://127\.0\.0\.1:{port}/_local/health answered without "status":"ok"\n$')

    def test_SilentListener_TimesOut(self):
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen()
            port = silent.getsockname()[1]
            started = time.monotonic()
            result = healthcheck("--port", str(port))
            self.assertLess(time.monotonic() - started, 10)
        self.assertUnhealthy(result, rf"^no answer from 127\.0\.0\.1:{port} within 3000 ms\n$")


if __name__ == "__main__":
    unittest.main()
