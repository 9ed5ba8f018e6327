#!/usr/bin/env bash
# Installs, via apt-get, the Debian packages secretsmanager-local needs, and
# only those that are missing. Idempotent and quiet when everything is present.
# Runs as root directly, otherwise through sudo.
#   scripts/install-deps.sh          what building and running need
#   scripts/install-deps.sh --test   also what the tests drive (CLI v2, Node, ...)
#   scripts/install-deps.sh --bench  also wrk (load generator for bench/)
#   scripts/install-deps.sh --reliability  also clang and its libFuzzer/sanitizer runtimes
set -euo pipefail

packages=(build-essential cmake libboost-dev libboost-system-dev nlohmann-json3-dev
          libsqlite3-dev libssl-dev)
for mode in "$@"; do
  case "$mode" in
    --test)
      packages+=(libgtest-dev googletest
                 awscli   # the Debian package is AWS CLI v2 (/usr/bin/aws), used by the CLI tests
                 chromium   # the dashboard test drives it (playwright-core from npm)
                 golang-go golang-github-aws-aws-sdk-go-v2-dev)  # the Go SDK v2 test, offline
      # Node and npm run the JS SDK tests; a Node installed outside Debian
      # (nodesource, nvm) is fine, so only ask apt for what no command provides.
      command -v node >/dev/null 2>&1 || packages+=(nodejs)
      command -v npm >/dev/null 2>&1 || packages+=(npm)
      ;;
    --bench) packages+=(wrk) ;;
    --reliability) packages+=(clang libclang-rt-dev) ;;
    *) echo "install-deps: unknown option $mode" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-deps: missing packages (${missing[*]}) and not root and no sudo" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq >/dev/null
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
