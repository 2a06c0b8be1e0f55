package hooks

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/townhall-portal/townhall/internal/i18n"
	"github.com/townhall-portal/townhall/internal/insights"
)

// The roll-up behind Insights: one row per request in
// townhall_insight_facts (migration 1763900050) holding its insights.Fact,
// rewritten in the same transaction as every save of the request, of an
// event of its history, of its rating or of a document of a draft. The
// figures therefore never lag; a period reads one short row per request.

// factRow is what a request's fact needs from its own row.
type factRow struct {
	ID         string `db:"id"`
	Kind       string `db:"kind"`
	Department string `db:"department"`
	Service    string `db:"service"`
	Source     string `db:"source"`
	CreatedBy  string `db:"created_by"`
	Assignee   string `db:"assignee"`
	Status     string `db:"status"`
	Created    string `db:"created"`
	Updated    string `db:"updated"`
	AckDue     string `db:"ack_due_at"`
	ResolveDue string `db:"resolve_due_at"`
}

// factRowsSQL selects factRows of both kinds; a WHERE on id may follow each part.
const (
	reportFactSQL = `SELECT id, 'report' AS kind, department, category AS service, source, created_by, assignee, status,
		created, updated, ack_due_at, resolve_due_at FROM complaints`
	permitFactSQL = `SELECT id, 'permit' AS kind, department, permit_type AS service, '' AS source, created_by, assignee, status,
		created, updated, '' AS ack_due_at, '' AS resolve_due_at FROM permits`
	// the history that matters: state changes and escalations
	factEventsSQL = `SELECT permit, complaint, action, from_status, to_status, created,
		CASE WHEN action = 'escalated' AND json_valid(data) THEN CAST(json_extract(data, '$.level') AS INTEGER) ELSE 0 END AS level
		FROM events WHERE (to_status != '' OR action = 'escalated')`
)

type factEvent struct {
	Permit    string `db:"permit"`
	Complaint string `db:"complaint"`
	Action    string `db:"action"`
	From      string `db:"from_status"`
	To        string `db:"to_status"`
	Created   string `db:"created"`
	Level     int    `db:"level"`
}

type factRating struct {
	Permit    string `db:"permit"`
	Complaint string `db:"complaint"`
	Rating    int    `db:"rating"`
	Created   string `db:"created"`
}

// channelOf is the channel a request came by.
func channelOf(r factRow) string {
	if r.Kind == insights.Permit {
		if r.CreatedBy != "" {
			return insights.Counter
		}
		return insights.Online
	}
	switch r.Source {
	case "phone":
		return insights.Phone
	case "walk_in":
		return insights.Counter
	case "email":
		return insights.Email
	case "", "web":
		return insights.Online
	}
	return r.Source
}

// pbTime reads a stored date ("" is the zero time).
func pbTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(types.DefaultDateLayout, s); err == nil {
		return t
	}
	dt, _ := types.ParseDateTime(s)
	return dt.Time()
}

// draftStep is where a resident's unsubmitted application stands.
func draftStep(app core.App, id string) string {
	r, err := app.FindRecordById("permits", id)
	if err != nil {
		return ""
	}
	t, err := permitTodo(app, r, i18n.EN)
	switch {
	case err != nil:
		return ""
	case len(t.Answers) > 0:
		return "answers"
	case len(t.Documents) > 0:
		return "documents"
	}
	return "ready"
}

// deriveFact builds a request's fact.
func deriveFact(app core.App, t town, row factRow, events []factEvent, rating *factRating, turnaround map[string]int) insights.Fact {
	req := insights.Request{ID: row.ID, Kind: row.Kind, Department: row.Department, Service: row.Service,
		Channel: channelOf(row), Assignee: row.Assignee, Status: row.Status,
		Created: pbTime(row.Created), Updated: pbTime(row.Updated),
		AckDue: pbTime(row.AckDue), ResolveDue: pbTime(row.ResolveDue)}
	if row.Kind == insights.Permit {
		req.TurnaroundDays = turnaround[row.Service]
		if row.Status == "draft" {
			req.DraftStep = draftStep(app, row.ID)
		}
	}
	if rating != nil {
		req.Rating, req.RatedAt = rating.Rating, pbTime(rating.Created)
	}
	evs := make([]insights.Event, 0, len(events))
	for _, e := range events {
		evs = append(evs, insights.Event{Action: e.Action, From: e.From, To: e.To, At: pbTime(e.Created), Level: e.Level})
	}
	return insights.Derive(req, evs, t.Calendar)
}

