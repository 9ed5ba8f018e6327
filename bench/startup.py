#!/usr/bin/env python3
"""Starts a server and measures the time from fork to its first HTTP answer.

Why this shape: the interpreter's own start-up (~20-40 ms) must not be part of
the figure, so this script is already running when it forks the server. The
clock starts immediately before the fork (subprocess.Popen) and stops when the
first byte of an HTTP status line comes back for GET <path>. Between attempts
it sleeps 1 ms, so the poller costs little CPU on a small shared machine and
the figure has about 1 ms of resolution. Any HTTP status counts as an answer
(moto has no health endpoint).

After the first answer it waits --settle seconds and reads VmRSS from
/proc/PID/status (idle RSS). It prints one machine-friendly line:
    STARTUP pid=<pid> first_answer_ms=<float> rss_kib=<int> attempts=<int>
and exits, leaving the server running (new session, output to --log) unless
--stop is given. Exit status 1 if the server dies or does not answer within
--timeout seconds.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import time


def ReadRssKib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def TryAnswer(host, port, path):
    """One attempt: True once the server sent back an HTTP status line."""
    try:
        with socket.create_connection((host, port), timeout=1.0) as s:
            s.sendall(
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                "Connection: close\r\n\r\n".encode()
            )
            data = s.recv(16)
            return data.startswith(b"HTTP/")
    except OSError:
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--path", default="/_local/health")
    ap.add_argument("--log", default=os.devnull)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--settle", type=float, default=0.5)
    ap.add_argument("--stop", action="store_true", help="stop the server after measuring")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd
    if not cmd:
        ap.error("missing server command after --")

    log = open(args.log, "ab")
    t0 = time.perf_counter_ns()
    proc = subprocess.Popen(
        cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    attempts = 0
    deadline = t0 + int(args.timeout * 1e9)
    while True:
        attempts += 1
        if TryAnswer(args.host, args.port, args.path):
            t1 = time.perf_counter_ns()
            break
        if proc.poll() is not None:
            print(f"STARTUP error=exited status={proc.returncode}", flush=True)
            return 1
        if time.perf_counter_ns() > deadline:
            print("STARTUP error=timeout", flush=True)
            os.kill(proc.pid, signal.SIGTERM)
            return 1
        time.sleep(0.001)

    time.sleep(args.settle)
    rss = ReadRssKib(proc.pid)
    print(
        f"STARTUP pid={proc.pid} first_answer_ms={(t1 - t0) / 1e6:.2f} rss_kib={rss} attempts={attempts}",
        flush=True,
    )
    if args.stop:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
