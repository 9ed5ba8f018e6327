#!/usr/bin/env bash
# Builds both images of docker/Dockerfile and tries them as a user would,
# without a Docker engine: Debian's buildah (build, chroot isolation) and
# podman (run, with runc). Takes minutes (a full compile inside the build
# stage); not part of scripts/test.sh. Run as root from anywhere:
#   bash docker/test-image.sh
#
# The Dockerfile starts FROM debian:bookworm-slim. Where no such image is in
# local storage (this machine reaches Debian's package mirror but no image
# registry), one is made with `debootstrap --variant=minbase bookworm` and
# imported under that name: a minimal Debian 12 like the official slim image,
# not byte for byte the same. It says so below when it does.
#
# Checks: the default image is at most 30 MB and runs as a non-root user; it
# becomes healthy through its own HEALTHCHECK; boto3 on this machine creates
# and reads a secret through the published port; a new container on the same
# volume reads it back; the python image runs docker/example's rotation
# function as an exec handler (--handlers). Prints the image sizes.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE=docker.io/library/debian:bookworm-slim
IMAGE=localhost/secretsmanager-local:test
PYTHON_IMAGE=localhost/secretsmanager-local:python-test
CONTAINER=sml-image-test
VOLUME=sml-image-test-data
WORK=${SML_IMAGE_WORK:-/var/tmp/sml-image-test}
MAX_RUNTIME_BYTES=$((30 * 1000 * 1000))
# crun does not work on this kind of machine; runc does, given limits it may
# set (podman's defaults for root exceed what the sandbox allows).
RUN_FLAGS=(--runtime runc --ulimit nofile=4096:4096 --ulimit nproc=4096:4096)

