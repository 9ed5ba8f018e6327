#!/usr/bin/env bash
# Builds everything with tests (Release, build/test) and runs the whole suite
# through ctest: the GoogleTest units and the integration tests that start the
# real binary and drive it with boto3, AWS CLI v1 and v2, the JS SDK v3, the
# Go SDK v2, and the web dashboard in chromium.
# Exits non-zero on any failure. Extra arguments go to ctest (e.g. -R boto3).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --test
jobs=$(( $(nproc) < 2 ? $(nproc) : 2 ))

cmake -S . -B build/test -DCMAKE_BUILD_TYPE=Release -DSML_BUILD_TESTS=ON >/dev/null
cmake --build build/test -j "$jobs"

# The JS SDK tests need @aws-sdk/client-secrets-manager and the README test
# @cdktf/hcl2json (HashiCorp's HCL parser); the dashboard test needs
# playwright-core; each folder pins them by its committed package-lock.json.
# Reinstall only when node_modules is missing or older than the lock file.
for js in tests/integration/js tests/integration/dashboard; do
  if [[ ! -d $js/node_modules || $js/package-lock.json -nt $js/node_modules/.package-lock.json ]]; then
    (cd "$js" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

ctest --test-dir build/test --output-on-failure -j "$jobs" "$@"
