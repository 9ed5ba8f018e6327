"""Data survives a graceful restart (SIGTERM or SIGHUP -> exit 0 -> start on the same
data dir) and a kill -9 after an acknowledged write; one server at a time
holds a data dir."""
import signal
import unittest
import uuid

from harness import Server, ServerError, skip_on_moto


def strip(resp):
    return {k: v for k, v in resp.items() if k != "ResponseMetadata"}


@skip_on_moto("moto keeps nothing on disk")
class Persistence(unittest.TestCase):
    def setUp(self):
        self.server = Server(in_memory=False)
        self.server.start()
        self.addCleanup(self.server.cleanup)

    def tearDown(self):
        self.server.stop()
        leaked = self.server.leaked_values()
        self.assertEqual(leaked, [], "secret values appear in the server log")

    def value(self):
        v = f"persist-secret-{uuid.uuid4().hex}"
        self.server.sensitive_values.add(v)
        return v

    def snapshot(self, sm, names):
        out = {}
        for name in names:
            d = strip(sm.describe_secret(SecretId=name))
            d.pop("LastAccessedDate", None)
            versions = sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)["Versions"]
            values = {}
            for v in versions:
                got = sm.get_secret_value(SecretId=name, VersionId=v["VersionId"]) \
                    if "DeletedDate" not in d else {}
                values[v["VersionId"]] = (got.get("SecretString"), got.get("SecretBinary"))
            out[name] = (d, sorted((v["VersionId"], tuple(sorted(v.get("VersionStages", []))))
                                   for v in versions), values)
        return out

    def test_GracefulRestart_KeepsSecretsVersionsLabelsTagsAndSchedules(self):
        sm = self.server.client()
        other = self.server.client(access_key="444444444444", region="eu-central-1")
        base = f"persist/{uuid.uuid4().hex[:8]}"
        names = [f"{base}/plain", f"{base}/binary", f"{base}/versions", f"{base}/deleted",
                 f"{base}/novalue"]
        sm.create_secret(Name=names[0], SecretString=self.value(), Description="plain one",
                         Tags=[{"Key": "env", "Value": "dev"}])
        sm.create_secret(Name=names[1], SecretBinary=b"\x00\xffbytes")
        sm.create_secret(Name=names[2], SecretString=self.value())
        sm.put_secret_value(SecretId=names[2], SecretString=self.value())
        sm.put_secret_value(SecretId=names[2], SecretString=self.value())
        sm.put_secret_value(SecretId=names[2], SecretString=self.value(), VersionStages=["blue"])
        sm.tag_resource(SecretId=names[2], Tags=[{"Key": "t", "Value": "1"}])
        sm.untag_resource(SecretId=names[2], TagKeys=["t"])  # Tags: [] must survive too
        sm.create_secret(Name=names[3], SecretString=self.value())
        sm.delete_secret(SecretId=names[3], RecoveryWindowInDays=7)
        sm.create_secret(Name=names[4])
        other_value = self.value()
        other.create_secret(Name=names[0], SecretString=other_value)

        before = self.snapshot(sm, names)
        self.server.restart()
        sm = self.server.client()
        other = self.server.client(access_key="444444444444", region="eu-central-1")
        after = self.snapshot(sm, names)
        self.assertEqual(after, before)
        self.assertEqual(other.get_secret_value(SecretId=names[0])["SecretString"], other_value)
        listed = {s["Name"] for s in sm.list_secrets(
            Filters=[{"Key": "name", "Values": [base]}], IncludePlannedDeletion=True)["SecretList"]}
        self.assertEqual(listed, set(names))

        # The restarted server keeps working on the same data.
        sm.restore_secret(SecretId=names[3])
        new_value = self.value()
        v = sm.put_secret_value(SecretId=names[0], SecretString=new_value)["VersionId"]
        self.assertEqual(sm.get_secret_value(SecretId=names[0])["VersionId"], v)
        self.server.restart()
        sm = self.server.client()
        self.assertEqual(sm.get_secret_value(SecretId=names[0])["SecretString"], new_value)
        self.assertNotIn("DeletedDate", sm.describe_secret(SecretId=names[3]))

    def test_Kill9_AfterAcknowledgedPut_ValueIsPresent(self):
        sm = self.server.client()
        name = f"persist/{uuid.uuid4().hex[:8]}/crash"
        sm.create_secret(Name=name, SecretString=self.value())
        value = self.value()
        token = str(uuid.uuid4())
        sm.put_secret_value(SecretId=name, SecretString=value, ClientRequestToken=token)
        self.server.kill9()
        self.server.start(port=self.server.port)
        sm = self.server.client()
        got = sm.get_secret_value(SecretId=name)
        self.assertEqual(got["SecretString"], value)
        self.assertEqual(got["VersionId"], token)

    def test_Sighup_IsAGracefulStop_ThatKeepsTheLastAccessDate(self):
        # A closed terminal sends SIGHUP to a server run in the foreground.
        sm = self.server.client()
        name = f"persist/{uuid.uuid4().hex[:8]}/hangup"
        sm.create_secret(Name=name, SecretString=self.value())
        sm.get_secret_value(SecretId=name)  # its date is written within a second, or at a stop
        proc, self.server.proc = self.server.proc, None
        proc.send_signal(signal.SIGHUP)
        self.assertEqual(proc.wait(timeout=10), 0, self.server.log())
        self.assertIn("SIGHUP", self.server.log())
        self.server.start(port=self.server.port)
        self.assertIn("LastAccessedDate", self.server.client().describe_secret(SecretId=name))

    def test_ValuesAreNotStoredInPlaintext(self):
        import os
        sm = self.server.client()
        value = self.value()
        sm.create_secret(Name=f"persist/{uuid.uuid4().hex[:8]}/enc", SecretString=value)
        self.server.stop()
        for root, _, files in os.walk(self.server.data_dir):
            for f in files:
                with open(os.path.join(root, f), "rb") as fh:
                    self.assertNotIn(value.encode(), fh.read(), f"plaintext value in {f}")
        self.server.start()

    def test_FreshDataDir_IsEmpty(self):
        other = Server(in_memory=False)
        other.start()
        try:
            self.server.client().create_secret(Name="persist/only-here", SecretString=self.value())
            self.assertEqual(other.client().list_secrets()["SecretList"], [])
        finally:
            other.stop()
            other.cleanup()

    def test_SecondServerOnTheSameDataDir_IsRefused_UntilTheFirstStops(self):
        name = f"persist/{uuid.uuid4().hex[:8]}/held"
        self.server.client().create_secret(Name=name, SecretString=self.value())
        second = Server(data_dir=self.server.data_dir)
        self.addCleanup(second.cleanup)
        with self.assertRaises(ServerError) as refused:
            second.start()
        self.assertIn("server exited with 1", str(refused.exception))
        self.assertIn(f"data directory {self.server.data_dir} is in use by another server "
                      f"(pid {self.server.proc.pid})", second.log())
        self.assertEqual(self.server.client().describe_secret(SecretId=name)["Name"], name)

        self.server.stop()
        second.start()
        self.assertEqual(second.client().describe_secret(SecretId=name)["Name"], name)
        second.stop()
        self.server.start()


if __name__ == "__main__":
    unittest.main()
