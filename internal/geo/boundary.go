package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// MaxBoundaryPoints is the most positions a boundary may have (a detailed
// county outline has a few tens of thousands).
const MaxBoundaryPoints = 500_000

// ring is a closed line of points, [lon, lat] as GeoJSON writes them.
type ring [][2]float64

// polygon is an outer ring and its holes.
type polygon struct {
	outer ring
	holes []ring
	box   Box
}

// Boundary is an area made of one or more polygons (with holes): the
// county. The zero Boundary is empty: it holds no point.
type Boundary struct {
	polygons []polygon
	box      Box
}

// Empty reports whether the boundary has no polygon (none was set).
func (b Boundary) Empty() bool { return len(b.polygons) == 0 }

// Box is the rectangle around the whole boundary.
func (b Boundary) Box() Box { return b.box }

// Contains reports whether the point lies inside the boundary (inside an
// outer ring and in none of its holes).
func (b Boundary) Contains(lat, lon float64) bool {
	if CheckPoint(lat, lon) != nil || !b.box.Contains(lat, lon) {
		return false
	}
	for _, p := range b.polygons {
		if !p.box.Contains(lat, lon) || !p.outer.holds(lat, lon) {
			continue
		}
		inHole := false
		for _, h := range p.holes {
			if h.holds(lat, lon) {
				inHole = true
				break
			}
		}
		if !inHole {
			return true
		}
	}
	return false
}

// holds is the even-odd ray test: a ray from the point towards +longitude
// crosses the ring an odd number of times when the point is inside.
func (r ring) holds(lat, lon float64) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		xi, yi := r[i][0], r[i][1]
		xj, yj := r[j][0], r[j][1]
		if (yi > lat) != (yj > lat) && lon < (xj-xi)*(lat-yi)/(yj-yi)+xi {
			in = !in
		}
	}
	return in
}

// BoundaryError says why a boundary was refused, in words an administrator
// can act on.
type BoundaryError struct{ Reason string }

func (e *BoundaryError) Error() string { return "the boundary is not usable GeoJSON: " + e.Reason }

func refuse(format string, args ...any) error {
	return &BoundaryError{Reason: fmt.Sprintf(format, args...)}
}

// geoJSON is any GeoJSON object this parser reads.
type geoJSON struct {
	Type        string            `json:"type"`
	Coordinates json.RawMessage   `json:"coordinates"`
	Geometry    json.RawMessage   `json:"geometry"`
	Features    []json.RawMessage `json:"features"`
}

// ParseBoundary reads a county boundary: a GeoJSON Polygon, MultiPolygon,
// or a Feature or FeatureCollection of them. Empty input (or null) is the
// empty boundary. Anything else is a *BoundaryError.
func ParseBoundary(raw []byte) (Boundary, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" || string(raw) == `""` {
		return Boundary{}, nil
	}
	var b Boundary
	count := 0
	if err := b.add(raw, 0, &count); err != nil {
		return Boundary{}, err
	}
	if b.Empty() {
		return Boundary{}, refuse("it has no polygon")
	}
	b.box = b.polygons[0].box
	for _, p := range b.polygons[1:] {
		b.box = union(b.box, p.box)
	}
	return b, nil
}

// add reads one GeoJSON object into the boundary (depth guards nesting).
func (b *Boundary) add(raw []byte, depth int, count *int) error {
	if depth > 2 {
		return refuse("features are nested too deeply")
	}
	var g geoJSON
	if err := json.Unmarshal(raw, &g); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return refuse("it is not JSON (%v at byte %d)", syn, syn.Offset)
		}
		return refuse("it is not a GeoJSON object (%v)", err)
	}
	switch g.Type {
	case "Polygon":
		var rings [][][]float64
		if err := json.Unmarshal(g.Coordinates, &rings); err != nil {
			return refuse("a Polygon's coordinates must be a list of rings of [longitude, latitude] pairs")
		}
		return b.addPolygon(rings, count)
	case "MultiPolygon":
		var polys [][][][]float64
		if err := json.Unmarshal(g.Coordinates, &polys); err != nil {
			return refuse("a MultiPolygon's coordinates must be a list of polygons")
		}
		for _, rings := range polys {
			if err := b.addPolygon(rings, count); err != nil {
				return err
			}
		}
		return nil
	case "Feature":
		if len(bytes.TrimSpace(g.Geometry)) == 0 || string(bytes.TrimSpace(g.Geometry)) == "null" {
			return refuse("a Feature has no geometry")
		}
		return b.add(g.Geometry, depth+1, count)
	case "FeatureCollection":
		if len(g.Features) == 0 {
			return refuse("the FeatureCollection has no features")
		}
		for _, f := range g.Features {
			if err := b.add(f, depth+1, count); err != nil {
				return err
			}
		}
		return nil
	case "":
		return refuse(`it has no "type" (expected Polygon, MultiPolygon, Feature or FeatureCollection)`)
	default:
		return refuse("a %q is not an area: use a Polygon or MultiPolygon", g.Type)
	}
}

// addPolygon checks and adds one polygon: rings of at least three distinct
// points, every position a [longitude, latitude] inside the world.
func (b *Boundary) addPolygon(rings [][][]float64, count *int) error {
	if len(rings) == 0 {
		return refuse("a polygon has no ring")
	}
	var p polygon
	for i, rr := range rings {
		var r ring
		for _, pos := range rr {
			*count++
			if *count > MaxBoundaryPoints {
				return refuse("it has more than %d points; simplify it first", MaxBoundaryPoints)
			}
			if len(pos) < 2 {
				return refuse("a position must be [longitude, latitude]")
			}
			lon, lat := pos[0], pos[1]
			if err := CheckPoint(lat, lon); err != nil {
				return refuse("position [%v, %v]: %v (GeoJSON puts the longitude first)", lon, lat, err)
			}
			r = append(r, [2]float64{lon, lat})
		}
		if len(r) > 1 && r[0] == r[len(r)-1] {
			r = r[:len(r)-1] // the closing point repeats the first
		}
		if len(r) < 3 {
			return refuse("a ring needs at least 3 distinct points")
		}
		if i == 0 {
			p.outer = r
			p.box = r.box()
		} else {
			p.holes = append(p.holes, r)
		}
	}
	b.polygons = append(b.polygons, p)
	return nil
}

func (r ring) box() Box {
	bx := Box{MinLat: math.Inf(1), MinLon: math.Inf(1), MaxLat: math.Inf(-1), MaxLon: math.Inf(-1)}
	for _, pt := range r {
		bx.MinLon, bx.MaxLon = math.Min(bx.MinLon, pt[0]), math.Max(bx.MaxLon, pt[0])
		bx.MinLat, bx.MaxLat = math.Min(bx.MinLat, pt[1]), math.Max(bx.MaxLat, pt[1])
	}
	return bx
}

func union(a, b Box) Box {
	return Box{MinLat: math.Min(a.MinLat, b.MinLat), MinLon: math.Min(a.MinLon, b.MinLon),
		MaxLat: math.Max(a.MaxLat, b.MaxLat), MaxLon: math.Max(a.MaxLon, b.MaxLon)}
}
