#!/bin/sh
# update.sh: the updater's hook, run by `updateservicectl watch` when the
# update service offers a new version (see updater.sh). Like the seeds'
# update.sh, it is deliberately simple; don't use it for anything real.
#
# From watch:     UPDATE_SERVICE_VERSION  the version to run
#                 UPDATE_SERVICE_URL      where its payload is
#                 (also UPDATE_SERVICE_OLD_VERSION, UPDATE_SERVICE_APP_ID)
# From updater.sh: INSTANCE_DIR           the instance this sidekick looks after
# Optional:       INSTANCE_RESTART        command that restarts the instance,
#                 e.g. "systemctl restart example-1.service"; by default
#                 instance.sh restart INSTANCE_DIR
#
# It downloads and unpacks the payload first (the instance keeps serving),
# then points INSTANCE_DIR/current at the new release and restarts the
# instance: stop the old process, start the new one on the same port. Only
# during that restart is the instance down.
set -eu
dir=${INSTANCE_DIR:?INSTANCE_DIR is not set}
new=${UPDATE_SERVICE_VERSION:?UPDATE_SERVICE_VERSION is not set}
url=${UPDATE_SERVICE_URL:-}
here=$(cd "$(dirname "$0")" && pwd)
name=$(basename "$dir")

log() { echo "$(date +%H:%M:%S) [$name] $*"; }

current=$(cat "$dir/current/VERSION" 2>/dev/null || echo none)
if [ "$new" = "$current" ]; then
  # watch's first run reports the version it started with: nothing to do
  log "already running $new"
  exit 0
fi
if [ -z "$url" ]; then
  log "no payload URL for $new" >&2
  exit 1
fi

log "updating $current -> $new: fetching $url"
mkdir -p "$dir/releases"
tmp=$(mktemp -d "$dir/releases/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
curl -fsS --retry 3 --max-time 60 -o "$tmp/payload.tar.gz" "$url"
mkdir "$tmp/release"
tar -xzf "$tmp/payload.tar.gz" -C "$tmp/release"
got=$(cat "$tmp/release/VERSION" 2>/dev/null || echo none)
if [ "$got" != "$new" ]; then
  log "payload at $url is version $got, not $new: not installing" >&2
  exit 1
fi
rm -rf "$dir/releases/$new"
mv "$tmp/release" "$dir/releases/$new"
ln -sfn "releases/$new" "$dir/current"

if [ "$current" = none ]; then log "starting $new"; else log "restarting on $new"; fi
if [ -n "${INSTANCE_RESTART:-}" ]; then
  sh -c "$INSTANCE_RESTART"
else
  "$here/instance.sh" restart "$dir"
fi
log "now serving $new"
