"""Authentication as a user meets it: `--auth sigv4 --credentials FILE` with
boto3, raw signed requests and the AWS CLI v2, and the admin token on the
/_local/ endpoints.

Every rejection AWS gives here is HTTP 400 (UnrecognizedClientException
included, for Secrets Manager). Each negative test has a positive twin built
the same way, so a test cannot pass because the request was broken for some
other reason.
"""
import datetime
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import unittest
import urllib.request
from unittest import mock

import boto3
import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from harness import (DEFAULT_REGION, Server, ServerTestCase, decode, raw_json_headers,
                     skip_on_moto)

HERE = os.path.dirname(os.path.abspath(__file__))
CREDENTIALS_FILE = os.path.join(HERE, "fixtures", "credentials.ini")
SIGV4_ARGS = ("--auth", "sigv4", "--credentials", CREDENTIALS_FILE)
CLI_V2 = "/usr/bin/aws"


class Identity:
    def __init__(self, access_key, secret_key, account, session_token=None):
        self.access_key = access_key
        self.secret_key = secret_key
        self.account = account
        self.session_token = session_token

    @property
    def root_arn(self):
        return f"arn:aws:iam::{self.account}:root"


# The identities in fixtures/credentials.ini.
ALICE = Identity("AKIASMLALICE0000001", "alice+SecretKey/0000000000000000000000001",
                 "111122223333")
BOB = Identity("ASIASMLBOB000000002", "bob+SecretKey/00000000000000000000000000002",
               "444455556666",
               "IQoJb3JpZ2luX2VjEBob/sml/test/session/token/0000000000000000002==")
CAROL = Identity("AKIASMLCAROL000003", "carol+SecretKey/000000000000000000000000003",
                 "000000000000")

INVALID_TOKEN = "The security token included in the request is invalid."
SIGNATURE_MISMATCH_PREFIX = "The request signature we calculated does not match"


def sigv4_client(server, identity, secret_key=None, session_token=..., region=DEFAULT_REGION):
    """A boto3 client signing as `identity` (optionally with a wrong secret or
    token; session_token=None sends none)."""
    token = identity.session_token if session_token is ... else session_token
    return boto3.client(
        "secretsmanager", endpoint_url=server.endpoint, region_name=region,
        aws_access_key_id=identity.access_key,
        aws_secret_access_key=secret_key or identity.secret_key,
        aws_session_token=token,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"},
                      connect_timeout=5, read_timeout=30))


def signed_headers(server, operation, body, identity, when=None, region=DEFAULT_REGION):
    """Headers of a POST / signed by botocore's SigV4Auth, as an SDK sends them.
    `when` freezes the signing time (a timezone-aware datetime)."""
    request = AWSRequest(method="POST", url=server.endpoint + "/", data=body,
                         headers=raw_json_headers(operation))
    creds = Credentials(identity.access_key, identity.secret_key, identity.session_token)
    if when is None:
        SigV4Auth(creds, "secretsmanager", region).add_auth(request)
    else:
        with mock.patch.object(botocore.auth, "get_current_datetime", return_value=when):
            SigV4Auth(creds, "secretsmanager", region).add_auth(request)
    return dict(request.headers.items())


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


class SigV4TestCase(ServerTestCase):
    """A server verifying signatures against fixtures/credentials.ini."""
    server_args = SIGV4_ARGS

    def assertRejected(self, status, body, code, message=None):
        error = decode(body)
        self.assertEqual(error.get("__type"), code, error)
        if message is not None:
            self.assertEqual(error.get("Message"), message)
        self.assertEqual(status, 400, f"{code} must be HTTP 400")
        return error


