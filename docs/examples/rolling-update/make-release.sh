#!/bin/sh
# make-release.sh VERSION [OUT_DIR]
#
# Builds the payload of one release of the example app:
# OUT_DIR/example-app-VERSION.tar.gz (OUT_DIR defaults to ./payloads), holding
# server.mjs and a VERSION file. This stands in for `docker build` + `docker
# push` of the seeds' coreos/example:VERSION image. Prints the payload's path.
set -eu
version=${1:?usage: make-release.sh VERSION [OUT_DIR]}
out=${2:-payloads}
here=$(cd "$(dirname "$0")" && pwd)

mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$here/app/server.mjs" "$stage/server.mjs"
printf '%s\n' "$version" >"$stage/VERSION"
tar -czf "$out/example-app-$version.tar.gz" -C "$stage" server.mjs VERSION
echo "$out/example-app-$version.tar.gz"
