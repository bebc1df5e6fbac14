#!/bin/sh
# Vendor the dashboard's third-party browser libraries from the npm registry.
#
# The built files are committed under static/vendor/, so neither the server nor the browser
# needs the network: run this only to upgrade (edit the pinned version in package.json first).
#   sh src/truceline/web/build.sh
# It installs the exact versions of package-lock.json (npm ci, no install scripts) in a
# temporary directory and copies the distribution files and the licence.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund)
dist="$work/node_modules/maplibre-gl/dist"
out="$here/static/vendor/maplibre-gl"
rm -rf "$out"
mkdir -p "$out"
cp "$dist/maplibre-gl.js" "$dist/maplibre-gl.css" "$dist/LICENSE.txt" "$out/"
version=$(node -p "require('$work/node_modules/maplibre-gl/package.json').version")
echo "maplibre-gl $version" > "$out/VERSION.txt"
echo "vendored maplibre-gl $version into $out"
