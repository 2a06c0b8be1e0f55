package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/security"
)

// One-click rating links in the "resolved"/"closed" emails. They are signed
// with a secret of this installation (townhall_keys, made here at random;
// never sent anywhere), and each link's nonce is spent once
// (townhall_rating_links: when, and which rating it recorded, so the
// resident may add a comment on the page the link opened). Both tables are
// the server's own: no API reaches them.
func init() {
	m.Register(func(app core.App) error {
		for _, q := range []string{
			`CREATE TABLE IF NOT EXISTS townhall_keys (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`,
			`CREATE TABLE IF NOT EXISTS townhall_rating_links (
				nonce    TEXT PRIMARY KEY,
				request  TEXT NOT NULL,
				used_at  INTEGER NOT NULL,
				feedback TEXT NOT NULL DEFAULT ''
			) WITHOUT ROWID`,
		} {
			if _, err := app.DB().NewQuery(q).Execute(); err != nil {
				return err
			}
		}
		_, err := app.DB().NewQuery(`INSERT OR IGNORE INTO townhall_keys (name, value) VALUES ('rating_links', {:v})`).
			Bind(map[string]any{"v": security.RandomString(64)}).Execute()
		return err
	}, func(app core.App) error {
		for _, q := range []string{`DROP TABLE IF EXISTS townhall_rating_links`, `DELETE FROM townhall_keys WHERE name = 'rating_links'`} {
			if _, err := app.DB().NewQuery(q).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
}
