"""ListSecrets (filters, negation, `all`, sorting, paging through 1,000+
secrets) and BatchGetSecretValue. Each test works inside its own name prefix
so tests sharing the server do not see each other's secrets."""
import concurrent.futures
import time
import unittest
import uuid

from botocore.exceptions import ClientError, ParamValidationError

from harness import NOT_FOUND, ServerTestCase


class ListSecretsBase(ServerTestCase):
    def setUp(self):
        self.prefix = f"ls{uuid.uuid4().hex[:8]}/"

    def make(self, suffix, **kwargs):
        name = self.prefix + suffix
        kwargs.setdefault("SecretString", self.value())
        self.sm.create_secret(Name=name, **kwargs)
        return name

    def list_names(self, filters=(), **kwargs):
        """Every name ListSecrets returns (all pages) within this test's prefix,
        in the order returned. `filters` are ANDed with the prefix filter."""
        names, token = [], None
        f = [{"Key": "name", "Values": [self.prefix]}] + list(filters)
        while True:
            args = dict(Filters=f, MaxResults=100, **kwargs)
            if token:
                args["NextToken"] = token
            page = self.sm.list_secrets(**args)
            names += [e["Name"] for e in page["SecretList"]]
            token = page.get("NextToken")
            if not token:
                return names


class Filters(ListSecretsBase):
    def test_NameFilter_IsCaseSensitivePrefix(self):
        a = self.make("app/db")
        b = self.make("app/api")
        self.make("App/other")
        self.make("web/app")
        self.assertEqual(sorted(self.list_names([{"Key": "name", "Values": [self.prefix + "app/"]}])),
                         sorted([a, b]))
        self.assertEqual(self.list_names([{"Key": "name", "Values": [self.prefix + "app/d"]}]), [a])

    def test_NameFilter_SeveralValues_AreOred(self):
        a = self.make("one")
        b = self.make("two")
        self.make("three")
        got = self.list_names([{"Key": "name", "Values": [self.prefix + "one", self.prefix + "tw"]}])
        self.assertEqual(sorted(got), sorted([a, b]))

    def test_NegatedName_ExcludesPrefix(self):
        self.make("prod/db")
        b = self.make("dev/db")
        got = self.list_names([{"Key": "name", "Values": ["!" + self.prefix + "prod"]}])
        self.assertEqual(got, [b])

    def test_DescriptionFilter_IsAWordSearch(self):
        a = self.make("a", Description="Payment Gateway credentials")
        b = self.make("b", Description="Other thing payment")
        self.make("c")
        self.assertEqual(self.list_names([{"Key": "description", "Values": ["payment gate"]}]), [a])
        self.assertEqual(self.list_names([{"Key": "description", "Values": ["gate CRED"]}]), [a])
        # Any word of the description, not only its start.
        self.assertEqual(sorted(self.list_names([{"Key": "description", "Values": ["PAYMENT"]}])),
                         sorted([a, b]))
        self.assertEqual(self.list_names([{"Key": "description", "Values": ["ayment"]}]), [])

    def test_WordSearch_BehaviorExamples(self):
        """The examples recorded against AWS (BEHAVIOR.md §6)."""
        one_and_two = self.make("d1", Description="one and two")
        one = self.make("d2", Description="one")
        app_beta = self.make("prod/AppBeta/x")
        company = self.make("uat/COMPANY/x")
        company_things = self.make("uat/COMPANYthings/x")
        ftag = self.make("SecretFTag1")
        cases = [
            ("description", "two", [one_and_two]),
            ("description", "one two", [one_and_two]),
            ("description", "one", [one_and_two, one]),
            ("all", "AppBeta", [app_beta]),
            ("all", "Beta", [app_beta]),
            ("all", "prod", [app_beta]),
            ("all", "company", [company]),
            ("all", "Ythings", [company_things]),
            ("all", "t", [ftag, one_and_two]),  # Tag; two
            ("all", "+", []),
        ]
        for key, value, expected in cases:
            with self.subTest(key=key, value=value):
                got = self.list_names([{"Key": key, "Values": [value]}])
                self.assertEqual(sorted(got), sorted(expected))

    def test_WordSearch_ValuesOred_SameKeyFiltersAnded(self):
        both = self.make("x", Description="red green")
        red = self.make("y", Description="red")
        green = self.make("z", Description="green")
        self.assertEqual(sorted(self.list_names([{"Key": "description", "Values": ["red", "green"]}])),
                         sorted([both, red, green]))
        self.assertEqual(self.list_names([{"Key": "description", "Values": ["red"]},
                                          {"Key": "description", "Values": ["green"]}]), [both])

    def test_BatchGetSecretValue_FiltersAreWordSearchesToo(self):
        word = f"Quokka{uuid.uuid4().hex[:6]}"
        match = self.make(f"svc/{word}Beta")
        self.make("svc/other")
        out = self.sm.batch_get_secret_value(
            Filters=[{"Key": "name", "Values": [self.prefix]}, {"Key": "all", "Values": ["beta"]}])
        self.assertEqual([v["Name"] for v in out["SecretValues"]], [match])
        self.assertEqual(out["Errors"], [])

    def test_EmptyDescription_IsLeftOut(self):
        name = self.make("empty", Description="")
        self.assertNotIn("Description", self.sm.describe_secret(SecretId=name))
        entry = self.sm.list_secrets(Filters=[{"Key": "name", "Values": [name]}])["SecretList"][0]
        self.assertEqual(entry["Name"], name)
        self.assertNotIn("Description", entry)

    def test_TagKeyAndTagValueFilters_AreCaseSensitivePrefix(self):
        a = self.make("a", Tags=[{"Key": "Environment", "Value": "production"}])
        b = self.make("b", Tags=[{"Key": "env", "Value": "prod-eu"}])
        self.make("c", Tags=[{"Key": "team", "Value": "core"}])
        self.assertEqual(self.list_names([{"Key": "tag-key", "Values": ["Env"]}]), [a])
        self.assertEqual(self.list_names([{"Key": "tag-key", "Values": ["env"]}]), [b])
        self.assertEqual(sorted(self.list_names([{"Key": "tag-value", "Values": ["prod"]}])),
                         sorted([a, b]))
        self.assertEqual(self.list_names([{"Key": "tag-value", "Values": ["Prod"]}]), [])

    def test_NegatedTagKey_ExcludesThatKey(self):
        self.make("a", Tags=[{"Key": "secret-class", "Value": "x"}])
        b = self.make("b", Tags=[{"Key": "team", "Value": "y"}])
        got = self.list_names([{"Key": "tag-key", "Values": ["!secret-class"]}])
        self.assertEqual(got, [b])

    def test_FiltersOfDifferentKeys_AreAnded(self):
        a = self.make("a", Description="alpha", Tags=[{"Key": "k", "Value": "v"}])
        self.make("b", Description="alpha")
        self.make("c", Tags=[{"Key": "k", "Value": "v"}])
        got = self.list_names([{"Key": "description", "Values": ["alpha"]},
                               {"Key": "tag-key", "Values": ["k"]}])
        self.assertEqual(got, [a])

    def test_AllFilter_MatchesNameDescriptionAndTags_CaseInsensitive(self):
        word = f"zebra{uuid.uuid4().hex[:6]}"
        by_name = self.make(f"{word}-service")
        by_desc = self.make("d", Description=f"used by {word.upper()} jobs")
        by_tag_key = self.make("k", Tags=[{"Key": word, "Value": "x"}])
        by_tag_value = self.make("v", Tags=[{"Key": "x", "Value": word}])
        self.make("none", Description="unrelated")
        got = self.list_names([{"Key": "all", "Values": [word.upper()]}])
        self.assertEqual(sorted(got), sorted([by_name, by_desc, by_tag_key, by_tag_value]))

    def test_OwningServiceAndPrimaryRegion_Filters_AreAccepted(self):
        self.make("a")
        self.assertEqual(self.list_names([{"Key": "owning-service", "Values": ["rds"]}]), [])
        self.assertEqual(self.list_names([{"Key": "primary-region", "Values": ["ap-south-9"]}]), [])

    def test_InvalidFilterKey_IsRejected(self):
        with self.assertRaises((ClientError, ParamValidationError)):
            self.sm.list_secrets(Filters=[{"Key": "colour", "Values": ["x"]}])

    def test_FilterWithoutKeyOrValues_IsInvalidParameterException(self):
        # The model requires neither member, so this is no ValidationException.
        self.assertError(self.sm.list_secrets, "InvalidParameterException", "Invalid filter key",
                         Filters=[{"Values": ["x"]}])
        self.assertError(self.sm.list_secrets, "InvalidParameterException",
                         "Invalid filter values for key: description",
                         Filters=[{"Key": "description"}])
        self.assertError(self.sm.batch_get_secret_value, "InvalidParameterException",
                         "Invalid filter key", Filters=[{"Values": ["x"]}])

    def test_Entries_UseSecretVersionsToStages(self):
        name = self.make("a")
        entries = self.sm.list_secrets(Filters=[{"Key": "name", "Values": [name]}])["SecretList"]
        self.assertEqual(len(entries), 1)
        e = entries[0]
        self.assertIn("SecretVersionsToStages", e)
        self.assertNotIn("VersionIdsToStages", e)
        self.assertEqual(list(e["SecretVersionsToStages"].values()), [["AWSCURRENT"]])
        self.assertIn("ARN", e)
        self.assertIn("CreatedDate", e)
        self.assertNotIn("Tags", e)
        self.assertNotIn("DeletedDate", e)
        self.assertNotIn("Description", e)

    def test_PlannedDeletion_HiddenUnlessIncluded(self):
        a = self.make("a")
        b = self.make("b")
        self.sm.delete_secret(SecretId=b)
        self.assertEqual(self.list_names(), [a])
        both = self.list_names(IncludePlannedDeletion=True)
        self.assertEqual(sorted(both), sorted([a, b]))
        entries = self.sm.list_secrets(Filters=[{"Key": "name", "Values": [b]}],
                                       IncludePlannedDeletion=True)["SecretList"]
        self.assertIn("DeletedDate", entries[0])
        self.sm.delete_secret(SecretId=a, ForceDeleteWithoutRecovery=True)
        self.assertEqual(self.list_names(IncludePlannedDeletion=True), [b])


