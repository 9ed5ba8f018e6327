"""Encryption at rest, checked from outside: the database and its WAL never
hold a secret value in the clear, the master key is private, data survives a
restart with the same key and is refused (not crashed on) with another one."""
import base64
import os
import re
import secrets
import stat
import unittest
import uuid

from harness import Server, ServerTestCase, skip_on_moto

DB_FILE = "secrets.db"
KEY_FILE = "master.key"


def forms(value):
    """The byte strings that would betray `value` (str or bytes) in a file."""
    raw = value.encode("utf-8") if isinstance(value, str) else value
    out = {raw, base64.b64encode(raw), raw.hex().encode(), raw.hex().upper().encode()}
    if isinstance(value, str):
        out.add(value.encode("utf-16-le"))
    # A distinctive slice survives even if the value were split or re-encoded.
    out.add(raw[4:28])
    return out


def files_under(directory):
    for root, _, names in os.walk(directory):
        for name in names:
            yield os.path.join(root, name)


@skip_on_moto("moto keeps nothing on disk")
class EncryptionAtRest(unittest.TestCase):
    def setUp(self):
        self.server = Server(in_memory=False)
        self.addCleanup(self.server.cleanup)
        self.server.start()
        self.sm = self.server.client()
        self.strings = []   # every SecretString written
        self.binaries = []  # every SecretBinary written

    def string_value(self, hint):
        v = f"{hint}-PLAINTEXT-MARKER-{uuid.uuid4().hex}"
        self.strings.append(v)
        self.server.sensitive_values.add(v)
        return v

    def binary_value(self):
        v = b"BINARY-MARKER-" + uuid.uuid4().bytes + secrets.token_bytes(16)
        self.binaries.append(v)
        self.server.sensitive_values.add(base64.b64encode(v).decode())
        return v

    def write_secrets(self):
        """Several versions of a string and a binary secret, plus JSON: returns
        {secret name: {version id: value}}."""
        written = {}
        name = f"enc/string/{uuid.uuid4().hex[:8]}"
        out = self.sm.create_secret(Name=name, SecretString=self.string_value("create"),
                                    Description="description is metadata, not a value")
        written[name] = {out["VersionId"]: self.strings[-1]}
        for i in range(3):
            v = self.string_value(f"put{i}")
            written[name][self.sm.put_secret_value(SecretId=name, SecretString=v)["VersionId"]] = v
        v = self.string_value("update")
        written[name][self.sm.update_secret(SecretId=name, SecretString=v)["VersionId"]] = v

        bname = f"enc/binary/{uuid.uuid4().hex[:8]}"
        out = self.sm.create_secret(Name=bname, SecretBinary=self.binary_value())
        written[bname] = {out["VersionId"]: self.binaries[-1]}
        for _ in range(2):
            v = self.binary_value()
            written[bname][self.sm.put_secret_value(SecretId=bname, SecretBinary=v)["VersionId"]] = v

        jname = f"enc/json/{uuid.uuid4().hex[:8]}"
        v = '{"username":"admin","password":"%s"}' % self.string_value("json")
        self.strings.append(v)
        out = self.sm.create_secret(Name=jname, SecretString=v)
        written[jname] = {out["VersionId"]: v}
        # Pending versions (VersionStages without AWSCURRENT) are values too.
        v = self.string_value("pending")
        vid = self.sm.put_secret_value(SecretId=jname, SecretString=v,
                                       VersionStages=["AWSPENDING"])["VersionId"]
        written[jname][vid] = v
        return written

    def assertNoPlaintextOnDisk(self, when):
        needles = set()
        for value in self.strings + self.binaries:
            needles |= forms(value)
        found = []
        paths = list(files_under(self.server.data_dir))
        self.assertIn(os.path.join(self.server.data_dir, DB_FILE), paths)
        for path in paths:
            with open(path, "rb") as f:
                data = f.read()
            for needle in needles:
                if needle in data:
                    found.append((os.path.basename(path), needle[:16]))
        self.assertEqual(found, [], f"plaintext found {when}")
        return paths

    def read_back(self, written):
        for name, versions in written.items():
            for version_id, value in versions.items():
                out = self.sm.get_secret_value(SecretId=name, VersionId=version_id)
                if isinstance(value, bytes):
                    self.assertEqual(out["SecretBinary"], value)
                    self.assertNotIn("SecretString", out)
                else:
                    self.assertEqual(out["SecretString"], value)
                    self.assertNotIn("SecretBinary", out)

    def test_ValuesNeverReachTheDiskInPlaintext(self):
        written = self.write_secrets()
        # While the server runs, recent writes sit in the WAL.
        paths = self.assertNoPlaintextOnDisk("while running")
        names = {os.path.basename(p) for p in paths}
        self.assertIn(DB_FILE + "-wal", names, "expected WAL mode: the test must search the WAL")
        # Metadata is stored in the clear, so the search itself can find things.
        with open(os.path.join(self.server.data_dir, DB_FILE + "-wal"), "rb") as f:
            wal = f.read()
        with open(os.path.join(self.server.data_dir, DB_FILE), "rb") as f:
            db = f.read()
        self.assertIn(b"description is metadata", wal + db)
        self.server.stop()
        self.assertNoPlaintextOnDisk("after stop")
        self.server.start()
        self.sm = self.server.client()  # a new port
        self.read_back(written)
        self.server.stop()
        self.assertNoPlaintextOnDisk("after restart and reads")
        self.assertEqual(self.server.leaked_values(), [])

    def test_MasterKeyFile_IsPrivate(self):
        path = os.path.join(self.server.data_dir, KEY_FILE)
        mode = stat.S_IMODE(os.stat(path).st_mode)
        self.assertEqual(mode, 0o600, oct(mode))
        with open(path) as f:
            key_hex = f.read().strip()
        self.assertRegex(key_hex, r"^[0-9a-fA-F]{64}$")
        # The log names the key's fingerprint, never the key.
        self.assertNotIn(key_hex.lower(), self.server.log().lower())
        self.assertNotIn(base64.b64encode(bytes.fromhex(key_hex)).decode(), self.server.log())
        self.assertRegex(self.server.log(), r"key_fingerprint=[0-9a-f]{16}\b")

    def test_Restart_SameKey_ReadsValuesBack(self):
        written = self.write_secrets()
        self.server.restart()  # same port: the client still points at it
        self.read_back(written)
        # The key was not regenerated by the restart.
        self.assertEqual(len(set(re.findall(r"key_fingerprint=(\w+)", self.server.log()))), 1)

    def test_Restart_WrongKey_IsDecryptionFailure_NotACrash(self):
        written = self.write_secrets()
        string_name = next(n for n in written if n.startswith("enc/string/"))
        binary_name = next(n for n in written if n.startswith("enc/binary/"))
        self.server.stop()

        other_key = secrets.token_hex(32)
        wrong = Server(data_dir=self.server.data_dir, extra_env={"SML_MASTER_KEY": other_key})
        self.addCleanup(wrong.cleanup)
        wrong.start()
        sm = wrong.client()
        probe = ServerTestCase("run")
        probe.server = wrong
        for name in (string_name, binary_name):
            with self.subTest(name=name):
                probe.assertError(sm.get_secret_value, "DecryptionFailure", SecretId=name)
        # The server is still up and everything that needs no value works.
        self.assertEqual(sm.describe_secret(SecretId=string_name)["Name"], string_name)
        listed = {s["Name"] for s in sm.list_secrets()["SecretList"]}
        self.assertTrue(set(written) <= listed, listed)
        versions = sm.list_secret_version_ids(SecretId=string_name)["Versions"]
        # Five versions were written; AWSCURRENT and AWSPREVIOUS are labelled.
        self.assertEqual(len(versions), 2)
        out = sm.batch_get_secret_value(SecretIdList=[string_name])
        self.assertEqual(out["SecretValues"], [])
        self.assertEqual([e["ErrorCode"] for e in out["Errors"]], ["DecryptionFailure"])
        # New secrets under the new key work.
        fresh_name, fresh = f"enc/fresh/{uuid.uuid4().hex[:8]}", self.string_value("fresh")
        wrong.sensitive_values.add(fresh)
        sm.create_secret(Name=fresh_name, SecretString=fresh)
        self.assertEqual(sm.get_secret_value(SecretId=fresh_name)["SecretString"], fresh)
        status, _, _ = wrong.http("GET", "/_local/health")
        self.assertEqual(status, 200)
        # The log names the other key's fingerprint, never the key itself.
        log = wrong.log()
        self.assertNotIn(other_key, log.lower())
        self.assertIn("key_source=environment variable SML_MASTER_KEY", log)
        wrong_fp = re.findall(r"key_fingerprint=(\w+)", log)
        right_fp = re.findall(r"key_fingerprint=(\w+)", self.server.log())
        self.assertEqual(len(wrong_fp), 1)
        self.assertNotEqual(wrong_fp, right_fp[:1])
        self.assertEqual(wrong.leaked_values(), [])
        wrong.stop()  # exit code 0: a clean shutdown

        # The wrong-key run damaged nothing: the right key still reads it all.
        self.server.start()
        self.sm = self.server.client()  # a new port
        self.read_back(written)
        self.assertNoPlaintextOnDisk("after the wrong-key run")

    def test_TamperedOrSwappedCiphertext_IsDecryptionFailure(self):
        # Someone with write access to the file moves one version's ciphertext
        # onto another, and flips a byte of a third: neither may decrypt.
        import sqlite3
        written = self.write_secrets()
        name = next(n for n in written if n.startswith("enc/string/"))
        ids = list(written[name])  # create, put0, put1, put2, update
        current, previous = ids[-1], ids[-2]
        self.server.stop()
        db = sqlite3.connect(os.path.join(self.server.data_dir, DB_FILE))
        with db:
            rows = dict(db.execute("SELECT version_id, ciphertext FROM versions "
                                   "WHERE version_id IN (?, ?)", (current, previous)))
            db.execute("UPDATE versions SET ciphertext = ? WHERE version_id = ?",
                       (rows[previous], current))
            flipped = bytearray(rows[previous])
            flipped[-1] ^= 0x01
            db.execute("UPDATE versions SET ciphertext = ? WHERE version_id = ?",
                       (bytes(flipped), previous))
        db.close()
        self.server.start()
        self.sm = self.server.client()  # a new port
        probe = ServerTestCase("run")
        probe.server = self.server
        for version_id in (current, previous):
            with self.subTest(version_id=version_id):
                probe.assertError(self.sm.get_secret_value, "DecryptionFailure",
                                  SecretId=name, VersionId=version_id)
        # Untouched versions still read.
        self.assertEqual(self.sm.get_secret_value(SecretId=name, VersionId=ids[0])["SecretString"],
                         written[name][ids[0]])

    def test_EnvironmentKey_WorksAcrossRestarts(self):
        key = secrets.token_hex(32)
        server = Server(in_memory=False, extra_env={"SML_MASTER_KEY": key})
        self.addCleanup(server.cleanup)
        server.start()
        sm = server.client()
        name, value = f"enc/env/{uuid.uuid4().hex[:8]}", self.string_value("env")
        sm.create_secret(Name=name, SecretString=value)
        server.restart()
        self.assertEqual(server.client().get_secret_value(SecretId=name)["SecretString"], value)
        # With SML_MASTER_KEY set, no key file is written next to the data.
        self.assertFalse(os.path.exists(os.path.join(server.data_dir, KEY_FILE)))
        server.stop()


