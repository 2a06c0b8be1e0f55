package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Indexes of the staff work queue (hooks/routes_staff.go), so that a page of
// the queue reads about a page of rows even with 100,000 requests.
//
// The deadline order uses a sort key: the deadline the department must meet
// now (review of a permit application; acknowledging, then resolving a
// report), or '~' (after every date) when there is none, which is always the
// case in a closed state. The queue's SQL repeats these expressions exactly;
// hooks' TestQueuePlansUseTheQueueIndexes checks that SQLite uses them.
func init() {
	const (
		permitKey = "CASE WHEN status IN ('submitted', 'in_review') AND review_due_at != '' THEN review_due_at ELSE '~' END"
		reportKey = "CASE WHEN status = 'new' AND ack_due_at != '' THEN ack_due_at " +
			"WHEN status IN ('acknowledged', 'in_progress') AND resolve_due_at != '' THEN resolve_due_at ELSE '~' END"
	)
	type index struct{ name, columns, where string }
	added := []struct {
		collection string
		indexes    []index
	}{
		{"permits", []index{
			{"idx_permits_queue_due", "department, " + permitKey + ", created, status", ""},
			{"idx_permits_due", permitKey + ", created, status", ""},
			{"idx_permits_department_created", "department, created", ""},
			{"idx_permits_created", "created", ""},
			// a search reads its LIKE from the index
			{"idx_permits_search", "status, department, number, site_address", ""},
		}},
		{"complaints", []index{
			{"idx_complaints_queue_due", "department, " + reportKey + ", created, status", ""},
			{"idx_complaints_due", reportKey + ", created, status", ""},
			{"idx_complaints_department_created", "department, created", ""},
			{"idx_complaints_search", "status, department, reference, address", ""},
			// few reports are escalated: counting them needs no table reads
			{"idx_complaints_escalated", "department, status, escalation_level", "escalation_level > 0"},
		}},
	}
	m.Register(func(app core.App) error {
		for _, a := range added {
			c, err := app.FindCollectionByNameOrId(a.collection)
			if err != nil {
				return err
			}
			for _, idx := range a.indexes {
				c.AddIndex(idx.name, false, idx.columns, idx.where)
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		for _, a := range added {
			c, err := app.FindCollectionByNameOrId(a.collection)
			if err != nil {
				return err
			}
			for _, idx := range a.indexes {
				c.RemoveIndex(idx.name)
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	})
}
