#!/bin/sh
# vendor.sh — copies the site's browser libraries from node_modules into
# pb_public/vendor/<lib>/ with their licence, so that the Go build (which
# embeds pb_public) needs no Node. Run after changing a version in
# package.json:  npm ci && npm run vendor  — then commit pb_public/vendor.
set -eu
cd "$(dirname "$0")/.."

copy() { # copy <package> <folder> <file from the package>...
	pkg=$1 dir=pb_public/vendor/$2
	shift 2
	[ -d "node_modules/$pkg" ] || { echo "node_modules/$pkg is missing: run npm ci first" >&2; exit 1; }
	rm -rf "$dir"
	mkdir -p "$dir"
	for f in "$@"; do cp "node_modules/$pkg/$f" "$dir/"; done
	cp "node_modules/$pkg/LICENSE" "$dir/LICENSE"
	version=$(node -p "require('./node_modules/$pkg/package.json').version")
	echo "$pkg $version" >"$dir/VERSION"
	echo "vendored $pkg $version into $dir"
}

# uPlot: the Insights page's charts (only that page loads it)
copy uplot uplot dist/uPlot.iife.min.js dist/uPlot.min.css
