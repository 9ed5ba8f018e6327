"""The wire protocol as a raw HTTP client sees it: malformed input must give a
typed 400 (never a crash, a 500 or a hang), every response carries a request
id, errors have `__type` and `Message`, and the server keeps answering."""
import email.utils
import http.client
import json
import socket
import time
import unittest
import uuid

from harness import (MISSING_TOKEN, ServerTestCase, decode, on_moto, raw_json_headers,
                     skip_on_moto)

AUTH = ("AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/secretsmanager/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0" * 64)


class RawHttp(ServerTestCase):
    def post(self, operation, body, extra_headers=None, target=True):
        headers = raw_json_headers(operation, {"Authorization": AUTH,
                                               "X-Amz-Date": "20240101T000000Z"})
        if not target:
            del headers["X-Amz-Target"]
        headers.update(extra_headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        return self.server.http("POST", "/", body=body, headers=headers)

    def assertAwsError(self, response, code, message=None, status=400):
        status_got, headers, body = response
        self.assertEqual(status_got, status, body[:300])
        doc = decode(body)
        self.assertEqual(doc.get("__type"), code, doc)
        self.assertIn("Message", doc, "AWS sends a capital-M Message")
        self.assertIsInstance(doc["Message"], str)
        if message is not None:
            self.assertEqual(doc["Message"], message)
        self.assertTrue(headers.get("x-amzn-requestid"), "x-amzn-RequestId missing")
        self.assertTrue(headers.get("date"), "Date missing (AWS sends it; SDKs correct clock skew from it)")
        if not on_moto():
            self.assertTrue(headers.get("x-amzn-errortype", "").startswith(code),
                            headers.get("x-amzn-errortype"))
        self.assertStillServing()
        return doc

    def assertStillServing(self):
        status, _, body = self.post("ListSecrets", {})
        self.assertEqual(status, 200, body[:200])

    # -- success shape -------------------------------------------------------
    def test_Success_HasJsonContentType_AndRequestId(self):
        status, headers, body = self.post("ListSecrets", {})
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"].split(";")[0], "application/x-amz-json-1.1")
        self.assertRegex(headers.get("x-amzn-requestid", ""), r"^[0-9a-fA-F-]{36}$")
        date = email.utils.parsedate_to_datetime(headers["date"])  # IMF-fixdate, the real time
        self.assertLess(abs(date.timestamp() - time.time()), 60, headers["date"])
        self.assertIn("SecretList", decode(body))

    def test_RequestIds_AreUnique(self):
        ids = {self.post("ListSecrets", {})[1]["x-amzn-requestid"] for _ in range(5)}
        self.assertEqual(len(ids), 5)

    def test_EmptyBody_MeansEmptyObject(self):
        status, _, body = self.post("ListSecrets", "")
        self.assertEqual(status, 200, body[:200])
        self.assertIn("SecretList", decode(body))

    def test_TagResource_ReturnsEmptyObject(self):
        name = self.name()
        token = str(uuid.uuid4())
        self.assertEqual(self.post("CreateSecret", {"Name": name, "SecretString": self.value(),
                                                    "ClientRequestToken": token})[0], 200)
        status, _, body = self.post("TagResource", {"SecretId": name,
                                                    "Tags": [{"Key": "a", "Value": "b"}]})
        self.assertEqual(status, 200)
        self.assertEqual(decode(body), {})
        status, _, body = self.post("UntagResource", {"SecretId": name, "TagKeys": ["a"]})
        self.assertEqual(status, 200)
        self.assertEqual(decode(body), {})

    def test_Timestamps_AreEpochSecondNumbers(self):
        name = self.name()
        self.post("CreateSecret", {"Name": name, "SecretString": self.value(),
                                   "ClientRequestToken": str(uuid.uuid4())})
        status, _, body = self.post("DescribeSecret", {"SecretId": name})
        self.assertEqual(status, 200)
        created = decode(body)["CreatedDate"]
        self.assertIsInstance(created, (int, float))
        self.assertLess(abs(created - time.time()), 300)

    def test_ErrorBody_OnNotFound(self):
        self.assertAwsError(self.post("DescribeSecret", {"SecretId": self.name("missing")}),
                            "ResourceNotFoundException",
                            "Secrets Manager can't find the specified secret.")

    # -- malformed requests --------------------------------------------------
    def test_BadJson_IsSerializationException(self):
        for body in ('{"Name": ', "not json at all", "[1, 2", '{"Name": "x",}'):
            with self.subTest(body=body):
                self.assertAwsError(self.post("CreateSecret", body), "SerializationException")

    def test_NonObjectJson_IsSerializationException(self):
        for body in ("[]", '"str"', "42", "null"):
            with self.subTest(body=body):
                self.assertAwsError(self.post("ListSecrets", body), "SerializationException")

    def test_WrongMemberType_IsSerializationException(self):
        cases = [
            ("CreateSecret", {"Name": 123}),
            ("DescribeSecret", {"SecretId": ["a"]}),
            ("DescribeSecret", {"SecretId": {"a": 1}}),
            ("ListSecrets", {"MaxResults": "ten"}),
            ("ListSecrets", {"Filters": {"Key": "name"}}),
            ("DeleteSecret", {"SecretId": "x", "ForceDeleteWithoutRecovery": "yes"}),
        ]
        for operation, body in cases:
            with self.subTest(operation=operation, body=body):
                self.assertAwsError(self.post(operation, body), "SerializationException")

    def test_MissingRequiredMember_IsValidationException(self):
        doc = self.assertAwsError(self.post("DescribeSecret", {}), "ValidationException")
        self.assertEqual(doc["Message"], "1 validation error detected: Value null at 'secretId' "
                                         "failed to satisfy constraint: Member must not be null")
        self.assertAwsError(self.post("CreateSecret", {"SecretString": "x"}), "ValidationException")
        self.assertAwsError(self.post("GetSecretValue", {}), "ValidationException")

    def test_ValidationMessage_NeverEchoesSecretValue(self):
        value = self.value()
        status, _, body = self.post("PutSecretValue", {"SecretString": value})
        self.assertEqual(status, 400)
        self.assertNotIn(value, body.decode("utf-8", "replace"))

    def test_MissingToken_WhereVersionIsCreated_IsInvalidRequest(self):
        name = self.name()
        # Without a value no version is created: no token needed.
        status, _, body = self.post("CreateSecret", {"Name": name})
        self.assertEqual(status, 200, body[:300])
        self.assertNotIn("VersionId", decode(body))
        self.assertAwsError(self.post("PutSecretValue", {"SecretId": name,
                                                         "SecretString": self.value()}),
                            "InvalidRequestException", MISSING_TOKEN)
        self.assertAwsError(self.post("UpdateSecret", {"SecretId": name,
                                                       "SecretString": self.value()}),
                            "InvalidRequestException", MISSING_TOKEN)
        self.assertAwsError(self.post("CreateSecret", {"Name": self.name(),
                                                       "SecretString": self.value()}),
                            "InvalidRequestException", MISSING_TOKEN)

    def test_UnknownTarget_IsUnknownOperation(self):
        self.assertAwsError(self.post("NoSuchOperation", {}), "UnknownOperationException")

    def test_ForeignServiceTarget_IsUnknownOperation(self):
        self.assertAwsError(self.post("x", {}, {"X-Amz-Target": "kms.CreateKey"}),
                            "UnknownOperationException")

    def test_MissingTarget_IsClientError(self):
        status, headers, body = self.post(None, {}, target=False)
        self.assertEqual(status, 400 if not on_moto() else status)
        doc = decode(body)
        self.assertIn("__type", doc)
        self.assertTrue(headers.get("x-amzn-requestid"))
        self.assertStillServing()

    def test_NumberTooLarge_IsClientError(self):
        status, _, _ = self.post("ListSecrets", '{"MaxResults": 1e400}')
        self.assertEqual(status, 400)
        status, _, _ = self.post("ListSecrets", '{"MaxResults": 99999999999999999999999}')
        self.assertEqual(status, 400)
        self.assertStillServing()

    def test_InvalidUtf8_IsClientError(self):
        status, _, _ = self.post("CreateSecret", b'{"Name": "\xff\xfe"}')
        self.assertEqual(status, 400)
        self.assertStillServing()

    # -- transport -----------------------------------------------------------
    @skip_on_moto("moto accepts any size")
    def test_TwoMiBBody_IsRefusedPromptly(self):
        size = 2 * 1024 * 1024
        body = b'{"Name": "big", "SecretString": "' + b"a" * (size - 40) + b'"}'
        request = (b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   b"Content-Type: application/x-amz-json-1.1\r\n"
                   b"X-Amz-Target: secretsmanager.CreateSecret\r\n"
                   + f"Content-Length: {len(body)}\r\n\r\n".encode())
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as s:
            s.sendall(request)
            try:
                s.sendall(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server may stop reading once it knows the size; fine
            try:
                head = s.recv(4096)
            except ConnectionResetError:
                head = b""
            except socket.timeout:
                self.fail("no answer within 5 s to an oversized body")
        self.assertLess(time.monotonic() - started, 5)
        self.assertTrue(head, "connection closed without an HTTP answer")
        status = int(head.split(b" ", 2)[1])
        self.assertIn(status, (400, 413), head[:200])
        self.assertStillServing()

    def test_KeepAlive_ReusesOneConnection(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=5)
        try:
            sockets = set()
            for _ in range(3):
                conn.request("POST", "/", body="{}", headers=raw_json_headers("ListSecrets"))
                resp = conn.getresponse()
                resp.read()
                self.assertEqual(resp.status, 200)
                self.assertNotEqual((resp.getheader("Connection") or "").lower(), "close")
                sockets.add(id(conn.sock))
            self.assertEqual(len(sockets), 1, "server closed a keep-alive connection")
        finally:
            conn.close()

    def test_SlowClient_DoesNotBlockOthers(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as idle:
            idle.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")  # and then nothing
            started = time.monotonic()
            self.assertStillServing()
            self.assertLess(time.monotonic() - started, 2)

    def test_GarbageRequestLine_DoesNotKillServer(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as s:
            s.sendall(b"\x00\x01\x02 garbage \r\n\r\n")
            try:
                s.recv(1024)
            except (ConnectionResetError, socket.timeout):
                pass
        self.assertStillServing()


@skip_on_moto("the admin API is ours")
class Admin(ServerTestCase):
    def test_Health_Answers200(self):
        status, _, _ = self.server.http("GET", "/_local/health")
        self.assertEqual(status, 200)

    def test_LocalReset_WipesState(self):
        self._assert_reset_wipes("/_local/reset")

    def test_MotoApiReset_WipesState(self):
        self._assert_reset_wipes("/moto-api/reset")

    def _assert_reset_wipes(self, path):
        other = self.server.client(access_key="111111111111", region="eu-west-1")
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        other.create_secret(Name=name, SecretString=self.value())
        status, _, body = self.server.http("POST", path)
        self.assertEqual(status, 200, body[:200])
        self.assertEqual(self.sm.list_secrets()["SecretList"], [])
        self.assertEqual(other.list_secrets()["SecretList"], [])
        # And the name is free again.
        self.sm.create_secret(Name=name, SecretString=self.value())


if __name__ == "__main__":
    unittest.main()
