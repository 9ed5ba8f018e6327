"""A small Lambda Invoke API (POST /2015-03-31/functions/{name}/invocations),
as `sam local start-lambda` serves it, running rotation_function in process.

A function that raises is answered the way Lambda does: HTTP 200 with
X-Amz-Function-Error: Unhandled and the error as the payload.
"""
import http.server
import json
import re
import threading

import rotation_function

INVOKE_PATH = re.compile(r"^/2015-03-31/functions/([^/]+)/invocations$")


class FakeLambda:
    def __init__(self, endpoint_url, functions):
        """functions: name -> dict of rotation_function knobs (fail_at, sleep_at)."""
        self.endpoint_url = endpoint_url
        self.functions = functions
        self.invocations = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                match = INVOKE_PATH.match(self.path)
                length = int(self.headers.get("Content-Length", 0))
                event = json.loads(self.rfile.read(length) or b"{}")
                if not match or match.group(1) not in owner.functions:
                    self._answer(404, {"Type": "User", "Message": "Function not found"},
                                 {"x-amzn-ErrorType": "ResourceNotFoundException"})
                    return
                owner.invocations.append((match.group(1), event["Step"]))
                try:
                    region = event["SecretId"].split(":")[3]
                    account = event["SecretId"].split(":")[4]
                    client_kwargs = {"endpoint_url": owner.endpoint_url, "region_name": region,
                                     "aws_access_key_id": account,
                                     "aws_secret_access_key": "fake-lambda"}
                    rotation_function.lambda_handler(event, client_kwargs=client_kwargs,
                                                     **owner.functions[match.group(1)])
                    self._answer(200, None, {})
                except Exception as e:  # Lambda reports it; it is not an HTTP error
                    self._answer(200, {"errorMessage": str(e), "errorType": type(e).__name__},
                                 {"X-Amz-Function-Error": "Unhandled"})

            def _answer(self, status, payload, headers):
                body = json.dumps(payload).encode()
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()
