"""Versions and staging labels: the AWSCURRENT/AWSPREVIOUS dance, custom
labels, idempotent tokens, UpdateSecretVersionStage, ListSecretVersionIds."""
import unittest

from botocore.exceptions import ClientError

from harness import (MARKED_FOR_DELETION, NOT_FOUND, STAGE_NOT_ON_VERSION, ServerTestCase,
                     exists_message, no_value_for_stage, no_value_for_version, token_in_use)


class LabelDance(ServerTestCase):
    def stages(self, name):
        return self.sm.describe_secret(SecretId=name).get("VersionIdsToStages", {})

    def test_ThreePuts_OldestBecomesDeprecated_AndDisappearsFromStages(self):
        name = self.name()
        v1 = self.sm.create_secret(Name=name, SecretString=self.value())["VersionId"]
        v2 = self.sm.put_secret_value(SecretId=name, SecretString=self.value())["VersionId"]
        third = self.value()
        v3 = self.sm.put_secret_value(SecretId=name, SecretString=third)["VersionId"]
        self.assertEqual(self.stages(name), {v2: ["AWSPREVIOUS"], v3: ["AWSCURRENT"]})
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["SecretString"], third)
        prev = self.sm.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")
        self.assertEqual(prev["VersionId"], v2)
        self.assertEqual(prev["VersionStages"], ["AWSPREVIOUS"])
        listed = self.sm.list_secret_version_ids(SecretId=name)["Versions"]
        self.assertEqual({v["VersionId"] for v in listed}, {v2, v3})
        with_deprecated = self.sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)
        self.assertEqual({v["VersionId"] for v in with_deprecated["Versions"]}, {v1, v2, v3})

    def test_GetSecretValue_ByVersionId_And_ByStage(self):
        name = self.name()
        first, second = self.value(), self.value()
        v1 = self.sm.create_secret(Name=name, SecretString=first)["VersionId"]
        v2 = self.sm.put_secret_value(SecretId=name, SecretString=second)["VersionId"]
        self.assertEqual(self.sm.get_secret_value(SecretId=name, VersionId=v1)["SecretString"], first)
        got = self.sm.get_secret_value(SecretId=name, VersionId=v2, VersionStage="AWSCURRENT")
        self.assertEqual(got["SecretString"], second)
        self.assertEqual(got["VersionStages"], ["AWSCURRENT"])

    def test_GetSecretValue_UnknownVersionOrStage_ExactMessages(self):
        name = self.name()
        v1 = self.sm.create_secret(Name=name, SecretString=self.value())["VersionId"]
        missing_version = "a" * 32
        self.assertError(self.sm.get_secret_value, "ResourceNotFoundException",
                         no_value_for_version(missing_version), SecretId=name,
                         VersionId=missing_version)
        self.assertError(self.sm.get_secret_value, "ResourceNotFoundException",
                         no_value_for_stage("AWSPREVIOUS"), SecretId=name,
                         VersionStage="AWSPREVIOUS")
        self.assertError(self.sm.get_secret_value, "InvalidRequestException",
                         STAGE_NOT_ON_VERSION, SecretId=name, VersionId=v1,
                         VersionStage="AWSPREVIOUS")

    def test_PutSecretValue_CustomStagesOnly_LeavesCurrentAlone(self):
        name, first = self.name(), self.value()
        v1 = self.sm.create_secret(Name=name, SecretString=first)["VersionId"]
        put = self.sm.put_secret_value(SecretId=name, SecretString=self.value(),
                                       VersionStages=["blue"])
        v2 = put["VersionId"]
        self.assertEqual(put["VersionStages"], ["blue"])
        self.assertEqual(self.stages(name), {v1: ["AWSCURRENT"], v2: ["blue"]})
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["SecretString"], first)

    def test_Label_IsOnAtMostOneVersion(self):
        name = self.name()
        v1 = self.sm.create_secret(Name=name, SecretString=self.value())["VersionId"]
        v2 = self.sm.put_secret_value(SecretId=name, SecretString=self.value(),
                                      VersionStages=["blue"])["VersionId"]
        v3 = self.sm.put_secret_value(SecretId=name, SecretString=self.value(),
                                      VersionStages=["blue", "green"])["VersionId"]
        stages = self.stages(name)
        self.assertEqual(stages[v1], ["AWSCURRENT"])
        self.assertNotIn(v2, stages)  # lost its only label: deprecated
        self.assertEqual(sorted(stages[v3]), ["blue", "green"])

    def test_PutSecretValue_CurrentPlusCustomLabel(self):
        name = self.name()
        v1 = self.sm.create_secret(Name=name, SecretString=self.value())["VersionId"]
        v2 = self.sm.put_secret_value(SecretId=name, SecretString=self.value(),
                                      VersionStages=["AWSCURRENT", "release-7"])["VersionId"]
        stages = self.stages(name)
        self.assertEqual(sorted(stages[v2]), ["AWSCURRENT", "release-7"])
        self.assertEqual(stages[v1], ["AWSPREVIOUS"])

    def test_PutSecretValue_MoreThan20Stages_IsRejected(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        self.assertError(self.sm.put_secret_value, ("ValidationException", "LimitExceededException",
                                                    "InvalidParameterException"),
                         SecretId=name, SecretString=self.value(),
                         VersionStages=[f"s{i}" for i in range(21)])

    def test_PutSecretValue_BinaryValue(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        self.sm.put_secret_value(SecretId=name, SecretBinary=b"\x00\x01binary\xff")
        got = self.sm.get_secret_value(SecretId=name)
        self.assertEqual(got["SecretBinary"], b"\x00\x01binary\xff")
        self.assertNotIn("SecretString", got)


class Idempotency(ServerTestCase):
    def test_PutSecretValue_SameTokenSameValue_CreatesNothing(self):
        name, value, token = self.name(), self.value(), self.token()
        v1 = self.sm.create_secret(Name=name, SecretString=self.value())["VersionId"]
        first = self.sm.put_secret_value(SecretId=name, SecretString=value, ClientRequestToken=token)
        again = self.sm.put_secret_value(SecretId=name, SecretString=value, ClientRequestToken=token)
        self.assertEqual(first["VersionId"], token)
        self.assertEqual(again["VersionId"], token)
        stages = self.sm.describe_secret(SecretId=name)["VersionIdsToStages"]
        self.assertEqual(stages, {v1: ["AWSPREVIOUS"], token: ["AWSCURRENT"]})
        versions = self.sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)["Versions"]
        self.assertEqual(len(versions), 2)

    def test_PutSecretValue_SameTokenDifferentValue_IsResourceExists(self):
        name, value, token = self.name(), self.value(), self.token()
        arn = self.sm.create_secret(Name=name, SecretString=self.value())["ARN"]
        self.sm.put_secret_value(SecretId=name, SecretString=value, ClientRequestToken=token)
        self.assertError(self.sm.put_secret_value, "ResourceExistsException",
                         token_in_use(token, arn), SecretId=name,
                         SecretString=self.value(), ClientRequestToken=token)
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["SecretString"], value)

    def test_UpdateSecret_SameTokenDifferentValue_IsResourceExists(self):
        name, value, token = self.name(), self.value(), self.token()
        arn = self.sm.create_secret(Name=name, SecretString=self.value())["ARN"]
        self.sm.update_secret(SecretId=name, SecretString=value, ClientRequestToken=token)
        self.assertError(self.sm.update_secret, "ResourceExistsException",
                         token_in_use(token, arn), SecretId=name,
                         SecretString=self.value(), ClientRequestToken=token)
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["SecretString"], value)

    def test_CreateSecret_SameTokenDifferentValue_IsTokenInUse_NotAlreadyExists(self):
        name, value, token = self.name(), self.value(), self.token()
        arn = self.sm.create_secret(Name=name, SecretString=value, ClientRequestToken=token)["ARN"]
        self.assertError(self.sm.create_secret, "ResourceExistsException",
                         token_in_use(token, arn), Name=name, SecretString=self.value(),
                         ClientRequestToken=token)
        # Same token, same value: the first answer again.
        again = self.sm.create_secret(Name=name, SecretString=value, ClientRequestToken=token)
        self.assertEqual((again["ARN"], again["VersionId"]), (arn, token))
        # A new token: the name is what is in the way.
        self.assertError(self.sm.create_secret, "ResourceExistsException", exists_message(name),
                         Name=name, SecretString=value, ClientRequestToken=self.token())

    def test_UpdateSecret_SameTokenSameValue_CreatesNothing(self):
        name, value, token = self.name(), self.value(), self.token()
        self.sm.create_secret(Name=name, SecretString=self.value())
        a = self.sm.update_secret(SecretId=name, SecretString=value, ClientRequestToken=token)
        b = self.sm.update_secret(SecretId=name, SecretString=value, ClientRequestToken=token)
        self.assertEqual(a["VersionId"], token)
        self.assertEqual(b["VersionId"], token)
        versions = self.sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)["Versions"]
        self.assertEqual(len(versions), 2)

    def test_CreateSecret_TokenBecomesVersionId(self):
        name, token = self.name(), self.token()
        out = self.sm.create_secret(Name=name, SecretString=self.value(), ClientRequestToken=token)
        self.assertEqual(out["VersionId"], token)

    def test_Token_TooShort_IsRejected(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        from botocore.exceptions import ParamValidationError
        with self.assertRaises((ClientError, ParamValidationError)) as cm:
            self.sm.put_secret_value(SecretId=name, SecretString=self.value(),
                                     ClientRequestToken="short")
        if isinstance(cm.exception, ClientError):
            self.assertEqual(cm.exception.response["Error"]["Code"], "ValidationException")


class UpdateSecretVersionStage(ServerTestCase):
    def stages(self, name):
        return self.sm.describe_secret(SecretId=name).get("VersionIdsToStages", {})

    def two_versions(self):
        name = self.name()
        self.first, self.second = self.value(), self.value()
        v1 = self.sm.create_secret(Name=name, SecretString=self.first)["VersionId"]
        v2 = self.sm.put_secret_value(SecretId=name, SecretString=self.second)["VersionId"]
        return name, v1, v2

    def test_MoveCurrentBack_BringsPreviousAlong(self):
        name, v1, v2 = self.two_versions()
        out = self.sm.update_secret_version_stage(SecretId=name, VersionStage="AWSCURRENT",
                                                  MoveToVersionId=v1, RemoveFromVersionId=v2)
        self.assertEqual(out["Name"], name)
        self.assertTrue(out["ARN"].endswith(out["ARN"][-6:]))
        self.assertEqual(self.stages(name), {v1: ["AWSCURRENT"], v2: ["AWSPREVIOUS"]})
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["SecretString"], self.first)

    def test_MoveCurrent_WithoutRemoveFrom_IsInvalidParameter(self):
        name, v1, v2 = self.two_versions()
        self.assertError(self.sm.update_secret_version_stage, "InvalidParameterException",
                         SecretId=name, VersionStage="AWSCURRENT", MoveToVersionId=v1)
        self.assertEqual(self.stages(name), {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]})

    def test_RemoveFrom_WrongVersion_IsInvalidParameter(self):
        name, v1, v2 = self.two_versions()
        self.assertError(self.sm.update_secret_version_stage, "InvalidParameterException",
                         SecretId=name, VersionStage="AWSCURRENT", MoveToVersionId=v1,
                         RemoveFromVersionId=v1)
        self.assertEqual(self.stages(name), {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]})

    def test_CustomLabel_Attach_Move_Remove(self):
        name, v1, v2 = self.two_versions()
        self.sm.update_secret_version_stage(SecretId=name, VersionStage="blue",
                                            MoveToVersionId=v1)
        self.assertEqual(sorted(self.stages(name)[v1]), ["AWSPREVIOUS", "blue"])
        self.sm.update_secret_version_stage(SecretId=name, VersionStage="blue",
                                            MoveToVersionId=v2, RemoveFromVersionId=v1)
        stages = self.stages(name)
        self.assertEqual(stages[v1], ["AWSPREVIOUS"])
        self.assertEqual(sorted(stages[v2]), ["AWSCURRENT", "blue"])
        self.sm.update_secret_version_stage(SecretId=name, VersionStage="blue",
                                            RemoveFromVersionId=v2)
        self.assertEqual(self.stages(name), {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]})

    def test_FirstVersionOfAnEmptySecret_GetsAwsCurrentWhateverItsStages(self):
        name, token, value = self.name(), self.token(), self.value()
        self.sm.create_secret(Name=name)
        out = self.sm.put_secret_value(SecretId=name, SecretString=value,
                                       ClientRequestToken=token, VersionStages=["AWSPENDING"])
        self.assertEqual(sorted(out["VersionStages"]), ["AWSCURRENT", "AWSPENDING"])
        self.assertEqual(sorted(self.stages(name)[token]), ["AWSCURRENT", "AWSPENDING"])
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["SecretString"], value)
        # Only the first version: the next one gets just what it asks for.
        second = self.token()
        out = self.sm.put_secret_value(SecretId=name, SecretString=self.value(),
                                       ClientRequestToken=second, VersionStages=["blue"])
        self.assertEqual(out["VersionStages"], ["blue"])
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["VersionId"], token)

    def test_PutOrUpdate_MovingAwsCurrentOffAVersionWithAwsPending_TakesPendingAlong(self):
        for write in ("put_secret_value", "update_secret"):
            with self.subTest(write=write):
                name = self.name()
                v1 = self.sm.create_secret(Name=name, SecretString=self.value())["VersionId"]
                # A rotation that finished in place: AWSCURRENT and AWSPENDING together.
                self.sm.update_secret_version_stage(SecretId=name, VersionStage="AWSPENDING",
                                                    MoveToVersionId=v1)
                self.assertEqual(sorted(self.stages(name)[v1]), ["AWSCURRENT", "AWSPENDING"])
                v2 = getattr(self.sm, write)(SecretId=name, SecretString=self.value())["VersionId"]
                self.assertEqual(self.stages(name), {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]})

    def test_PendingFlow_AsARotationFunctionDoesIt(self):
        name, v1, v2 = self.two_versions()
        token, pending_value = self.token(), self.value()
        self.sm.put_secret_value(SecretId=name, SecretString=pending_value,
                                 ClientRequestToken=token, VersionStages=["AWSPENDING"])
        pending = self.sm.get_secret_value(SecretId=name, VersionStage="AWSPENDING")
        self.assertEqual(pending["SecretString"], pending_value)
        self.sm.update_secret_version_stage(SecretId=name, VersionStage="AWSCURRENT",
                                            MoveToVersionId=token, RemoveFromVersionId=v2)
        self.sm.update_secret_version_stage(SecretId=name, VersionStage="AWSPENDING",
                                            RemoveFromVersionId=token)
        self.assertEqual(self.stages(name), {v2: ["AWSPREVIOUS"], token: ["AWSCURRENT"]})
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["SecretString"], pending_value)

    def test_UnknownVersion_IsRejected(self):
        name, v1, v2 = self.two_versions()
        self.assertError(self.sm.update_secret_version_stage,
                         ("InvalidParameterException", "ResourceNotFoundException"),
                         SecretId=name, VersionStage="blue", MoveToVersionId="b" * 32)

    def test_MissingSecret_IsNotFound(self):
        self.assertError(self.sm.update_secret_version_stage, "ResourceNotFoundException",
                         NOT_FOUND, SecretId=self.name("missing"), VersionStage="blue",
                         MoveToVersionId="c" * 32)

    def test_DeletedSecret_IsMarkedForDeletion(self):
        name, v1, v2 = self.two_versions()
        self.sm.delete_secret(SecretId=name)
        self.assertError(self.sm.update_secret_version_stage, "InvalidRequestException",
                         MARKED_FOR_DELETION, SecretId=name, VersionStage="AWSCURRENT",
                         MoveToVersionId=v1, RemoveFromVersionId=v2)


