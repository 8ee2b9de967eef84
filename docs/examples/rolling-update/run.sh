#!/usr/bin/env bash
# run.sh: the rolling-update example on one machine, without fleet or docker.
#
# Starts the update service (or uses the one in UPDATECTL_SERVER), sets up the
# app, group, channel and package 1.0.0 as seed 003 does, deploys three
# instances of the example app with 1.0.0, puts a round-robin proxy in front
# of them, and starts one updater sidekick (`updateservicectl watch`) per
# instance. Then it waits; Ctrl-C (or SIGTERM) stops everything it started.
#
# Settings (environment):
#   SERVE_PORT=8000  PROXY_PORT=8080  APP_PORTS="8081 8082 8083"
#   CHECK_INTERVAL=1          seconds between each sidekick's update checks
#   CLI_BIN_DIR               folder with updateservicectl and updatectl
#                             (default: this repository's bin/, else PATH)
#   STATE_DIR=<new temp dir>  where instances, payloads and logs go
#   UPDATECTL_SERVER, UPDATECTL_USER, UPDATECTL_KEY: use this running service
#       (started with --enable-package-uploads) instead of starting one
#   APP_ID, GROUP_ID          default: the seeds' ids
# Everything listens on 127.0.0.1.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

SERVE_PORT=${SERVE_PORT:-8000}
PROXY_PORT=${PROXY_PORT:-8080}
APP_PORTS=${APP_PORTS:-8081 8082 8083}
export CHECK_INTERVAL=${CHECK_INTERVAL:-1}
export APP_ID=${APP_ID:-e96281a6-d1af-4bde-9a0a-97b76e56dc57}
export GROUP_ID=${GROUP_ID:-13DEFFFC-90C2-4B94-B3C2-1322BE8DC4E3}
STATE_DIR=${STATE_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/rolling-update.XXXXXX")}
mkdir -p "$STATE_DIR"
STATE_DIR=$(cd "$STATE_DIR" && pwd)

# The CLI: from CLI_BIN_DIR if given, else this repository's bin/ when run
# from a checkout, else the one on PATH. This folder goes on PATH too, for
# make-release.sh.
extra_path=$here
if [ -n "${CLI_BIN_DIR:-}" ]; then
  extra_path="$(cd "$CLI_BIN_DIR" && pwd):$extra_path"
elif [ -x "$here/../../../bin/updateservicectl" ]; then
  extra_path="$(cd "$here/../../../bin" && pwd):$extra_path"
fi
export PATH="$extra_path:$PATH"
command -v updateservicectl >/dev/null || { echo "run.sh: updateservicectl is not on PATH" >&2; exit 1; }

say() { echo "== $*"; }
# Prints a command as the seeds write it.
cmdline() {
  local line='$' arg
  for arg in "$@"; do
    case $arg in
      *=*' '*) arg="${arg%%=*}=\"${arg#*=}\"" ;;
    esac
    line+=" $arg"
  done
  echo "$line"
}
# Shows a command, then runs it.
show() {
  cmdline "$@"
  "$@"
}

pids=()
declare -A what=()
serve_pid=
instances=()
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  say "stopping"
  for dir in "${instances[@]}"; do touch "$dir/down"; done
  # the sidekicks first, so that none restarts its instance meanwhile
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for dir in "${instances[@]}"; do "$here/instance.sh" stop "$dir" || true; done
  # an update.sh caught mid-restart may have started its instance again
  sleep 0.5
  for dir in "${instances[@]}"; do "$here/instance.sh" stop "$dir" || true; done
  if [ -n "$serve_pid" ]; then kill -TERM "$serve_pid" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  say "stopped; state left in $STATE_DIR"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the update service ------------------------------------------------------
if [ -n "${UPDATECTL_SERVER:-}" ]; then
  say "using the update service at $UPDATECTL_SERVER"
  export UPDATECTL_USER=${UPDATECTL_USER:-admin}
  export UPDATECTL_KEY=${UPDATECTL_KEY:?UPDATECTL_KEY must be set with UPDATECTL_SERVER}
else
  export UPDATECTL_SERVER=http://127.0.0.1:$SERVE_PORT
  export UPDATECTL_USER=admin
  export UPDATECTL_KEY=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  say "starting the update service at $UPDATECTL_SERVER (log: $STATE_DIR/serve.log)"
  # --base-url: the service's address, whatever BASE_URL the environment has
  updateservicectl serve --listen "127.0.0.1:$SERVE_PORT" --base-url "$UPDATECTL_SERVER" \
    --data-dir "$STATE_DIR/serve" --enable-package-uploads \
    --admin-key "$UPDATECTL_KEY" --log-level warn >"$STATE_DIR/serve.log" 2>&1 &
  serve_pid=$!
  pids+=("$serve_pid")
  what[$serve_pid]="the update service"
  # (its own "listening on" line: another service on the port does not count)
  for _ in $(seq 1 600); do
    grep -qs '^listening on' "$STATE_DIR/serve.log" && break
    if ! kill -0 "$serve_pid" 2>/dev/null; then
      echo "run.sh: the update service did not start (port $SERVE_PORT taken? set SERVE_PORT):" >&2
      cat "$STATE_DIR/serve.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  grep -qs '^listening on' "$STATE_DIR/serve.log" || { echo "run.sh: the update service did not start in 60 s" >&2; exit 1; }
