#!/usr/bin/env bash
# Builds (Release, build/release) and runs secretsmanager-local on
# 127.0.0.1:4566 with its data in ${SML_DATA_DIR:-./data}. Extra arguments go
# to the server, e.g. `scripts/run.sh --port 4567 --log-format json`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
jobs=$(( $(nproc) < 2 ? $(nproc) : 2 ))
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DSML_BUILD_TESTS=OFF >/dev/null
cmake --build build/release --target secretsmanager-local -j "$jobs"
mkdir -p "${SML_DATA_DIR:-./data}"
exec build/release/secretsmanager-local --data-dir "${SML_DATA_DIR:-./data}" "$@"