@skip_on_moto("moto does not verify signatures")
class SigV4Clients(SigV4TestCase):
    def test_KnownKeys_AreAccepted_EachInItsAccount(self):
        for identity in (ALICE, BOB, CAROL):
            with self.subTest(access_key=identity.access_key):
                sm = sigv4_client(self.server, identity)
                name, value = self.name(), self.value()
                arn = sm.create_secret(Name=name, SecretString=value)["ARN"]
                self.assertTrue(arn.startswith(
                    f"arn:aws:secretsmanager:{DEFAULT_REGION}:{identity.account}:secret:{name}-"),
                    arn)
                self.assertEqual(sm.get_secret_value(SecretId=name)["SecretString"], value)

    def test_Region_ComesFromTheCredentialScope(self):
        sm = sigv4_client(self.server, ALICE, region="eu-central-1")
        arn = sm.create_secret(Name=self.name(), SecretString=self.value())["ARN"]
        self.assertTrue(arn.startswith("arn:aws:secretsmanager:eu-central-1:111122223333:"), arn)

    def test_UnknownAccessKey_IsUnrecognizedClient(self):
        stranger = Identity("AKIASMLUNKNOWN00009", ALICE.secret_key, "999999999999")
        self.assertError(sigv4_client(self.server, stranger).list_secrets,
                         "UnrecognizedClientException", INVALID_TOKEN)
        # The default `test` key of most emulators is not let in either.
        self.assertError(self.server.client().list_secrets,
                         "UnrecognizedClientException", INVALID_TOKEN)

    def test_WrongSecret_IsInvalidSignature(self):
        sm = sigv4_client(self.server, ALICE, secret_key=ALICE.secret_key[:-1] + "X")
        err = self.assertError(sm.list_secrets, "InvalidSignatureException")
        message = err["Error"]["Message"]
        self.assertTrue(message.startswith(SIGNATURE_MISMATCH_PREFIX), message)
        # As AWS: what the server signed follows, for the client to compare.
        self.assertIn("\n\nThe Canonical String for this request should have been\n'POST\n/\n\n",
                      message)
        self.assertIn("x-amz-target:secretsmanager.ListSecrets\n", message)
        self.assertIn("\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n", message)
        self.assertIn(f"/{DEFAULT_REGION}/secretsmanager/aws4_request\n", message)
        sigv4_client(self.server, ALICE).list_secrets()  # the right one passes

    def test_SessionCredential_WithoutItsToken_IsRejected(self):
        self.assertError(sigv4_client(self.server, BOB, session_token=None).list_secrets,
                         "UnrecognizedClientException", INVALID_TOKEN)
        self.assertError(sigv4_client(self.server, BOB, session_token=BOB.session_token + "x")
                         .list_secrets, "UnrecognizedClientException", INVALID_TOKEN)
        sigv4_client(self.server, BOB).list_secrets()

    def test_LongTermCredential_WithAToken_IsRejected(self):
        self.assertError(sigv4_client(self.server, ALICE, session_token=BOB.session_token)
                         .list_secrets, "UnrecognizedClientException", INVALID_TOKEN)

    def test_StaleDate_IsSignatureExpired(self):
        sm = sigv4_client(self.server, ALICE)
        stale = utc_now() - datetime.timedelta(minutes=7)
        with mock.patch.object(botocore.auth, "get_current_datetime", return_value=stale):
            err = self.assertError(sm.list_secrets, "InvalidSignatureException")
        message = err["Error"]["Message"]
        self.assertTrue(message.startswith(
            f"Signature expired: {stale.strftime('%Y%m%dT%H%M%SZ')} is now earlier than "),
            message)
        # Within the 5 minutes Secrets Manager allows, a skewed clock is fine.
        slightly = utc_now() - datetime.timedelta(minutes=3)
        with mock.patch.object(botocore.auth, "get_current_datetime", return_value=slightly):
            sm.list_secrets()

    def test_FutureDate_IsNotYetCurrent(self):
        sm = sigv4_client(self.server, ALICE)
        future = utc_now() + datetime.timedelta(minutes=7)
        with mock.patch.object(botocore.auth, "get_current_datetime", return_value=future):
            err = self.assertError(sm.list_secrets, "InvalidSignatureException")
        self.assertTrue(err["Error"]["Message"].startswith("Signature not yet current: "),
                        err["Error"]["Message"])


