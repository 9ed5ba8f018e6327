"""Starts the real secretsmanager-local binary for the integration tests.

The binary is `$SML_BINARY` (ctest sets it to the built target). Each Server
gets a free port and either `--in-memory` or its own data directory, so suites
can run in parallel. `stop()` sends SIGTERM and requires exit code 0; the
server's stderr is kept in a file so tests can assert that no secret value they
wrote ever reached the log.

Setting `SML_TARGET=moto` instead runs the tests against `moto_server`; that
is only a way to shake out bugs in the tests themselves (moto deviates from
AWS in places), never the standard. Tests that need features moto lacks
(restart with data, the admin API) skip there.
"""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import uuid

import boto3
from botocore.config import Config

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "000000000000"
START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 10.0


def target():
    """'sml' (the real binary) or 'moto' (test-debugging only)."""
    return os.environ.get("SML_TARGET", "sml")


def on_moto():
    return target() == "moto"


def server_environment(extra=None):
    """This process's environment without SML_* variables (the server reads
    them as settings: data dir, admin token, master key...), so a developer's
    shell does not change what is tested; then `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SML_")}
    env.update(extra or {})
    return env


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerError(Exception):
    pass


class Server:
    """One server process. Use `start()`/`stop()` or as a context manager."""

    def __init__(self, in_memory=True, data_dir=None, extra_args=(), extra_env=None,
                 host="127.0.0.1"):
        self.host = host  # only the exposure tests bind elsewhere (0.0.0.0)
        self.in_memory = in_memory and data_dir is None
        self._owns_data_dir = False
        if not self.in_memory and data_dir is None:
            data_dir = tempfile.mkdtemp(prefix="sml-it-data-")
            self._owns_data_dir = True
        self.data_dir = data_dir
        self.extra_args = list(extra_args)
        self.extra_env = dict(extra_env or {})
        self.port = None
        self.proc = None
        self._log_dir = tempfile.mkdtemp(prefix="sml-it-log-")
        self._log_paths = []
        # Every secret value a test wrote through this server; none may be logged.
        self.sensitive_values = set()

    # -- lifecycle -----------------------------------------------------------
    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def _command(self):
        if on_moto():
            return ["moto_server", "-H", "127.0.0.1", "-p", str(self.port)]
        binary = os.environ.get("SML_BINARY")
        if not binary:
            raise ServerError("SML_BINARY is not set (ctest sets it to the built binary)")
        cmd = [binary, "--host", self.host, "--port", str(self.port)]
        if self.in_memory:
            cmd.append("--in-memory")
        else:
            cmd += ["--data-dir", self.data_dir]
        return cmd + self.extra_args

    def start(self, port=None):
        """Starts the process (on `port`, or a free one) and waits until healthy."""
        last_error = None
        for _ in range(3):  # a free port can be taken by a parallel suite; retry
            self.port = port or free_port()
            log_path = os.path.join(self._log_dir, f"stderr-{len(self._log_paths)}.log")
            self._log_paths.append(log_path)
            with open(log_path, "wb") as log:
                self.proc = subprocess.Popen(
                    self._command(), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                    env=server_environment(self.extra_env), start_new_session=True)
            try:
                self._wait_healthy()
                return self
            except ServerError as e:
                last_error = e
                if self.proc.poll() is None:
                    self.proc.kill()
                    self.proc.wait()
                if port is not None:
                    break
        raise last_error

    def _wait_healthy(self):
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            code = self.proc.poll()
            if code is not None:
                raise ServerError(f"server exited with {code} during start-up:\n{self.log()}")
            try:
                path = "/moto-api/" if on_moto() else "/_local/health"
                status, _, _ = self.http("GET", path, timeout=1)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise ServerError(f"server not healthy after {START_TIMEOUT_S}s:\n{self.log()}")

    def stop(self):
        """SIGTERM, then insist on a clean exit (code 0) within STOP_TIMEOUT_S."""
        if self.proc is None:
            return 0
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise ServerError(f"server did not exit within {STOP_TIMEOUT_S}s of SIGTERM")
        if on_moto():
            return code  # moto's werkzeug does not exit 0 on SIGTERM; not our concern
        if code != 0:
            raise ServerError(f"server exited with {code} after SIGTERM:\n{self.log()}")
        return code

    def kill9(self):
        """Kills the process without warning (crash simulation)."""
        proc, self.proc = self.proc, None
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()

    def restart(self):
        """Graceful stop and start on the same data dir (and the same port)."""
        port = self.port
        self.stop()
        return self.start(port=port)

    def cleanup(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None
        shutil.rmtree(self._log_dir, ignore_errors=True)
        if self._owns_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        try:
            self.stop()
        finally:
            self.cleanup()

    # -- observation ---------------------------------------------------------
    def log(self):
        """Everything the server wrote to stdout/stderr so far, across restarts."""
        text = []
        for path in self._log_paths:
            try:
                with open(path, "rb") as f:
                    text.append(f.read().decode("utf-8", "replace"))
            except FileNotFoundError:
                pass
        return "".join(text)

    def leaked_values(self):
        """The recorded secret values that appear in the log (should be none)."""
        log = self.log()
        return sorted(v for v in self.sensitive_values if v and v in log)

    # -- clients -------------------------------------------------------------
    def client(self, access_key="test", region=DEFAULT_REGION, secret_key="test"):
        return boto3.client(
            "secretsmanager",
            endpoint_url=self.endpoint,
            region_name=region,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=Config(retries={"total_max_attempts": 1, "mode": "standard"},
                          connect_timeout=5, read_timeout=30),
        )

    def http(self, method, path, body=None, headers=None, timeout=10):
        """One raw HTTP exchange on a fresh connection: (status, headers, body bytes)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def reset(self):
        path = "/moto-api/reset" if on_moto() else "/_local/reset"
        status, _, body = self.http("POST", path)
        if status != 200:
            raise ServerError(f"reset answered {status}: {body!r}")