// saveFact writes a fact to the roll-up (logged: and records the change
// for the readers' mirrors; a rewrite of every fact logs once at its end).
func saveFact(app core.App, f *insights.Fact, logged bool) error {
	open := 0
	if f.IsOpen() {
		open = 1
	}
	if _, err := app.DB().NewQuery("DELETE FROM townhall_insight_facts WHERE request = {:id}").Bind(dbx.Params{"id": f.ID}).Execute(); err != nil {
		return err
	}
	_, err := app.DB().NewQuery(`INSERT INTO townhall_insight_facts (last_activity, request, department, open, data)
		VALUES ({:last}, {:id}, {:dept}, {:open}, {:data})`).
		Bind(dbx.Params{"id": f.ID, "dept": f.Department, "open": open, "last": f.LastActivity(), "data": f.Encode()}).Execute()
	if err != nil || !logged {
		return err
	}
	return logFactChange(app, f.ID)
}

// refreshFact rewrites the fact of one request (kind: insights.Report or
// insights.Permit) from its row, history and rating; a request that is gone
// loses its fact.
func (p *Portal) refreshFact(app core.App, kind, id string) error {
	if p.backfilling {
		return nil // a backfill builds the facts of what it wrote at its end
	}
	base, parent := reportFactSQL, "complaint"
	if kind == insights.Permit {
		base, parent = permitFactSQL, "permit"
	}
	var row factRow
	err := app.DB().NewQuery(base + " WHERE id = {:id}").Bind(dbx.Params{"id": id}).One(&row)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err = app.DB().NewQuery("DELETE FROM townhall_insight_facts WHERE request = {:id}").Bind(dbx.Params{"id": id}).Execute(); err != nil {
			return err
		}
		return logFactChange(app, id)
	}
	if err != nil {
		return err
	}
	var events []factEvent
	if err := app.DB().NewQuery(factEventsSQL + " AND " + parent + " = {:id} ORDER BY created, rowid").
		Bind(dbx.Params{"id": id}).All(&events); err != nil {
		return err
	}
	var rating *factRating
	var fr factRating
	err = app.DB().NewQuery("SELECT permit, complaint, rating, created FROM feedback WHERE " + parent + " = {:id} LIMIT 1").
		Bind(dbx.Params{"id": id}).One(&fr)
	switch {
	case err == nil:
		rating = &fr
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	turnaround := map[string]int{}
	if kind == insights.Permit {
		var days int
		_ = app.DB().NewQuery("SELECT turnaround_days FROM permit_types WHERE id = {:id}").Bind(dbx.Params{"id": row.Service}).Row(&days)
		turnaround[row.Service] = days
	}
	f := deriveFact(app, p.townSettings(app), row, events, rating, turnaround)
	return saveFact(app, &f, true)
}

// registerInsightFacts keeps the roll-up in step with every save, and fills
// it at start for requests that have no (current) fact yet.
func (p *Portal) registerInsightFacts() {
	kinds := map[string]string{"complaints": insights.Report, "permits": insights.Permit}
	for collection, kind := range kinds {
		refresh := func(e *core.RecordEvent) error {
			if err := e.Next(); err != nil {
				return err
			}
			return p.refreshFact(e.App, kind, e.Record.Id)
		}
		p.app.OnRecordCreate(collection).BindFunc(refresh)
		p.app.OnRecordUpdate(collection).BindFunc(refresh)
		p.app.OnRecordDelete(collection).BindFunc(refresh)
	}
	// a child's save changes its request's fact: history, rating, a draft's documents
	child := func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		if id := e.Record.GetString("complaint"); id != "" {
			return p.refreshFact(e.App, insights.Report, id)
		}
		if id := e.Record.GetString("permit"); id != "" {
			return p.refreshFact(e.App, insights.Permit, id)
		}
		return nil
	}
	p.app.OnRecordCreate("events").BindFunc(child)
	for _, c := range []string{"feedback", "documents"} {
		p.app.OnRecordCreate(c).BindFunc(child)
		p.app.OnRecordUpdate(c).BindFunc(child)
		p.app.OnRecordDelete(c).BindFunc(child)
	}
	// a new calendar changes every business-hour figure
	p.app.OnRecordAfterUpdateSuccess("town_settings").BindFunc(func(e *core.RecordEvent) error {
		if !calendarChanged(e.Record) {
			return e.Next() // a new license or tile server changes no figure
		}
		if _, err := p.RebuildInsightFacts(false); err != nil {
			e.App.Logger().Error("rebuilding the insights roll-up after a calendar change failed", "error", err)
		}
		return e.Next()
	})
	p.app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		start := time.Now()
		if n, err := p.RebuildInsightFacts(true); err != nil {
			se.App.Logger().Error("filling the insights roll-up failed; the figures may be incomplete", "error", err)
		} else if n > 0 {
			se.App.Logger().Info("insights roll-up filled", "requests", n, "took", time.Since(start).String())
		}
		return se.Next()
	})
}

