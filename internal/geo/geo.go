// Package geo holds the plain geometry the portal needs: checking a
// coordinate, distances on the earth, rounding a point for the public, and
// the county's boundary (GeoJSON) with a point-in-polygon test.
package geo

import (
	"errors"
	"math"
)

// ErrNotANumber, ErrLatRange and ErrLonRange say why a coordinate is refused.
var (
	ErrNotANumber = errors.New("the coordinates must be numbers")
	ErrLatRange   = errors.New("the latitude must be between -90 and 90")
	ErrLonRange   = errors.New("the longitude must be between -180 and 180")
)

// CheckPoint refuses a latitude or longitude that is not a finite number or
// is outside the world.
func CheckPoint(lat, lon float64) error {
	switch {
	case math.IsNaN(lat) || math.IsNaN(lon) || math.IsInf(lat, 0) || math.IsInf(lon, 0):
		return ErrNotANumber
	case lat < -90 || lat > 90:
		return ErrLatRange
	case lon < -180 || lon > 180:
		return ErrLonRange
	}
	return nil
}

// earthRadius is the mean radius of the earth in metres.
const earthRadius = 6_371_008.8

// Distance is the great-circle distance in metres between two points.
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadius * math.Asin(math.Min(1, math.Sqrt(a)))
}

// Round rounds v to the given number of decimals (3 decimals of a degree
// are about 111 m of latitude).
func Round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

// Box is a latitude/longitude rectangle.
type Box struct{ MinLat, MinLon, MaxLat, MaxLon float64 }

// Around is the box holding every point within metres of (lat, lon), for a
// first, indexed, cut before the exact distance (it does not wrap at the
// antimeridian: no county of ours straddles it).
func Around(lat, lon, metres float64) Box {
	dLat := metres / earthRadius * 180 / math.Pi
	c := math.Cos(lat * math.Pi / 180)
	dLon := 180.0
	if c > 1e-9 {
		dLon = math.Min(180, dLat/c)
	}
	return Box{MinLat: math.Max(-90, lat-dLat), MaxLat: math.Min(90, lat+dLat), MinLon: math.Max(-180, lon-dLon), MaxLon: math.Min(180, lon+dLon)}
}

// Contains reports whether the box holds the point (edges included).
func (b Box) Contains(lat, lon float64) bool {
	return lat >= b.MinLat && lat <= b.MaxLat && lon >= b.MinLon && lon <= b.MaxLon
}
