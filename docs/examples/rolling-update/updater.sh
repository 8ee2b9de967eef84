#!/bin/sh
# updater.sh INSTANCE_DIR: the updater sidekick of one instance.
#
# It is `updateservicectl watch` acting as that instance's machine: every
# CHECK_INTERVAL seconds (default 1) it asks the update service whether group
# GROUP_ID of app APP_ID has something newer than the version installed in
# INSTANCE_DIR, and runs update.sh when it has. The machine id it reports is
# the instance's name (example-1, ...), so `updatectl instance list` shows
# each instance. The service is taken from UPDATECTL_SERVER (the Omaha
# endpoint needs no key).
#
# This is what runs as ExecStart= of updater@.service (see README.md).
set -eu
dir=$(cd "${1:?usage: updater.sh INSTANCE_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
export INSTANCE_DIR="$dir"

exec updateservicectl watch \
  --app-id="${APP_ID:?APP_ID is not set}" \
  --group-id="${GROUP_ID:?GROUP_ID is not set}" \
  --interval="${CHECK_INTERVAL:-1}" \
  --version="$(cat "$dir/current/VERSION")" \
  --client-id="$(basename "$dir")" \
  -- "$here/update.sh"