class ServerTestCase(unittest.TestCase):
    """One in-memory server per test class; unique names keep tests apart."""

    server_args = ()
    in_memory = True

    @classmethod
    def setUpClass(cls):
        cls.server = Server(in_memory=cls.in_memory, extra_args=cls.server_args)
        try:
            cls.server.start()
        except Exception:
            cls.server.cleanup()
            raise
        cls.sm = cls.server.client()

    @classmethod
    def tearDownClass(cls):
        server = cls.server
        try:
            server.stop()
            leaked = server.leaked_values()
            if leaked:
                raise AssertionError(f"secret values appear in the server log: {len(leaked)} "
                                     f"(e.g. {leaked[0][:12]}...)")
        finally:
            server.cleanup()

    # -- helpers -------------------------------------------------------------
    def name(self, prefix="it"):
        """A unique secret name for this test."""
        return f"{prefix}/{self._testMethodName[:40]}/{uuid.uuid4().hex[:10]}"

    def value(self, hint="v"):
        """A unique secret value, remembered so the log check can look for it."""
        v = f"{hint}-secret-{uuid.uuid4().hex}"
        self.server.sensitive_values.add(v)
        return v

    def token(self):
        return str(uuid.uuid4())

    def assertError(self, call, code, message=None, *args, **kwargs):
        """Calls `call(*args, **kwargs)`, expecting a ClientError with `code`
        (one of them, if a tuple: where AWS's exact code is not pinned down)
        and exactly `message`, if given. Returns the error response."""
        from botocore.exceptions import ClientError
        with self.assertRaises(ClientError) as cm:
            call(*args, **kwargs)
        err = cm.exception.response["Error"]
        if isinstance(code, tuple):
            self.assertIn(err.get("Code"), code, f"message was: {err.get('Message')!r}")
        else:
            self.assertEqual(err.get("Code"), code, f"message was: {err.get('Message')!r}")
        if message is not None:
            self.assertEqual(err.get("Message"), message)
        status = cm.exception.response["ResponseMetadata"]["HTTPStatusCode"]
        if code == "InternalServiceError":
            self.assertEqual(status, 500)
        elif not on_moto():
            self.assertEqual(status, 400, f"{code} must be HTTP 400")
        return cm.exception.response


def skip_on_moto(reason="needs secretsmanager-local"):
    return unittest.skipIf(on_moto(), reason)


# Exact AWS messages (BEHAVIOR.md).
NOT_FOUND = "Secrets Manager can't find the specified secret."
MARKED_FOR_DELETION = ("You can't perform this operation on the secret because it was "
                       "marked for deletion.")
CREATE_SCHEDULED = ("You can't create this secret because a secret with this name is "
                    "already scheduled for deletion.")
MISSING_TOKEN = "You must provide a ClientRequestToken value. We recommend a UUID-type value."
INVALID_NAME = ("Invalid name. Must be a valid name containing alphanumeric characters, "
                "or any of the following: -/_+=.@!")
STAGE_NOT_ON_VERSION = ("You provided a VersionStage that is not associated to the "
                        "provided VersionId.")


def exists_message(name):
    return f"The operation failed because the secret {name} already exists."


def token_in_use(token, arn):
    return (f"You can't use ClientRequestToken {token} because that value is already in use "
            f"for a version of secret {arn}.")


def no_value_for_stage(stage):
    return f"Secrets Manager can't find the specified secret value for staging label: {stage}"


def no_value_for_version(version_id):
    return f"Secrets Manager can't find the specified secret value for VersionId: {version_id}"


def raw_json_headers(operation, extra=None):
    h = {"Content-Type": "application/x-amz-json-1.1",
         "X-Amz-Target": f"secretsmanager.{operation}"}
    h.update(extra or {})
    return h


def decode(body):
    return json.loads(body.decode("utf-8")) if body else {}
