#!/usr/bin/env bash
# The secretsmanager-local benchmark. Run on demand (not part of the tests):
#   bench/run.sh
# It starts the server (durable mode, fresh temp data dir), measures time to
# first answer and idle RSS, then for each size in SIZES grows the set to
# that many secrets through the API (wrk as preloader), reads each once, and
# runs every scenario with wrk: the null endpoint (a 404), health,
# GetSecretValue (uniform and on a hot set of 1,000), the first read of the
# day (after moving the emulator clock a day), DescribeSecret, ListSecrets,
# PutSecretValue, CreateSecret. It then times restarts on the grown data dir,
# runs the same scenarios at 1k against moto_server when it is on PATH, and
# prints every figure with its ratio to the null endpoint of the same phase
# and to moto. It prints; it never fails on a missed target.
#
# Environment:
#   DURATION=10        seconds per wrk scenario
#   THREADS=2 CONNS=16 wrk -t / -c
#   SIZES="1000 100000 1000000"  the phases (each grows the same data dir)
#   SKIP_100K=1        SIZES=1000 (kept for old habits)
#   SKIP_MOTO=1        skip the moto comparison
#   PRELOAD_CONNS=64   connections of the wrk preloader
#   ROUNDS=3           rounds of the read scenarios, interleaved (and
#   FIRST_ROUNDS=5     pairs of first-read walks): each ratio target is the median
#                      of its rounds' ratios, numerator and denominator
#                      measured seconds apart (the machine's speed moves by
#                      a third within minutes); the table shows medians
#   FIRST_DURATION=3   at most this many seconds for the first-read-of-the-day
#                      walk and its warm twin (fewer where the walk would
#                      otherwise wrap: it must read each secret once at most;
#                      it covers the first 100,000 secrets at most); the two
#                      unmeasured walks that fill the cache first take it whole
#   BINARY=path        server binary (default: build/release/secretsmanager-local,
#                      configured and built incrementally with cmake -j2 first)
#   NO_BUILD=1         use build/release/secretsmanager-local as it is
#   STARTS=5           how many fresh-data-dir cold starts to time (median reported;
#                      plus 3 restarts on an existing dir and 3 --in-memory)
#   PRELOAD_PROCS=4    preloader processes (moto; ours uses wrk)
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
SIZES=${SIZES:-1000 100000 1000000}
[[ -n ${SKIP_100K:-} ]] && SIZES=1000
PRELOAD_CONNS=${PRELOAD_CONNS:-64}
FIRST_DURATION=${FIRST_DURATION:-3}
ROUNDS=${ROUNDS:-3}
FIRST_ROUNDS=${FIRST_ROUNDS:-5}
WALK_SECRETS=100000 # the read cache's default --cache-secrets
STARTS=${STARTS:-5}
PRELOAD_PROCS=${PRELOAD_PROCS:-4}
SERVER_ARGS=${SERVER_ARGS:-}
HEALTH_PATH=/_local/health
# 1000 -> 1k, 100000 -> 100k, 1000000 -> 1M
SizeLabel() {
  if (($1 % 1000000 == 0)); then echo "$(($1 / 1000000))M"
  elif (($1 % 1000 == 0)); then echo "$(($1 / 1000))k"
  else echo "$1"; fi
}

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

# Reads VmRSS (or another field of /proc/PID/status, in KiB) of a pid with
# bash builtins only (cheap enough to sample).
RssKib() {
  local field=${2:-VmRSS} k v _
  while read -r k v _; do
    if [[ $k == "$field:" ]]; then echo "$v"; return; fi
  done <"/proc/$1/status" 2>/dev/null
  echo -1
}

Mib() { awk -v k="$1" 'BEGIN { if (k < 0) print "n/a"; else printf "%.1f", k / 1024 }'; }

# Pulls key=value out of a BENCH/STARTUP/PRELOAD line.
Field() { sed -n "s/.*\\b$2=\\([^ ]*\\).*/\\1/p" <<<"$1"; }

# wrk drives every scenario (and ours is preloaded with it): without it no
# figure comes out, so it is installed first, as the test script installs
# what the tests drive.
if ! command -v wrk >/dev/null; then
  Say "installing wrk (scripts/install-deps.sh --bench) ..."
  bash "$ROOT/scripts/install-deps.sh" --bench >&2 || { Say "wrk is needed and could not be installed"; exit 1; }
fi

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

