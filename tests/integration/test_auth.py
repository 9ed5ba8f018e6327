"""`--auth sigv4 --credentials FILE`: signatures are verified, the account
comes from the credentials file, and another account's secret is reachable
only by full ARN and only when its resource policy allows it."""
import json
import os
import tempfile
import unittest

from botocore.exceptions import ClientError

from harness import Server, ServerTestCase, skip_on_moto

OWNER = ("AKIAOWNEROWNEROWNER1", "owner-secret-key-0000000000000000000000", "666666666666")
STRANGER = ("AKIASTRANGERSTRANGE1", "stranger-secret-key-00000000000000000000", "777777777777")


@skip_on_moto("moto does not verify signatures")
class SigV4(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        fd, cls.credentials = tempfile.mkstemp(prefix="sml-it-creds-")
        with os.fdopen(fd, "w") as f:
            for profile, (akid, secret, account) in (("owner", OWNER), ("stranger", STRANGER)):
                f.write(f"[{profile}]\naws_access_key_id = {akid}\n"
                        f"aws_secret_access_key = {secret}\naws_account_id = {account}\n\n")
        cls.server_args = ("--auth", "sigv4", "--credentials", cls.credentials)
        super().setUpClass()
        cls.owner = cls.server.client(access_key=OWNER[0], secret_key=OWNER[1])
        cls.stranger = cls.server.client(access_key=STRANGER[0], secret_key=STRANGER[1])

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            os.unlink(cls.credentials)

    def test_SignedRequest_Works_AndAccountComesFromCredentials(self):
        arn = self.owner.create_secret(Name=self.name(), SecretString=self.value())["ARN"]
        self.assertIn(":666666666666:secret:", arn)

    def test_WrongSecretKey_IsRejected(self):
        bad = self.server.client(access_key=OWNER[0], secret_key="not-the-right-key")
        resp = self.assertError(bad.list_secrets, ("InvalidSignatureException",
                                                   "SignatureDoesNotMatch"))
        self.assertTrue(resp["Error"]["Message"])

    def test_UnknownAccessKey_IsRejected(self):
        bad = self.server.client(access_key="AKIAUNKNOWNUNKNOWN00", secret_key="x" * 40)
        self.assertError(bad.list_secrets, ("UnrecognizedClientException",
                                            "InvalidClientTokenId"))

    def test_Unsigned_IsRejected(self):
        status, _, body = self.server.http("POST", "/", body="{}", headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "secretsmanager.ListSecrets"})
        self.assertIn(status, (400, 403), body[:200])
        self.assertIn(json.loads(body)["__type"], ("MissingAuthenticationTokenException",
                                                   "IncompleteSignatureException",
                                                   "UnrecognizedClientException"))

    def test_CrossAccount_ByArn_DeniedWithoutPolicy_AllowedWithPolicy(self):
        value = self.value()
        # Only a secret under a customer key can be shared (BEHAVIOR.md §8).
        arn = self.owner.create_secret(
            Name=self.name(), SecretString=value,
            KmsKeyId=f"arn:aws:kms:us-east-1:{OWNER[2]}:key/1234abcd-12ab-34cd-56ef-1234567890ab")["ARN"]
        self.assertError(self.stranger.get_secret_value, "AccessDeniedException", SecretId=arn)
        # By name or partial ARN another account's secret cannot even be addressed.
        self.assertError(self.stranger.get_secret_value, "ResourceNotFoundException",
                         SecretId=arn[:-7])
        policy = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{STRANGER[2]}:root"},
            "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}
        self.owner.put_resource_policy(SecretId=arn, ResourcePolicy=json.dumps(policy))
        self.assertEqual(self.stranger.get_secret_value(SecretId=arn)["SecretString"], value)
        # GetSecretValue only: the policy grants nothing else.
        self.assertError(self.stranger.put_secret_value, "AccessDeniedException", SecretId=arn,
                         SecretString=self.value())


if __name__ == "__main__":
    unittest.main()
