package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Open data: the license the county publishes its requests under
// (/api/townhall/public/open-data/requests.csv and .json, documented on
// /stats.html), set by the administrator in town_settings. A new or empty
// value means the public domain dedication (CC0 1.0).
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("town_settings")
		if err != nil {
			return err
		}
		c.Fields.Add(
			&core.TextField{Name: "open_data_license", Max: 200,
				Help: `The license of the open data files, e.g. "Public domain (CC0 1.0)" (the default when empty)`},
			&core.URLField{Name: "open_data_license_url",
				Help: "Where the license can be read (default: https://creativecommons.org/publicdomain/zero/1.0/)"},
		)
		if err := app.Save(c); err != nil {
			return err
		}
		_, err = app.DB().NewQuery(`UPDATE town_settings SET open_data_license = {:l}, open_data_license_url = {:u}
			WHERE open_data_license = ''`).Bind(map[string]any{"l": DefaultOpenDataLicense, "u": DefaultOpenDataLicenseURL}).Execute()
		return err
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("town_settings")
		if err != nil {
			return err
		}
		c.Fields.RemoveByName("open_data_license")
		c.Fields.RemoveByName("open_data_license_url")
		return app.Save(c)
	})
}

// The open data license of a new installation.
const (
	DefaultOpenDataLicense    = "Public domain (CC0 1.0)"
	DefaultOpenDataLicenseURL = "https://creativecommons.org/publicdomain/zero/1.0/"
)
