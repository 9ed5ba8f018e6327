"""Resource policies as a user meets them: the policy operations through boto3,
and cross-account access under `--auth sigv4`, where another account reaches a
secret only by its full ARN and only as far as the secret's policy allows."""
import json
import unittest

from harness import NOT_FOUND, ServerTestCase, skip_on_moto
from test_security import ALICE, BOB, CAROL, SIGV4_ARGS, sigv4_client

MALFORMED = "MalformedPolicyDocumentException"
ACCESS_DENIED = "AccessDeniedException"


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(principal, actions, resource="*", **extra):
    statement = {"Effect": "Allow", "Principal": principal, "Action": actions,
                 "Resource": resource}
    statement.update(extra)
    return statement


def deny(principal, actions, resource="*"):
    return {"Effect": "Deny", "Principal": principal, "Action": actions, "Resource": resource}


DEFAULT_KEY_ACROSS_ACCOUNTS = ("You can't access a secret from a different AWS account if you "
                               "encrypt the secret with the default KMS service key.")
CUSTOMER_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

ACCOUNT_READ = allow({"AWS": "arn:aws:iam::123456789012:root"}, "secretsmanager:GetSecretValue")


class ResourcePolicyOps(ServerTestCase):
    def secret(self):
        name = self.name()
        arn = self.sm.create_secret(Name=name, SecretString=self.value())["ARN"]
        return name, arn

    def test_PutGetDelete_RoundTrip(self):
        name, arn = self.secret()
        # Stored and returned exactly as sent (spacing and key order included).
        document = ('{ "Version":"2012-10-17",\n  "Statement":[{"Effect":"Allow",'
                    '"Principal":{"AWS":"arn:aws:iam::123456789012:root"},'
                    '"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}')
        out = self.sm.put_resource_policy(SecretId=name, ResourcePolicy=document)
        self.assertEqual((out["ARN"], out["Name"]), (arn, name))
        got = self.sm.get_resource_policy(SecretId=arn)
        self.assertEqual((got["ARN"], got["Name"], got["ResourcePolicy"]), (arn, name, document))
        out = self.sm.delete_resource_policy(SecretId=name)
        self.assertEqual((out["ARN"], out["Name"]), (arn, name))
        self.assertNotIn("ResourcePolicy", self.sm.get_resource_policy(SecretId=name))

    def test_GetResourcePolicy_WithoutPolicy_OmitsIt(self):
        name, arn = self.secret()
        got = self.sm.get_resource_policy(SecretId=name)
        self.assertEqual((got["ARN"], got["Name"]), (arn, name))
        self.assertNotIn("ResourcePolicy", got)

    def test_PutResourcePolicy_ReplacesThePrevious(self):
        name, _ = self.secret()
        first = policy(ACCOUNT_READ)
        second = policy(allow({"AWS": "arn:aws:iam::210987654321:root"},
                              ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]))
        self.sm.put_resource_policy(SecretId=name, ResourcePolicy=first)
        self.sm.put_resource_policy(SecretId=name, ResourcePolicy=second)
        self.assertEqual(self.sm.get_resource_policy(SecretId=name)["ResourcePolicy"], second)

    def test_PolicyOps_OnMissingSecret_AreNotFound(self):
        missing = self.name()
        for call, kwargs in ((self.sm.put_resource_policy, {"ResourcePolicy": policy(ACCOUNT_READ)}),
                             (self.sm.get_resource_policy, {}),
                             (self.sm.delete_resource_policy, {})):
            with self.subTest(call=call.__name__):
                self.assertError(call, "ResourceNotFoundException", NOT_FOUND,
                                 SecretId=missing, **kwargs)

    def test_MalformedDocuments_AreRejected(self):
        name, _ = self.secret()
        cases = {
            "not JSON": '{"Version": "2012-10-17", "Statement": [',
            "not an object": '["secretsmanager:GetSecretValue"]',
            "missing Statement": json.dumps({"Version": "2012-10-17"}),
            "bad Effect": policy(dict(ACCOUNT_READ, Effect="Alow")),
            "missing Effect": policy({k: v for k, v in ACCOUNT_READ.items() if k != "Effect"}),
            "unknown condition operator": policy(dict(
                ACCOUNT_READ,
                Condition={"StringEqualz": {"secretsmanager:VersionStage": "AWSCURRENT"}})),
            "no Action": policy({k: v for k, v in ACCOUNT_READ.items() if k != "Action"}),
            "bad Version": json.dumps({"Version": "2020-01-01", "Statement": [ACCOUNT_READ]}),
        }
        for label, document in cases.items():
            with self.subTest(label):
                err = self.assertError(self.sm.put_resource_policy, MALFORMED,
                                       SecretId=name, ResourcePolicy=document)
                self.assertTrue(err["Error"]["Message"], label)
        # Nothing was stored by any of them.
        self.assertNotIn("ResourcePolicy", self.sm.get_resource_policy(SecretId=name))

    def test_TooLongDocument_IsValidationException(self):
        name, _ = self.secret()
        document = policy(dict(ACCOUNT_READ, Sid="S" * 20480))
        self.assertGreater(len(document), 20480)
        self.assertError(self.sm.put_resource_policy, "ValidationException",
                         SecretId=name, ResourcePolicy=document)
        # A document of exactly 20480 characters is within the limit.
        padded = policy(ACCOUNT_READ)
        padded = padded[:-1] + " " * (20480 - len(padded)) + "}"
        self.assertEqual(len(padded), 20480)
        self.sm.put_resource_policy(SecretId=name, ResourcePolicy=padded)

    def test_PublicPolicy_IsRefusedOnlyWithBlockPublicPolicy(self):
        name, _ = self.secret()
        for principal in ("*", {"AWS": "*"}):
            with self.subTest(principal=principal):
                document = policy(allow(principal, "secretsmanager:GetSecretValue"))
                self.assertError(self.sm.put_resource_policy, "PublicPolicyException",
                                 "You can't attach a resource-based policy that allows broad "
                                 "access to the secret.",
                                 SecretId=name, ResourcePolicy=document, BlockPublicPolicy=True)
                self.assertNotIn("ResourcePolicy", self.sm.get_resource_policy(SecretId=name))
                # Without the flag AWS stores it (BEHAVIOR.md §8).
                self.sm.put_resource_policy(SecretId=name, ResourcePolicy=document)
                self.assertEqual(self.sm.get_resource_policy(SecretId=name)["ResourcePolicy"],
                                 document)
                self.sm.delete_resource_policy(SecretId=name)

    def test_PublicPolicy_AcceptedWhenNotBlocked(self):
        name, _ = self.secret()
        document = policy(allow("*", "secretsmanager:GetSecretValue"))
        self.sm.put_resource_policy(SecretId=name, ResourcePolicy=document,
                                    BlockPublicPolicy=False)
        self.assertEqual(self.sm.get_resource_policy(SecretId=name)["ResourcePolicy"], document)

    def test_PublicDeny_IsNotPublicAccess(self):
        name, _ = self.secret()
        self.sm.put_resource_policy(SecretId=name,
                                    ResourcePolicy=policy(deny("*", "secretsmanager:*")))

    def test_Validate_WithAndWithoutSecretId(self):
        name, _ = self.secret()
        for kwargs in ({}, {"SecretId": name}):
            with self.subTest(**kwargs):
                out = self.sm.validate_resource_policy(ResourcePolicy=policy(ACCOUNT_READ),
                                                       **kwargs)
                self.assertIs(out["PolicyValidationPassed"], True)
                self.assertEqual(out["ValidationErrors"], [])
        # Validating stores nothing.
        self.assertNotIn("ResourcePolicy", self.sm.get_resource_policy(SecretId=name))

    def test_Validate_PublicPolicy_Fails(self):
        out = self.sm.validate_resource_policy(
            ResourcePolicy=policy(allow("*", "secretsmanager:GetSecretValue")))
        self.assertIs(out["PolicyValidationPassed"], False)
        self.assertGreaterEqual(len(out["ValidationErrors"]), 1)
        for error in out["ValidationErrors"]:
            self.assertTrue(error["CheckName"])
            self.assertTrue(error["ErrorMessage"])

    def test_Validate_BadEffect_Fails(self):
        out = self.sm.validate_resource_policy(
            ResourcePolicy=policy(dict(ACCOUNT_READ, Effect="Alow")))
        self.assertIs(out["PolicyValidationPassed"], False)
        self.assertGreaterEqual(len(out["ValidationErrors"]), 1)

    def test_Validate_NotJson_IsMalformed(self):
        self.assertError(self.sm.validate_resource_policy, MALFORMED, ResourcePolicy="{nope")

    def test_Validate_MissingSecret_IsNotFound(self):
        self.assertError(self.sm.validate_resource_policy, "ResourceNotFoundException",
                         SecretId=self.name(), ResourcePolicy=policy(ACCOUNT_READ))