// RebuildInsightFacts rewrites the roll-up for every request (missingOnly:
// only those without a fact of the current layout) in one transaction, and
// returns how many facts it wrote. It reads each table once, so 100,000
// requests take seconds, not minutes.
func (p *Portal) RebuildInsightFacts(missingOnly bool) (int, error) {
	if missingOnly {
		var missing int
		err := p.app.DB().NewQuery(`SELECT
			(SELECT count(*) FROM complaints) + (SELECT count(*) FROM permits)
			- (SELECT count(*) FROM townhall_insight_facts WHERE substr(data, 1, 1) = {:v})`).
			Bind(dbx.Params{"v": []byte{insightsFactVersion}}).Row(&missing)
		if err != nil || missing == 0 {
			return 0, err
		}
	}
	written := 0
	err := p.app.RunInTransaction(func(tx core.App) error {
		have := map[string]bool{}
		if missingOnly {
			var ids []string
			if err := tx.DB().NewQuery("SELECT request FROM townhall_insight_facts WHERE substr(data, 1, 1) = {:v}").
				Bind(dbx.Params{"v": []byte{insightsFactVersion}}).Column(&ids); err != nil {
				return err
			}
			for _, id := range ids {
				have[id] = true
			}
		}
		var types []struct {
			ID   string `db:"id"`
			Days int    `db:"turnaround_days"`
		}
		if err := tx.DB().NewQuery("SELECT id, turnaround_days FROM permit_types").All(&types); err != nil {
			return err
		}
		turnaround := map[string]int{}
		for _, t := range types {
			turnaround[t.ID] = t.Days
		}
		t := p.townSettings(tx)
		// a chunk of requests at a time, with their history and rating, so
		// that memory stays small however many requests there are (all of
		// the events at once were about 290 MB at county scale)
		for _, src := range []struct{ sql, column string }{{reportFactSQL, "complaint"}, {permitFactSQL, "permit"}} {
			for after := ""; ; {
				var rows []factRow
				if err := tx.DB().NewQuery(src.sql + " WHERE id > {:after} ORDER BY id LIMIT {:n}").
					Bind(dbx.Params{"after": after, "n": rebuildChunk}).All(&rows); err != nil {
					return err
				}
				if len(rows) == 0 {
					break
				}
				span := dbx.Params{"after": after, "last": rows[len(rows)-1].ID}
				after = rows[len(rows)-1].ID
				var events []factEvent
				if err := tx.DB().NewQuery(factEventsSQL + " AND " + src.column + " > {:after} AND " + src.column + " <= {:last}" +
					" ORDER BY " + src.column + ", created, rowid").Bind(span).All(&events); err != nil {
					return err
				}
				history := map[string][]factEvent{}
				for _, e := range events {
					id := e.Complaint + e.Permit
					history[id] = append(history[id], e)
				}
				var ratings []factRating
				if err := tx.DB().NewQuery("SELECT permit, complaint, rating, created FROM feedback WHERE " + src.column + " != ''" +
					" AND " + src.column + " > {:after} AND " + src.column + " <= {:last}").Bind(span).All(&ratings); err != nil {
					return err
				}
				rated := map[string]*factRating{}
				for i := range ratings {
					rated[ratings[i].Complaint+ratings[i].Permit] = &ratings[i]
				}
				for _, row := range rows {
					if have[row.ID] {
						continue
					}
					f := deriveFact(tx, t, row, history[row.ID], rated[row.ID], turnaround)
					if err := saveFact(tx, &f, false); err != nil {
						return fmt.Errorf("request %s: %w", row.ID, err)
					}
					written++
				}
			}
		}
		if written == 0 {
			return nil
		}
		return logFactChange(tx, "*")
	})
	return written, err
}

// rebuildChunk is how many requests a rebuild reads at a time.
const rebuildChunk = 2000

// insightsFactVersion is the first byte of a fact of the current layout.
const insightsFactVersion byte = insights.FactVersion
