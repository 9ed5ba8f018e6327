"""Edge cases an application meets sooner or later: limits, unicode, names
that look like ARN suffixes, stale ARNs, concurrent writers."""
import concurrent.futures
import datetime
import json
import unittest
import uuid

from harness import NOT_FOUND, ServerTestCase, decode, raw_json_headers


class Edges(ServerTestCase):
    def test_UnicodeValue_RoundTrips(self):
        name = self.name()
        value = self.value() + " ünïcødé ✓ 😀 \u0000 \"quoted\" \\ back"
        self.sm.create_secret(Name=name, SecretString=value)
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["SecretString"], value)

    def test_EscapedSurrogatePair_InRawJson_IsDecoded(self):
        name = self.name()
        body = ('{"Name": "%s", "SecretString": "a\\ud83d\\ude00b", "ClientRequestToken": "%s"}'
                % (name, uuid.uuid4()))
        status, _, resp = self.server.http("POST", "/", body=body,
                                           headers=raw_json_headers("CreateSecret"))
        self.assertEqual(status, 200, resp[:300])
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["SecretString"], "a😀b")

    def test_MaxSizeValues_RoundTrip(self):
        name = self.name()
        big = ("x" * 65536)
        self.sm.create_secret(Name=name, SecretString=big)
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["SecretString"], big)
        blob = bytes(range(256)) * 256  # 65536 bytes
        self.sm.put_secret_value(SecretId=name, SecretBinary=blob)
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["SecretBinary"], blob)

    def test_TooLargeValue_IsValidationException_WithoutEchoingIt(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        too_big = self.value() + "y" * 65536
        resp = self.assertError(self.sm.put_secret_value, "ValidationException",
                                SecretId=name, SecretString=too_big)
        self.assertNotIn("yyyyyyyy", resp["Error"]["Message"])

    def test_TooLongDescription_IsValidationException(self):
        self.assertError(self.sm.create_secret, "ValidationException", Name=self.name(),
                         Description="d" * 2049)

    def test_NameThatLooksLikeArnSuffix_ResolvesByExactName(self):
        name = self.name() + "-abcdef"
        value = self.value()
        arn = self.sm.create_secret(Name=name, SecretString=value)["ARN"]
        self.assertTrue(arn.split(":secret:")[1].startswith(name + "-"))
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["SecretString"], value)
        self.assertEqual(self.sm.get_secret_value(SecretId=arn)["SecretString"], value)

    def test_RecreatedSecret_GetsNewArn_OldArnIsNotFound(self):
        name = self.name()
        old_arn = self.sm.create_secret(Name=name, SecretString=self.value())["ARN"]
        self.sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
        new_arn = self.sm.create_secret(Name=name, SecretString=self.value())["ARN"]
        self.assertNotEqual(old_arn, new_arn)
        self.assertError(self.sm.describe_secret, "ResourceNotFoundException", NOT_FOUND,
                         SecretId=old_arn)

    def test_LastAccessedDate_HasDayPrecision(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        self.sm.get_secret_value(SecretId=name)
        accessed = self.sm.describe_secret(SecretId=name)["LastAccessedDate"]
        utc = accessed.astimezone(datetime.timezone.utc)
        self.assertEqual((utc.hour, utc.minute, utc.second, utc.microsecond), (0, 0, 0, 0), utc)

    def test_ListSecrets_ShowsTags_EmptyAfterUntagAll(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value(),
                              Tags=[{"Key": "a", "Value": "1"}])
        entry = self.sm.list_secrets(Filters=[{"Key": "name", "Values": [name]}])["SecretList"][0]
        self.assertEqual(entry["Tags"], [{"Key": "a", "Value": "1"}])
        self.sm.untag_resource(SecretId=name, TagKeys=["a"])
        entry = self.sm.list_secrets(Filters=[{"Key": "name", "Values": [name]}])["SecretList"][0]
        self.assertEqual(entry.get("Tags"), [])

    def test_TooManyFilterValues_IsValidationException(self):
        self.assertError(self.sm.list_secrets, "ValidationException",
                         Filters=[{"Key": "name", "Values": [f"v{i}" for i in range(11)]}])

    def test_ConcurrentPuts_LeaveExactlyOneCurrentAndOnePrevious(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        values = [self.value() for _ in range(40)]

        def put(v):
            return self.sm.put_secret_value(SecretId=name, SecretString=v)["VersionId"]

        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            ids = list(pool.map(put, values))
        self.assertEqual(len(set(ids)), 40)
        stages = self.sm.describe_secret(SecretId=name)["VersionIdsToStages"]
        labels = sorted(l for ls in stages.values() for l in ls)
        self.assertEqual(labels, ["AWSCURRENT", "AWSPREVIOUS"])
        current = self.sm.get_secret_value(SecretId=name)
        self.assertIn(current["SecretString"], values)
        self.assertEqual(values[ids.index(current["VersionId"])], current["SecretString"])
        all_versions = self.sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)
        self.assertEqual(len(all_versions["Versions"]), 41)

    def test_ConcurrentCreates_SameName_ExactlyOneWins(self):
        name = self.name()
        from botocore.exceptions import ClientError

        def create(_):
            try:
                self.sm.create_secret(Name=name, SecretString=self.value())
                return "ok"
            except ClientError as e:
                return e.response["Error"]["Code"]

        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(create, range(16)))
        self.assertEqual(results.count("ok"), 1, results)
        self.assertEqual(results.count("ResourceExistsException"), 15, results)

    def test_ClientConfiguredWithThisServerAsItsProxy_IsServed(self):
        # Through a proxy a client sends the target in absolute form
        # (`POST http://localhost:4566/ HTTP/1.1`), which RFC 9112 says a
        # server must accept.
        import boto3
        from botocore.config import Config
        sm = boto3.client("secretsmanager", endpoint_url="http://localhost:4566",
                          region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test",
                          config=Config(proxies={"http": self.server.endpoint},
                                        retries={"total_max_attempts": 1, "mode": "standard"}))
        name, value = self.name(), self.value()
        sm.create_secret(Name=name, SecretString=value)
        self.assertEqual(sm.get_secret_value(SecretId=name)["SecretString"], value)


if __name__ == "__main__":
    unittest.main()