class Sorting(ListSecretsBase):
    def test_SortByName_AscAndDesc(self):
        names = [self.make(s) for s in ("m", "b", "z", "a")]
        self.assertEqual(self.list_names(SortBy="name", SortOrder="asc"), sorted(names))
        self.assertEqual(self.list_names(SortBy="name", SortOrder="desc"),
                         sorted(names, reverse=True))

    def test_SortByCreatedDate_AscAndDesc(self):
        names = []
        for s in ("c", "a", "b"):
            names.append(self.make(s))
            time.sleep(1.05)  # timestamps on the wire have second precision at worst
        self.assertEqual(self.list_names(SortBy="created-date", SortOrder="asc"), names)
        self.assertEqual(self.list_names(SortBy="created-date", SortOrder="desc"), names[::-1])

    def test_SortByLastChangedDate(self):
        a = self.make("a")
        time.sleep(1.05)
        b = self.make("b")
        time.sleep(1.05)
        self.sm.update_secret(SecretId=a, Description="touched")
        self.assertEqual(self.list_names(SortBy="last-changed-date", SortOrder="asc"), [b, a])
        self.assertEqual(self.list_names(SortBy="last-changed-date", SortOrder="desc"), [a, b])

    def test_SortByLastAccessedDate_ShowsAReadMadeJustBefore(self):
        a = self.make("a")
        b = self.make("b")
        c = self.make("c")
        self.sm.get_secret_value(SecretId=b)
        # At once: the server writes read dates about every second.
        entries = self.sm.list_secrets(
            SortBy="last-accessed-date", SortOrder="desc",
            Filters=[{"Key": "name", "Values": [self.prefix]}])["SecretList"]
        self.assertEqual([e["Name"] for e in entries][0], b)
        self.assertIn("LastAccessedDate", entries[0])
        self.assertEqual(sorted(e["Name"] for e in entries[1:]), sorted([a, c]))
        self.assertNotIn("LastAccessedDate", entries[1])

    def test_InvalidSortBy_IsValidationException(self):
        self.assertError(self.sm.list_secrets, "ValidationException", SortBy="size")


