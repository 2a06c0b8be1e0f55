#!/bin/sh
# vendor.sh — copies the site's browser libraries from node_modules into
# pb_public/vendor/<lib>/ with their licence, so that the Go build (which
# embeds pb_public) needs no Node. Run after changing a version in
# package.json:  npm ci && npm run vendor  — then commit pb_public/vendor.
set -eu
cd "$(dirname "$0")/.."

copy() { # copy <package> <folder> <file from the package>...
	# a file named "sub/=path" lands in <folder>/sub/ (images a stylesheet
	# refers to by a relative URL); LICENCE names the package's licence
	# file when it is not LICENSE
	pkg=$1 dir=pb_public/vendor/$2
	shift 2
	[ -d "node_modules/$pkg" ] || { echo "node_modules/$pkg is missing: run npm ci first" >&2; exit 1; }
	rm -rf "$dir"
	mkdir -p "$dir"
	for f in "$@"; do
		case $f in
		*=*) sub=${f%%=*} f=${f#*=}; mkdir -p "$dir/$sub"; cp "node_modules/$pkg/$f" "$dir/$sub/" ;;
		*) cp "node_modules/$pkg/$f" "$dir/" ;;
		esac
	done
	cp "node_modules/$pkg/${LICENCE:-LICENSE}" "$dir/LICENSE"
	version=$(node -p "require('./node_modules/$pkg/package.json').version")
	echo "$pkg $version" >"$dir/VERSION"
	echo "vendored $pkg $version into $dir"
}

# uPlot: the Insights page's charts (only that page loads it)
copy uplot uplot dist/uPlot.iife.min.js dist/uPlot.min.css

# Leaflet: every map (js/map.js loads it when a map is first shown), with
# the marker and layer images its stylesheet refers to
copy leaflet leaflet dist/leaflet.js dist/leaflet.css \
	images=dist/images/marker-icon.png images=dist/images/marker-icon-2x.png images=dist/images/marker-shadow.png \
	images=dist/images/layers.png images=dist/images/layers-2x.png

# Leaflet.markercluster: the public map of problems and the staff queue's map
LICENCE=MIT-LICENCE.txt copy leaflet.markercluster leaflet.markercluster \
	dist/leaflet.markercluster.js dist/MarkerCluster.css dist/MarkerCluster.Default.css