@skip_on_moto("moto does not verify signatures")
class SigV4RawRequests(SigV4TestCase):
    """Requests signed by botocore and then sent (or altered) by hand."""

    def create_body(self):
        return json.dumps({"Name": self.name(), "SecretString": self.value(),
                           "ClientRequestToken": self.token()})

    def test_SignedRequest_SentAsIs_IsAccepted(self):
        body = self.create_body()
        status, _, out = self.server.http("POST", "/", body,
                                          signed_headers(self.server, "CreateSecret", body, ALICE))
        self.assertEqual(status, 200, out)
        self.assertIn(":111122223333:secret:", decode(out)["ARN"])

    def test_BodyChangedAfterSigning_IsInvalidSignature(self):
        body = self.create_body()
        headers = signed_headers(self.server, "CreateSecret", body, ALICE)
        tampered = body.replace('"SecretString": "', '"SecretString": "evil-')
        self.assertNotEqual(tampered, body)
        status, _, out = self.server.http("POST", "/", tampered, headers)
        error = self.assertRejected(status, out, "InvalidSignatureException")
        self.assertTrue(error["Message"].startswith(SIGNATURE_MISMATCH_PREFIX), error)

    def test_BodyChangedAfterSigning_WithOriginalHashHeader_IsInvalidSignature(self):
        # An unsigned X-Amz-Content-Sha256 header naming the original body's
        # hash must not let a different body through.
        body = self.create_body()
        headers = signed_headers(self.server, "CreateSecret", body, ALICE)
        headers["X-Amz-Content-Sha256"] = hashlib.sha256(body.encode()).hexdigest()
        tampered = body.replace('"SecretString": "', '"SecretString": "evil-')
        status, _, out = self.server.http("POST", "/", tampered, headers)
        self.assertRejected(status, out, "InvalidSignatureException")
        # The honest request with that header passes.
        status, _, out = self.server.http("POST", "/", body, headers)
        self.assertEqual(status, 200, out)

    def test_SignedHeaderChangedAfterSigning_IsInvalidSignature(self):
        body = json.dumps({"SecretId": self.name()})
        headers = signed_headers(self.server, "DescribeSecret", body, ALICE)
        headers["X-Amz-Target"] = "secretsmanager.DeleteSecret"
        status, _, out = self.server.http("POST", "/", body, headers)
        self.assertRejected(status, out, "InvalidSignatureException")

    def test_StaleXAmzDate_IsSignatureExpired(self):
        body = self.create_body()
        stale = utc_now() - datetime.timedelta(minutes=7)
        headers = signed_headers(self.server, "CreateSecret", body, ALICE, when=stale)
        self.assertEqual(headers["X-Amz-Date"], stale.strftime("%Y%m%dT%H%M%SZ"))
        status, _, out = self.server.http("POST", "/", body, headers)
        error = self.assertRejected(status, out, "InvalidSignatureException")
        self.assertTrue(error["Message"].startswith(
            f"Signature expired: {headers['X-Amz-Date']} is now earlier than "), error)
        self.assertTrue(error["Message"].endswith(" - 5 min.)"), error)

    def test_NoAuthorizationHeader_IsMissingAuthenticationToken(self):
        status, _, out = self.server.http("POST", "/", "{}", raw_json_headers("ListSecrets"))
        self.assertRejected(status, out, "MissingAuthenticationTokenException",
                            "Missing Authentication Token")

    def test_MalformedAuthorization_IsIncompleteSignature(self):
        body = "{}"
        good = signed_headers(self.server, "ListSecrets", body, ALICE)
        status, _, out = self.server.http("POST", "/", body, good)
        self.assertEqual(status, 200, out)
        cases = {
            "no signature": good["Authorization"].split(", Signature=")[0],
            "credential only": f"AWS4-HMAC-SHA256 Credential={ALICE.access_key}",
            "short scope": good["Authorization"].replace("/secretsmanager/aws4_request", ""),
            "garbage": "AWS4-HMAC-SHA256 nonsense",
        }
        for label, authorization in cases.items():
            with self.subTest(label):
                headers = dict(good, Authorization=authorization)
                status, _, out = self.server.http("POST", "/", body, headers)
                self.assertRejected(status, out, "IncompleteSignatureException")

    def test_SessionIdentity_WithoutTokenHeader_IsRejected(self):
        body = "{}"
        headers = signed_headers(self.server, "ListSecrets", body, BOB)
        status, _, out = self.server.http("POST", "/", body, headers)
        self.assertEqual(status, 200, out)
        del headers["X-Amz-Security-Token"]
        status, _, out = self.server.http("POST", "/", body, headers)
        self.assertRejected(status, out, "UnrecognizedClientException", INVALID_TOKEN)

    def test_AdminHealth_NeedsNoSignature(self):
        status, _, _ = self.server.http("GET", "/_local/health")
        self.assertEqual(status, 200)

    def test_Credentials_NeverEchoedOrLogged(self):
        body = "{}"
        headers = signed_headers(self.server, "ListSecrets", body,
                                 Identity(ALICE.access_key, "wrong", ALICE.account))
        status, _, out = self.server.http("POST", "/", body, headers)
        self.assertRejected(status, out, "InvalidSignatureException")
        self.assertNotIn(ALICE.secret_key.encode(), out)
        sigv4_client(self.server, BOB).list_secrets()
        log = self.server.log()
        for credential in (ALICE.secret_key, BOB.secret_key, BOB.session_token):
            self.assertNotIn(credential, log)


@skip_on_moto("moto does not verify signatures")
class SigV4WithMovedClock(SigV4TestCase):
    """The emulator clock moves for rotation demos; a client's signature is
    made with the real time and must still be accepted."""

    def test_ClockAdvanced30Days_RealTimeSignaturesStillAccepted(self):
        sm = sigv4_client(self.server, ALICE)
        name = self.name()
        sm.create_secret(Name=name, SecretString=self.value())
        status, _, out = self.server.http("POST", "/_local/clock", json.dumps({"advance": "30d"}),
                                          {"Content-Type": "application/json"})
        self.assertEqual(status, 200, out)
        self.assertEqual(sm.describe_secret(SecretId=name)["Name"], name)


