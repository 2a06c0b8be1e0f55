package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Maps: the tile server every map of the site draws from, its attribution
// (which the tile server's terms require on every map), and where a map
// opens when the county has no boundary yet. The site's
// Content-Security-Policy allows images from exactly the tile server's host.
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("town_settings")
		if err != nil {
			return err
		}
		c.Fields.Add(
			&core.TextField{Name: "map_tile_url", Max: 500,
				Help: "The map tiles' address with {z}, {x} and {y}, e.g. " + DefaultMapTileURL + " (the default when empty); only this host may serve the site's map images"},
			&core.TextField{Name: "map_attribution", Max: 300,
				Help: `The credit the tile server requires on every map (default: "` + DefaultMapAttribution + `")`},
			&core.URLField{Name: "map_attribution_url",
				Help: "Where the credit links to (default: " + DefaultMapAttributionURL + ")"},
			&core.GeoPointField{Name: "map_center",
				Help: "Where maps open when there is no county boundary (0, 0: not set)"},
			intField("map_zoom", 0, 19, false),
		)
		if err := app.Save(c); err != nil {
			return err
		}
		_, err = app.DB().NewQuery(`UPDATE town_settings SET map_tile_url = {:u}, map_attribution = {:a}, map_attribution_url = {:l}
			WHERE map_tile_url = ''`).Bind(map[string]any{"u": DefaultMapTileURL, "a": DefaultMapAttribution, "l": DefaultMapAttributionURL}).Execute()
		return err
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("town_settings")
		if err != nil {
			return err
		}
		for _, f := range []string{"map_tile_url", "map_attribution", "map_attribution_url", "map_center", "map_zoom"} {
			c.Fields.RemoveByName(f)
		}
		return app.Save(c)
	})
}

// The map tiles of a new installation: OpenStreetMap's standard tiles with
// the attribution their tile usage policy requires.
const (
	DefaultMapTileURL        = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
	DefaultMapAttribution    = "© OpenStreetMap contributors"
	DefaultMapAttributionURL = "https://www.openstreetmap.org/copyright"
)
