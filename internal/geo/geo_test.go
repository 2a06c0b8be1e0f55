package geo

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestCheckPoint(t *testing.T) {
	cases := []struct {
		lat, lon float64
		want     error
	}{
		{44.9, -93.2, nil},
		{90, 180, nil},
		{-90, -180, nil},
		{math.NaN(), 0, ErrNotANumber},
		{0, math.Inf(1), ErrNotANumber},
		{90.0001, 0, ErrLatRange},
		{-91, 0, ErrLatRange},
		{0, 180.5, ErrLonRange},
		{0, -181, ErrLonRange},
	}
	for _, c := range cases {
		if got := CheckPoint(c.lat, c.lon); !errors.Is(got, c.want) {
			t.Errorf("CheckPoint(%v, %v) = %v, want %v", c.lat, c.lon, got, c.want)
		}
	}
}

func TestDistanceAndAround(t *testing.T) {
	// 0.001° of latitude is about 111 m anywhere
	if d := Distance(45, -93, 45.001, -93); math.Abs(d-111.2) > 0.5 {
		t.Errorf("0.001° of latitude = %.1f m", d)
	}
	if d := Distance(45, -93, 45, -93); d != 0 {
		t.Errorf("same point = %v m", d)
	}
	b := Around(45, -93, 150)
	for _, pt := range [][2]float64{{45.00134, -93}, {44.99866, -93}, {45, -93.0019}, {45, -92.9981}} {
		if !b.Contains(pt[0], pt[1]) {
			t.Errorf("box %+v misses %v, %.0f m away", b, pt, Distance(45, -93, pt[0], pt[1]))
		}
	}
	if b.Contains(45.002, -93) {
		t.Errorf("box %+v holds a point 222 m north", b)
	}
	if got := Round(45.12351, 3); got != 45.124 {
		t.Errorf("Round = %v", got)
	}
}

// square is a 1°×1° square at (45..46 N, 94..93 W) with a hole in the middle.
const square = `{"type":"Polygon","coordinates":[
	[[-94,45],[-93,45],[-93,46],[-94,46],[-94,45]],
	[[-93.6,45.4],[-93.4,45.4],[-93.4,45.6],[-93.6,45.6],[-93.6,45.4]]]}`

func TestBoundaryContains(t *testing.T) {
	multi := `{"type":"MultiPolygon","coordinates":[[[[-94,45],[-93,45],[-93,46],[-94,46],[-94,45]]],[[[-90,40],[-89,40],[-89.5,41]]]]}`
	feature := `{"type":"Feature","properties":{"name":"Pine"},"geometry":` + square + `}`
	collection := `{"type":"FeatureCollection","features":[` + feature + `,{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[-90,40],[-89,40],[-89.5,41],[-90,40]]]}}]}`
	cases := []struct {
		name, json string
		lat, lon   float64
		want       bool
	}{
		{"inside", square, 45.2, -93.8, true},
		{"in the hole", square, 45.5, -93.5, false},
		{"north of it", square, 46.1, -93.5, false},
		{"west of it", square, 45.5, -94.01, false},
		{"NaN", square, math.NaN(), -93.5, false},
		{"second polygon (unclosed ring)", multi, 40.3, -89.5, true},
		{"between the polygons", multi, 43, -91, false},
		{"feature", feature, 45.9, -93.1, true},
		{"feature's hole", feature, 45.5, -93.5, false},
		{"collection's second feature", collection, 40.2, -89.5, true},
		{"collection, outside both", collection, 40.9, -89.1, false},
	}
	for _, c := range cases {
		b, err := ParseBoundary([]byte(c.json))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := b.Contains(c.lat, c.lon); got != c.want {
			t.Errorf("%s: Contains(%v, %v) = %v, want %v", c.name, c.lat, c.lon, got, c.want)
		}
	}
}

func TestBoundaryRefusals(t *testing.T) {
	cases := []struct{ name, json, says string }{
		{"not JSON", `Pine County`, "not JSON"},
		{"NaN", `{"type":"Polygon","coordinates":[[[NaN,45],[-93,45],[-93,46]]]}`, "not JSON"},
		{"no type", `{"coordinates":[]}`, `no "type"`},
		{"a point", `{"type":"Point","coordinates":[-93,45]}`, `"Point" is not an area`},
		{"a line", `{"type":"LineString","coordinates":[[-93,45],[-92,45]]}`, "not an area"},
		{"lat out of range", `{"type":"Polygon","coordinates":[[[-93,95],[-92,45],[-92,46]]]}`, "latitude must be between"},
		{"lon out of range", `{"type":"Polygon","coordinates":[[[-193,45],[-92,45],[-92,46]]]}`, "longitude must be between"},
		{"two points", `{"type":"Polygon","coordinates":[[[-93,45],[-92,45],[-93,45]]]}`, "at least 3"},
		{"bad coordinates", `{"type":"Polygon","coordinates":"here"}`, "list of rings"},
		{"short position", `{"type":"Polygon","coordinates":[[[-93],[-92,45],[-92,46]]]}`, "[longitude, latitude]"},
		{"no ring", `{"type":"Polygon","coordinates":[]}`, "no ring"},
		{"empty multipolygon", `{"type":"MultiPolygon","coordinates":[]}`, "no polygon"},
		{"feature without geometry", `{"type":"Feature","geometry":null}`, "no geometry"},
		{"empty collection", `{"type":"FeatureCollection","features":[]}`, "no features"},
		{"an array", `[1,2]`, "not a GeoJSON object"},
	}
	for _, c := range cases {
		_, err := ParseBoundary([]byte(c.json))
		var be *BoundaryError
		if !errors.As(err, &be) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.says)
		}
	}
	for _, empty := range []string{"", "  ", "null", `""`} {
		b, err := ParseBoundary([]byte(empty))
		if err != nil || !b.Empty() || b.Contains(45, -93) {
			t.Errorf("%q: %v, %+v", empty, err, b)
		}
	}
}

func FuzzParseBoundary(f *testing.F) {
	f.Add([]byte(square))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1]]]]}}]}`))
	f.Add([]byte(`{"type":"Feature","geometry":{"type":"Feature","geometry":{"type":"Feature"}}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		b, err := ParseBoundary(raw)
		if err != nil {
			var be *BoundaryError
			if !errors.As(err, &be) {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		// whatever parsed answers without panicking, and never for a bad point
		b.Contains(45.5, -93.5)
		if b.Contains(math.NaN(), 0) || b.Contains(100, 0) {
			t.Fatal("holds an impossible point")
		}
	})
}