fi
cat >"$STATE_DIR/env" <<ENV
export PATH="$extra_path:\$PATH"
export UPDATECTL_SERVER=$UPDATECTL_SERVER
export UPDATECTL_USER=$UPDATECTL_USER
export UPDATECTL_KEY=$UPDATECTL_KEY
export APP_ID=$APP_ID
export GROUP_ID=$GROUP_ID
export STATE_DIR=$STATE_DIR
ENV

# --- app, group, package 1.0.0, channel (seed 003) --------------------------
say "setting up the app in the update service"
# Shows and runs a command that creates something; against a service that
# already has it, "already exists" is fine.
show_create() {
  local out
  cmdline "$@"
  if out=$("$@" 2>&1); then echo "$out"; return 0; fi
  if grep -q 'Error 409' <<<"$out"; then echo "(already there)"; return 0; fi
  echo "$out" >&2
  return 1
}
show updatectl app update --app-id="$APP_ID" \
  --label="Example App" --description="Sample application to test container updates"
show_create updatectl group create --app-id="$APP_ID" \
  --channel=master --group-id="$GROUP_ID" --label="Example Group"
cd "$STATE_DIR"
packages=$(updatectl package list --app-id="$APP_ID")
if grep -q '^1\.0\.0[[:space:]]' <<<"$packages"; then
  echo "(package 1.0.0 already there)"
else
  show make-release.sh 1.0.0
  payload=payloads/example-app-1.0.0.tar.gz
  show updatectl package upload --file="$payload"
  show updatectl package create --app-id="$APP_ID" \
    --version=1.0.0 --file="$payload" --url="$UPDATECTL_SERVER/packages/example-app-1.0.0.tar.gz"
fi
channels=$(updatectl channel list --app-id="$APP_ID")
if ! grep -q '^master[[:space:]]' <<<"$channels"; then
  show updatectl channel update --app-id="$APP_ID" --channel=master --version=1.0.0
fi

# --- the instances, with 1.0.0 ------------------------------------------------
i=0
for port in $APP_PORTS; do
  i=$((i + 1))
  dir=$STATE_DIR/instances/example-$i
  mkdir -p "$dir"
  rm -f "$dir/down"
  echo "$port" >"$dir/port"
  instances+=("$dir")
  say "deploying example-$i with 1.0.0 on port $port"
  # the first install is an update from nothing, by the same script
  INSTANCE_DIR=$dir UPDATE_SERVICE_VERSION=1.0.0 \
    UPDATE_SERVICE_URL="$UPDATECTL_SERVER/packages/example-app-1.0.0.tar.gz" "$here/update.sh"
done

# --- the proxy ----------------------------------------------------------------
backends=()
for port in $APP_PORTS; do backends+=(--backend "127.0.0.1:$port"); done
node "$here/proxy.mjs" --port "$PROXY_PORT" "${backends[@]}" 2>>"$STATE_DIR/proxy.log" &
pids+=("$!")
what[$!]="the proxy"
for _ in $(seq 1 300); do
  curl -fs -o /dev/null "http://127.0.0.1:$PROXY_PORT/" && break
  sleep 0.1
done

# --- the updater sidekicks -------------------------------------------------
for dir in "${instances[@]}"; do
  say "starting the updater of $(basename "$dir")"
  "$here/updater.sh" "$dir" &
  pids+=("$!")
  what[$!]="the updater of $(basename "$dir")"
done

cat <<EOF

Ready: the proxy is at http://127.0.0.1:$PROXY_PORT/ (instances on ports ${APP_PORTS}).
  curl http://127.0.0.1:$PROXY_PORT/
In another terminal, to talk to the update service:
  source $STATE_DIR/env
Updates are logged here as the sidekicks apply them. Ctrl-C stops everything.

EOF

# Until interrupted, or until a process we started ends on its own. (A
# foreground `sleep` rather than `wait`: Ctrl-C then reliably runs the trap.)
while :; do
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "run.sh: ${what[$pid]} (pid $pid) has ended; stopping" >&2
      exit 1
    fi
  done
  sleep 1
done