class Paging(ListSecretsBase):
    COUNT = 1050

    def test_PagingThrough1050Secrets_ReturnsEachOnce(self):
        names = [f"{self.prefix}s{i:05d}" for i in range(self.COUNT)]

        def create(n):
            self.sm.create_secret(Name=n, SecretString="paging-value")

        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(create, names))
        pages, token, seen = 0, None, []
        while True:
            args = dict(Filters=[{"Key": "name", "Values": [self.prefix]}], MaxResults=100,
                        SortBy="name", SortOrder="asc")
            if token:
                args["NextToken"] = token
            page = self.sm.list_secrets(**args)
            pages += 1
            self.assertLessEqual(len(page["SecretList"]), 100)
            seen += [e["Name"] for e in page["SecretList"]]
            token = page.get("NextToken")
            if not token:
                break
            self.assertLess(pages, 30, "paging does not end")
        self.assertEqual(len(seen), len(set(seen)), "duplicates across pages")
        self.assertEqual(seen, sorted(names))
        self.assertEqual(pages, 11)

        # The SDK's paginator walks the same pages.
        paginator = self.sm.get_paginator("list_secrets")
        total = sum(len(p["SecretList"]) for p in paginator.paginate(
            Filters=[{"Key": "name", "Values": [self.prefix]}],
            PaginationConfig={"PageSize": 100}))
        self.assertEqual(total, self.COUNT)

    def test_SmallPages_NoDuplicates(self):
        names = sorted(self.make(f"p{i:02d}") for i in range(7))
        seen, token = [], None
        while True:
            args = dict(Filters=[{"Key": "name", "Values": [self.prefix]}], MaxResults=3,
                        SortBy="name", SortOrder="asc")
            if token:
                args["NextToken"] = token
            page = self.sm.list_secrets(**args)
            seen += [e["Name"] for e in page["SecretList"]]
            token = page.get("NextToken")
            if not token:
                break
        self.assertEqual(seen, names)

    def test_MaxResultsOutOfRange_IsValidationException(self):
        self.assertError(self.sm.list_secrets, "ValidationException", MaxResults=101)

    def test_GarbageNextToken_IsRejected(self):
        self.assertError(self.sm.list_secrets, ("InvalidNextTokenException", "ValidationException",
                                                "InvalidParameterException"),
                         NextToken="this-is-not-a-token")


