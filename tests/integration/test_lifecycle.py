"""Create / Describe / Get / Put / Update / Delete / Restore / Tag / Untag with
boto3, as an application uses them; exact AWS messages from BEHAVIOR.md."""
import datetime
import re
import time
import unittest

from harness import (CREATE_SCHEDULED, INVALID_NAME, MARKED_FOR_DELETION, NOT_FOUND,
                     ServerTestCase, exists_message, no_value_for_stage, on_moto)

ARN_RE = re.compile(r"^arn:aws:secretsmanager:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
                    r"secret:(?P<name>.+)-(?P<suffix>[A-Za-z0-9]{6})$")


def now():
    return datetime.datetime.now(datetime.timezone.utc)


class CreateDescribeGet(ServerTestCase):
    def test_CreateSecret_ReturnsArnWithSixCharSuffix_AndVersionId(self):
        name = self.name()
        out = self.sm.create_secret(Name=name, SecretString=self.value())
        m = ARN_RE.match(out["ARN"])
        self.assertIsNotNone(m, out["ARN"])
        self.assertEqual(m["name"], name)
        self.assertEqual(m["region"], "us-east-1")
        self.assertEqual(len(m["suffix"]), 6)
        self.assertEqual(out["Name"], name)
        self.assertRegex(out["VersionId"], r"^[0-9a-f-]{32,64}$")

    def test_CreateSecret_WithoutValue_OmitsVersionId_AndVersionIdsToStages(self):
        name = self.name()
        out = self.sm.create_secret(Name=name, Description="no value yet")
        self.assertNotIn("VersionId", out)
        d = self.sm.describe_secret(SecretId=name)
        self.assertNotIn("VersionIdsToStages", d)
        self.assertEqual(d["Description"], "no value yet")
        self.assertError(self.sm.get_secret_value, "ResourceNotFoundException",
                         no_value_for_stage("AWSCURRENT"), SecretId=name)

    def test_GetSecretValue_ReturnsStringValue_WithCurrentLabel(self):
        name, value, token = self.name(), self.value(), self.token()
        created = self.sm.create_secret(Name=name, SecretString=value, ClientRequestToken=token)
        self.assertEqual(created["VersionId"], token)
        got = self.sm.get_secret_value(SecretId=name)
        self.assertEqual(got["SecretString"], value)
        self.assertNotIn("SecretBinary", got)
        self.assertEqual(got["VersionId"], token)
        self.assertEqual(got["VersionStages"], ["AWSCURRENT"])
        self.assertEqual(got["Name"], name)
        self.assertEqual(got["ARN"], created["ARN"])
        self.assertIsInstance(got["CreatedDate"], datetime.datetime)
        self.assertLess(abs((got["CreatedDate"] - now()).total_seconds()), 120)

    def test_BinarySecret_RoundTripsBytes(self):
        name = self.name()
        blob = bytes(range(256))
        self.sm.create_secret(Name=name, SecretBinary=blob)
        got = self.sm.get_secret_value(SecretId=name)
        self.assertEqual(got["SecretBinary"], blob)
        self.assertNotIn("SecretString", got)

    def test_DescribeSecret_ShowsMetadata_AndOmitsUnsetKeys(self):
        name = self.name()
        out = self.sm.create_secret(Name=name, SecretString=self.value())
        d = self.sm.describe_secret(SecretId=name)
        self.assertEqual(d["ARN"], out["ARN"])
        self.assertEqual(d["Name"], name)
        self.assertEqual(d["VersionIdsToStages"], {out["VersionId"]: ["AWSCURRENT"]})
        self.assertIsInstance(d["CreatedDate"], datetime.datetime)
        self.assertIsInstance(d["LastChangedDate"], datetime.datetime)
        for absent in ("Description", "KmsKeyId", "Tags", "DeletedDate", "RotationEnabled",
                       "RotationLambdaARN", "RotationRules", "LastRotatedDate",
                       "NextRotationDate"):
            self.assertNotIn(absent, d, f"{absent} must be omitted until it means something")

    def test_FindSecret_ByName_FullArn_AndPartialArn(self):
        name = self.name()
        value = self.value()
        arn = self.sm.create_secret(Name=name, SecretString=value)["ARN"]
        partial = arn[:-7]  # without "-xxxxxx"
        self.assertTrue(partial.endswith(name))
        for secret_id in (name, arn, partial):
            with self.subTest(secret_id=secret_id):
                self.assertEqual(self.sm.get_secret_value(SecretId=secret_id)["SecretString"], value)
                self.assertEqual(self.sm.describe_secret(SecretId=secret_id)["ARN"], arn)

    def test_PartialArn_EndingLikeASuffix_IsReadAsAFullArn(self):
        # Recorded against AWS: the partial ARN of "...-a1b2c3" is not found
        # (its tail reads as the random suffix); other endings still resolve.
        base = self.name()
        arn = self.sm.create_secret(Name=base + "-a1b2c3", SecretString=self.value())["ARN"]
        self.assertEqual(self.sm.describe_secret(SecretId=arn)["ARN"], arn)
        self.assertError(self.sm.get_secret_value, "ResourceNotFoundException", NOT_FOUND,
                         SecretId=arn[:-7])
        for name in (base + "-a1b2", base + "-a1b2c3-", base + "-a1b2c3d"):
            with self.subTest(name=name):
                arn = self.sm.create_secret(Name=name, SecretString=self.value())["ARN"]
                self.assertEqual(self.sm.describe_secret(SecretId=arn[:-7])["ARN"], arn)

    def test_ArnWithWrongSuffix_IsNotFound(self):
        name = self.name()
        arn = self.sm.create_secret(Name=name, SecretString=self.value())["ARN"]
        wrong = arn[:-6] + ("A" if arn[-6] != "A" else "B") + arn[-5:]
        self.assertError(self.sm.describe_secret, "ResourceNotFoundException", NOT_FOUND,
                         SecretId=wrong)

    def test_UnknownSecret_IsResourceNotFound_Http400(self):
        for call in (self.sm.describe_secret, self.sm.get_secret_value):
            with self.subTest(call=call.__name__):
                self.assertError(call, "ResourceNotFoundException", NOT_FOUND,
                                 SecretId=self.name("missing"))

    def test_CreateSecret_ExistingName_IsResourceExists(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        self.assertError(self.sm.create_secret, "ResourceExistsException", exists_message(name),
                         Name=name, SecretString=self.value())

    def test_CreateSecret_InvalidName_IsValidationException(self):
        for bad in ("has space", "semi;colon", "x" * 513):
            with self.subTest(name=bad[:20]):
                resp = self.assertError(self.sm.create_secret, "ValidationException",
                                        Name=bad, SecretString=self.value())
                if len(bad) <= 512:
                    self.assertEqual(resp["Error"]["Message"], INVALID_NAME)

    def test_CreateSecret_NameWithAllAllowedPunctuation_Works(self):
        name = self.name() + "_+=.@-"
        self.sm.create_secret(Name=name, SecretString=self.value())
        self.assertEqual(self.sm.describe_secret(SecretId=name)["Name"], name)

    def test_CreateSecret_BothStringAndBinary_IsRejected(self):
        resp = self.assertError(self.sm.create_secret, "InvalidParameterException",
                                Name=self.name(), SecretString=self.value(), SecretBinary=b"x")
        self.assertTrue(resp["Error"]["Message"])

    def test_CreateSecret_WithDescriptionKmsKeyAndTags(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value(), Description="db creds",
                              KmsKeyId="alias/my-key",
                              Tags=[{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "a"}])
        d = self.sm.describe_secret(SecretId=name)
        self.assertEqual(d["Description"], "db creds")
        self.assertEqual(d["KmsKeyId"], "alias/my-key")
        self.assertEqual(sorted((t["Key"], t["Value"]) for t in d["Tags"]),
                         [("env", "dev"), ("team", "a")])

    def test_GetSecretValue_SetsLastAccessedDate(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        self.assertNotIn("LastAccessedDate", self.sm.describe_secret(SecretId=name))
        self.sm.get_secret_value(SecretId=name)
        d = self.sm.describe_secret(SecretId=name)
        self.assertIn("LastAccessedDate", d)
        # AWS keeps day precision: midnight UTC of today (or yesterday right at midnight).
        self.assertLess(abs((d["LastAccessedDate"] - now()).total_seconds()), 86400 + 120)


class PutAndUpdate(ServerTestCase):
    def test_PutSecretValue_MovesCurrentToNewVersion_AndPreviousToOld(self):
        name = self.name()
        v1 = self.sm.create_secret(Name=name, SecretString=self.value("one"))["VersionId"]
        second = self.value("two")
        put = self.sm.put_secret_value(SecretId=name, SecretString=second)
        v2 = put["VersionId"]
        self.assertEqual(put["VersionStages"], ["AWSCURRENT"])
        self.assertEqual(put["Name"], name)
        stages = self.sm.describe_secret(SecretId=name)["VersionIdsToStages"]
        self.assertEqual(stages, {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]})
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["SecretString"], second)

    def test_UpdateSecret_DescriptionOnly_CreatesNoVersion(self):
        name = self.name()
        v1 = self.sm.create_secret(Name=name, SecretString=self.value())["VersionId"]
        out = self.sm.update_secret(SecretId=name, Description="changed")
        self.assertNotIn("VersionId", out)
        self.assertEqual(out["Name"], name)
        d = self.sm.describe_secret(SecretId=name)
        self.assertEqual(d["Description"], "changed")
        self.assertEqual(d["VersionIdsToStages"], {v1: ["AWSCURRENT"]})

    def test_UpdateSecret_WithValue_CreatesVersion_AndMovesLabels(self):
        name = self.name()
        v1 = self.sm.create_secret(Name=name, SecretString=self.value())["VersionId"]
        new_value = self.value()
        out = self.sm.update_secret(SecretId=name, SecretString=new_value, Description="d2")
        v2 = out["VersionId"]
        self.assertNotEqual(v1, v2)
        d = self.sm.describe_secret(SecretId=name)
        self.assertEqual(d["VersionIdsToStages"], {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]})
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["SecretString"], new_value)

    def test_UpdateSecret_KmsKeyId_IsShown(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        self.sm.update_secret(SecretId=name, KmsKeyId="alias/other")
        self.assertEqual(self.sm.describe_secret(SecretId=name)["KmsKeyId"], "alias/other")

    def test_UpdateSecret_MissingSecret_IsNotFound(self):
        self.assertError(self.sm.update_secret, "ResourceNotFoundException", NOT_FOUND,
                         SecretId=self.name("missing"), Description="x")

    def test_PutSecretValue_MissingSecret_IsNotFound(self):
        self.assertError(self.sm.put_secret_value, "ResourceNotFoundException", NOT_FOUND,
                         SecretId=self.name("missing"), SecretString=self.value())

    def test_LastChangedDate_AdvancesOnPut(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        before = self.sm.describe_secret(SecretId=name)["LastChangedDate"]
        time.sleep(1.1)
        self.sm.put_secret_value(SecretId=name, SecretString=self.value())
        after = self.sm.describe_secret(SecretId=name)["LastChangedDate"]
        self.assertGreater(after, before)


class DeleteRestore(ServerTestCase):
    def test_DeleteSecret_DefaultWindowIs30Days(self):
        name = self.name()
        arn = self.sm.create_secret(Name=name, SecretString=self.value())["ARN"]
        out = self.sm.delete_secret(SecretId=name)
        self.assertEqual(out["ARN"], arn)
        self.assertEqual(out["Name"], name)
        delta = out["DeletionDate"] - now()
        self.assertAlmostEqual(delta.total_seconds() / 86400, 30, delta=0.1)

    def test_DeleteSecret_RecoveryWindow7(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        out = self.sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
        delta = out["DeletionDate"] - now()
        self.assertAlmostEqual(delta.total_seconds() / 86400, 7, delta=0.1)

    def test_DeleteSecret_WindowOutOfRange_IsRejected(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        for days in (6, 31):
            with self.subTest(days=days):
                from botocore.exceptions import ClientError, ParamValidationError
                with self.assertRaises((ClientError, ParamValidationError)) as cm:
                    self.sm.delete_secret(SecretId=name, RecoveryWindowInDays=days)
                if isinstance(cm.exception, ClientError):
                    self.assertIn(cm.exception.response["Error"]["Code"],
                                  ("InvalidParameterException", "ValidationException"))
        self.assertNotIn("DeletedDate", self.sm.describe_secret(SecretId=name))

    def test_DeleteSecret_WindowAndForceTogether_IsInvalidParameter(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        self.assertError(self.sm.delete_secret, "InvalidParameterException", SecretId=name,
                         RecoveryWindowInDays=7, ForceDeleteWithoutRecovery=True)
        self.assertNotIn("DeletedDate", self.sm.describe_secret(SecretId=name))

    def test_ScheduledSecret_DescribeShowsDeletedDate_OtherOpsFail(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value(),
                              Tags=[{"Key": "k", "Value": "v"}])
        self.sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
        d = self.sm.describe_secret(SecretId=name)
        self.assertIn("DeletedDate", d)
        calls = [
            (self.sm.get_secret_value, dict(SecretId=name)),
            (self.sm.put_secret_value, dict(SecretId=name, SecretString=self.value())),
            (self.sm.update_secret, dict(SecretId=name, Description="x")),
            (self.sm.update_secret, dict(SecretId=name, SecretString=self.value())),
            (self.sm.tag_resource, dict(SecretId=name, Tags=[{"Key": "a", "Value": "b"}])),
            (self.sm.untag_resource, dict(SecretId=name, TagKeys=["k"])),
            (self.sm.get_resource_policy, dict(SecretId=name)),
        ]
        for call, kwargs in calls:
            with self.subTest(call=call.__name__, args=sorted(kwargs)):
                self.assertError(call, "InvalidRequestException", MARKED_FOR_DELETION, **kwargs)

    def test_CreateSecret_WithScheduledName_IsInvalidRequest(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        self.sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
        self.assertError(self.sm.create_secret, "InvalidRequestException", CREATE_SCHEDULED,
                         Name=name, SecretString=self.value())

    def test_RestoreSecret_ClearsSchedule_AndValueIsBack(self):
        name, value = self.name(), self.value()
        arn = self.sm.create_secret(Name=name, SecretString=value)["ARN"]
        self.sm.delete_secret(SecretId=name)
        out = self.sm.restore_secret(SecretId=name)
        self.assertEqual(out["ARN"], arn)
        self.assertEqual(out["Name"], name)
        self.assertNotIn("DeletedDate", self.sm.describe_secret(SecretId=name))
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["SecretString"], value)

    def test_RestoreSecret_MissingSecret_IsNotFound(self):
        self.assertError(self.sm.restore_secret, "ResourceNotFoundException", NOT_FOUND,
                         SecretId=self.name("missing"))

    def test_ForceDelete_RemovesAtOnce_AndNameIsFree(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        out = self.sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
        self.assertEqual(out["Name"], name)
        self.assertIn("DeletionDate", out)
        self.assertError(self.sm.describe_secret, "ResourceNotFoundException", NOT_FOUND,
                         SecretId=name)
        value = self.value()
        self.sm.create_secret(Name=name, SecretString=value)
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["SecretString"], value)

    def test_ForceDelete_OfScheduledSecret_Succeeds(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        self.sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
        self.sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
        self.assertError(self.sm.describe_secret, "ResourceNotFoundException", NOT_FOUND,
                         SecretId=name)

    @unittest.skipIf(on_moto(), "moto answers ResourceNotFound here")
    def test_ForceDelete_OfMissingSecret_Succeeds(self):
        name = self.name("missing")
        out = self.sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
        self.assertEqual(out["Name"], name)


class InvalidSecretId(ServerTestCase):
    """A SecretId that is neither a valid name nor an ARN (BEHAVIOR.md §2)."""
    POLICY = '{"Version":"2012-10-17","Statement":[]}'

    def calls(self):
        """Every operation with a SecretId, with the other members it needs."""
        token = self.token()
        sm = self.sm
        return [
            (sm.cancel_rotate_secret, {}),
            (sm.delete_resource_policy, {}),
            (sm.delete_secret, {}),
            (sm.delete_secret, {"ForceDeleteWithoutRecovery": True}),
            (sm.describe_secret, {}),
            (sm.get_resource_policy, {}),
            (sm.get_secret_value, {}),
            (sm.list_secret_version_ids, {}),
            (sm.put_resource_policy, {"ResourcePolicy": self.POLICY}),
            (sm.put_secret_value, {"SecretString": "v", "ClientRequestToken": token}),
            (sm.remove_regions_from_replication, {"RemoveReplicaRegions": ["eu-west-1"]}),
            (sm.replicate_secret_to_regions, {"AddReplicaRegions": [{"Region": "eu-west-1"}]}),
            (sm.restore_secret, {}),
            (sm.rotate_secret, {"ClientRequestToken": token}),
            (sm.stop_replication_to_replica, {}),
            (sm.tag_resource, {"Tags": [{"Key": "k", "Value": "v"}]}),
            (sm.untag_resource, {"TagKeys": ["k"]}),
            (sm.update_secret, {"Description": "d"}),
            (sm.update_secret_version_stage, {"VersionStage": "blue"}),
            (sm.validate_resource_policy, {"ResourcePolicy": self.POLICY}),
        ]

    def test_EveryOperation_RefusesAnInvalidName_WithValidationException(self):
        arn_prefix = "arn:aws:secretsmanager:us-east-1:000000000000:secret:"
        for bad in ("bad name", "semi;colon", "star*", arn_prefix + "db-AbCdEf#password"):
            for call, members in self.calls():
                with self.subTest(operation=call.__name__, secret_id=bad, **members):
                    self.assertError(call, "ValidationException", INVALID_NAME,
                                     SecretId=bad, **members)

    def test_ArnsAndPartialArns_AreValidSecretIds(self):
        name = self.name()
        arn = self.sm.create_secret(Name=name, SecretString=self.value())["ARN"]
        for secret_id in (arn, arn[:-7]):
            self.assertEqual(self.sm.describe_secret(SecretId=secret_id)["ARN"], arn)
        self.assertError(self.sm.describe_secret, "ResourceNotFoundException", NOT_FOUND,
                         SecretId=arn[:-7] + "-zzzzzz")

    def test_BatchGetSecretValue_ReportsAnInvalidNameInErrors(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        out = self.sm.batch_get_secret_value(SecretIdList=[name, "bad name"])
        self.assertEqual([v["Name"] for v in out["SecretValues"]], [name])
        self.assertEqual(out["Errors"], [{"SecretId": "bad name", "ErrorCode": "ValidationException",
                                          "Message": INVALID_NAME}])


class Tags(ServerTestCase):
    def _tags(self, name):
        return {t["Key"]: t["Value"] for t in self.sm.describe_secret(SecretId=name).get("Tags", [])}

    def test_TagResource_AddsAndOverwrites(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value(),
                              Tags=[{"Key": "env", "Value": "dev"}])
        out = self.sm.tag_resource(SecretId=name, Tags=[{"Key": "env", "Value": "prod"},
                                                        {"Key": "owner", "Value": "me"}])
        self.assertEqual({k: v for k, v in out.items() if k != "ResponseMetadata"}, {})
        self.assertEqual(self._tags(name), {"env": "prod", "owner": "me"})

    def test_Tags_AbsentUntilSet_ThenEmptyListAfterUntagAll(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        self.assertNotIn("Tags", self.sm.describe_secret(SecretId=name))
        self.sm.tag_resource(SecretId=name, Tags=[{"Key": "a", "Value": "1"},
                                                  {"Key": "b", "Value": "2"}])
        self.sm.untag_resource(SecretId=name, TagKeys=["a"])
        self.assertEqual(self._tags(name), {"b": "2"})
        out = self.sm.untag_resource(SecretId=name, TagKeys=["b", "never-there"])
        self.assertEqual({k: v for k, v in out.items() if k != "ResponseMetadata"}, {})
        d = self.sm.describe_secret(SecretId=name)
        self.assertIn("Tags", d)
        self.assertEqual(d["Tags"], [])

    def test_TagResource_By_Arn(self):
        name = self.name()
        arn = self.sm.create_secret(Name=name, SecretString=self.value())["ARN"]
        self.sm.tag_resource(SecretId=arn, Tags=[{"Key": "x", "Value": "y"}])
        self.assertEqual(self._tags(name), {"x": "y"})

    def test_TagResource_MissingSecret_IsNotFound(self):
        self.assertError(self.sm.tag_resource, "ResourceNotFoundException", NOT_FOUND,
                         SecretId=self.name("missing"), Tags=[{"Key": "a", "Value": "b"}])

    def test_FiftyTags_Allowed_FiftyFirstRejected(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        self.sm.tag_resource(SecretId=name,
                             Tags=[{"Key": f"k{i}", "Value": str(i)} for i in range(50)])
        self.assertEqual(len(self._tags(name)), 50)
        # Overwriting an existing key keeps the count at 50: allowed.
        self.sm.tag_resource(SecretId=name, Tags=[{"Key": "k0", "Value": "new"}])
        resp = self.assertError(self.sm.tag_resource, self._limit_code(),
                                SecretId=name, Tags=[{"Key": "k50", "Value": "x"}])
        self.assertTrue(resp["Error"]["Message"])
        tags = self._tags(name)
        self.assertEqual(len(tags), 50)
        self.assertEqual(tags["k0"], "new")

    def test_CreateSecret_With51Tags_IsRejected(self):
        name = self.name()
        self.assertError(self.sm.create_secret, self._limit_code(), Name=name,
                         SecretString=self.value(),
                         Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)])
        self.assertError(self.sm.describe_secret, "ResourceNotFoundException", SecretId=name)

    def _limit_code(self):
        # BEHAVIOR.md does not pin the code of a tag-quota breach; any client
        # error that leaves the tags untouched is acceptable.
        return ("ValidationException", "InvalidParameterException", "LimitExceededException")

    def test_AwsPrefixedTagKey_IsRejected(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        from botocore.exceptions import ClientError
        with self.assertRaises(ClientError) as cm:
            self.sm.tag_resource(SecretId=name, Tags=[{"Key": "aws:owner", "Value": "x"}])
        self.assertIn(cm.exception.response["Error"]["Code"],
                      ("InvalidParameterException", "ValidationException"))
        self.assertNotIn("Tags", self.sm.describe_secret(SecretId=name))

    def test_UntagOfAnAwsPrefixedKey_IsRejected_AndKeepsTheOtherTags(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value(), Tags=[{"Key": "team", "Value": "a"}])
        self.assertError(self.sm.untag_resource, "InvalidParameterException",
                         "You can't modify system tags. Tag key: 'aws:cloudformation:stack-name'.",
                         SecretId=name, TagKeys=["team", "aws:cloudformation:stack-name"])
        self.assertEqual(self._tags(name), {"team": "a"})


if __name__ == "__main__":
    unittest.main()
