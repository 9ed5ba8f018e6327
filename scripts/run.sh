#!/usr/bin/env bash
# Builds (Release, build/release) and runs secretsmanager-local on
# 127.0.0.1:4566 with its data in ${SML_DATA_DIR:-./data}. Extra arguments go
# to the server, e.g. `scripts/run.sh --port 4567 --log-format json`.
# Installs only what building and running need (scripts/install-deps.sh).
# The first build shows its output; later ones print one line and keep the
# output in build/release/build.log, shown when the build fails.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
jobs=$(( $(nproc) < 2 ? $(nproc) : 2 ))
build=build/release
configure=(cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSML_BUILD_TESTS=OFF)
compile=(cmake --build "$build" --target secretsmanager-local -j "$jobs")
# ccache, where installed (not required), makes rebuilds after a branch switch cheap.
command -v ccache >/dev/null 2>&1 && configure+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

if [[ -f $build/CMakeCache.txt ]]; then
  printf 'run.sh: building secretsmanager-local ... ' >&2
  started=$SECONDS
  if ! { "${configure[@]}" && "${compile[@]}"; } >"$build/build.log" 2>&1; then
    echo "failed:" >&2
    tail -n 40 "$build/build.log" >&2
    echo "run.sh: the whole output is in $build/build.log" >&2
    exit 1
  fi
  echo "done ($((SECONDS - started)) s)" >&2
else
  "${configure[@]}" >/dev/null
  "${compile[@]}"
fi

mkdir -p "${SML_DATA_DIR:-./data}"
exec "$build/secretsmanager-local" --data-dir "${SML_DATA_DIR:-./data}" "$@"
