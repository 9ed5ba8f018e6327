"""The Secrets Manager Agent / Parameters and Secrets Lambda extension
protocol against the real binary: GET /secretsmanager/get (and the agent's
path style, GET /v1/<id>) with the X-Aws-Parameters-Secrets-Token (or
X-Vault-Token) header answers what GetSecretValue answers (values and AWS
errors) for the default account and region, in the agent's shapes
(CreatedDate a string of the same digits, errors {"__type", "message"}), on
the main port and on --agent-port; requests without the token are refused as
the agent refuses them."""
import http.client
import json
import re
import unittest
import urllib.parse

from harness import Server, free_port, raw_json_headers, skip_on_moto

TOKEN_HEADER = {"X-Aws-Parameters-Secrets-Token": "any-token"}


def agent_path(**query):
    return "/secretsmanager/get?" + urllib.parse.urlencode(query)


def in_agent_shape(status, body):
    """GetSecretValue's answer as aws-secretsmanager-agent gives it."""
    parsed = json.loads(body)
    if status != 200:
        return {"__type": parsed["__type"], "message": parsed["Message"]}
    parsed["CreatedDate"] = re.search(rb'"CreatedDate":([-+.0-9eE]+)', body).group(1).decode()
    return parsed


def get(port, path, headers=None, method="GET"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


@skip_on_moto()
class AgentEndpointTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.agent_port = free_port()
        cls.server = Server(extra_args=["--agent-port", str(cls.agent_port), "--account-id", "444455556666",
                                        "--region", "ap-southeast-2"])
        cls.server.start()
        cls.sm = cls.server.client(region="ap-southeast-2")
        cls.first = cls.sm.create_secret(Name="agent/db", SecretString="agent-value-1")["VersionId"]
        cls.second = cls.sm.put_secret_value(SecretId="agent/db", SecretString="agent-value-2")["VersionId"]
        cls.sm.create_secret(Name="agent/bin", SecretBinary=b"\x00\xffbin")

    @classmethod
    def tearDownClass(cls):
        try:
            cls.server.stop()
        finally:
            cls.server.cleanup()

    def get_secret_value(self, **members):
        """GetSecretValue over the AWS protocol, unsigned: the default account and region."""
        return self.server.http("POST", "/", body=json.dumps(members), headers=raw_json_headers("GetSecretValue"))

    def assertSameAsGetSecretValue(self, query, members):
        status, headers, body = self.get_secret_value(**members)
        for port in (self.server.port, self.agent_port):
            with self.subTest(port=port, query=query):
                a_status, a_headers, a_body = get(port, agent_path(**query), TOKEN_HEADER)
                self.assertEqual(a_status, status)
                self.assertEqual(a_headers["content-type"], headers["content-type"])
                self.assertEqual(json.loads(a_body), in_agent_shape(status, body))
        return status, json.loads(body)

    def test_AForeignHost_IsRefusedOnBothPorts(self):
        for port in (self.server.port, self.agent_port):
            with self.subTest(port=port):
                headers = dict(TOKEN_HEADER, Host=f"rebound.example.com:{port}")
                status, _, body = get(port, agent_path(secretId="agent/db"), headers)
                self.assertEqual(status, 403)
                self.assertNotIn(b"agent-value", body)

    def test_AnswersWhatGetSecretValueAnswers(self):
        status, body = self.assertSameAsGetSecretValue({"secretId": "agent/db"}, {"SecretId": "agent/db"})
        self.assertEqual(status, 200)
        self.assertEqual(body["SecretString"], "agent-value-2")
        self.assertIn(":444455556666:", body["ARN"])
        self.assertIn(":ap-southeast-2:", body["ARN"])
        _, body = self.assertSameAsGetSecretValue({"secretId": "agent/db", "versionStage": "AWSPREVIOUS"},
                                                  {"SecretId": "agent/db", "VersionStage": "AWSPREVIOUS"})
        self.assertEqual(body["SecretString"], "agent-value-1")
        _, body = self.assertSameAsGetSecretValue({"secretId": "agent/db", "versionId": self.first},
                                                  {"SecretId": "agent/db", "VersionId": self.first})
        self.assertEqual(body["VersionId"], self.first)
        _, body = self.assertSameAsGetSecretValue({"secretId": "agent/bin"}, {"SecretId": "agent/bin"})
        self.assertIn("SecretBinary", body)

    def test_AwsErrorsAreGetSecretValuesErrors(self):
        status, body = self.assertSameAsGetSecretValue({"secretId": "agent/missing"}, {"SecretId": "agent/missing"})
        self.assertEqual((status, body["__type"]), (400, "ResourceNotFoundException"))
        status, body = self.assertSameAsGetSecretValue({"secretId": "agent/db", "versionStage": "NOPE"},
                                                       {"SecretId": "agent/db", "VersionStage": "NOPE"})
        self.assertEqual((status, body["__type"]), (400, "ResourceNotFoundException"))
        status, body = self.assertSameAsGetSecretValue(
            {"secretId": "agent/db", "versionId": self.first, "versionStage": "AWSCURRENT"},
            {"SecretId": "agent/db", "VersionId": self.first, "VersionStage": "AWSCURRENT"})
        self.assertEqual((status, body["__type"]), (400, "InvalidRequestException"))

    def test_RefusedAsTheAgentRefuses(self):
        for port in (self.server.port, self.agent_port):
            with self.subTest(port=port):
                self.assertEqual(get(port, agent_path(secretId="agent/db"))[::2], (403, b"Bad Token"))
                self.assertEqual(get(port, agent_path(secretId="agent/db"),
                                     {"X-Aws-Parameters-Secrets-Token": ""})[::2], (403, b"Bad Token"))
                self.assertEqual(get(port, agent_path(secretId="agent/db"),
                                     {**TOKEN_HEADER, "X-Forwarded-For": "10.1.1.1"})[::2], (400, b"Forwarded"))
                self.assertEqual(get(port, agent_path(secretId="agent/db"), TOKEN_HEADER, "POST")[::2],
                                 (405, b"Not allowed"))
                self.assertEqual(get(port, "/secretsmanager/get", TOKEN_HEADER)[::2],
                                 (400, b"missing parameter secretId"))
                self.assertEqual(get(port, agent_path(secretId="agent/db", other="1"), TOKEN_HEADER)[::2],
                                 (400, b"unknown parameter: other"))

    def test_PathStyle_AnswersWhatGetSecretValueAnswers(self):
        status, _, body = self.get_secret_value(SecretId="agent/db", VersionStage="AWSPREVIOUS")
        self.assertEqual(status, 200)
        for port in (self.server.port, self.agent_port):
            for header in (TOKEN_HEADER, {"X-Vault-Token": "any-token"}):
                with self.subTest(port=port, header=header):
                    a_status, _, a_body = get(port, "/v1/agent/db?versionStage=AWSPREVIOUS", header)
                    self.assertEqual(a_status, 200)
                    self.assertEqual(json.loads(a_body), in_agent_shape(status, body))
            self.assertEqual(get(port, "/v1/", TOKEN_HEADER)[::2], (400, b"missing secret ID"))
            self.assertEqual(get(port, "/v1/agent/db")[::2], (403, b"Bad Token"))

    def test_TheAgentPortServesOnlyTheAgent(self):
        self.assertEqual(get(self.agent_port, "/ping")[::2], (200, b"healthy"))
        self.assertEqual(get(self.agent_port, "/_local/health", TOKEN_HEADER)[::2], (404, b"Not found"))
        self.assertEqual(get(self.agent_port, "/start_serving")[::2], (404, b"Not found"))
        # The agent refuses before it looks at the path (its server.rs get_result).
        self.assertEqual(get(self.agent_port, "/_local/health")[::2], (403, b"Bad Token"))
        self.assertEqual(get(self.agent_port, "/other", {"X-Forwarded-For": "10.1.1.1"})[::2],
                         (400, b"Forwarded"))
        self.assertEqual(get(self.agent_port, "/other", TOKEN_HEADER, "POST")[::2], (405, b"Not allowed"))
        self.assertEqual(get(self.agent_port, "/ping", {}, "POST")[::2], (405, b"Not allowed"))
        # The main port still answers everything else.
        self.assertEqual(self.server.http("GET", "/_localstack/health")[0], 200)


@skip_on_moto()
class AgentPortOffByDefaultTest(unittest.TestCase):
    def test_NoSecondListenerWithoutTheFlag(self):
        with Server() as server:
            self.assertNotIn("agent endpoint listening", server.log())


@skip_on_moto()
class LocalStackHealthTest(unittest.TestCase):
    def test_AWaitScriptWrittenForLocalStack_FindsSecretsManagerRunning(self):
        with Server() as server:
            # As such scripts poll: curl -sf .../_localstack/health | grep '"secretsmanager": "running"'
            status, headers, body = server.http("GET", "/_localstack/health")
            self.assertEqual((status, headers["content-type"]), (200, "application/json"))
            self.assertIn('"secretsmanager": "running"', body.decode())
            health = json.loads(body)
            self.assertEqual(health["services"], {"secretsmanager": "running"})
            self.assertEqual(health["version"], json.loads(server.http("GET", "/_local/health")[2])["version"])


if __name__ == "__main__":
    unittest.main()
