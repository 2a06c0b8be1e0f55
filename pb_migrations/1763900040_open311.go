package pb_migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Open311 GeoReport v2 (issue 17): problem categories gain optional extra
// questions (the same field definitions as permit forms) and keywords;
// reports keep the answers, may come through the open311 channel and name
// the client they came from; the town names its jurisdiction_id; and the
// administrator issues API keys to clients (open311_clients: the key is
// shown once, only its hash is kept).
func init() {
	m.Register(func(app core.App) error {
		cats, err := app.FindCollectionByNameOrId("complaint_categories")
		if err != nil {
			return err
		}
		cats.Fields.Add(
			&core.JSONField{Name: "questions", MaxSize: 200000,
				Help: "Extra questions asked with a report: a list of field definitions, as a permit type's form (see README)"},
			&core.TextField{Name: "keywords", Max: 500, Help: "Comma separated words that help find this category (Open311 keywords)"},
		)
		if err := app.Save(cats); err != nil {
			return err
		}

		reports, err := app.FindCollectionByNameOrId("complaints")
		if err != nil {
			return err
		}
		if source, ok := reports.Fields.GetByName("source").(*core.SelectField); ok && !slices.Contains(source.Values, "open311") {
			source.Values = append(source.Values, "open311")
		}
		reports.Fields.Add(
			&core.JSONField{Name: "answers", MaxSize: 50000, Help: "Answers to the category's extra questions"},
			&core.TextField{Name: "source_client", Max: 200, Help: "The Open311 client the report came through (written by the server)"},
		)
		if err := app.Save(reports); err != nil {
			return err
		}

		settings, err := app.FindCollectionByNameOrId("town_settings")
		if err != nil {
			return err
		}
		settings.Fields.Add(&core.TextField{Name: "jurisdiction_id", Max: 200,
			Help: "Open311 jurisdiction_id, e.g. pinecounty.gov (clients may also send this record's id)"})
		if err := app.Save(settings); err != nil {
			return err
		}

		clients := core.NewBaseCollection("open311_clients")
		clients.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 120, Presentable: true,
				Help: "The app or organisation, as it appears on the reports it files"},
			&core.TextField{Name: "contact", Max: 300, Help: "Who to call about this client: name, email, phone"},
			&core.BoolField{Name: "enabled", Help: "Switch off to refuse this client's key at once"},
			intField("rate_limit", 0, 10000, false),
			&core.TextField{Name: "key", Max: 200,
				Help: "The API key, shown once: create with \"Save and continue\" (Ctrl+S) to see it here, and copy it. It is not stored."},
			&core.BoolField{Name: "new_key", Help: "Tick and \"Save and continue\" to replace the key (the old one stops working)"},
			&core.TextField{Name: "key_hint", Max: 20, Help: "The key's first characters, to tell keys apart"},
			&core.TextField{Name: "key_hash", Max: 64, Hidden: true},
			&core.DateField{Name: "last_used_at"},
		)
		if f, ok := clients.Fields.GetByName("rate_limit").(*core.NumberField); ok {
			f.Help = "Reports this client may file a minute (empty: 60)"
		}
		autodates(clients)
		clients.AddIndex("idx_open311_clients_key", true, "key_hash", "key_hash != ''")
		if err := app.Save(clients); err != nil {
			return err
		}
		rules := AccessRules()
		return applyRules(app, map[string]Rules{"open311_clients": rules["open311_clients"]})
	}, func(app core.App) error {
		if err := deleteCollections(app, "open311_clients"); err != nil {
			return err
		}
		for _, c := range []struct {
			collection string
			fields     []string
		}{
			{"town_settings", []string{"jurisdiction_id"}},
			{"complaints", []string{"answers", "source_client"}},
			{"complaint_categories", []string{"questions", "keywords"}},
		} {
			col, err := app.FindCollectionByNameOrId(c.collection)
			if err != nil {
				return err
			}
			for _, name := range c.fields {
				col.Fields.RemoveByName(name)
			}
			if c.collection == "complaints" {
				if source, ok := col.Fields.GetByName("source").(*core.SelectField); ok {
					source.Values = slices.DeleteFunc(source.Values, func(v string) bool { return v == "open311" })
				}
				if _, err := app.DB().NewQuery("UPDATE complaints SET source = 'web' WHERE source = 'open311'").Execute(); err != nil {
					return err
				}
			}
			if err := app.Save(col); err != nil {
				return err
			}
		}
		return nil
	})
}
