"""Multi-Region secrets: one server, clients in three regions of one account.
Replicas are real secrets in their region, readable there, kept equal to the
primary after every write, and refuse writes of their own."""
import unittest

from botocore.exceptions import ClientError

from harness import NOT_FOUND, ServerTestCase

REPLICA_REFUSED = ("Operation not permitted on a replica secret. "
                   "Call must be made in primary secret's region.")
EU, AP = "eu-west-1", "ap-southeast-2"


class Replication(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eu = cls.server.client(region=EU)
        cls.ap = cls.server.client(region=AP)

    def assertFails(self, call, code, message=None, **kwargs):
        with self.assertRaises(ClientError) as raised:
            call(**kwargs)
        error = raised.exception.response["Error"]
        self.assertEqual(error["Code"], code)
        if message is not None:
            self.assertEqual(error["Message"], message)
        return error

    def create_replicated(self, regions=(EU, AP)):
        name, value = self.name(), self.value()
        out = self.sm.create_secret(Name=name, SecretString=value,
                                    AddReplicaRegions=[{"Region": r} for r in regions])
        return name, value, out

    def test_CreateWithReplicas_ReadableInEveryRegion(self):
        name, value, out = self.create_replicated()
        self.assertEqual([s["Region"] for s in out["ReplicationStatus"]], [EU, AP])
        self.assertEqual({s["Status"] for s in out["ReplicationStatus"]}, {"InSync"})
        for client, region in ((self.eu, EU), (self.ap, AP)):
            got = client.get_secret_value(SecretId=name)
            self.assertEqual(got["SecretString"], value)
            self.assertEqual(got["VersionId"], out["VersionId"])
            self.assertEqual(got["ARN"], out["ARN"].replace(":us-east-1:", f":{region}:"))
            described = client.describe_secret(SecretId=got["ARN"])
            self.assertEqual(described["PrimaryRegion"], "us-east-1")
            self.assertNotIn("ReplicationStatus", described)
            batch = client.batch_get_secret_value(SecretIdList=[name])
            self.assertEqual(batch["SecretValues"][0]["SecretString"], value)
        primary = self.sm.describe_secret(SecretId=name)
        self.assertEqual(primary["PrimaryRegion"], "us-east-1")
        self.assertEqual([s["Region"] for s in primary["ReplicationStatus"]], [EU, AP])

    def test_WritesToThePrimary_ReachEveryReplica(self):
        name, first, _ = self.create_replicated()
        second = self.value()
        v2 = self.sm.put_secret_value(SecretId=name, SecretString=second)["VersionId"]
        self.sm.update_secret(SecretId=name, Description="synced")
        self.sm.tag_resource(SecretId=name, Tags=[{"Key": "team", "Value": "a"}])
        for client in (self.eu, self.ap):
            self.assertEqual(client.get_secret_value(SecretId=name)["SecretString"], second)
            self.assertEqual(client.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")
                             ["SecretString"], first)
            described = client.describe_secret(SecretId=name)
            self.assertEqual(described["Description"], "synced")
            self.assertEqual(described["Tags"], [{"Key": "team", "Value": "a"}])
        # Move AWSCURRENT back by hand; the replicas follow.
        v1 = [v for v, s in self.sm.describe_secret(SecretId=name)["VersionIdsToStages"].items()
              if "AWSPREVIOUS" in s][0]
        self.sm.update_secret_version_stage(SecretId=name, VersionStage="AWSCURRENT",
                                            RemoveFromVersionId=v2, MoveToVersionId=v1)
        self.assertEqual(self.eu.get_secret_value(SecretId=name)["SecretString"], first)
        self.assertEqual(self.eu.describe_secret(SecretId=name)["VersionIdsToStages"],
                         self.sm.describe_secret(SecretId=name)["VersionIdsToStages"])
        self.sm.untag_resource(SecretId=name, TagKeys=["team"])
        self.assertEqual(self.ap.describe_secret(SecretId=name)["Tags"], [])

    def test_WritesToAReplica_AreRefused(self):
        name, value, _ = self.create_replicated((EU,))
        attempts = [
            (self.eu.put_secret_value, dict(SecretString=self.value())),
            (self.eu.update_secret, dict(Description="x")),
            (self.eu.tag_resource, dict(Tags=[{"Key": "k", "Value": "v"}])),
            (self.eu.untag_resource, dict(TagKeys=["k"])),
            (self.eu.delete_secret, dict()),
            (self.eu.replicate_secret_to_regions, dict(AddReplicaRegions=[{"Region": AP}])),
            (self.eu.remove_regions_from_replication, dict(RemoveReplicaRegions=[EU])),
        ]
        for call, kwargs in attempts:
            self.assertFails(call, "InvalidParameterException", REPLICA_REFUSED,
                             SecretId=name, **kwargs)
        self.assertEqual(self.eu.get_secret_value(SecretId=name)["SecretString"], value)

    def test_NameTakenInAReplicaRegion_FailsUnlessForced(self):
        name, theirs = self.name(), self.value()
        existing = self.eu.create_secret(Name=name, SecretString=theirs)
        ours = self.value()
        out = self.sm.create_secret(Name=name, SecretString=ours,
                                    AddReplicaRegions=[{"Region": EU}])
        status = out["ReplicationStatus"][0]
        self.assertEqual(status["Status"], "Failed")
        self.assertEqual(status["StatusMessage"],
                         f"Replication failed: Secret name {name} already exists in region {EU}.")
        self.assertEqual(self.eu.get_secret_value(SecretId=name)["SecretString"], theirs)

        out = self.sm.replicate_secret_to_regions(SecretId=name, AddReplicaRegions=[{"Region": EU}],
                                                  ForceOverwriteReplicaSecret=True)
        self.assertEqual(out["ReplicationStatus"][0]["Status"], "InSync")
        self.assertEqual(self.eu.get_secret_value(SecretId=name)["SecretString"], ours)
        self.assertFails(self.eu.describe_secret, "ResourceNotFoundException", NOT_FOUND,
                         SecretId=existing["ARN"])

    def test_ReplicateLater_And_RemoveRegions(self):
        name, value = self.name(), self.value()
        arn = self.sm.create_secret(Name=name, SecretString=value)["ARN"]
        self.assertFails(self.eu.describe_secret, "ResourceNotFoundException", SecretId=name)
        out = self.sm.replicate_secret_to_regions(
            SecretId=name, AddReplicaRegions=[{"Region": EU}, {"Region": AP, "KmsKeyId": "alias/ap"}])
        self.assertEqual(out["ARN"], arn)
        self.assertEqual(out["ReplicationStatus"][1]["KmsKeyId"], "alias/ap")
        self.assertEqual(self.ap.describe_secret(SecretId=name)["KmsKeyId"], "alias/ap")

        self.assertFails(self.sm.delete_secret, "InvalidParameterException",
                         f"You can't delete secret {arn} that still has replica regions [{EU}, {AP}].",
                         SecretId=name)
        out = self.sm.remove_regions_from_replication(SecretId=name, RemoveReplicaRegions=[EU])
        self.assertEqual([s["Region"] for s in out["ReplicationStatus"]], [AP])
        self.assertFails(self.eu.get_secret_value, "ResourceNotFoundException", SecretId=name)
        self.assertEqual(self.ap.get_secret_value(SecretId=name)["SecretString"], value)
        self.sm.remove_regions_from_replication(SecretId=name, RemoveReplicaRegions=[AP])
        described = self.sm.describe_secret(SecretId=name)
        self.assertNotIn("ReplicationStatus", described)
        self.assertNotIn("PrimaryRegion", described)
        self.sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)

    def test_StopReplicationToReplica_PromotesThenWritesAreIndependent(self):
        name, value, out = self.create_replicated()
        replica_arn = out["ARN"].replace(":us-east-1:", f":{EU}:")
        self.assertFails(self.sm.stop_replication_to_replica, "InvalidParameterException",
                         SecretId=name)
        promoted = self.eu.stop_replication_to_replica(SecretId=replica_arn)
        self.assertEqual(promoted["ARN"], replica_arn)
        self.assertNotIn("PrimaryRegion", self.eu.describe_secret(SecretId=name))
        self.assertEqual([s["Region"] for s in
                          self.sm.describe_secret(SecretId=name)["ReplicationStatus"]], [AP])
        eu_value, us_value = self.value(), self.value()
        self.eu.put_secret_value(SecretId=name, SecretString=eu_value)
        self.sm.put_secret_value(SecretId=name, SecretString=us_value)
        self.assertEqual(self.eu.get_secret_value(SecretId=name)["SecretString"], eu_value)
        self.assertEqual(self.ap.get_secret_value(SecretId=name)["SecretString"], us_value)

    def test_PrimaryRegionFilter(self):
        name, _, _ = self.create_replicated((EU,))
        plain = self.name()
        self.sm.create_secret(Name=plain, SecretString=self.value())

        def names(client, region):
            pages = client.get_paginator("list_secrets").paginate(
                Filters=[{"Key": "primary-region", "Values": [region]}])
            return {s["Name"] for page in pages for s in page["SecretList"]}

        self.assertIn(name, names(self.sm, "us-east-1"))
        self.assertNotIn(plain, names(self.sm, "us-east-1"))
        self.assertIn(name, names(self.eu, "us-east-1"))
        self.assertNotIn(name, names(self.eu, EU))
        entry = [s for s in self.eu.list_secrets()["SecretList"] if s["Name"] == name][0]
        self.assertEqual(entry["PrimaryRegion"], "us-east-1")


if __name__ == "__main__":
    unittest.main()
