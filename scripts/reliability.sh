#!/usr/bin/env bash
# The reliability campaign, in one command (not part of scripts/test.sh):
#   crash     kill -9 cycles under concurrent writers on one data dir; every
#             acknowledged write checked after restart, labels consistent,
#             PRAGMA integrity_check ok            (tests/reliability/crash_safety.py)
#   fuzz      each libFuzzer target of tests/fuzz for a bounded time from its
#             committed seed corpus (clang, ASan+UBSan)
#   sanitize  the unit and integration tests built with -DSML_SANITIZE=ON
#   soak      mixed load; errors, latency, RSS and fds first/last, WAL size
#                                                  (tests/reliability/soak.py)
# Installs what it needs (apt-get), builds build/test (the product as shipped)
# and build/reliability (clang, SML_SANITIZE=ON, SML_FUZZ=ON), runs the parts,
# prints a summary (also in build/reliability/summary.txt) and exits non-zero
# when any part failed. Every part is bounded in time.
#
# Options, as environment variables:
#   PARTS="crash fuzz sanitize soak"   the parts to run, in this order
#   CYCLES=30 WRITERS=4                kill -9 cycles, concurrent writers
#   FUZZ_SECONDS=60                    per fuzz target
#   SOAK_SECONDS=120 THREADS=4         soak length and clients
#   JOBS=2                             build parallelism
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

PARTS=${PARTS:-crash fuzz sanitize soak}
export CYCLES=${CYCLES:-30} WRITERS=${WRITERS:-4}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
export SOAK_SECONDS=${SOAK_SECONDS:-120} THREADS=${THREADS:-4}
JOBS=${JOBS:-2}

bash scripts/install-deps.sh --test --reliability

out=$root/build/reliability
summary=()
failed=0
record() {  # part, status, figures
  summary+=("$(printf '%-9s %-4s %s' "$1" "$2" "$3")")
  [[ $2 == ok ]] || failed=1
}
wants() { [[ " $PARTS " == *" $1 "* ]]; }

if wants crash || wants soak; then
  cmake -S . -B build/test -DCMAKE_BUILD_TYPE=Release -DSML_BUILD_TESTS=ON >/dev/null
  cmake --build build/test -j "$JOBS" --target secretsmanager-local
fi
if wants fuzz || wants sanitize; then
  CC=clang CXX=clang++ cmake -S . -B "$out" -DCMAKE_BUILD_TYPE=Release -DSML_BUILD_TESTS=ON \
    -DSML_SANITIZE=ON -DSML_FUZZ=ON >/dev/null
  cmake --build "$out" -j "$JOBS"
fi
mkdir -p "$out"
export PYTHONDONTWRITEBYTECODE=1

if wants crash; then
  echo "== crash safety: $CYCLES kill -9 cycles, $WRITERS writers"
  log=$out/crash.log
  if SML_BINARY=$root/build/test/secretsmanager-local timeout $((CYCLES * 30 + 120)) \
      python3 tests/reliability/crash_safety.py 2>&1 | tee "$log"; then
    record crash ok "$(tail -1 "$log")"
  else
    record crash FAIL "$(tail -1 "$log")"
  fi
fi

if wants fuzz; then
  export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  for target in "$out"/tests/fuzz/fuzz_*; do
    name=${target##*/fuzz_}
    echo "== fuzz $name: ${FUZZ_SECONDS} s"
    work=$out/fuzz-corpus/$name
    mkdir -p "$work" "$out/fuzz-artifacts"
    log=$out/fuzz-$name.log
    # Grows a working corpus beside the committed seeds, which stay as they are.
    if timeout $((FUZZ_SECONDS + 120)) "$target" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$out/fuzz-artifacts/$name-" "$work" "tests/fuzz/corpus/$name" \
        >"$log" 2>&1; then
      runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
      cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
      record "fuzz" ok "$name: $runs runs in ${FUZZ_SECONDS} s, $cov, corpus $(ls "$work" | wc -l) inputs"
    else
      record "fuzz" FAIL "$name: crash, see $log and $out/fuzz-artifacts/"
      grep -m3 -E 'ERROR|runtime error|Assertion' "$log" || true
    fi
  done
fi

if wants sanitize; then
  echo "== unit and integration tests under ASan+UBSan"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  exclude=()
  [[ -d tests/integration/js/node_modules ]] || exclude=(-E integration_js)
  log=$out/sanitize.log
  if timeout 3600 ctest --test-dir "$out" -j "$JOBS" --output-on-failure "${exclude[@]}" \
      >"$log" 2>&1; then
    record sanitize ok "$(grep -E 'tests passed' "$log" | tail -1)"
  else
    record sanitize FAIL "$(grep -E 'tests passed|tests failed' "$log" | tail -1); see $log"
    grep -E 'Failed|ERROR: AddressSanitizer|runtime error' "$log" | head -20 || true
  fi
fi

if wants soak; then
  echo "== soak: ${SOAK_SECONDS} s, $THREADS threads"
  log=$out/soak.log
  if SML_BINARY=$root/build/test/secretsmanager-local timeout $((${SOAK_SECONDS%.*} + 180)) \
      python3 tests/reliability/soak.py 2>&1 | tee "$log"; then
    record soak ok "$(grep '^soak:' "$log" | tr '\n' ' ')"
  else
    record soak FAIL "$(grep -E '^(soak|ERROR):' "$log" | head -5 | tr '\n' ' ')"
  fi
fi

{
  echo "== reliability summary ($(date -u +%Y-%m-%dT%H:%MZ))"
  printf '%s\n' "${summary[@]}"
} | tee "$out/summary.txt"
exit "$failed"
