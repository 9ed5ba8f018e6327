#!/usr/bin/env bash
# The secretsmanager-local benchmark. Run on demand (not part of the tests):
#   bench/run.sh
# It starts the server (durable mode, fresh temp data dir), measures time to
# first answer and idle RSS, preloads 1,000 secrets, runs each scenario with
# wrk, grows to 100,000 secrets and repeats the read/write scenarios, runs the
# same 1k scenarios against moto_server when it is on PATH, and prints the
# figures next to the targets. It prints; it never fails on a missed target.
#
# Environment:
#   DURATION=10        seconds per wrk scenario
#   THREADS=2 CONNS=16 wrk -t / -c
#   SKIP_100K=1        skip the 100,000-secret phase
#   SKIP_MOTO=1        skip the moto comparison
#   BINARY=path        server binary (default: build/release/secretsmanager-local,
#                      configured and built incrementally with cmake -j2 first)
#   NO_BUILD=1         use build/release/secretsmanager-local as it is
#   STARTS=5           how many fresh-data-dir cold starts to time (median reported;
#                      plus 3 restarts on an existing dir and 3 --in-memory)
#   BIG=100000         size of the large phase
#   PRELOAD_PROCS=4    preloader worker processes
#   SERVER_ARGS=...    extra flags for our server
#   KEEP_WORK=1        keep the temp dir (data dirs, server logs, raw wrk output)
#   SERVER_CMD=...     development only: run this instead of our binary, with
#                      {port} and {dir} substituted (used to test the harness
#                      against moto before the server existed)
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
CONNS=${CONNS:-16}
SMALL=1000
BIG=${BIG:-100000}
STARTS=${STARTS:-5}
PRELOAD_PROCS=${PRELOAD_PROCS:-4}
SERVER_ARGS=${SERVER_ARGS:-}
HEALTH_PATH=/_local/health
if ((BIG % 1000 == 0)); then BIGK="$((BIG / 1000))k"; else BIGK=$BIG; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sml-bench.XXXXXX")
NONCE="n$(date +%s)$$"
PIDS=()

Cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$p" 2>/dev/null
  done
  if [[ -n "${KEEP_WORK:-}" ]]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap Cleanup EXIT
trap 'exit 130' INT TERM

Say() { printf '%s\n' "$*" >&2; }

FreePort() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Reads VmRSS (KiB) of a pid with bash builtins only (cheap enough to sample).
RssKib() {
  local k v _
  while read -r k v _; do
    if [[ $k == VmRSS: ]]; then echo "$v"; return; fi
  done <"/proc/$1/status" 2>/dev/null
  echo -1
}

Mib() { awk -v k="$1" 'BEGIN { if (k < 0) print "n/a"; else printf "%.1f", k / 1024 }'; }

# Pulls key=value out of a BENCH/STARTUP/PRELOAD line.
Field() { sed -n "s/.*\\b$2=\\([^ ]*\\).*/\\1/p" <<<"$1"; }

# ---------------------------------------------------------------- the binary
if [[ -z "${SERVER_CMD:-}" && -z "${BINARY:-}" ]]; then
  BINARY=$ROOT/build/release/secretsmanager-local
  if [[ -z "${NO_BUILD:-}" || ! -x $BINARY ]]; then
    Say "building Release binary in build/release (cmake, -j2) ..."
    if ! { cmake -S "$ROOT" -B "$ROOT/build/release" -DCMAKE_BUILD_TYPE=Release -DSML_BUILD_TESTS=OFF >"$WORK/build.log" 2>&1 &&
      cmake --build "$ROOT/build/release" -j2 --target secretsmanager-local >>"$WORK/build.log" 2>&1; }; then
      Say "build failed:"; tail -30 "$WORK/build.log" >&2; exit 1
    fi
  fi
fi