class BatchGet(ListSecretsBase):
    def test_BySecretIdList_ReturnsValues_AndErrorsForMissing(self):
        v1, v2 = self.value(), self.value()
        a = self.make("a", SecretString=v1)
        b = self.make("b", SecretString=v2)
        arn_b = self.sm.describe_secret(SecretId=b)["ARN"]
        missing = self.prefix + "missing"
        out = self.sm.batch_get_secret_value(SecretIdList=[a, arn_b, missing])
        values = {e["Name"]: e for e in out["SecretValues"]}
        self.assertEqual(values[a]["SecretString"], v1)
        self.assertEqual(values[b]["SecretString"], v2)
        self.assertEqual(values[b]["ARN"], arn_b)
        self.assertEqual(values[a]["VersionStages"], ["AWSCURRENT"])
        self.assertIn("VersionId", values[a])
        self.assertEqual(len(out["Errors"]), 1)
        err = out["Errors"][0]
        self.assertEqual(err["SecretId"], missing)
        self.assertEqual(err["ErrorCode"], "ResourceNotFoundException")
        self.assertEqual(err["Message"], NOT_FOUND)

    def test_ByFilters_Pages(self):
        made = {self.make(f"f{i}", SecretString=self.value()) for i in range(5)}
        seen, token = set(), None
        for _ in range(10):
            args = dict(Filters=[{"Key": "name", "Values": [self.prefix]}], MaxResults=2)
            if token:
                args["NextToken"] = token
            out = self.sm.batch_get_secret_value(**args)
            seen |= {e["Name"] for e in out["SecretValues"]}
            token = out.get("NextToken")
            if not token:
                break
        self.assertEqual(seen, made)

    def test_ListAndFiltersTogether_IsRejected(self):
        a = self.make("a")
        self.assertError(self.sm.batch_get_secret_value,
                         ("InvalidParameterException", "InvalidRequestException",
                          "ValidationException"),
                         SecretIdList=[a], Filters=[{"Key": "name", "Values": [a]}])

    def test_MoreThan20Ids_IsRejected(self):
        ids = [f"{self.prefix}x{i}" for i in range(21)]
        self.assertError(self.sm.batch_get_secret_value,
                         ("ValidationException", "InvalidParameterException"), SecretIdList=ids)

    def test_DeletedSecret_GoesToErrors(self):
        a = self.make("a")
        self.sm.delete_secret(SecretId=a)
        out = self.sm.batch_get_secret_value(SecretIdList=[a])
        self.assertEqual(out["SecretValues"], [])
        self.assertEqual(out["Errors"][0]["ErrorCode"], "InvalidRequestException")


if __name__ == "__main__":
    unittest.main()
