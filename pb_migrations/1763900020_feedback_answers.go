package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Staff answer a resident's rating: the answer is kept on the rating (so the
// director's figures can say which comments were answered) and added to the
// request's public history, where the resident reads it. The fields are
// written by the server's answer_rating action only (hooks/guards.go lists
// what residents may set on a rating).
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("feedback")
		if err != nil {
			return err
		}
		staff, err := app.FindCollectionByNameOrId("staff")
		if err != nil {
			return err
		}
		c.Fields.Add(
			&core.TextField{Name: "answer", Max: 5000, Help: "Staff's answer to the comment (written by the server)"},
			&core.RelationField{Name: "answered_by", CollectionId: staff.Id, MaxSelect: 1},
			&core.DateField{Name: "answered_at"},
		)
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("feedback")
		if err != nil {
			return err
		}
		c.Fields.RemoveByName("answer")
		c.Fields.RemoveByName("answered_by")
		c.Fields.RemoveByName("answered_at")
		return app.Save(c)
	})
}