OurCommand() { # port dir
  if [[ -n "${SERVER_CMD:-}" ]]; then
    local c=${SERVER_CMD//\{port\}/$1}
    echo "${c//\{dir\}/$2}"
  else
    # shellcheck disable=SC2086
    echo "$BINARY --host 127.0.0.1 --port $1 --data-dir $2 $SERVER_ARGS"
  fi
}

# ------------------------------------------------------------ start / timing
# StartServer NAME PATH TIMEOUT STOP CMD...: prints the STARTUP line.
StartServer() {
  local name=$1 path=$2 timeout=$3 stop=$4 port=$5; shift 5
  local extra=()
  [[ $stop == 1 ]] && extra=(--stop)
  python3 "$HERE/startup.py" --port "$port" --path "$path" --timeout "$timeout" \
    --log "$WORK/$name.log" "${extra[@]}" -- "$@"
}

declare -A RPS P50 P99 NON2XX SOCKERR RSS_AFTER
ORDER=()

# RunScenario KEY LUA SECRETS PORT PID [rss-peak-file]
RunScenario() {
  local key=$1 lua=$2 secrets=$3 port=$4 pid=$5 peakfile=${6:-}
  local out=$WORK/wrk-$key.txt sampler=
  if [[ -n $peakfile ]]; then
    (
      peak=0
      while [[ ! -e $peakfile.stop ]] && kill -0 "$pid" 2>/dev/null; do
        v=$(RssKib "$pid")
        ((v > peak)) && peak=$v && echo "$peak" >"$peakfile"
        sleep 0.05
      done
    ) &
    sampler=$!
  fi
  Say "  wrk ${DURATION}s  $key"
  BENCH_SECRETS=$secrets BENCH_NONCE="${NONCE}s${#ORDER[@]}" \
    wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$HERE/wrk/$lua.lua" \
    "http://127.0.0.1:$port/" >"$out" 2>&1
  if [[ -n $sampler ]]; then touch "$peakfile.stop"; wait "$sampler" 2>/dev/null; fi
  local line
  line=$(grep '^BENCH ' "$out" | tail -1)
  ORDER+=("$key")
  if [[ -z $line ]]; then
    Say "    wrk gave no result:"; tail -5 "$out" >&2
    return
  fi
  RPS[$key]=$(Field "$line" rps)
  P50[$key]=$(Field "$line" p50_ms)
  P99[$key]=$(Field "$line" p99_ms)
  NON2XX[$key]=$(Field "$line" non2xx)
  SOCKERR[$key]=$(Field "$line" socket_errors)
  RSS_AFTER[$key]=$(RssKib "$pid")
  if ((NON2XX[$key] > 0 || SOCKERR[$key] > 0)); then
    Say "    warning: ${NON2XX[$key]} non-2xx responses, ${SOCKERR[$key]} socket errors (figures are suspect)"
  fi
}

# One request of a shape, to show why a scenario fails (status and error type
# only: a GetSecretValue body holds a secret value and is never printed).
Probe() { # port target body
  local status
  status=$(curl -s -o "$WORK/probe.json" -w '%{http_code}' -X POST "http://127.0.0.1:$1/" \
    -H "X-Amz-Target: secretsmanager.$2" -H 'Content-Type: application/x-amz-json-1.1' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240101/us-east-1/secretsmanager/aws4_request, SignedHeaders=content-type;host;x-amz-target, Signature=0000000000000000000000000000000000000000000000000000000000000000' \
    -d "$3")
  if [[ $status != 200 ]]; then
    Say "    probe $2: HTTP $status $(grep -o '"__type" *: *"[^"]*"' "$WORK/probe.json")"
  fi
}

Preload() { # port from to
  Say "  preloading bench/secret-$(printf %05d "$2")..$(printf %05d "$3")"
  local line
  line=$(python3 "$HERE/preload.py" --port "$1" --from "$2" --to "$3" --procs "$PRELOAD_PROCS" | tail -1)
  Say "    $line"
}

# Reads each secret once so that the read scenarios measure the steady state
# (a secret's first read of the day also writes LastAccessedDate).
Warm() { # port from to
  Say "  reading bench/secret-$(printf %05d "$2")..$(printf %05d "$3") once (first read of the day writes LastAccessedDate)"
  local line
  line=$(python3 "$HERE/preload.py" --read --port "$1" --from "$2" --to "$3" --procs "$PRELOAD_PROCS" | tail -1)
  Say "    $line"
}

# ===================================================================== ours
Say "== secretsmanager-local ($(if [[ -n ${SERVER_CMD:-} ]]; then echo "SERVER_CMD: $SERVER_CMD"; else echo "$BINARY"; fi))"
Say "   machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); DURATION=${DURATION}s, wrk -t$THREADS -c$CONNS"
# The server fsyncs its new key file and database; on ext4 an fsync may wait
# for other processes' dirty pages (a build that just ran), so flush first.
sync
Median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END { if (NR) print a[int((NR+1)/2)] }'; }

# TimeStarts ARRAY LABEL COUNT DIR|"" : cold starts (each stopped after its
# figure); DIR "" = a fresh data dir each time; "-" = --in-memory.
TimeStarts() {
  local -n into=$1
  local label=$2 count=$3 dir=$4 i port d line cmd
  for ((i = 1; i <= count; i++)); do
    port=$(FreePort)
    d=$dir
    [[ -z $d ]] && d=$WORK/data-$label-$i && mkdir -p "$d"
    cmd=$(OurCommand "$port" "$d")
    [[ $d == - ]] && cmd=${cmd/--data-dir -/--in-memory}
    # shellcheck disable=SC2086
    line=$(StartServer "ours-$label-$i" "$HEALTH_PATH" 10 1 "$port" $cmd)
    if [[ -z $(Field "$line" pid) ]]; then
      Say "   $label start $i failed: $line"; tail -5 "$WORK/ours-$label-$i.log" >&2
      continue
    fi
    into+=("$(Field "$line" first_answer_ms)")
    Say "   $label start $i: first answer $(Field "$line" first_answer_ms) ms, RSS $(Mib "$(Field "$line" rss_kib)") MiB"
  done
}

FIRST_MS=() RESTART_MS=() MEMORY_MS=()
TimeStarts FIRST_MS fresh "$STARTS" ""
if ((${#FIRST_MS[@]} > 0)); then
  TimeStarts RESTART_MS restart 3 "$WORK/data-fresh-1"
  [[ -z ${SERVER_CMD:-} ]] && TimeStarts MEMORY_MS in-memory 3 -
fi

# The server the scenarios run against: fresh data dir, durable mode.
OUR_PID=
OUR_PORT=
IDLE_RSS=-1
OUR_PORT=$(FreePort)
mkdir -p "$WORK/data"
# shellcheck disable=SC2046
line=$(StartServer ours "$HEALTH_PATH" 10 0 "$OUR_PORT" $(OurCommand "$OUR_PORT" "$WORK/data"))
if [[ -n $(Field "$line" pid) ]]; then
  OUR_PID=$(Field "$line" pid)
  PIDS+=("$OUR_PID")
  IDLE_RSS=$(Field "$line" rss_kib)
  Say "   bench server: first answer $(Field "$line" first_answer_ms) ms, idle RSS $(Mib "$IDLE_RSS") MiB"
else
  Say "   bench server failed to start: $line"; tail -5 "$WORK/ours.log" >&2
fi
FIRST_MIN=$(printf '%s\n' "${FIRST_MS[@]}" | sort -g | head -1)
FIRST_MEDIAN=$(Median "${FIRST_MS[@]}")

if [[ -n $OUR_PID ]]; then
  Preload "$OUR_PORT" 1 "$SMALL"
  Warm "$OUR_PORT" 1 "$SMALL"
  Probe "$OUR_PORT" GetSecretValue '{"SecretId":"bench/secret-00001"}'
  RunScenario "health@1k" health "$SMALL" "$OUR_PORT" "$OUR_PID"
  RunScenario "GetSecretValue@1k" get_secret_value "$SMALL" "$OUR_PORT" "$OUR_PID" "$WORK/peak-1k"
  RunScenario "DescribeSecret@1k" describe_secret "$SMALL" "$OUR_PORT" "$OUR_PID"
  RunScenario "ListSecrets@1k" list_secrets "$SMALL" "$OUR_PORT" "$OUR_PID"
  RunScenario "PutSecretValue@1k" put_secret_value "$SMALL" "$OUR_PORT" "$OUR_PID"
  RunScenario "CreateSecret@1k" create_secret "$SMALL" "$OUR_PORT" "$OUR_PID"

  if [[ -z "${SKIP_100K:-}" ]]; then
    Preload "$OUR_PORT" $((SMALL + 1)) "$BIG"
    RSS_BIG_IDLE=$(RssKib "$OUR_PID")
    # Unwarmed first: most requests are a secret's first read of the day.
    RunScenario "GetSecretValue@$BIGK-1st" get_secret_value "$BIG" "$OUR_PORT" "$OUR_PID"
    Warm "$OUR_PORT" $((SMALL + 1)) "$BIG"
    RunScenario "GetSecretValue@$BIGK" get_secret_value "$BIG" "$OUR_PORT" "$OUR_PID" "$WORK/peak-big"
    RunScenario "DescribeSecret@$BIGK" describe_secret "$BIG" "$OUR_PORT" "$OUR_PID"
    RunScenario "ListSecrets@$BIGK" list_secrets "$BIG" "$OUR_PORT" "$OUR_PID"
    RunScenario "PutSecretValue@$BIGK" put_secret_value "$BIG" "$OUR_PORT" "$OUR_PID"
  fi
  kill "$OUR_PID" 2>/dev/null
else
  Say "   our server did not start; skipping its scenarios"
fi

# ===================================================================== moto
MOTO_FIRST=
MOTO_RSS=-1
if [[ -z "${SKIP_MOTO:-}" ]] && command -v moto_server >/dev/null; then
  Say "== moto_server ($(pip show moto 2>/dev/null | sed -n "s/^Version: /moto /p"))"
  port=$(FreePort)
  line=$(StartServer moto /moto-api/ 60 0 "$port" moto_server -H 127.0.0.1 -p "$port")
  MOTO_PID=$(Field "$line" pid)
  if [[ -n $MOTO_PID ]]; then
    PIDS+=("$MOTO_PID")
    MOTO_FIRST=$(Field "$line" first_answer_ms)
    MOTO_RSS=$(Field "$line" rss_kib)
    Say "   first answer $MOTO_FIRST ms, RSS $(Mib "$MOTO_RSS") MiB"
    Preload "$port" 1 "$SMALL"
    Warm "$port" 1 "$SMALL"
    RunScenario "moto:GetSecretValue@1k" get_secret_value "$SMALL" "$port" "$MOTO_PID" "$WORK/peak-moto"
    RunScenario "moto:DescribeSecret@1k" describe_secret "$SMALL" "$port" "$MOTO_PID"
    RunScenario "moto:ListSecrets@1k" list_secrets "$SMALL" "$port" "$MOTO_PID"
    RunScenario "moto:PutSecretValue@1k" put_secret_value "$SMALL" "$port" "$MOTO_PID"
    RunScenario "moto:CreateSecret@1k" create_secret "$SMALL" "$port" "$MOTO_PID"
    kill "$MOTO_PID" 2>/dev/null
  else
    Say "   moto did not start: $line"
  fi
fi

# ==================================================================== report
Ratio() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.1fx", a / b }'; }

echo
echo "secretsmanager-local benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores, load avg $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t$THREADS -c$CONNS -d${DURATION}s --latency, keep-alive, one random preloaded secret per request"
echo
printf '%-24s %10s %9s %9s %7s %9s %10s %7s\n' scenario "req/s" "p50 ms" "p99 ms" errors "RSS MiB" "moto req/s" ours/moto
printf '%-24s %10s %9s %9s %7s %9s %10s %7s\n' ------------------------ ---------- --------- --------- ------- --------- ---------- -------
for key in "${ORDER[@]}"; do
  [[ $key == moto:* ]] && continue
  mkey="moto:$key"
  errs=$(( ${NON2XX[$key]:-0} + ${SOCKERR[$key]:-0} ))
  printf '%-24s %10s %9s %9s %7s %9s %10s %7s\n' "$key" "${RPS[$key]:-n/a}" "${P50[$key]:-n/a}" "${P99[$key]:-n/a}" \
    "$errs" "$(Mib "${RSS_AFTER[$key]:--1}")" "${RPS[$mkey]:--}" "$(Ratio "${RPS[$key]:-}" "${RPS[$mkey]:-}")"
done
if [[ -z $OUR_PID ]]; then # ours did not run: show moto's own rows
  for key in "${ORDER[@]}"; do
    [[ $key == moto:* ]] || continue
    printf '%-24s %10s %9s %9s %7s %9s\n' "$key" "${RPS[$key]:-n/a}" "${P50[$key]:-n/a}" "${P99[$key]:-n/a}" \
      "$(( ${NON2XX[$key]:-0} + ${SOCKERR[$key]:-0} ))" "$(Mib "${RSS_AFTER[$key]:--1}")"
  done
fi
echo
echo "read scenarios run after every secret was read once (steady state); -1st: before that, when most"
echo "requests are a secret's first read of the day, which also writes LastAccessedDate"
PEAK_1K=$(cat "$WORK/peak-1k" 2>/dev/null || echo -1)
PEAK_BIG=$(cat "$WORK/peak-big" 2>/dev/null || echo -1)
PEAK_MOTO=$(cat "$WORK/peak-moto" 2>/dev/null || echo -1)
echo "first answer (fork -> first HTTP answer, median of ${#FIRST_MS[@]} cold starts): ${FIRST_MEDIAN:-n/a} ms, min ${FIRST_MIN:-n/a} ms  [${FIRST_MS[*]:-}]$([[ -n $MOTO_FIRST ]] && echo "   moto: $MOTO_FIRST ms")"
echo "  same data dir again (restart): median $(Median "${RESTART_MS[@]}") ms [${RESTART_MS[*]:-}];  --in-memory: median $(Median "${MEMORY_MS[@]}") ms [${MEMORY_MS[*]:-}]"
echo "RSS idle after start: $(Mib "$IDLE_RSS") MiB$([[ $MOTO_RSS != -1 ]] && echo "   moto: $(Mib "$MOTO_RSS") MiB")"
echo "RSS peak during GetSecretValue: 1k $(Mib "$PEAK_1K") MiB, $BIGK $(Mib "$PEAK_BIG") MiB (idle at $BIGK: $(Mib "${RSS_BIG_IDLE:--1}") MiB)$([[ $PEAK_MOTO != -1 ]] && echo "   moto: $(Mib "$PEAK_MOTO") MiB")"
echo

# Target LABEL VALUE-TEXT CONDITION(awk expr over v) VALUE
Target() {
  local label=$1 shown=$2 cond=$3 v=${4:-}
  local mark
  if [[ -z $v || $v == -1 ]]; then mark="n/a"
  else mark=$(awk -v v="$v" "BEGIN { print ($cond) ? \"met\" : \"MISSED\" }"); fi
  printf '  %-46s %-22s %s\n' "$label" "$shown" "$mark"
}
# A figure only counts against a target when its run had no errors.
Clean() { (( ${NON2XX[$1]:-1} + ${SOCKERR[$1]:-1} == 0 )) && echo "${RPS[$1]}"; }
GSV1=$(Clean GetSecretValue@1k)
GSV100=$(Clean "GetSecretValue@$BIGK")
HEALTH=$(Clean health@1k)
PSV=$(Clean PutSecretValue@1k)
pct() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print ""; else printf "%.1f", 100 * a / b }'; }
echo "targets (n/a: not run, or the run had errors)"
Target "GetSecretValue at 1k >= 30,000 req/s" "${GSV1:-n/a} req/s" "v >= 30000" "$GSV1"
r=$(pct "$GSV100" "$GSV1")
Target "GetSecretValue at $BIGK within 20% of 1k" "${r:-n/a} % of 1k" "v >= 80" "$r"
r=$(pct "$GSV1" "$HEALTH")
Target "GetSecretValue >= 80% of health endpoint" "${r:-n/a} % of health" "v >= 80" "$r"
Target "PutSecretValue >= 3,000 req/s" "${PSV:-n/a} req/s" "v >= 3000" "$PSV"
Target "first answer <= 20 ms" "${FIRST_MEDIAN:-n/a} ms" "v <= 20" "${FIRST_MEDIAN:-}"
Target "idle RSS <= 10 MiB" "$(Mib "$IDLE_RSS") MiB" "v <= 10240" "$IDLE_RSS"
echo
echo "(figures from a shared machine are noisy; compare runs on the same machine only)"