say() { printf '\n== %s\n' "$*"; }
# Without systemd, podman complains at every start and stop that it cannot set
# a timer for the HEALTHCHECK; the checks below run it themselves.
podman() { command podman "$@" 2> >(grep -v 'systemd connection' >&2); }
fail() { echo "test-image: FAILED: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || fail "run as root (buildah and podman need it here)"
missing=()
for tool in buildah podman runc debootstrap; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  say "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    buildah podman runc debootstrap >/dev/null
fi

cleanup() {
  podman rm -f "$CONTAINER" >/dev/null 2>&1 || true
  podman volume rm -f "$VOLUME" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup

if ! podman image exists "$BASE"; then
  say "no $BASE in local storage: making one with debootstrap --variant=minbase bookworm"
  if [[ ! -f $WORK/rootfs/etc/debian_version ]]; then
    rm -rf "$WORK/rootfs"
    mkdir -p "$WORK"
    debootstrap --variant=minbase bookworm "$WORK/rootfs" http://deb.debian.org/debian \
      >"$WORK/debootstrap.log" 2>&1 || fail "debootstrap (see $WORK/debootstrap.log)"
    rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb "$WORK"/rootfs/var/lib/apt/lists/*
  fi
  tar -C "$WORK/rootfs" -c . | podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' - "$BASE" >/dev/null
fi

build() {  # build TAG [buildah options...]
  local tag=$1; shift
  # --format docker keeps HEALTHCHECK (the OCI image format has no field for it).
  buildah bud --isolation chroot --format docker --layers --pull=never \
    -f docker/Dockerfile -t "$tag" "$@" . >"$WORK/build-${tag##*:}.log" 2>&1 \
    || { tail -30 "$WORK/build-${tag##*:}.log"; fail "building $tag"; }
}
mkdir -p "$WORK"
say "building $IMAGE (log: $WORK/build-test.log)"
start=$SECONDS
build "$IMAGE"
echo "built in $((SECONDS - start)) s"
say "building $PYTHON_IMAGE (--target python)"
start=$SECONDS
build "$PYTHON_IMAGE" --target python
echo "built in $((SECONDS - start)) s"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_container() {  # start_container IMAGE [server arguments...]
  local image=$1; shift
  PORT=$(free_port)
  podman run -d "${RUN_FLAGS[@]}" --name "$CONTAINER" -p "127.0.0.1:$PORT:4566" \
    -v "$VOLUME:/data" -v "$PWD/docker/example:/functions:ro" "$image" "$@" >/dev/null
  # podman runs HEALTHCHECKs from systemd timers; without systemd, run it as they would.
  local deadline=$((SECONDS + 60)) out
  until out=$(podman healthcheck run "$CONTAINER" 2>&1); do
    [[ $SECONDS -lt $deadline ]] || { podman logs "$CONTAINER"; fail "not healthy after 60 s: $out"; }
    sleep 1
  done
  echo "healthy after $((60 - deadline + SECONDS)) s on 127.0.0.1:$PORT;" \
       "health status: $(podman inspect --format '{{.State.Health.Status}}' "$CONTAINER")"
}

stop_container() {
  podman stop -t 10 "$CONTAINER" >/dev/null
  echo "exit code after stop: $(podman inspect --format '{{.State.ExitCode}}' "$CONTAINER")"
  podman rm "$CONTAINER" >/dev/null
}

client() {  # client PYTHON-CODE: runs it with `sm`, a boto3 client for the container
  python3 - "$PORT" <<EOF
import json, sys, time, uuid
import boto3
sm = boto3.client("secretsmanager", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}",
                  region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
$1
EOF
}

say "default image: start, create and read a secret with boto3 from this machine"
start_container "$IMAGE"
echo "user: $(podman inspect --format '{{.Config.User}}' "$IMAGE");" \
     "process: $(podman top "$CONTAINER" user,args | tail -n +2)"
podman logs "$CONTAINER" 2>&1 | grep -E ' (warn|info) (EXPOSED|listening)' | cut -c1-220
client '
sm.create_secret(Name="image-test/db", SecretString=json.dumps({"password": "first"}))
got = sm.get_secret_value(SecretId="image-test/db")["SecretString"]
assert json.loads(got) == {"password": "first"}, got
print("created and read image-test/db")'
stop_container

say "default image: a new container on the same volume reads the secret back"
start_container "$IMAGE"
client '
got = sm.get_secret_value(SecretId="image-test/db")["SecretString"]
assert json.loads(got) == {"password": "first"}, got
print("read image-test/db after the restart")'
stop_container
podman volume rm -f "$VOLUME" >/dev/null

say "python image: docker/example/lambda_function.py rotates a secret as an exec handler"
start_container "$PYTHON_IMAGE" --handlers /functions/handlers.json
client '
sm.create_secret(Name="image-test/rotated", SecretString=json.dumps({"username": "app", "password": "before"}))
out = sm.rotate_secret(SecretId="image-test/rotated", RotationRules={"AutomaticallyAfterDays": 30},
                       RotationLambdaARN="arn:aws:lambda:us-east-1:000000000000:function:rotate-db-password")
deadline = time.monotonic() + 60
while sm.get_secret_value(SecretId="image-test/rotated")["VersionId"] != out["VersionId"]:
    assert time.monotonic() < deadline, "the rotation did not finish"
    time.sleep(0.2)
value = json.loads(sm.get_secret_value(SecretId="image-test/rotated")["SecretString"])
assert value["username"] == "app" and value["password"] != "before", "not rotated"
print("rotated image-test/rotated: AWSCURRENT is the new version, password changed")'
stop_container

say "image sizes"
podman images --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep -E "secretsmanager-local:(test|python-test)"
runtime_bytes=$(podman image inspect --format '{{.Size}}' "$IMAGE")
echo "default image: $runtime_bytes bytes (limit $MAX_RUNTIME_BYTES)"
[[ $runtime_bytes -le $MAX_RUNTIME_BYTES ]] || fail "the default image is larger than 30 MB"
say "all image checks passed"