class ListVersionIds(ServerTestCase):
    def test_Paging_ReturnsEveryLabelledVersionOnce(self):
        name = self.name()
        ids = {self.sm.create_secret(Name=name, SecretString=self.value())["VersionId"]}
        for i in range(12):
            ids.add(self.sm.put_secret_value(SecretId=name, SecretString=self.value(),
                                             VersionStages=[f"L{i}"])["VersionId"])
        seen, token, pages = [], None, 0
        while True:
            kwargs = dict(SecretId=name, MaxResults=5)
            if token:
                kwargs["NextToken"] = token
            page = self.sm.list_secret_version_ids(**kwargs)
            pages += 1
            self.assertLessEqual(len(page["Versions"]), 5)
            self.assertEqual(page["Name"], name)
            self.assertIn("ARN", page)
            seen += [v["VersionId"] for v in page["Versions"]]
            token = page.get("NextToken")
            if not token:
                break
            self.assertLess(pages, 10, "paging does not end")
        self.assertEqual(len(seen), len(set(seen)), "a version was listed twice")
        self.assertEqual(set(seen), ids)
        self.assertGreaterEqual(pages, 3)

    def test_Entries_CarryKmsKeyIds_And_LastAccessedOnlyOnceRead(self):
        name = self.name()
        v1 = self.sm.create_secret(Name=name, SecretString=self.value())["VersionId"]
        entry = self.sm.list_secret_version_ids(SecretId=name)["Versions"][0]
        self.assertEqual(entry["VersionId"], v1)
        self.assertEqual(entry["VersionStages"], ["AWSCURRENT"])
        self.assertEqual(entry["KmsKeyIds"], ["DefaultEncryptionKey"])
        self.assertIn("CreatedDate", entry)
        self.assertNotIn("LastAccessedDate", entry)
        self.sm.get_secret_value(SecretId=name)
        entry = self.sm.list_secret_version_ids(SecretId=name)["Versions"][0]
        self.assertIn("LastAccessedDate", entry)

    def test_MissingSecret_IsNotFound(self):
        self.assertError(self.sm.list_secret_version_ids, "ResourceNotFoundException", NOT_FOUND,
                         SecretId=self.name("missing"))

    def test_SecretWithoutValue_ListsNothing(self):
        name = self.name()
        self.sm.create_secret(Name=name)
        self.assertEqual(self.sm.list_secret_version_ids(SecretId=name)["Versions"], [])


if __name__ == "__main__":
    unittest.main()
