#!/usr/bin/env bash
# Proves the container image runs, on a machine without Docker: unpacks the image that
# `mvn jib:buildTar` wrote, layer by layer (whiteouts honoured), and starts it the way a container
# runtime would: its Entrypoint and Cmd, only its Env, its User and WorkingDir, in new PID, mount,
# network, IPC and UTS namespaces (the JVM is PID 1, the network is its own loopback), with /proc,
# a minimal /dev, a 64 MiB /dev/shm and a read-only /sys mounted, and checks.yaml copied to
# /etc/statusdesk/checks.yaml. Then, twice (a fresh data directory, then the same one again):
#   - /health and /ready on the image's port answer 200 (the times are printed);
#   - the embedded PostgreSQL runs as the image's user with fsync, synchronous_commit and
#     full_page_writes on;
#   - SIGTERM stops the service with exit status 143 (the JVM's for SIGTERM), the log saying
#     "stopping" and nothing unclean, and PostgreSQL shut down (no postmaster.pid left).
# The first time, `agent --help` and `token create --role agent` also run in the image beside the
# service, as `docker exec` would.
#
#   sudo deploy/image-check.sh [IMAGE.tar [CHECKS.yaml [NAME=VALUE...]]]
#
# IMAGE.tar defaults to target/jib-image.tar, CHECKS.yaml to the repository's checks.yaml; each
# NAME=VALUE is added to the container's environment, as `docker run -e` does (not
# STATUSDESK_DB_URL: the check is of the embedded PostgreSQL, and the container's network is its
# own loopback). Needs root, util-linux (unshare, nsenter), iproute2, GNU tar, jq and curl.
# KEEP=1 keeps the work directory.
# Not part of `mvn verify` or .ci/run: it needs root and a built image.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
image=$(realpath "${1:-$repo/target/jib-image.tar}")
checks=$(realpath "${2:-$repo/checks.yaml}")
shift $(($# < 2 ? $# : 2))
extra_env=("$@")
fail() { echo "image-check: $*" >&2; exit 1; }
printf '%s\n' "${extra_env[@]}" | grep -q '^STATUSDESK_DB_URL=' &&
  fail "STATUSDESK_DB_URL: the check runs the embedded PostgreSQL"
[ "$(id -u)" = 0 ] || fail "run as root (namespaces, chroot)"
[ -f "$image" ] || fail "no image at $image: mvn -B -DskipTests compile jib:buildTar"
for tool in unshare nsenter ip tar jq curl; do
  command -v "$tool" >/dev/null || fail "$tool is missing"
done

work=$(mktemp -d /tmp/statusdesk-image.XXXXXX)
rootfs=$work/rootfs
runner=""
pid=""
cleanup() {
  # Only what this script started: the container's PID 1 takes every process of its namespace
  # with it when killed; the runner outside then exits by itself.
  if [ -n "$runner" ]; then
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    kill -KILL "$runner" 2>/dev/null
    wait "$runner" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "image-check: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# --- unpack ------------------------------------------------------------------------------------
mkdir -p "$work/image" "$rootfs"
tar -xf "$image" -C "$work/image"
manifest=$work/image/manifest.json
config=$work/image/$(jq -r '.[0].Config' "$manifest")
# A path from a layer, made relative and refused if it climbs out of the root file system.
inside() {
  local p=${1#./}
  p=${p#/}
  case "/$p/" in */../*) fail "layer path $1 leaves the root" ;; esac
  printf '%s' "$p"
}
while read -r layer; do
  # Whiteouts hide what lower layers put there; they are applied before the layer is unpacked.
  while read -r entry; do
    path=$(inside "$entry")
    dir=$(dirname "$path")
    name=$(basename "$path")
    if [ "$name" = .wh..wh..opq ]; then
      find "$rootfs/$dir" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
    else
      rm -rf "${rootfs:?}/$dir/${name#.wh.}"
    fi
  done < <(tar -tf "$work/image/$layer" --warning=no-unknown-keyword |
    grep -E '(^|/)\.wh\.' || true)
  tar -xf "$work/image/$layer" -C "$rootfs" --warning=no-unknown-keyword --numeric-owner \
    --same-owner --same-permissions --exclude='.wh.*' --exclude='*/.wh.*'
done < <(jq -r '.[0].Layers[]' "$manifest")
echo "image-check: $(basename "$image"): $(du -m "$image" | cut -f1) MiB packed," \
  "$(jq -r '.[0].Layers | length' "$manifest") layers, $(du -sm "$rootfs" | cut -f1) MiB unpacked"

# --- the image's configuration -----------------------------------------------------------------
mapfile -t entrypoint < <(jq -r '.config.Entrypoint // [] | .[]' "$config")
mapfile -t cmd < <(jq -r '.config.Cmd // [] | .[]' "$config")
mapfile -t env < <(jq -r '.config.Env // [] | .[]' "$config")
workdir=$(jq -r '.config.WorkingDir // "" | if . == "" then "/" else . end' "$config")
user=$(jq -r '.config.User // "" | if . == "" then "0" else . end' "$config")
port=$(jq -r '.config.ExposedPorts // {} | keys[0] // "8080/tcp" | split("/")[0]' "$config")
# A user or group as a runtime resolves it: a number, or a name in the image's own files.
lookup() { # FILE NAME-OR-ID FIELD
  if [[ $2 =~ ^[0-9]+$ ]]; then
    awk -F: -v id="$2" -v f="$3" '$3 == id { print $f; found = 1; exit }
      END { if (!found && f == 3) print id }' "$rootfs/$1"
  else
    awk -F: -v n="$2" -v f="$3" '$1 == n { print $f; exit }' "$rootfs/$1"
  fi
}
uid=$(lookup etc/passwd "${user%%:*}" 3)
[ -n "$uid" ] || fail "user ${user%%:*} is not in the image's /etc/passwd"
if [[ $user == *:* ]]; then gid=$(lookup etc/group "${user#*:}" 3); else
  gid=$(lookup etc/passwd "$uid" 4); fi
[ -n "$gid" ] || fail "group of $user is not in the image's files"
home=$(lookup etc/passwd "$uid" 6)
# a runtime starts it all the same, with HOME=/ (PostgreSQL's initdb then refuses to run)
[ -n "$home" ] || echo "image-check: warning: uid $uid has no entry in the image's /etc/passwd"
printf '%s\n' "${env[@]}" | grep -q '^HOME=' || env+=("HOME=${home:-/}")
env+=("HOSTNAME=statusdesk-check" "${extra_env[@]}")
echo "image-check: runs ${entrypoint[*]} ${cmd[*]} as $uid:$gid in $workdir, port $port"

# --- what the runtime provides -----------------------------------------------------------------
install -D -m 0644 "$checks" "$rootfs/etc/statusdesk/checks.yaml"
printf 'statusdesk-check\n' >"$rootfs/etc/hostname"
printf '127.0.0.1\tlocalhost statusdesk-check\n::1\tlocalhost\n' >"$rootfs/etc/hosts"
cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
mkdir -p "$rootfs/proc" "$rootfs/dev" "$rootfs/sys" "$rootfs/tmp"
if [ ! -d "$rootfs$workdir" ]; then
  # a runtime creates it, owned by root
  echo "image-check: warning: the working directory $workdir is not in the image"
  mkdir -p "$rootfs$workdir"
fi

# Mounts and the loopback device, made inside the new namespaces before the entrypoint runs.
setup='
  set -e
  r=$1
  mount -t proc proc "$r/proc"
  mount -t tmpfs -o nosuid,mode=0755,size=64k tmpfs "$r/dev"
  for n in null zero full random urandom tty; do
    touch "$r/dev/$n"; mount --bind "/dev/$n" "$r/dev/$n"
  done
  mkdir "$r/dev/shm"
  mount -t tmpfs -o nosuid,nodev,noexec,mode=1777,size=64m shm "$r/dev/shm"
  ln -s /proc/self/fd "$r/dev/fd"
  ln -s /proc/self/fd/0 "$r/dev/stdin"
  ln -s /proc/self/fd/1 "$r/dev/stdout"
  ln -s /proc/self/fd/2 "$r/dev/stderr"
  mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$r/sys"
  ip link set lo up
  shift
  exec "$@"'

# The process inside the namespaces (the JVM, PID 1 there) of the runner started last.
container_pid() {
  local child ours ns
  ours=$(readlink /proc/self/ns/pid)
  for _ in $(seq 100); do
    # the one child of the runner in a PID namespace of its own (not a passing helper process)
    for child in $(cat "/proc/$runner/task/$runner/children" 2>/dev/null); do
      ns=$(readlink "/proc/$child/ns/pid" 2>/dev/null) || continue
      [ "$ns" != "$ours" ] && { printf '%s' "$child"; return; }
    done
    sleep 0.1
  done
  fail "the container did not start"
}
# ARGS in the container's namespaces, root, working directory, user and Env, as docker exec runs.
in_container() {
  env -i "${env[@]}" "$(command -v nsenter)" --target "$pid" --mount --net --pid --ipc --uts \
    --root --wd --setuid="$uid" --setgid="$gid" -- "$@"
}
http() { nsenter --target "$pid" --net -- curl -s -o "$work/body" -w '%{http_code}' \
  --max-time 5 "http://127.0.0.1:$port$1" 2>/dev/null || true; }
wait_for() { # PATH SECONDS
  local status=""
  while [ "$status" != 200 ]; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "the service exited"; }
    [ $((SECONDS - started)) -le "$2" ] || {
      cat "$log" >&2
      fail "no 200 from $1 in $2 s (last: ${status:-none} $(cat "$work/body" 2>/dev/null))"
    }
    sleep 0.5
    status=$(http "$1")
  done
}
# Processes of the container (host pids), by PID namespace.
members() {
  local ns p
  ns=$(readlink "/proc/$pid/ns/pid")
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$ns" ] && echo "${p#/proc/}"
  done
  return 0
}

run() { # NUMBER
  log=$work/run$1.log
  started=$SECONDS
  local unshare
  unshare=$(command -v unshare)
  unshare --pid --fork --mount --propagation private --net --ipc --uts -- \
    bash -c "$setup" setup "$rootfs" \
    env -i "${env[@]}" "$unshare" --root="$rootfs" --wd="$workdir" --setgid="$gid" \
    --setuid="$uid" -- "${entrypoint[@]}" "${cmd[@]}" >"$log" 2>&1 &
  runner=$!
  pid=$(container_pid)
  wait_for /health 180
  local healthy=$((SECONDS - started))
  wait_for /ready 180
  echo "image-check: run $1: /health 200 after ${healthy} s, /ready 200 after" \
    "$((SECONDS - started)) s: $(cat "$work/body")"

  local postmaster="" p
  for p in $(members); do
    if [ "$(cat "/proc/$p/comm" 2>/dev/null)" = postgres ] &&
      tr '\0' ' ' <"/proc/$p/cmdline" | grep -q -- ' -D '; then postmaster=$p; fi
  done
  [ -n "$postmaster" ] || fail "no postmaster in the container"
  local owner args setting
  owner=$(awk '/^Uid:/ { print $3 }' "/proc/$postmaster/status")
  [ "$owner" = "$uid" ] || fail "PostgreSQL runs as uid $owner, not $uid"
  args=$(tr '\0' ' ' <"/proc/$postmaster/cmdline")
  for setting in fsync synchronous_commit full_page_writes; do
    # the last -c for a setting wins, as PostgreSQL reads its command line
    [ "$(grep -o -- "-c $setting=[a-z]*" <<<"$args" | tail -1)" = "-c $setting=on" ] ||
      fail "PostgreSQL does not run with $setting=on: $args"
  done
  echo "image-check: PostgreSQL runs as uid $owner with fsync, synchronous_commit and" \
    "full_page_writes on"

  if [ "$1" = 1 ]; then
    in_container "${entrypoint[@]}" agent --help >"$work/agent.txt" 2>&1 || true
    grep -q -- '--location' "$work/agent.txt" || { cat "$work/agent.txt" >&2; fail "agent --help"; }
    echo "image-check: agent --help in the image:" \
      "$(grep -m1 -o 'agent --location.*' "$work/agent.txt")"
    # what deploy/compose.yaml's head does to make the agent's token, beside the running service
    in_container "${entrypoint[@]}" token create --role agent --name image-check \
      >"$work/token.txt" 2>&1 || { cat "$work/token.txt" >&2; fail "token create"; }
    grep -q '^sd_' "$work/token.txt" || { cat "$work/token.txt" >&2; fail "token create"; }
    echo "image-check: token create in the running image: $(grep -m1 created "$work/token.txt")"
  fi

  local stopping=$SECONDS status=0
  kill -TERM "$pid"
  wait "$runner" || status=$?
  runner=""
  [ "$status" = 143 ] || [ "$status" = 0 ] || { cat "$log" >&2; fail "exit status $status"; }
  grep -q 'stopping' "$log" || { cat "$log" >&2; fail "no 'stopping' in the log"; }
  ! grep -q -i 'unclean shutdown' "$log" || { cat "$log" >&2; fail "unclean shutdown"; }
  local data
  data=$(printf '%s\n' "${env[@]}" | sed -n 's/^STATUSDESK_DATA_DIR=//p' | tail -1)
  [ ! -e "$rootfs${data:-$workdir/data}/pg/postmaster.pid" ] ||
    fail "PostgreSQL did not shut down (postmaster.pid left)"
  echo "image-check: run $1: SIGTERM, exit status $status after $((SECONDS - stopping)) s," \
    "PostgreSQL shut down"
}

run 1
run 2
echo "image-check: OK"
