package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The county's boundary (GeoJSON) and what residents are told to do about a
// spot outside it; a report or site address outside is refused with that
// message. Permits keep the addresses picked from the address search
// (address_picks: answer key -> {id, label, lat, lon, parcel}, written by
// the server from the picked address id), so the site's point and parcel
// travel with the application.
func init() {
	m.Register(func(app core.App) error {
		ts, err := app.FindCollectionByNameOrId("town_settings")
		if err != nil {
			return err
		}
		ts.Fields.Add(
			&core.JSONField{Name: "boundary", MaxSize: 8 << 20,
				Help: "The county's boundary as GeoJSON (Polygon, MultiPolygon, Feature or FeatureCollection); empty: no check"},
			&core.TextField{Name: "outside_message", Max: 1000,
				Help: "What to do about a spot outside the county, e.g. \"That spot is outside Pine County. For State Highway 12 call 555-0100.\""},
			&core.TextField{Name: "outside_message_es", Max: 1000, Help: "The same in Spanish"},
		)
		if err := app.Save(ts); err != nil {
			return err
		}
		permits, err := app.FindCollectionByNameOrId("permits")
		if err != nil {
			return err
		}
		permits.Fields.Add(&core.JSONField{Name: "address_picks", MaxSize: 20_000,
			Help: "Addresses picked in the address search, by answer (site_address or a question's key): id, label, lat, lon, parcel"})
		return app.Save(permits)
	}, func(app core.App) error {
		if ts, err := app.FindCollectionByNameOrId("town_settings"); err == nil {
			for _, f := range []string{"boundary", "outside_message", "outside_message_es"} {
				ts.Fields.RemoveByName(f)
			}
			if err := app.Save(ts); err != nil {
				return err
			}
		}
		permits, err := app.FindCollectionByNameOrId("permits")
		if err != nil {
			return err
		}
		permits.Fields.RemoveByName("address_picks")
		return app.Save(permits)
	})
}
