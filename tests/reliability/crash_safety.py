"""Crash safety: kill -9 under concurrent writers, again and again, on one data dir.

Each cycle starts the server on the same data dir, lets WRITERS threads create
secrets and put versions for a random 0.3-1.5 s, kills the process with
SIGKILL, checks the database file (PRAGMA integrity_check), restarts, and
checks every write the server acknowledged (a 200 the client read) in the
secrets this cycle touched: the version exists with exactly its value, one
version is AWSCURRENT, and AWSCURRENT/AWSPREVIOUS sit where the sequence of
writes puts them. A write in flight at the kill may or may not have landed;
either is fine, nothing else is. After the last cycle every secret is checked
again. Exit status 0 only when nothing was lost.

Environment: SML_BINARY (required), CYCLES (30), WRITERS (4).
"""
import os
import random
import sqlite3
import sys
import threading
import time
import uuid

from client import Client, ConnectionLost, Server

CYCLES = int(os.environ.get("CYCLES", "30"))
WRITERS = int(os.environ.get("WRITERS", "4"))
VERSIONS_PER_SECRET = 8  # well under the 100 after which deprecated versions are pruned


class SecretHistory:
    """What the client knows about one secret: acknowledged versions in order."""

    def __init__(self, name):
        self.name = name
        self.acked = []        # [(version_id, value)], in the order the server acknowledged
        self.in_flight = None  # (version_id, value) sent but not acknowledged


class Writer(threading.Thread):
    def __init__(self, port, index, histories, stop):
        super().__init__(daemon=True)
        self.client = Client(port, timeout=5)
        self.index = index
        self.histories = histories
        self.stop = stop
        self.acked = 0
        self.touched = set()

    def run(self):
        rng = random.Random()
        current = None
        try:
            while not self.stop.is_set():
                if current is None or len(current.acked) >= VERSIONS_PER_SECRET:
                    current = SecretHistory(f"crash/w{self.index}/{uuid.uuid4().hex[:12]}")
                    self.histories[current.name] = current
                self.touched.add(current.name)
                version, value = str(uuid.uuid4()), f"value-{uuid.uuid4().hex}-{rng.random()}"
                current.in_flight = (version, value)
                if not current.acked:
                    status, body = self.client.call("CreateSecret", {
                        "Name": current.name, "SecretString": value, "ClientRequestToken": version})
                else:
                    status, body = self.client.call("PutSecretValue", {
                        "SecretId": current.name, "SecretString": value,
                        "ClientRequestToken": version})
                if status != 200:
                    raise AssertionError(f"{current.name}: HTTP {status} {body}")
                current.acked.append(current.in_flight)
                current.in_flight = None
                self.acked += 1
        except ConnectionLost:
            pass  # the kill


def check_secret(client, history, problems):
    """Checks one secret after a restart; settles its in-flight write."""
    status, listing = client.call("ListSecretVersionIds",
                                  {"SecretId": history.name, "IncludeDeprecated": True})
    if status != 200:
        if not history.acked and status == 400 and \
                listing.get("__type") == "ResourceNotFoundException":
            history.in_flight = None  # its CreateSecret never landed: fine
            return
        problems.append(f"{history.name}: listing answered {status} {listing}")
        return
    stages = {v["VersionId"]: set(v.get("VersionStages", [])) for v in listing["Versions"]}
    sequence = list(history.acked)
    if history.in_flight and history.in_flight[0] in stages:
        sequence.append(history.in_flight)  # landed before the kill
    history.in_flight = None
    history.acked = sequence
    for version, value in sequence:
        if version not in stages:
            problems.append(f"{history.name}: acknowledged version {version} lost")
            continue
        status, got = client.call("GetSecretValue", {"SecretId": history.name, "VersionId": version})
        if status != 200 or got.get("SecretString") != value:
            problems.append(f"{history.name}: version {version} reads {status} {got}")
    extra = set(stages) - {v for v, _ in sequence}
    if extra:
        problems.append(f"{history.name}: versions nobody wrote: {sorted(extra)}")
    current = [v for v, s in stages.items() if "AWSCURRENT" in s]
    previous = [v for v, s in stages.items() if "AWSPREVIOUS" in s]
    if sequence and current != [sequence[-1][0]]:
        problems.append(f"{history.name}: AWSCURRENT on {current}, expected {sequence[-1][0]}")
    expected_previous = [sequence[-2][0]] if len(sequence) > 1 else []
    if previous != expected_previous:
        problems.append(f"{history.name}: AWSPREVIOUS on {previous}, expected {expected_previous}")


def integrity(data_dir):
    db = sqlite3.connect(os.path.join(data_dir, "secrets.db"))
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def main():
    server = Server(in_memory=False)
    histories = {}
    problems = []
    acked = 0
    started = time.monotonic()
    try:
        server.start()
        for cycle in range(1, CYCLES + 1):
            stop = threading.Event()
            writers = [Writer(server.port, i, histories, stop) for i in range(WRITERS)]
            for w in writers:
                w.start()
            time.sleep(random.uniform(0.3, 1.5))
            server.kill9()
            stop.set()
            for w in writers:
                w.join(timeout=10)
            acked += sum(w.acked for w in writers)
            check = integrity(server.data_dir)
            if check != "ok":
                problems.append(f"cycle {cycle}: integrity_check: {check}")
            server.start()
            client = Client(server.port)
            touched = set().union(*(w.touched for w in writers))
            for name in sorted(touched):
                check_secret(client, histories[name], problems)
            client.close()
            print(f"cycle {cycle}/{CYCLES}: {sum(w.acked for w in writers)} acknowledged writes, "
                  f"{len(touched)} secrets checked, problems so far: {len(problems)}", flush=True)
        client = Client(server.port)
        for history in histories.values():
            check_secret(client, history, problems)
        client.close()
        server.stop()
        final = integrity(server.data_dir)
        if final != "ok":
            problems.append(f"final integrity_check: {final}")
    finally:
        server.cleanup()
    for p in problems[:20]:
        print("PROBLEM:", p)
    print(f"crash safety: {CYCLES} kill -9 cycles, {WRITERS} writers, {acked} acknowledged "
          f"writes in {len(histories)} secrets, {len(problems)} problems (lost writes, label or "
          f"integrity errors), {time.monotonic() - started:.0f} s")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
