package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// What active content (scripts, automatic actions, launches, embedded
// files) an uploaded PDF carries, found when it is stored, so that staff are
// warned before they open it.
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("documents")
		if err != nil {
			return err
		}
		c.Fields.Add(&core.JSONField{Name: "active_content", MaxSize: 2000,
			Help: "Active content found in a PDF (script, auto_action, launch, embedded_file, submit_form, rich_media); written by the server"})
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("documents")
		if err != nil {
			return err
		}
		c.Fields.RemoveByName("active_content")
		return app.Save(c)
	})
}
