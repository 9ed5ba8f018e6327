"""State is separate per account (a 12-digit access key id) and per region
(the credential scope), and ARNs name both."""
import unittest

from harness import NOT_FOUND, ServerTestCase, skip_on_moto


@skip_on_moto("moto has one fixed account")
class AccountsAndRegions(ServerTestCase):
    def test_DefaultCredentials_UseDefaultAccountAndRegion(self):
        arn = self.sm.create_secret(Name=self.name(), SecretString=self.value())["ARN"]
        self.assertTrue(arn.startswith("arn:aws:secretsmanager:us-east-1:000000000000:secret:"), arn)

    def test_TwelveDigitKeyId_IsTheAccount(self):
        c = self.server.client(access_key="111111111111", region="eu-west-1")
        arn = c.create_secret(Name=self.name(), SecretString=self.value())["ARN"]
        self.assertTrue(arn.startswith("arn:aws:secretsmanager:eu-west-1:111111111111:secret:"), arn)

    def test_Accounts_AreSeparate(self):
        a = self.server.client(access_key="111111111111")
        b = self.server.client(access_key="222222222222")
        name, va, vb = self.name(), self.value(), self.value()
        a.create_secret(Name=name, SecretString=va)
        self.assertError(b.describe_secret, "ResourceNotFoundException", NOT_FOUND, SecretId=name)
        self.assertNotIn(name, [s["Name"] for s in b.list_secrets()["SecretList"]])
        # The same name is free in the other account, with its own value.
        b.create_secret(Name=name, SecretString=vb)
        self.assertEqual(a.get_secret_value(SecretId=name)["SecretString"], va)
        self.assertEqual(b.get_secret_value(SecretId=name)["SecretString"], vb)
        b.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
        self.assertEqual(a.get_secret_value(SecretId=name)["SecretString"], va)

    def test_Regions_AreSeparate(self):
        east = self.server.client(access_key="333333333333", region="us-east-1")
        west = self.server.client(access_key="333333333333", region="us-west-2")
        name = self.name()
        arn = east.create_secret(Name=name, SecretString=self.value())["ARN"]
        self.assertError(west.describe_secret, "ResourceNotFoundException", NOT_FOUND, SecretId=name)
        self.assertNotIn(name, [s["Name"] for s in west.list_secrets()["SecretList"]])
        # An ARN names its region: asking the other region for it is not found.
        self.assertError(west.get_secret_value, "ResourceNotFoundException", SecretId=arn)

    def test_NonNumericKeyIds_ShareTheDefaultAccount(self):
        a = self.server.client(access_key="AKIAEXAMPLEONE")
        b = self.server.client(access_key="test")
        name, value = self.name(), self.value()
        arn = a.create_secret(Name=name, SecretString=value)["ARN"]
        self.assertIn(":000000000000:", arn)
        self.assertEqual(b.get_secret_value(SecretId=name)["SecretString"], value)


if __name__ == "__main__":
    unittest.main()
