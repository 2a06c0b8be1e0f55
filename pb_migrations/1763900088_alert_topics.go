package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/security"
)

// Opt-in topic alerts (issue "Outages and announcements"):
//   - alert_topics: what residents may subscribe to (road closures, water,
//     trash pickup, events …), named in English and Spanish, kept by
//     administrators in the dashboard; four are made here to start with;
//   - alert_subscriptions: one resident × one topic;
//   - announcements gain the topics they are about: when one with topics is
//     in force, every subscriber gets one email (hooks/alerts.go);
//   - outbox gains headers (List-Unsubscribe …) carried on every attempt;
//   - town_settings gains alert_rate_per_minute, how many alert emails the
//     outbox hands the mail server a minute (other mail is not held up);
//   - the server's own tables: the key that signs unsubscribe links and
//     which announcements' alerts are queued.
func init() {
	m.Register(func(app core.App) error {
		users, err := mustID(app, "users")
		if err != nil {
			return err
		}
		topics := core.NewBaseCollection("alert_topics")
		topics.Fields.Add(
			&core.TextField{Name: "code", Required: true, Max: 40, Pattern: `^[a-z0-9-]+$`, Help: "A short name, e.g. road-closures"},
			&core.TextField{Name: "name_en", Required: true, Max: 120, Presentable: true},
			&core.TextField{Name: "name_es", Max: 120, Help: "Spanish name (the English one is shown when empty)"},
			&core.BoolField{Name: "active", Help: "Residents may subscribe; switched off, nobody new can and no alert is sent"},
			intField("sort", 0, 1000, false),
		)
		autodates(topics)
		topics.AddIndex("idx_alert_topics_code", true, "code", "")
		if err := app.Save(topics); err != nil {
			return err
		}

		subs := core.NewBaseCollection("alert_subscriptions")
		subs.Fields.Add(
			relation("user", users, true, true),
			relation("topic", topics.Id, true, true),
		)
		autodates(subs)
		subs.AddIndex("idx_alert_subscriptions_user_topic", true, "user, topic", "")
		subs.AddIndex("idx_alert_subscriptions_topic", false, "topic", "")
		if err := app.Save(subs); err != nil {
			return err
		}
		if err := applyRules(app, map[string]Rules{
			"alert_topics":        AccessRules()["alert_topics"],
			"alert_subscriptions": AccessRules()["alert_subscriptions"],
		}); err != nil {
			return err
		}

		for i, t := range []struct{ code, en, es string }{
			{"road-closures", "Road closures", "Cierres de calles"},
			{"water", "Water service", "Servicio de agua"},
			{"trash", "Trash and recycling pickup", "Recolección de basura y reciclaje"},
			{"events", "Events", "Eventos"},
		} {
			r := core.NewRecord(topics)
			r.Load(map[string]any{"code": t.code, "name_en": t.en, "name_es": t.es, "active": true, "sort": (i + 1) * 10})
			if err := app.Save(r); err != nil {
				return err
			}
		}

		ann, err := app.FindCollectionByNameOrId("announcements")
		if err != nil {
			return err
		}
		ann.Fields.Add(&core.RelationField{Name: "topics", CollectionId: topics.Id, MaxSelect: 20,
			Help: "Residents subscribed to these topics get this notice by email once it is in force (resident site notices only)"})
		if err := app.Save(ann); err != nil {
			return err
		}

		outbox, err := app.FindCollectionByNameOrId("outbox")
		if err != nil {
			return err
		}
		outbox.Fields.Add(&core.JSONField{Name: "headers", MaxSize: 8000, Help: "Extra mail headers, e.g. List-Unsubscribe"})
		outbox.AddIndex("idx_outbox_kind_sent", false, "kind, sent_at", "")
		if err := app.Save(outbox); err != nil {
			return err
		}

		settings, err := app.FindCollectionByNameOrId("town_settings")
		if err != nil {
			return err
		}
		settings.Fields.Add(&core.NumberField{Name: "alert_rate_per_minute", Min: ptr(1), Max: ptr(10000), OnlyInt: true,
			Help: "Topic alert emails handed to the mail server a minute (empty: 60); other mail is not held up"})
		if err := app.Save(settings); err != nil {
			return err
		}
		if _, err := app.DB().NewQuery("UPDATE town_settings SET alert_rate_per_minute = 60").Execute(); err != nil {
			return err
		}

		for _, q := range []string{
			`CREATE TABLE IF NOT EXISTS townhall_keys (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`,
			`CREATE TABLE IF NOT EXISTS townhall_alerts_queued (
				announcement TEXT PRIMARY KEY,
				topics       TEXT NOT NULL,
				queued       INTEGER NOT NULL,
				at           INTEGER NOT NULL
			) WITHOUT ROWID`,
		} {
			if _, err := app.DB().NewQuery(q).Execute(); err != nil {
				return err
			}
		}
		_, err = app.DB().NewQuery(`INSERT OR IGNORE INTO townhall_keys (name, value) VALUES ('alert_unsubscribe', {:v})`).
			Bind(map[string]any{"v": security.RandomString(64)}).Execute()
		return err
	}, func(app core.App) error {
		for _, q := range []string{`DROP TABLE IF EXISTS townhall_alerts_queued`, `DELETE FROM townhall_keys WHERE name = 'alert_unsubscribe'`} {
			if _, err := app.DB().NewQuery(q).Execute(); err != nil {
				return err
			}
		}
		for name, field := range map[string]string{"town_settings": "alert_rate_per_minute", "outbox": "headers", "announcements": "topics"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			c.Fields.RemoveByName(field)
			if name == "outbox" {
				c.RemoveIndex("idx_outbox_kind_sent")
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return deleteCollections(app, "alert_subscriptions", "alert_topics")
	})
}