class KmsKeyIds(ServerTestCase):
    def test_DefaultKey_IsDefaultEncryptionKey(self):
        name = self.name()
        self.sm.create_secret(Name=name, SecretString=self.value())
        self.sm.put_secret_value(SecretId=name, SecretBinary=b"\x00\x01binary")
        versions = self.sm.list_secret_version_ids(SecretId=name)["Versions"]
        self.assertEqual(len(versions), 2)
        for version in versions:
            self.assertEqual(version["KmsKeyIds"], ["DefaultEncryptionKey"])
        self.assertNotIn("KmsKeyId", self.sm.describe_secret(SecretId=name))

    def test_SecretWithKmsKeyId_ListsIt(self):
        name, key, value = self.name(), "alias/my-app-key", self.value()
        self.sm.create_secret(Name=name, SecretString=value, KmsKeyId=key)
        self.assertEqual(self.sm.describe_secret(SecretId=name)["KmsKeyId"], key)
        versions = self.sm.list_secret_version_ids(SecretId=name)["Versions"]
        self.assertEqual([v["KmsKeyIds"] for v in versions], [[key]])
        # The emulator encrypts with its own key whatever KmsKeyId says.
        self.assertEqual(self.sm.get_secret_value(SecretId=name)["SecretString"], value)


if __name__ == "__main__":
    unittest.main()
