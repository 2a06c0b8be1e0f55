// Package mapview reads what a map asks of the server: the part of the
// county on screen (a bounding box) and the tile server the site draws its
// maps from, whose host the Content-Security-Policy must allow.
package mapview

import (
	"errors"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// BBox is a part of the earth between two parallels and two meridians, in
// degrees: West ≤ East, South ≤ North.
type BBox struct {
	West, South, East, North float64
}

// Errors of ParseBBox, each a refusal the caller can act on.
var (
	ErrBBoxShape = errors.New("bbox must be four numbers: west,south,east,north")
	ErrBBoxRange = errors.New("bbox is outside the earth: longitudes run from -180 to 180, latitudes from -90 to 90")
	ErrBBoxOrder = errors.New("bbox must name west before east and south before north")
)

// ParseBBox reads "west,south,east,north" in decimal degrees.
func ParseBBox(s string) (BBox, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return BBox{}, ErrBBoxShape
	}
	var v [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return BBox{}, ErrBBoxShape
		}
		v[i] = f
	}
	b := BBox{West: v[0], South: v[1], East: v[2], North: v[3]}
	for _, lon := range []float64{b.West, b.East} {
		if lon < -180 || lon > 180 {
			return BBox{}, ErrBBoxRange
		}
	}
	for _, lat := range []float64{b.South, b.North} {
		if lat < -90 || lat > 90 {
			return BBox{}, ErrBBoxRange
		}
	}
	if b.West > b.East || b.South > b.North {
		return BBox{}, ErrBBoxOrder
	}
	return b, nil
}

// hostPattern is a host name or IP address with an optional port: nothing
// that could end a CSP source or add another.
var hostPattern = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?(:[0-9]{1,5})?$|^\[[0-9a-f:.]+\](:[0-9]{1,5})?$`)

// Errors of TileSource.
var (
	ErrTileURL         = errors.New("the tile address must be an http or https address, like https://tile.openstreetmap.org/{z}/{x}/{y}.png")
	ErrTilePlaceholder = errors.New("the tile address must contain {z}, {x} and {y}")
)

// TileSource is the Content-Security-Policy source that allows the images
// of a tile address template ("https://tile.openstreetmap.org/{z}/{x}/{y}.png"
// → "https://tile.openstreetmap.org"). A subdomain placeholder {s} becomes
// the wildcard "*." of CSP ("https://{s}.tile.example.org/…" →
// "https://*.tile.example.org"). A template on the site itself ("/tiles/{z}/…")
// needs no source of its own: "".
func TileSource(template string) (string, error) {
	template = strings.TrimSpace(template)
	for _, p := range []string{"{z}", "{x}", "{y}"} {
		if !strings.Contains(template, p) {
			return "", ErrTilePlaceholder
		}
	}
	if strings.HasPrefix(template, "/") && !strings.HasPrefix(template, "//") {
		return "", nil
	}
	scheme, rest, ok := strings.Cut(template, "://")
	if !ok || (scheme != "https" && scheme != "http") {
		return "", ErrTileURL
	}
	authority, _, _ := strings.Cut(rest, "/")
	// a subdomain placeholder may open the host; no other placeholder may be in it
	wild := strings.HasPrefix(authority, "{s}.")
	if wild {
		authority = strings.TrimPrefix(authority, "{s}.")
	}
	u, err := url.Parse(scheme + "://" + authority + "/")
	if err != nil || u.User != nil || !hostPattern.MatchString(strings.ToLower(u.Host)) {
		return "", ErrTileURL
	}
	h := strings.ToLower(u.Host)
	if wild {
		h = "*." + h
	}
	return scheme + "://" + h, nil
}
