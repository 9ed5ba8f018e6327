"""Mixed-load soak: THREADS clients run a mix of every kind of call against one
server on a data dir for SOAK_SECONDS, then the numbers that show a leak or a
slow death: unexpected errors, latency, the server's RSS and open fds first
and last, and the WAL and database sizes. Exit status 0 when there was no
unexpected error and the server stopped cleanly.

Environment: SML_BINARY (required), SOAK_SECONDS (120), THREADS (4).
"""
import os
import random
import sys
import threading
import time
import uuid

from client import Client, ConnectionLost, Server

SECONDS = float(os.environ.get("SOAK_SECONDS", "120"))
THREADS = int(os.environ.get("THREADS", "4"))
SECRETS_PER_THREAD = 50


def process_sample(pid):
    with open(f"/proc/{pid}/status") as f:
        rss_kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return rss_kb, len(os.listdir(f"/proc/{pid}/fd"))


class Worker(threading.Thread):
    def __init__(self, port, index, deadline):
        super().__init__(daemon=True)
        self.client = Client(port)
        self.prefix = f"soak/t{index}/"
        self.deadline = deadline
        self.rng = random.Random(index)
        self.latencies = []
        self.counts = {}
        self.errors = []

    def call(self, operation, body, expected=(200,)):
        started = time.perf_counter()
        try:
            status, reply = self.client.call(operation, body)
        except ConnectionLost as e:
            self.errors.append(f"{operation}: connection lost: {e}")
            return None
        self.latencies.append(time.perf_counter() - started)
        self.counts[operation] = self.counts.get(operation, 0) + 1
        if status not in expected:
            self.errors.append(f"{operation}: HTTP {status} {reply}")
            return None
        return reply

    def name(self):
        return f"{self.prefix}{self.rng.randrange(SECRETS_PER_THREAD)}"

    def ensure(self, name):
        reply = self.call("CreateSecret", {"Name": name, "SecretString": uuid.uuid4().hex,
                                           "ClientRequestToken": str(uuid.uuid4())},
                          expected=(200, 400))
        if reply and reply.get("__type") not in (None, "ResourceExistsException"):
            self.errors.append(f"CreateSecret: {reply}")

    def run(self):
        for i in range(SECRETS_PER_THREAD):
            self.ensure(f"{self.prefix}{i}")
        ops = [(40, self.get), (10, self.describe), (8, self.list), (15, self.put),
               (5, self.stage), (5, self.tag), (5, self.batch), (4, self.recreate),
               (3, self.missing), (2, self.password), (3, self.policy)]
        weights = [w for w, _ in ops]
        while time.monotonic() < self.deadline:
            self.rng.choices(ops, weights)[0][1]()

    def get(self):
        self.call("GetSecretValue", {"SecretId": self.name()})

    def describe(self):
        self.call("DescribeSecret", {"SecretId": self.name()})

    def list(self):
        reply = self.call("ListSecrets", {"MaxResults": 20,
                                          "Filters": [{"Key": "name", "Values": [self.prefix]}]})
        if reply and reply.get("NextToken"):
            self.call("ListSecrets", {"MaxResults": 20, "NextToken": reply["NextToken"],
                                      "Filters": [{"Key": "name", "Values": [self.prefix]}]})

    def put(self):
        self.call("PutSecretValue", {"SecretId": self.name(), "SecretString": uuid.uuid4().hex,
                                     "ClientRequestToken": str(uuid.uuid4())})

    def stage(self):
        name = self.name()
        reply = self.call("DescribeSecret", {"SecretId": name})
        if not reply:
            return
        stages = reply.get("VersionIdsToStages", {})
        current = next((v for v, s in stages.items() if "AWSCURRENT" in s), None)
        if current:
            self.call("UpdateSecretVersionStage", {"SecretId": name, "VersionStage": "soak",
                                                   "MoveToVersionId": current},
                      expected=(200, 400))

    def tag(self):
        name = self.name()
        self.call("TagResource", {"SecretId": name, "Tags": [{"Key": "k", "Value": uuid.uuid4().hex}]})
        self.call("UntagResource", {"SecretId": name, "TagKeys": ["k"]})

    def batch(self):
        self.call("BatchGetSecretValue", {"SecretIdList": [self.name(), self.name()]})

    def recreate(self):
        name = self.name()
        self.call("DeleteSecret", {"SecretId": name, "ForceDeleteWithoutRecovery": True})
        self.ensure(name)

    def missing(self):
        self.call("GetSecretValue", {"SecretId": f"{self.prefix}missing/{uuid.uuid4().hex}"},
                  expected=(400,))

    def password(self):
        self.call("GetRandomPassword", {"PasswordLength": 32})

    def policy(self):
        self.call("PutResourcePolicy", {"SecretId": self.name(), "ResourcePolicy":
                                        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
                                        '"Principal":{"AWS":"123456789012"},'
                                        '"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}'})


def size(path):
    try:
        return os.path.getsize(path)
    except FileNotFoundError:
        return 0


def main():
    server = Server(in_memory=False)
    status = 1
    try:
        server.start()
        pid = server.proc.pid
        rss_first, fds_first = process_sample(pid)
        deadline = time.monotonic() + SECONDS
        workers = [Worker(server.port, i, deadline) for i in range(THREADS)]
        for w in workers:
            w.start()
        rss_max = rss_first
        while any(w.is_alive() for w in workers):
            time.sleep(1)
            if server.proc.poll() is not None:
                break
            rss_max = max(rss_max, process_sample(pid)[0])
        for w in workers:
            w.join(timeout=30)
        for w in workers:
            w.client.close()
        time.sleep(0.5)  # the server closes its side of those connections
        alive = server.proc.poll() is None
        rss_last, fds_last = process_sample(pid) if alive else (0, 0)
        wal = size(os.path.join(server.data_dir, "secrets.db-wal"))
        db = size(os.path.join(server.data_dir, "secrets.db"))
        server.stop()  # requires exit status 0
        latencies = sorted(t for w in workers for t in w.latencies)
        errors = [e for w in workers for e in w.errors]
        requests = len(latencies)
        for e in errors[:10]:
            print("ERROR:", e)
        p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else 0
        print(f"soak: {SECONDS:.0f} s, {THREADS} threads, {requests} requests "
              f"({requests / SECONDS:.0f}/s), {len(errors)} unexpected errors, "
              f"latency p50 {p(0.5):.2f} ms p99 {p(0.99):.2f} ms")
        print(f"soak: RSS first {rss_first / 1024:.1f} MiB, last {rss_last / 1024:.1f} MiB, "
              f"max {rss_max / 1024:.1f} MiB; fds first {fds_first}, last {fds_last}; "
              f"WAL {wal / 1024:.0f} KiB, database {db / 1024:.0f} KiB")
        status = 0 if alive and not errors else 1
    finally:
        server.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main())
