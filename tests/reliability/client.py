"""A small keep-alive JSON client for the campaign scripts: one connection per
thread, raw AWS JSON 1.1 calls, no SDK overhead (the SDKs are what the
integration tests drive)."""
import http.client
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))

from harness import Server  # noqa: E402,F401  (re-exported for the scripts)


class ConnectionLost(Exception):
    """The server went away (killed, or the connection broke)."""


class Client:
    def __init__(self, port, timeout=30):
        self.port = port
        self.timeout = timeout
        self.conn = None

    def call(self, operation, body):
        """(status, parsed body). Raises ConnectionLost when the server is gone."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            self.conn.request("POST", "/", body=json.dumps(body), headers={
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": f"secretsmanager.{operation}"})
            resp = self.conn.getresponse()
            raw = resp.read()
        except (OSError, http.client.HTTPException) as e:
            self.close()
            raise ConnectionLost(str(e)) from e
        if resp.getheader("Connection", "").lower() == "close":
            self.close()
        return resp.status, (json.loads(raw) if raw else {})

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None
