#!/usr/bin/env python3
"""Creates bench/secret-NNNNN secrets over HTTP, fast enough for 100,000.

Stdlib only. Several worker processes (not threads: the GIL would cap the
client below the server), each with one keep-alive http.client connection
(reopened when the server closes it, as moto does after every response).
Each worker takes an interleaved share of [--from, --to]. Names and value
size match what bench/wrk/common.lua expects: bench/secret-%05d, ~100-byte
SecretString. ResourceExistsException counts as done, so a rerun is harmless.

--read instead reads each of those secrets once with GetSecretValue
(discarding the values): GetSecretValue moves LastAccessedDate to today, a
write, on a secret's first read of the day, so a read benchmark over a set
nobody has read yet mostly measures those writes. Reading each once first
gives the steady state of an application that reads its secrets every day.

Prints progress to stderr every few seconds and one final line to stdout:
    PRELOAD created=<n> existed=<n> failed=<n> seconds=<float> rate=<float>
(with --read: READ ok=<n> failed=<n> seconds=<float> rate=<float>).
Exit status 1 if any request failed.
"""

import argparse
import http.client
import json
import multiprocessing as mp
import sys
import time
import uuid

AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240101/us-east-1/secretsmanager/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-target, Signature=" + "0" * 64
)


def SecretName(i):
    return f"bench/secret-{i:05d}"


def SecretValue(i):
    # ~100 bytes, distinct per secret; not sensitive (synthetic).
    return json.dumps({"username": f"user{i:06d}", "password": f"p{i:06d}" + "x" * 60})


class Client:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.conn = None

    def Post(self, target, body):
        payload = json.dumps(body).encode()
        headers = {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": f"secretsmanager.{target}",
            "Authorization": AUTHORIZATION,
        }
        for attempt in range(3):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                self.conn.request("POST", "/", payload, headers)
                resp = self.conn.getresponse()
                data = resp.read()
                if resp.will_close:
                    self.conn.close()
                    self.conn = None
                return resp.status, data
            except (http.client.HTTPException, OSError):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                time.sleep(0.05)


def Worker(host, port, first, last, stride, offset, counters, errors, read):
    client = Client(host, port)
    created = existed = failed = 0
    for i in range(first + offset, last + 1, stride):
        try:
            if read:
                status, data = client.Post("GetSecretValue", {"SecretId": SecretName(i)})
                if status == 200:
                    data = b""  # the value is never kept or printed
            else:
                status, data = client.Post(
                    "CreateSecret",
                    {
                        "Name": SecretName(i),
                        "SecretString": SecretValue(i),
                        # SDKs fill this idempotency token in; a raw request
                        # without it is rejected, as by AWS.
                        "ClientRequestToken": str(uuid.uuid4()),
                    },
                )
        except (http.client.HTTPException, OSError) as e:
            status, data = 0, str(e).encode()
        if status == 200:
            created += 1
        elif b"ResourceExistsException" in data:
            existed += 1
        else:
            failed += 1
            if failed <= 3:
                # Error bodies carry a type and message, never a value.
                errors.put(f"{SecretName(i)}: HTTP {status} {data[:200]!r}")
        if (created + existed + failed) % 200 == 0:
            with counters.get_lock():
                counters[0] += created
                counters[1] += existed
                counters[2] += failed
            created = existed = failed = 0
    with counters.get_lock():
        counters[0] += created
        counters[1] += existed
        counters[2] += failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--from", dest="first", type=int, default=1)
    ap.add_argument("--to", dest="last", type=int, required=True)
    ap.add_argument("--procs", type=int, default=4)
    ap.add_argument("--read", action="store_true", help="read each secret once instead of creating")
    ap.add_argument("--progress", type=float, default=5.0, help="seconds between progress lines")
    args = ap.parse_args()

    total = max(0, args.last - args.first + 1)
    counters = mp.Array("q", 3)
    errors = mp.Queue()
    procs = [
        mp.Process(
            target=Worker,
            args=(
                args.host, args.port, args.first, args.last, args.procs, k, counters, errors,
                args.read,
            ),
        )
        for k in range(args.procs)
    ]
    t0 = time.monotonic()
    for p in procs:
        p.start()
    while any(p.is_alive() for p in procs):
        for p in procs:
            p.join(timeout=args.progress / len(procs))
        done = sum(counters[:])
        if any(p.is_alive() for p in procs):
            elapsed = time.monotonic() - t0
            print(
                f"  {'read' if args.read else 'preload'} {done}/{total} ({done / max(elapsed, 1e-9):.0f}/s)",
                file=sys.stderr,
                flush=True,
            )
    elapsed = time.monotonic() - t0
    while not errors.empty():
        print("  preload error: " + errors.get(), file=sys.stderr)
    created, existed, failed = counters[:]
    if args.read:
        print(
            f"READ ok={created} failed={failed} seconds={elapsed:.2f} "
            f"rate={created / max(elapsed, 1e-9):.0f}",
            flush=True,
        )
        return 1 if failed or any(p.exitcode for p in procs) else 0
    print(
        f"PRELOAD created={created} existed={existed} failed={failed} "
        f"seconds={elapsed:.2f} rate={(created + existed) / max(elapsed, 1e-9):.0f}",
        flush=True,
    )
    return 1 if failed or any(p.exitcode for p in procs) else 0


if __name__ == "__main__":
    sys.exit(main())
