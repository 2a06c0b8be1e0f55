package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// A rating stays when its author deletes their account (the satisfaction
// figures keep it, without the person or their comment), so its author is
// no longer required. New ratings still name their author: the create rule
// says author = the signed-in resident.
func init() {
	m.Register(func(app core.App) error {
		return setAuthorRequired(app, false)
	}, func(app core.App) error {
		return setAuthorRequired(app, true)
	})
}

func setAuthorRequired(app core.App, required bool) error {
	c, err := app.FindCollectionByNameOrId("feedback")
	if err != nil {
		return err
	}
	f, ok := c.Fields.GetByName("author").(*core.RelationField)
	if !ok {
		return nil
	}
	f.Required = required
	return app.Save(c)
}
