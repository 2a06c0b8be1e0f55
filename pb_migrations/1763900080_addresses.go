package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The county's address points (`townhall import addresses FILE.csv`), for
// the address search of the report and permit forms. The records API is
// administrators' only: anyone searches through
// /api/townhall/public/addresses, which answers a label, a point and a
// parcel id, never a list of the whole table. Search walks two indexed
// prefix keys (internal/addresses.SearchKeys): one starting with the house
// number, one with the street. address_key makes a second import of the
// same address an update.
func init() {
	m.Register(func(app core.App) error {
		c := core.NewBaseCollection("addresses")
		lat, lon := ptr(-90), ptr(-180)
		c.Fields.Add(
			&core.TextField{Name: "label", Required: true, Max: 300, Presentable: true,
				Help: "12 Main St, Unit 3, Pineville 55555 (written by the import)"},
			&core.TextField{Name: "number", Required: true, Max: 20},
			&core.TextField{Name: "street", Required: true, Max: 120},
			&core.TextField{Name: "unit", Max: 40},
			&core.TextField{Name: "city", Max: 80},
			&core.TextField{Name: "zip", Max: 20},
			&core.NumberField{Name: "lat", Min: lat, Max: ptr(90)},
			&core.NumberField{Name: "lon", Min: lon, Max: ptr(180)},
			&core.TextField{Name: "parcel", Max: 60},
			&core.TextField{Name: "address_key", Required: true, Max: 400, Help: "What makes two rows the same address (written by the import)"},
			&core.TextField{Name: "key_number", Max: 400, Help: "Search key starting with the house number (written by the import)"},
			&core.TextField{Name: "key_street", Max: 400, Help: "Search key starting with the street (written by the import)"},
		)
		autodates(c)
		c.AddIndex("idx_addresses_key", true, "address_key", "")
		c.AddIndex("idx_addresses_key_number", false, "key_number", "")
		c.AddIndex("idx_addresses_key_street", false, "key_street", "")
		c.AddIndex("idx_addresses_point", false, "lat, lon", "")
		if err := app.Save(c); err != nil {
			return err
		}
		return applyRules(app, map[string]Rules{"addresses": AccessRules()["addresses"]})
	}, func(app core.App) error {
		return deleteCollections(app, "addresses")
	})
}