# RunScenario KEY LUA SECRETS PORT PID [rss-peak-file]; EXTRA_ENV (array of
# VAR=value) adds to wrk's environment; a KEY starting with "null" expects 404s.
EXTRA_ENV=()
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
  local seconds=${SCEN_DURATION:-$DURATION}
  Say "  wrk ${seconds}s  $key"
  env "${EXTRA_ENV[@]}" BENCH_THREADS="$THREADS" BENCH_SECRETS="$secrets" BENCH_NONCE="${NONCE}s${#ORDER[@]}" \
    wrk -t"$THREADS" -c"$CONNS" -d"${seconds}s" --latency -s "$HERE/wrk/$lua.lua" \
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
  [[ $key == null* ]] && NON2XX[$key]=0 # 404 is its answer
  SOCKERR[$key]=$(Field "$line" socket_errors)
  RSS_AFTER[$key]=$(RssKib "$pid")
  if ((NON2XX[$key] > 0 || SOCKERR[$key] > 0)); then
    Say "    warning: ${NON2XX[$key]} non-2xx responses, ${SOCKERR[$key]} socket errors (figures are suspect)"
  fi
}

# Combine KEY: the median of KEY's rounds (KEY#1..KEY#ROUNDS) as KEY's row;
# errors add up, so that a round with errors keeps KEY out of the targets.
Combine() {
  local key=$1 r rps=() p50=() p99=() non2xx=0 sockerr=0
  for ((r = 1; r <= ROUNDS; r++)); do
    [[ -n ${RPS[$key#$r]:-} ]] || { non2xx=$((non2xx + 1)); continue; }
    rps+=("${RPS[$key#$r]}") p50+=("${P50[$key#$r]}") p99+=("${P99[$key#$r]}")
    non2xx=$((non2xx + NON2XX[$key#$r])) sockerr=$((sockerr + SOCKERR[$key#$r]))
    RSS_AFTER[$key]=${RSS_AFTER[$key#$r]}
  done
  ORDER+=("$key")
  ((${#rps[@]} > 0)) || return
  RPS[$key]=$(Median "${rps[@]}") P50[$key]=$(Median "${p50[@]}") P99[$key]=$(Median "${p99[@]}")
  NON2XX[$key]=$non2xx SOCKERR[$key]=$sockerr
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

# Python preloader (moto: it closes every connection, which wrk dislikes).
Preload() { # port from to
  Say "  preloading bench/secret-$(printf %05d "$2")..$(printf %05d "$3")"
  local line
  line=$(python3 "$HERE/preload.py" --port "$1" --from "$2" --to "$3" --procs "$PRELOAD_PROCS" | tail -1)
  Say "    $line"
}

# Reads each secret once so that the read scenarios measure the steady state
# (a secret's first read of the day also moves LastAccessedDate).
Warm() { # port from to
  Say "  reading bench/secret-$(printf %05d "$2")..$(printf %05d "$3") once (first read of the day moves LastAccessedDate)"
  local line
  line=$(python3 "$HERE/preload.py" --read --port "$1" --from "$2" --to "$3" --procs "$PRELOAD_PROCS" | tail -1)
  Say "    $line"
}

# WrkLoad PORT FROM TO [read]: creates (or reads once) bench/secret-FROM..TO
# with wrk over PRELOAD_CONNS keep-alive connections; prints the rate.
WrkLoad() {
  local port=$1 from=$2 to=$3 read=${4:-0} done_dir t0 t1 wpid
  done_dir=$(mktemp -d "$WORK/load.XXXXXX")
  Say "  $([[ $read == 1 ]] && echo reading || echo creating) bench/secret-$(printf %05d "$from")..$(printf %05d "$to") (wrk, $PRELOAD_CONNS connections)"
  t0=$(date +%s.%N)
  BENCH_THREADS=$THREADS BENCH_SECRETS=$to BENCH_FROM=$from BENCH_READ=$read BENCH_DONE_DIR=$done_dir \
    BENCH_NONCE="${NONCE}l${from}r$read" \
    wrk -t"$THREADS" -c"$PRELOAD_CONNS" -d3600s -s "$HERE/wrk/preload.lua" "http://127.0.0.1:$port/" \
    >"$done_dir.out" 2>&1 &
  wpid=$!
  while kill -0 "$wpid" 2>/dev/null; do
    (($(find "$done_dir" -name 'thread-*' | wc -l) >= THREADS)) && break
    sleep 0.2
  done
  t1=$(date +%s.%N)
  kill "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null
  cat "$done_dir"/thread-* 2>/dev/null | awk -v t0="$t0" -v t1="$t1" -v n=$((to - from + 1)) '
    { c += $1; e += $2; f += $3 }
    END { printf "    ok=%d existed=%d failed=%d of %d in %.1f s: %.0f/s\n", c, e, f, n, t1 - t0, (c + e) / (t1 - t0) }' >&2
}

# ===================================================================== ours
Say "== secretsmanager-local ($(if [[ -n ${SERVER_CMD:-} ]]; then echo "SERVER_CMD: $SERVER_CMD"; else echo "$BINARY"; fi))"
Say "   machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); DURATION=${DURATION}s, wrk -t$THREADS -c$CONNS; SIZES=$SIZES"
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
    line=$(StartServer "ours-$label-$i" "$HEALTH_PATH" 30 1 "$port" $cmd)
    if [[ -z $(Field "$line" pid) ]]; then
      Say "   $label start $i failed: $line"; tail -5 "$WORK/ours-$label-$i.log" >&2
      continue
    fi
    into+=("$(Field "$line" first_answer_ms)")
    Say "   $label start $i: first answer $(Field "$line" first_answer_ms) ms, RSS $(Mib "$(Field "$line" rss_kib)") MiB"
  done
}

FIRST_MS=() RESTART_MS=() MEMORY_MS=() BIG_RESTART_MS=()
TimeStarts FIRST_MS fresh "$STARTS" ""
if ((${#FIRST_MS[@]} > 0)); then
  TimeStarts RESTART_MS restart 3 "$WORK/data-fresh-1"
  [[ -z ${SERVER_CMD:-} ]] && TimeStarts MEMORY_MS in-memory 3 -
fi

# Moves the server's emulator clock a day on: every secret's next read is its
# first of the day again.
# The steady state of a day: the first reads' access dates are written (the
# server batches them; a million at once takes it a while), and checkpointed:
# the checkpointer empties the -wal file a second after the last write, and
# its copying would otherwise land on the next scenario.
AwaitAccessDates() { # port
  local pending t0=$SECONDS wal=$WORK/data/secrets.db-wal
  while ((SECONDS - t0 < 300)); do
    pending=$(curl -s "http://127.0.0.1:$1/_local/metrics" | awk '$1 == "sml_access_dates_pending" { print $2 }')
    [[ ${pending:-0} == 0 ]] && break
    sleep 0.5
  done
  while ((SECONDS - t0 < 300)) && [[ -s $wal ]]; do sleep 0.2; done
  ((SECONDS - t0 > 1)) && Say "    access dates written after $((SECONDS - t0)) s"
  return 0
}

NextDay() { curl -s -o /dev/null -X POST "http://127.0.0.1:$1/_local/clock" -d '{"advance":"1d"}'; }

OUR_PID=
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

declare -A PEAK HWM NULL_OF
LAST_SIZE=0
if [[ -n $OUR_PID ]]; then
  for size in $SIZES; do
    k=$(SizeLabel "$size")
    Say "== phase $k"
    WrkLoad "$OUR_PORT" $((LAST_SIZE + 1)) "$size"
    LAST_SIZE=$size
    WrkLoad "$OUR_PORT" 1 "$size" 1 # every secret read once today: the steady state
    AwaitAccessDates "$OUR_PORT"
    # The kernel writes the preload's dirty pages back within ~30 s; done
    # now, that work does not land on the scenarios below.
    sync
    Probe "$OUR_PORT" GetSecretValue '{"SecretId":"bench/secret-00001"}'
    reads=("null@$k")
    ((size == SMALL)) && reads+=("null-sdk@$k")
    reads+=("health@$k" "GetSecretValue@$k")
    ((size > SMALL)) && reads+=("GetSecretValue-hot@$k")
    reads+=("DescribeSecret@$k")
    for ((round = 1; round <= ROUNDS; round++)); do
      RunScenario "null@$k#$round" null "$size" "$OUR_PORT" "$OUR_PID"
      ((size == SMALL)) && RunScenario "null-sdk@$k#$round" null_sdk "$size" "$OUR_PORT" "$OUR_PID"
      RunScenario "health@$k#$round" health "$size" "$OUR_PORT" "$OUR_PID"
      RunScenario "GetSecretValue@$k#$round" get_secret_value "$size" "$OUR_PORT" "$OUR_PID" "$WORK/peak-$k-$round"
      if ((size > SMALL)); then
        EXTRA_ENV=(BENCH_HOT=$SMALL)
        RunScenario "GetSecretValue-hot@$k#$round" get_secret_value "$size" "$OUR_PORT" "$OUR_PID"
        EXTRA_ENV=()
      fi
      RunScenario "DescribeSecret@$k#$round" describe_secret "$size" "$OUR_PORT" "$OUR_PID"
    done
    for key in "${reads[@]}"; do Combine "$key"; done
    NULL_OF[$k]="null@$k"
    PEAK[$k]=$(cat "$WORK/peak-$k"-* 2>/dev/null | sort -g | tail -1)
    RunScenario "ListSecrets@$k" list_secrets "$size" "$OUR_PORT" "$OUR_PID"
    # The first read of a day against a warm read of the same request
    # stream: the same walk (the client builds each request, which costs it
    # more than the random scenarios' prebuilt ones) on a day when every
    # secret was read already, then on a new day, each request a secret's
    # first read of it. The walk covers at most the first WALK_SECRETS,
    # which the read cache holds, and unmeasured walks first put them
    # there: at 1M as at 100k both walks read cached secrets (uniform reads
    # measure the misses), and each round's warm walk reads what the round
    # before read first. Short enough not to wrap: the phase's faster read
    # rate bounds the walk's.
    if ((size > SMALL)); then
      walked=$((size < WALK_SECRETS ? size : WALK_SECRETS))
      walk_seconds=$(awk -v n="$walked" -v a="${RPS[GetSecretValue@$k]:-}" -v b="${RPS[GetSecretValue-hot@$k]:-}" \
        -v most="$FIRST_DURATION" 'BEGIN { r = a + 0 > b + 0 ? a : b; s = r + 0 > 0 ? int(0.9 * n / r) : most;
          if (s > most) s = most; if (s < 1) s = 1; print s }')
      # Twice: the cache's CLOCK hand passes new entries before the old
      # ones it gave a second chance, so one pass leaves gaps at 1M.
      for prime in 1 2; do
        SCEN_DURATION=$FIRST_DURATION RunScenario "GetSecretValue-walk@$k#0" read_each "$walked" "$OUR_PORT" "$OUR_PID"
      done
      for ((round = 1; round <= FIRST_ROUNDS; round++)); do
        SCEN_DURATION=$walk_seconds RunScenario "GetSecretValue-walk@$k#$round" read_each "$walked" "$OUR_PORT" "$OUR_PID"
        NextDay "$OUR_PORT"
        SCEN_DURATION=$walk_seconds RunScenario "GetSecretValue-1st@$k#$round" read_each "$walked" "$OUR_PORT" "$OUR_PID"
        AwaitAccessDates "$OUR_PORT"
      done
      ROUNDS=$FIRST_ROUNDS Combine "GetSecretValue-walk@$k"
      ROUNDS=$FIRST_ROUNDS Combine "GetSecretValue-1st@$k"
    fi
    RunScenario "PutSecretValue@$k" put_secret_value "$size" "$OUR_PORT" "$OUR_PID"
    RunScenario "CreateSecret@$k" create_secret "$size" "$OUR_PORT" "$OUR_PID"
    # The kernel's high-water mark since the start: preloads, first reads,
    # writes and all, not only the samples taken during GetSecretValue.
    HWM[$k]=$(RssKib "$OUR_PID" VmHWM)
  done
  kill "$OUR_PID" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$OUR_PID" 2>/dev/null || break; sleep 0.1; done
  TimeStarts BIG_RESTART_MS "restart-$(SizeLabel "$LAST_SIZE")" 3 "$WORK/data"
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
    RunScenario "moto:null@1k" null "$SMALL" "$port" "$MOTO_PID"
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
Pct() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.0f%%", 100 * a / b }'; }

echo
echo "secretsmanager-local benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)), load avg $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t$THREADS -c$CONNS -d${DURATION}s --latency, keep-alive; null = GET of an unknown path (404), the HTTP layer alone"
echo
printf '%-26s %9s %7s %8s %8s %6s %8s %9s %8s\n' scenario "req/s" "/null" "p50 ms" "p99 ms" errors "RSS MiB" "moto r/s" "x moto"
printf '%-26s %9s %7s %8s %8s %6s %8s %9s %8s\n' -------------------------- --------- ------- -------- -------- ------ -------- --------- --------
for key in "${ORDER[@]}"; do
  [[ $key == moto:* || $key == *#* ]] && continue
  k=${key##*@}
  base=${key%@*}; base=${base%-hot}; base=${base%-1st}; base=${base%-walk}
  mkey="moto:$base@1k"
  errs=$(( ${NON2XX[$key]:-0} + ${SOCKERR[$key]:-0} ))
  printf '%-26s %9s %7s %8s %8s %6s %8s %9s %8s\n' "$key" "${RPS[$key]:-n/a}" \
    "$(Pct "${RPS[$key]:-}" "${RPS[${NULL_OF[$k]:-}]:-}")" "${P50[$key]:-n/a}" "${P99[$key]:-n/a}" \
    "$errs" "$(Mib "${RSS_AFTER[$key]:--1}")" "${RPS[$mkey]:--}" "$(Ratio "${RPS[$key]:-}" "${RPS[$mkey]:-}")"
done
if [[ -z $OUR_PID ]]; then # ours did not run: show moto's own rows
  for key in "${ORDER[@]}"; do
    [[ $key == moto:* ]] || continue
    printf '%-26s %9s %7s %8s %8s %6s %8s\n' "$key" "${RPS[$key]:-n/a}" "" "${P50[$key]:-n/a}" "${P99[$key]:-n/a}" \
      "$(( ${NON2XX[$key]:-0} + ${SOCKERR[$key]:-0} ))" "$(Mib "${RSS_AFTER[$key]:--1}")"
  done
fi
echo
echo "/null: req/s as a share of the null endpoint in the same phase. Reads run after every secret was read"
echo "once that day; -hot: 1,000 secrets spread over the set; -walk: each request the next secret (a warm read);"
echo "-1st: the same walk after the clock moved a day, each request a different secret's first read of the day."
PEAK_MOTO=$(cat "$WORK/peak-moto" 2>/dev/null || echo -1)
echo "first answer (fork -> first HTTP answer, median of ${#FIRST_MS[@]} cold starts, fresh data dir): ${FIRST_MEDIAN:-n/a} ms, min ${FIRST_MIN:-n/a} ms  [${FIRST_MS[*]:-}]$([[ -n $MOTO_FIRST ]] && echo "   moto: $MOTO_FIRST ms")"
echo "  restart on an existing data dir: empty $(Median "${RESTART_MS[@]}") ms [${RESTART_MS[*]:-}], $(SizeLabel "$LAST_SIZE") secrets $(Median "${BIG_RESTART_MS[@]}") ms [${BIG_RESTART_MS[*]:-}];  --in-memory: $(Median "${MEMORY_MS[@]}") ms"
echo "RSS idle after start: $(Mib "$IDLE_RSS") MiB$([[ $MOTO_RSS != -1 ]] && echo "   moto: $(Mib "$MOTO_RSS") MiB")"
peaks=""
for size in $SIZES; do k=$(SizeLabel "$size"); peaks+=" $k $(Mib "${PEAK[$k]:--1}") MiB,"; done
echo "RSS peak during GetSecretValue:${peaks%,}$([[ $PEAK_MOTO != -1 ]] && echo "   moto 1k: $(Mib "$PEAK_MOTO") MiB")"
hwms=""
for size in $SIZES; do k=$(SizeLabel "$size"); hwms+=" $k $(Mib "${HWM[$k]:--1}") MiB,"; done
echo "RSS high-water mark from the start to the end of each phase:${hwms%,}"
echo

# Target LABEL VALUE-TEXT CONDITION(awk expr over v) VALUE
Target() {
  local label=$1 shown=$2 cond=$3 v=${4:-}
  local mark
  if [[ -z $v || $v == -1 ]]; then mark="n/a"
  else mark=$(awk -v v="$v" "BEGIN { print ($cond) ? \"met\" : \"MISSED\" }"); fi
  printf '  %-54s %-34s %s\n' "$label" "$shown" "$mark"
}
# A figure only counts against a target when its run had no errors.
Clean() { (( ${NON2XX[$1]:-1} + ${SOCKERR[$1]:-1} == 0 )) && echo "${RPS[$1]}"; }
pct() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print ""; else printf "%.1f", 100 * a / b }'; }
# Paired NUM DEN: the median over the rounds of 100 * NUM#r / DEN#r (each
# round's two figures seconds apart), then the rounds' own ratios in
# brackets; empty if a round is missing or had errors.
Paired() {
  local r a b all=()
  for ((r = 1; r <= ROUNDS; r++)); do
    a=$(Clean "$1#$r") b=$(Clean "$2#$r")
    [[ -n $a && -n $b ]] || return 0
    all+=("$(pct "$a" "$b")")
  done
  echo "$(Median "${all[@]}") [${all[*]}]"
}
# Normalised KEY@K: against GetSecretValue@1k, each first taken as a share
# of its own phase's null endpoint (the same HTTP layer): another view of a
# comparison across phases minutes apart, in which the machine's speed moves.
Normalised() {
  local num den
  num=$(Paired "$1" "null@${1##*@}") den=$(Paired GetSecretValue@1k null@1k)
  [[ -n $num && -n $den ]] && pct "${num%% *}" "${den%% *}"
}
Median1() { echo "${1%% *}"; }  # the median of a Paired answer
Shown() { [[ -n $1 ]] && echo "${1%% *} $2 ${1#* }" || echo "n/a $2"; }  # "80.2 % [78.1 80.2 83.0]"
echo "targets (n/a: not run, or the run had errors); ratios: the median of $ROUNDS rounds [each round]"
p=$(Paired GetSecretValue@1k null@1k); Target "GetSecretValue >= 80% of null endpoint (1k)" "$(Shown "$p" %)" "v >= 80" "$(Median1 "$p")"
p=$(Paired DescribeSecret@1k null@1k); Target "DescribeSecret >= 80% of null endpoint (1k)" "$(Shown "$p" %)" "v >= 80" "$(Median1 "$p")"
p=$(Paired GetSecretValue@1k null-sdk@1k)
printf '  %-54s %s\n' "(GetSecretValue / a 404 of the same request bytes)" "$(Shown "$p" %)"
GSV1=$(Clean GetSecretValue@1k)
r=$(awk -v a="$GSV1" -v b="$(Clean moto:GetSecretValue@1k)" 'BEGIN { if (a != "" && b + 0 > 0) printf "%.0f", a / b }')
Target "GetSecretValue >= 80x moto_server (1k)" "${r:-n/a} x" "v >= 80" "$r"
for size in $SIZES; do
  ((size > SMALL)) || continue
  k=$(SizeLabel "$size")
  r=$(pct "$(Clean "GetSecretValue-hot@$k")" "$GSV1"); Target "hot set at $k within 10% of 1k" "${r:-n/a} % of 1k" "v >= 90" "$r"
  r=$(Normalised "GetSecretValue-hot@$k")
  printf '  %-54s %s\n' "(the same, each as a share of its phase's null)" "${r:-n/a} %"
  r=$(pct "$(Clean "GetSecretValue@$k")" "$GSV1"); Target "uniform reads at $k >= 70% of 1k" "${r:-n/a} % of 1k" "v >= 70" "$r"
  r=$(Normalised "GetSecretValue@$k")
  printf '  %-54s %s\n' "(the same, each as a share of its phase's null)" "${r:-n/a} %"
  p=$(Paired "GetSecretValue@$k" "GetSecretValue-hot@$k")
  printf '  %-54s %s\n' "(uniform reads at $k / its hot set, same rounds)" "$(Shown "$p" %)"
  p=$(ROUNDS=$FIRST_ROUNDS Paired "GetSecretValue-1st@$k" "GetSecretValue-walk@$k"); Target "first read of the day at $k >= 80% of warm" "$(Shown "$p" "% of warm")" "v >= 80" "$(Median1 "$p")"
  p=$(Paired "health@$k" "null@$k"); Target "health at $k: O(1) (>= 80% of null)" "$(Shown "$p" "% of null")" "v >= 80" "$(Median1 "$p")"
  Target "RSS high-water mark up to $k <= 64 MiB" "$(Mib "${HWM[$k]:--1}") MiB" "v <= 65536" "${HWM[$k]:-}"
done
PSV=$(Clean PutSecretValue@1k)
Target "PutSecretValue >= 8,000 req/s" "${PSV:-n/a} req/s" "v >= 8000" "$PSV"
RESTART_MEDIAN=$(Median "${RESTART_MS[@]}")
Target "first answer on an existing data dir <= 5 ms" "${RESTART_MEDIAN:-n/a} ms" "v <= 5" "${RESTART_MEDIAN:-}"
Target "idle RSS <= 8 MiB" "$(Mib "$IDLE_RSS") MiB" "v <= 8192" "$IDLE_RSS"
echo
echo "(figures from a shared machine are noisy; compare ratios from one run, not runs)"