@skip_on_moto("moto has no admin token")
class AdminToken(ServerTestCase):
    TOKEN = "adm-" + "7f3c9a1e5b2d4c6f8a0b1c2d3e4f5a6b"
    server_args = ("--admin-token", TOKEN)

    def test_Reset_WithoutToken_IsForbidden(self):
        for path in ("/_local/reset", "/moto-api/reset"):
            with self.subTest(path=path):
                status, _, _ = self.server.http("POST", path)
                self.assertEqual(status, 403)

    def test_Reset_WithWrongToken_IsForbidden(self):
        for headers in ({"Authorization": "Bearer " + self.TOKEN + "x"},
                        {"Authorization": "Bearer " + self.TOKEN[:-1]},
                        {"X-Sml-Admin-Token": "nope"},
                        {"Authorization": self.TOKEN}):
            with self.subTest(headers=list(headers)):
                status, _, _ = self.server.http("POST", "/_local/reset", headers=headers)
                self.assertEqual(status, 403)

    def test_ForbiddenReset_KeepsTheData(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        self.server.http("POST", "/_local/reset")
        self.assertEqual(self.sm.describe_secret(SecretId=name)["Name"], name)

    def test_Reset_WithBearerToken_Succeeds(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        status, _, out = self.server.http("POST", "/_local/reset",
                                          headers={"Authorization": "Bearer " + self.TOKEN})
        self.assertEqual(status, 200, out)
        self.assertNotIn(name, [s["Name"] for s in self.sm.list_secrets()["SecretList"]])

    def test_Reset_WithHeaderToken_Succeeds(self):
        status, _, out = self.server.http("POST", "/_local/reset",
                                          headers={"X-Sml-Admin-Token": self.TOKEN})
        self.assertEqual(status, 200, out)
        status, _, out = self.server.http("POST", "/moto-api/reset",
                                          headers={"X-Sml-Admin-Token": self.TOKEN})
        self.assertEqual(status, 200, out)

    def test_ClockAdvance_NeedsTheToken(self):
        body = json.dumps({"advance": "1s"})
        status, _, _ = self.server.http("POST", "/_local/clock", body)
        self.assertEqual(status, 403)

    def test_Health_StaysOpen(self):
        status, _, _ = self.server.http("GET", "/_local/health")
        self.assertEqual(status, 200)

    def test_ApiCalls_DoNotNeedTheToken(self):
        self.sm.list_secrets()


def cli_v2_available():
    try:
        out = subprocess.run([CLI_V2, "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return (out.stdout + out.stderr).startswith("aws-cli/2.")


@skip_on_moto("moto does not verify signatures")
@unittest.skipUnless(cli_v2_available(), f"AWS CLI v2 not at {CLI_V2}")
class SigV4CliV2(SigV4TestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="sml-it-cli-")
        self.addCleanup(shutil.rmtree, self.home, True)

    def aws(self, identity, *args, secret_key=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({
            "AWS_ACCESS_KEY_ID": identity.access_key,
            "AWS_SECRET_ACCESS_KEY": secret_key or identity.secret_key,
            "AWS_DEFAULT_REGION": DEFAULT_REGION, "AWS_PAGER": "", "AWS_MAX_ATTEMPTS": "1",
            "HOME": self.home,
            "AWS_CONFIG_FILE": os.path.join(self.home, "config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.home, "credentials"),
        })
        if identity.session_token:
            env["AWS_SESSION_TOKEN"] = identity.session_token
        cmd = [CLI_V2, "--endpoint-url", self.server.endpoint, "--output", "json",
               "secretsmanager", *args]
        return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)

    def test_EnvCredentials_CreateAndRead(self):
        for identity in (ALICE, BOB):
            with self.subTest(access_key=identity.access_key):
                name, value = self.name(), self.value()
                out = self.aws(identity, "create-secret", "--name", name, "--secret-string", value)
                self.assertEqual(out.returncode, 0, out.stderr)
                self.assertIn(f":{identity.account}:secret:{name}-", json.loads(out.stdout)["ARN"])
                out = self.aws(identity, "get-secret-value", "--secret-id", name)
                self.assertEqual(out.returncode, 0, out.stderr)
                self.assertEqual(json.loads(out.stdout)["SecretString"], value)

    def test_CrossAccountRead_OfADefaultKeySecret_IsRefused(self):
        alice = sigv4_client(self.server, ALICE)
        name = self.name()
        arn = alice.create_secret(Name=name, SecretString=self.value())["ARN"]
        alice.put_resource_policy(SecretId=name, ResourcePolicy=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"AWS": BOB.root_arn},
                "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}))
        out = self.aws(BOB, "get-secret-value", "--secret-id", arn)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("InvalidRequestException", out.stderr)
        self.assertIn("You can't access a secret from a different AWS account if you encrypt "
                      "the secret with the default KMS service key.", out.stderr)

    def test_WrongSecret_Fails(self):
        out = self.aws(ALICE, "list-secrets", secret_key="not-the-secret")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("InvalidSignatureException", out.stderr)


if __name__ == "__main__":
    unittest.main()
