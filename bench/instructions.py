#!/usr/bin/env python3
"""Instructions per request, per scenario, under callgrind: a figure that a
busy shared machine does not blur (wrk's req/s does).

Starts the server under `valgrind --tool=callgrind` (fresh temp data dir,
durable mode), preloads --secrets secrets through the API and reads each once,
then for each scenario: zeroes the counters (callgrind_control -z), sends
--requests requests on one keep-alive connection, dumps (callgrind_control -d)
and prints the instructions the whole server process executed divided by the
number of requests (all threads: parsing, SQL, crypto, logging).

    bench/instructions.py --binary build/release/secretsmanager-local
    INSTR null=... health=... GetSecretValue=... (one line on stdout)

Three scenarios on request (not in the default list): GetSecretValue-1st,
each request a different secret's first read of the day (the clock moves a
day first; the write of their dates is counted: --secrets above
--requests), GetSecretValue-all, every secret in turn (misses: with
--server-args "--cache-mib 0"), and GetSecretValue-missing, a name no
secret has (the ResourceNotFoundException answer).

Needs valgrind. Slow (~50x): keep --requests small (default 2000).
"""

import argparse
import glob
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from preload import AUTHORIZATION, SecretName, SecretValue  # noqa: E402


def FreePort():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def Request(conn, scenario, i, nonce):
    """One request of `scenario`; returns the HTTP status."""
    if scenario == "null":
        conn.request("GET", "/bench/null")
    elif scenario == "health":
        conn.request("GET", "/_local/health")
    else:
        # A working set of 50, all read by the warm-up: cache hits, as for a
        # hot set (a first read after a write or a flush misses).
        body = {"SecretId": SecretName(1 + i % min(50, Request.secrets))}
        if scenario in ("GetSecretValue-1st", "GetSecretValue-all"):
            # -1st: each a different secret's first read today; -all: every
            # secret in turn (misses, unless the cache holds them all)
            body = {"SecretId": SecretName(1 + i % Request.secrets)}
            scenario = "GetSecretValue"
        if scenario == "GetSecretValue-missing":  # ResourceNotFoundException, an error answer
            body = {"SecretId": f"bench/missing-{i % 50}"}
            scenario = "GetSecretValue"
        if scenario == "PutSecretValue":
            body["ClientRequestToken"] = f"{nonce}-put-{i:024d}"
            body["SecretString"] = SecretValue(i)
        elif scenario == "CreateSecret":
            body = {"Name": f"bench/new-{nonce}-{i}", "SecretString": SecretValue(i),
                    "ClientRequestToken": f"{nonce}-new-{i:024d}"}
        elif scenario == "ListSecrets":
            body = {"MaxResults": 100, "SortOrder": "desc"}
        # null-sdk: a GetSecretValue's bytes to a path nothing serves (a 404)
        path, operation = ("/bench/null", "GetSecretValue") if scenario == "null-sdk" else ("/", scenario)
        conn.request("POST", path, json.dumps(body).encode(), {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": f"secretsmanager.{operation}",
            "Authorization": AUTHORIZATION,
        })
    response = conn.getresponse()
    response.read()
    return response.status


class OneWriteConnection(http.client.HTTPConnection):
    """Sends each request's header and body in one write, as wrk, botocore
    (boto3, AWS CLI), the Go SDK and the JS SDK do. (Plain http.client writes
    the body apart; the server then sometimes reads the header alone and
    finishes the request through Beast's parser, and the count moves by a
    few thousand from run to run.)"""

    def _send_output(self, message_body=None, encode_chunked=False):
        self._buffer.extend((b"", b""))
        message = b"\r\n".join(self._buffer)
        del self._buffer[:]
        self.send(message + (message_body or b""))


def Run(conn, scenario, count, nonce):
    bad = 0
    for i in range(count):
        status = Request(conn, scenario, i, nonce)
        expected = 404 if scenario.startswith("null") else 400 if scenario.endswith("-missing") else 200
        if status != expected:
            bad += 1
    return bad


def Post(port, path, body):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("POST", path, json.dumps(body).encode())
    c.getresponse().read()
    c.close()


def AwaitAccessDates(port):
    """Until the server has written the access dates its reads recorded."""
    for _ in range(600):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        c.request("GET", "/_local/metrics")
        text = c.getresponse().read().decode()
        c.close()
        if re.search(r"^sml_access_dates_pending 0$", text, re.M):
            return
        time.sleep(0.1)


def Control(args, pid):
    subprocess.run(["callgrind_control", *args, str(pid)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def DumpedInstructions(out_dir, before):
    files = sorted(set(glob.glob(os.path.join(out_dir, "cg.out*"))) - before,
                   key=os.path.getmtime)
    total = 0
    for f in files:
        with open(f) as fh:
            for line in fh:
                m = re.match(r"(?:summary|totals): (\d+)", line)
                if m:
                    total = max(total, int(m.group(1)))
    return total, set(files)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--secrets", type=int, default=1000)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--scenarios", default="null,null-sdk,health,GetSecretValue,DescribeSecret,"
                    "PutSecretValue,CreateSecret")
    ap.add_argument("--server-args", default="")
    ap.add_argument("--keep", action="store_true",
                    help="keep the temp dir (callgrind dumps per scenario, for callgrind_annotate)")
    args = ap.parse_args()
    Request.secrets = args.secrets

    work = tempfile.mkdtemp(prefix="sml-instr.")
    port = FreePort()
    server = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={work}/cg.out",
         "--dump-instr=no", args.binary, "--host", "127.0.0.1", "--port", str(port),
         "--data-dir", f"{work}/data", *args.server_args.split()],
        stdout=subprocess.DEVNULL, stderr=open(f"{work}/server.log", "w"))
    try:
        deadline = time.time() + 60
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                c.request("GET", "/_local/health")
                c.getresponse().read()
                c.close()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    sys.exit("server did not start under valgrind:\n" +
                             open(f"{work}/server.log").read()[-2000:])
                time.sleep(0.2)
        subprocess.run([sys.executable, f"{HERE}/preload.py", "--port", str(port), "--to",
                        str(args.secrets), "--procs", "2"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, f"{HERE}/preload.py", "--read", "--port", str(port),
                        "--to", str(args.secrets), "--procs", "2"], check=True,
                       stdout=subprocess.DEVNULL)
        # The reads recorded access dates; the server writes them within a
        # second: let that happen before anything is counted.
        time.sleep(3)
        conn = OneWriteConnection("127.0.0.1", port, timeout=60)
        nonce = f"i{int(time.time())}"
        figures = []
        seen = set()
        for scenario in args.scenarios.split(","):
            Run(conn, scenario, 100, nonce + "w")  # warm: caches (twice over the working set), lazy init
            first_reads = scenario == "GetSecretValue-1st"
            if first_reads:  # a new day; the dates those reads record are written and counted
                Post(port, "/_local/clock", {"advance": "1d"})
            Control(["-z"], server.pid)
            bad = Run(conn, scenario, args.requests, nonce)
            if first_reads:
                AwaitAccessDates(port)
            Control(["-d"], server.pid)
            time.sleep(0.5)
            total, dumped = DumpedInstructions(work, seen)
            seen |= dumped  # every earlier dump, not just the last scenario's
            figures.append(f"{scenario}={total // args.requests}" + ("(errors)" if bad else ""))
            print(f"  {scenario}: {total // args.requests} instructions/request"
                  + (f" ({bad} failed)" if bad else ""), file=sys.stderr)
        print("INSTR " + " ".join(figures))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
