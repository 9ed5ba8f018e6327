"""The AWS SDK for Go v2 (Debian's golang-github-aws-aws-sdk-go-v2-dev, the
SDK Terraform's AWS provider is built on) drives the real server: go test
runs tests/integration/go offline in GOPATH mode against a server this test
starts, with a builtin rotation handler registered for it."""
import json
import os
import subprocess
import tempfile
import unittest

from harness import Server, skip_on_moto

HERE = os.path.dirname(os.path.abspath(__file__))
GOPATH = "/usr/share/gocode"  # where Debian's golang-*-dev packages install sources
ROTATOR = "go-password-rotator"


@skip_on_moto()
class GoSdkTest(unittest.TestCase):
    def test_GoSdkV2_CreateGetPutListDescribeRotateDelete(self):
        self.assertTrue(os.path.isdir(os.path.join(GOPATH, "src/github.com/aws/aws-sdk-go-v2/service/secretsmanager")),
                        "golang-github-aws-aws-sdk-go-v2-dev is missing: scripts/install-deps.sh --test")
        with Server() as server:
            status, _, body = server.http("PUT", "/_local/rotation-handlers/" + ROTATOR,
                                          body=json.dumps({"type": "builtin", "name": "password"}))
            self.assertEqual(status, 200, body)
            env = {k: v for k, v in os.environ.items() if not k.startswith(("SML_", "AWS_", "GO"))}
            env.update({
                "GO111MODULE": "off", "GOPROXY": "off", "GOFLAGS": "", "GOPATH": GOPATH,
                # A cache outside the source tree survives between runs.
                "GOCACHE": os.environ.get("GOCACHE") or os.path.join(tempfile.gettempdir(), "sml-go-build-cache"),
                "SML_ENDPOINT": server.endpoint, "SML_ROTATOR": ROTATOR,
            })
            done = subprocess.run(["go", "test", "-count=1", "-v", "."], cwd=os.path.join(HERE, "go"),
                                  env=env, capture_output=True, text=True, timeout=900)
            print(done.stdout[-4000:])
            self.assertEqual(done.returncode, 0, done.stdout[-4000:] + done.stderr[-4000:])
            self.assertIn("--- PASS: TestLifecycle", done.stdout)
            self.assertIn("--- PASS: TestListSecretsPaginator", done.stdout)
            self.assertNotIn("go-value-1", server.log())


if __name__ == "__main__":
    unittest.main()