@skip_on_moto("moto has one account and no signature checks")
class CrossAccount(ServerTestCase):
    """Alice (account A) owns the secrets; Bob (account B, session credentials)
    and Carol (the default account) try to reach them."""
    server_args = SIGV4_ARGS

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice = sigv4_client(cls.server, ALICE)
        cls.bob = sigv4_client(cls.server, BOB)
        cls.carol = sigv4_client(cls.server, CAROL)

    def shared(self, kms_key_id=CUSTOMER_KEY):
        """A secret of Alice's; encrypted with a customer key unless told
        otherwise, since only such a secret's value can be shared."""
        name, value = self.name(), self.value()
        key = {"KmsKeyId": kms_key_id} if kms_key_id else {}
        arn = self.alice.create_secret(Name=name, SecretString=value, **key)["ARN"]
        return name, arn, value

    def grant(self, name, *statements):
        self.alice.put_resource_policy(SecretId=name, ResourcePolicy=policy(*statements))

    def test_WithoutPolicy_OtherAccountCannotRead(self):
        name, arn, _ = self.shared()
        # Names are per account: Bob's account has no secret of that name.
        self.assertError(self.bob.get_secret_value, "ResourceNotFoundException", NOT_FOUND,
                         SecretId=name)
        err = self.assertError(self.bob.get_secret_value, ACCESS_DENIED, SecretId=arn)
        message = err["Error"]["Message"]
        self.assertIn(BOB.root_arn, message)
        self.assertIn("secretsmanager:GetSecretValue", message)
        self.assertIn(arn, message)
        self.assertNotIn(name, [s["Name"] for s in self.bob.list_secrets()["SecretList"]])

    def test_PolicyAllowingAccount_LetsItReadByFullArn(self):
        name, arn, value = self.shared()
        self.grant(name, allow({"AWS": BOB.root_arn}, "secretsmanager:GetSecretValue"))
        out = self.bob.get_secret_value(SecretId=arn)
        self.assertEqual((out["ARN"], out["Name"], out["SecretString"]), (arn, name, value))
        self.assertEqual(out["VersionStages"], ["AWSCURRENT"])
        # Still not by name, and not by the partial ARN.
        self.assertError(self.bob.get_secret_value, "ResourceNotFoundException",
                         SecretId=name)
        self.assertError(self.bob.get_secret_value,
                         ("ResourceNotFoundException", ACCESS_DENIED), SecretId=arn[:-7])
        # Only what the policy names: no writes, no describe, no policy edits.
        self.assertError(self.bob.put_secret_value, ACCESS_DENIED,
                         SecretId=arn, SecretString=self.value())
        self.assertError(self.bob.describe_secret, ACCESS_DENIED, SecretId=arn)
        self.assertError(self.bob.delete_secret, ACCESS_DENIED, SecretId=arn,
                         ForceDeleteWithoutRecovery=True)
        self.assertError(self.bob.put_resource_policy, ACCESS_DENIED, SecretId=arn,
                         ResourcePolicy=policy(allow({"AWS": BOB.root_arn}, "secretsmanager:*")))
        self.assertError(self.bob.delete_resource_policy, ACCESS_DENIED, SecretId=arn)
        # Only the account named: Carol's is not.
        self.assertError(self.carol.get_secret_value, ACCESS_DENIED, SecretId=arn)
        # Alice's value is untouched.
        self.assertEqual(self.alice.get_secret_value(SecretId=name)["SecretString"], value)
        self.assertEqual(len(self.alice.list_secret_version_ids(SecretId=name)["Versions"]), 1)

    def test_DefaultKey_KeepsTheValueInItsAccount_EvenWithAnAllowingPolicy(self):
        name, arn, value = self.shared(kms_key_id=None)
        self.grant(name, allow({"AWS": BOB.root_arn},
                               ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue",
                                "secretsmanager:DescribeSecret"]))
        self.assertError(self.bob.get_secret_value, "InvalidRequestException",
                         DEFAULT_KEY_ACROSS_ACCOUNTS, SecretId=arn)
        self.assertError(self.bob.put_secret_value, "InvalidRequestException",
                         DEFAULT_KEY_ACROSS_ACCOUNTS, SecretId=arn, SecretString=self.value())
        out = self.bob.batch_get_secret_value(SecretIdList=[arn])
        self.assertEqual(out["SecretValues"], [])
        self.assertEqual(out["Errors"], [{"SecretId": arn, "ErrorCode": "InvalidRequestException",
                                          "Message": DEFAULT_KEY_ACROSS_ACCOUNTS}])
        # Metadata is not encrypted: the policy's DescribeSecret still works.
        self.assertEqual(self.bob.describe_secret(SecretId=arn)["ARN"], arn)
        self.assertEqual(self.alice.get_secret_value(SecretId=name)["SecretString"], value)
        # With a customer key the same policy lets the value through.
        new_value = self.value()
        self.alice.update_secret(SecretId=name, KmsKeyId=CUSTOMER_KEY, SecretString=new_value)
        self.assertEqual(self.bob.get_secret_value(SecretId=arn)["SecretString"], new_value)

    def test_BareAccountIdPrincipal_MeansTheAccount(self):
        name, arn, value = self.shared()
        self.grant(name, allow({"AWS": BOB.account}, "secretsmanager:GetSecretValue"))
        self.assertEqual(self.bob.get_secret_value(SecretId=arn)["SecretString"], value)

    def test_PolicyAllowingWrites_LetsThemThrough(self):
        name, arn, _ = self.shared()
        self.grant(name, allow({"AWS": BOB.root_arn},
                               ["secretsmanager:PutSecretValue", "secretsmanager:GetSecretValue"]))
        new_value = self.value()
        self.bob.put_secret_value(SecretId=arn, SecretString=new_value)
        self.assertEqual(self.alice.get_secret_value(SecretId=name)["SecretString"], new_value)

    def test_ExplicitDeny_Wins(self):
        name, arn, value = self.shared()
        self.grant(name, allow({"AWS": BOB.root_arn}, "secretsmanager:*"))
        self.assertEqual(self.bob.get_secret_value(SecretId=arn)["SecretString"], value)
        self.grant(name, allow({"AWS": BOB.root_arn}, "secretsmanager:*"),
                   deny({"AWS": BOB.root_arn}, "secretsmanager:GetSecretValue"))
        err = self.assertError(self.bob.get_secret_value, ACCESS_DENIED, SecretId=arn)
        self.assertIn("explicit deny", err["Error"]["Message"])
        # The Deny names one action; the Allow still covers the others.
        self.assertEqual(self.bob.describe_secret(SecretId=arn)["ARN"], arn)

    def test_DeletingThePolicy_RevokesAccess(self):
        name, arn, value = self.shared()
        self.grant(name, allow({"AWS": BOB.root_arn}, "secretsmanager:GetSecretValue"))
        self.assertEqual(self.bob.get_secret_value(SecretId=arn)["SecretString"], value)
        self.alice.delete_resource_policy(SecretId=name)
        self.assertError(self.bob.get_secret_value, ACCESS_DENIED, SecretId=arn)

    def test_PolicyForOtherResource_DoesNotApply(self):
        name, arn, _ = self.shared()
        self.grant(name, allow({"AWS": BOB.root_arn}, "secretsmanager:GetSecretValue",
                               resource=arn + "-not-this-one"))
        self.assertError(self.bob.get_secret_value, ACCESS_DENIED, SecretId=arn)

    def test_Condition_OnVersionStage(self):
        name, arn, value = self.shared()
        self.grant(name, allow({"AWS": BOB.root_arn}, "secretsmanager:GetSecretValue",
                               Condition={"ForAnyValue:StringEquals": {
                                   "secretsmanager:VersionStage": "AWSCURRENT"}}))
        # The key comes from the request's VersionStage member (AWS: "filters
        # access by the staging labels in the request"), so the caller names it.
        self.assertEqual(self.bob.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")
                         ["SecretString"], value)
        self.alice.put_secret_value(SecretId=name, SecretString=self.value())
        self.assertError(self.bob.get_secret_value, ACCESS_DENIED, SecretId=arn,
                         VersionStage="AWSPREVIOUS")

    def test_BatchGet_ReportsDeniedSecretAsError(self):
        _, arn, _ = self.shared()
        out = self.bob.batch_get_secret_value(SecretIdList=[arn])
        self.assertEqual(out["SecretValues"], [])
        self.assertEqual([e["SecretId"] for e in out["Errors"]], [arn])
        self.assertIn(out["Errors"][0]["ErrorCode"], (ACCESS_DENIED, "ResourceNotFoundException"))

    def test_OwnerStillHasFullAccess_WithDenyForOthers(self):
        name, arn, value = self.shared()
        self.grant(name, deny({"AWS": BOB.root_arn}, "secretsmanager:*"))
        self.assertEqual(self.alice.get_secret_value(SecretId=arn)["SecretString"], value)
        self.alice.put_secret_value(SecretId=name, SecretString=self.value())


if __name__ == "__main__":
    unittest.main()
