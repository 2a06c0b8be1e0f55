package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/hooks"
	"github.com/townhall-portal/townhall/internal/addresses"
)

// Pine County's outline: an irregular shape around Pine Falls and the
// countryside where every demo report lies (44.95–45.05 N, 93.15–93.05 W),
// with a notch cut out at the north-east for the state highway's corridor.
const pineCountyBoundary = `{"type":"Feature","properties":{"name":"Pine County"},"geometry":{"type":"Polygon","coordinates":[[
[-93.195,44.910],[-93.120,44.902],[-93.005,44.915],[-93.002,45.010],[-93.020,45.040],[-93.020,45.080],
[-93.060,45.095],[-93.170,45.098],[-93.198,45.060],[-93.199,44.980],[-93.195,44.910]]]}}`

// Where to go instead, for a spot outside the county.
const (
	outsideEN = "That spot is outside Pine County. For State Highway 12 call the State Department of Transportation at (555) 010-2000; for Cedar County call (555) 010-3000."
	outsideES = "Ese lugar está fuera del condado de Pine. Para la carretera estatal 12 llame al Departamento de Transporte del estado al (555) 010-2000; para el condado de Cedar llame al (555) 010-3000."
)

// The streets of Pine Falls: east–west streets, north–south avenues.
var (
	demoStreets = []string{"Main St", "Lake St", "Elm St", "Walnut St", "Maple St", "Church St", "Mill St", "School St", "Spring St",
		"Prairie St", "Depot St", "River St", "Court St", "Pleasant St", "Summit St", "Oak Grove Rd", "County Road 9", "Lakeview Dr"}
	demoAvenues = []string{"1st Ave", "2nd Ave", "3rd Ave", "4th Ave", "5th Ave", "N Pine Ave", "Cedar Ave", "Birch Ave", "Willow Ave",
		"Jackson Ave", "Lincoln Ave", "Franklin Ave", "Highland Ave", "Orchard Ln", "Meadow Ln", "Ridge Rd"}
)

// demoAddresses are Pine Falls' address points: houses on both sides of
// each street, numbered 100 a block from the west (streets) or the south
// (avenues), a few with apartments; all inside the county.
func demoAddresses() []addresses.Row {
	rng := rand.New(rand.NewPCG(16, 2026))
	var rows []addresses.Row
	add := func(number int, street, unit string, lat, lon float64) {
		zip := "55990"
		if lat > 45.0 {
			zip = "55991"
		}
		rows = append(rows, addresses.Row{Line: len(rows) + 2, Address: addresses.Address{
			Number: fmt.Sprint(number), Street: street, Unit: unit, City: "Pine Falls", Zip: zip,
			Lat: round6(lat), Lon: round6(lon), Parcel: fmt.Sprintf("27-%03d-%04d", len(rows)/400+1, len(rows)%10000)}})
	}
	const south, north, west, east = 44.935, 45.065, -93.17, -93.03
	for i, street := range demoStreets {
		lat := south + (north-south)*float64(i)/float64(len(demoStreets)-1)
		for k := 0; k < 90; k++ {
			lon := west + (east-west)*(float64(k)+rng.Float64()*0.6)/90
			number := 100 + k*20 + k%2
			lat := lat + 0.0002*float64(1-2*(k%2)) // odd numbers on the north side
			add(number, street, "", lat, lon)
		}
	}
	for i, avenue := range demoAvenues {
		lon := west + (east-west)*float64(i)/float64(len(demoAvenues)-1)
		for k := 0; k < 90; k++ {
			lat := south + (north-south)*(float64(k)+rng.Float64()*0.6)/90
			number := 100 + k*20 + k%2
			lon := lon + 0.0003*float64(1-2*(k%2))
			add(number, avenue, "", lat, lon)
			if k%15 == 7 { // an apartment building
				for u := 1; u <= 6; u++ {
					add(number, avenue, fmt.Sprint(100+u), lat, lon)
				}
			}
		}
	}
	return rows
}

func round6(v float64) float64 { return float64(int64(v*1e6+0.5*sign(v))) / 1e6 }

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

// ensureCounty gives the demo county its boundary and outside message
// (unless an administrator set one) and its address points (importing them
// again changes nothing).
func ensureCounty(app core.App, portal *hooks.Portal) (int, error) {
	s, err := app.FindFirstRecordByFilter("town_settings", "")
	if err != nil {
		return 0, err
	}
	if b := s.GetString("boundary"); b == "" || b == "null" {
		s.Set("boundary", pineCountyBoundary)
		s.Set("outside_message", outsideEN)
		s.Set("outside_message_es", outsideES)
		if err := app.Save(s); err != nil {
			return 0, fmt.Errorf("the county boundary: %w", err)
		}
	}
	res, err := portal.ImportAddresses(demoAddresses())
	if err != nil {
		return 0, fmt.Errorf("the address points: %w", err)
	}
	if len(res.Refused) > 0 {
		return 0, fmt.Errorf("the address points: line %d refused: %s", res.Refused[0].Line, res.Refused[0].Reason)
	}
	return res.Loaded, nil
}
