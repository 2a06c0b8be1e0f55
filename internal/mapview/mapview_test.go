package mapview

import (
	"errors"
	"testing"
)

func TestParseBBox(t *testing.T) {
	for _, c := range []struct {
		in   string
		want BBox
		err  error
	}{
		{"-93.2,44.9,-93.0,45.1", BBox{-93.2, 44.9, -93.0, 45.1}, nil},
		{" -180 , -90 , 180 , 90 ", BBox{-180, -90, 180, 90}, nil},
		{"1,2,1,2", BBox{1, 2, 1, 2}, nil}, // a point
		{"", BBox{}, ErrBBoxShape},
		{"1,2,3", BBox{}, ErrBBoxShape},
		{"1,2,3,4,5", BBox{}, ErrBBoxShape},
		{"a,2,3,4", BBox{}, ErrBBoxShape},
		{"NaN,2,3,4", BBox{}, ErrBBoxShape},
		{"1,2,Inf,4", BBox{}, ErrBBoxShape},
		{"-181,0,0,1", BBox{}, ErrBBoxRange},
		{"0,-91,1,1", BBox{}, ErrBBoxRange},
		{"0,0,1,90.5", BBox{}, ErrBBoxRange},
		{"2,0,1,1", BBox{}, ErrBBoxOrder},
		{"0,2,1,1", BBox{}, ErrBBoxOrder},
	} {
		got, err := ParseBBox(c.in)
		if !errors.Is(err, c.err) || got != c.want {
			t.Errorf("ParseBBox(%q) = %v, %v; want %v, %v", c.in, got, err, c.want, c.err)
		}
	}
}

func TestTileSource(t *testing.T) {
	for _, c := range []struct {
		in, want string
		err      error
	}{
		{"https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org", nil},
		{"https://{s}.tile.example.org/{z}/{x}/{y}{r}.png", "https://*.tile.example.org", nil},
		{"http://127.0.0.1:8123/tiles/{z}/{x}/{y}.png", "http://127.0.0.1:8123", nil},
		{"https://Tiles.Example.org:8443/a/{z}/{y}/{x}.png?key=abc", "https://tiles.example.org:8443", nil},
		{"/tiles/{z}/{x}/{y}.png", "", nil},
		{"https://tile.openstreetmap.org/{z}/{x}.png", "", ErrTilePlaceholder},
		{"", "", ErrTilePlaceholder},
		{"ftp://tile.example.org/{z}/{x}/{y}.png", "", ErrTileURL},
		{"javascript:alert(1)//{z}{x}{y}", "", ErrTileURL},
		{"//tile.example.org/{z}/{x}/{y}.png", "", ErrTileURL},
		{"https://user:pw@tile.example.org/{z}/{x}/{y}.png", "", ErrTileURL},
		{"https://tile.example.org; script-src *;/{z}/{x}/{y}.png", "", ErrTileURL},
		{"https://tile.{s}.example.org/{z}/{x}/{y}.png", "", ErrTileURL},
		{"https:///{z}/{x}/{y}.png", "", ErrTileURL},
	} {
		got, err := TileSource(c.in)
		if !errors.Is(err, c.err) || got != c.want {
			t.Errorf("TileSource(%q) = %q, %v; want %q, %v", c.in, got, err, c.want, c.err)
		}
	}
}

// FuzzTileSource: whatever an administrator types, an accepted source is
// one CSP source expression (no space, quote or semicolon that could add a
// directive).
func FuzzTileSource(f *testing.F) {
	f.Add("https://tile.openstreetmap.org/{z}/{x}/{y}.png")
	f.Add("https://{s}.tile.example.org/{z}/{x}/{y}.png")
	f.Add("http://[::1]:80/{z}/{x}/{y}")
	f.Fuzz(func(t *testing.T, s string) {
		src, err := TileSource(s)
		if err != nil || src == "" {
			return
		}
		for _, bad := range []string{" ", ";", "'", "\"", ",", "\n", "\t"} {
			if contains(src, bad) {
				t.Fatalf("TileSource(%q) = %q holds %q", s, src, bad)
			}
		}
	})
}

// FuzzParseBBox: an accepted box is on the earth and in order.
func FuzzParseBBox(f *testing.F) {
	f.Add("-93.2,44.9,-93.0,45.1")
	f.Add("1e308,0,0,0")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseBBox(s)
		if err != nil {
			return
		}
		if b.West > b.East || b.South > b.North || b.West < -180 || b.East > 180 || b.South < -90 || b.North > 90 {
			t.Fatalf("ParseBBox(%q) = %v", s, b)
		}
	})
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
