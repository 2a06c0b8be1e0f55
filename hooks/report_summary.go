package hooks

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Each report keeps what the public may read of its history beside the
// report itself: public_note, the latest comment staff wrote to the resident
// (a public comment, or the note of a public action), and public_photo, the
// first photo staff marked public. Open311 lists a thousand reports from
// those two columns alone. They are derived: rewritten from the events and
// documents whenever one of those changes, in the same transaction, and never
// taken from a save of the report itself.

// registerReportSummary keeps public_note and public_photo.
func (p *Portal) registerReportSummary() {
	p.app.OnRecordCreate("events").BindFunc(func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		if c := e.Record.GetString("complaint"); c != "" && e.Record.GetBool("public") && e.Record.GetString("comment") != "" {
			return refreshReportSummary(e.App, c)
		}
		return nil
	})
	photo := func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		if c := e.Record.GetString("complaint"); c != "" {
			return refreshReportSummary(e.App, c)
		}
		return nil
	}
	p.app.OnRecordCreate("documents").BindFunc(photo)
	p.app.OnRecordUpdate("documents").BindFunc(photo)
	p.app.OnRecordDelete("documents").BindFunc(photo)
	// a save of the report keeps what the events and documents say
	p.app.OnRecordUpdate("complaints").BindFunc(func(e *core.RecordEvent) error {
		var now struct {
			Note  string `db:"public_note"`
			Photo string `db:"public_photo"`
		}
		if err := e.App.DB().Select("public_note", "public_photo").From("complaints").Where(dbx.HashExp{"id": e.Record.Id}).One(&now); err == nil {
			e.Record.Set("public_note", now.Note)
			e.Record.Set("public_photo", now.Photo)
		}
		return e.Next()
	})
}

// reportSummarySQL rewrites public_note and public_photo of the reports
// matching a condition.
const reportSummarySQL = `UPDATE complaints SET
	public_note = COALESCE((SELECT ev.comment FROM events ev WHERE ev.complaint = complaints.id AND ev.public = TRUE
		AND ev.comment != '' AND ev.actor_kind IN ('staff', 'superuser') ORDER BY ev.created DESC, ev.id DESC LIMIT 1), ''),
	public_photo = COALESCE((SELECT d.id FROM documents d WHERE d.complaint = complaints.id AND d.public = TRUE
		ORDER BY d.created, d.id LIMIT 1), '')`

// refreshReportSummary rewrites one report's public_note and public_photo
// (without its hooks: they are not a change of the report).
func refreshReportSummary(app core.App, complaintID string) error {
	_, err := app.DB().NewQuery(reportSummarySQL + " WHERE id = {:id}").Bind(dbx.Params{"id": complaintID}).Execute()
	return err
}

// refreshAllReportSummaries rewrites every report's (after bulk inserts).
func refreshAllReportSummaries(app core.App) error {
	_, err := app.DB().NewQuery(reportSummarySQL).Execute()
	return err
}
