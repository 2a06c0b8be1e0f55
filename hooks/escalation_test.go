package hooks

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// chicago converts a Chicago wall time of November 2026 (CST, UTC-6) to UTC.
func chicago(day, hour, minute int) time.Time {
	return time.Date(2026, 11, day, hour+6, minute, 0, 0, time.UTC)
}

// escalations counts the escalation emails queued for a report.
func escalations(t *testing.T, e *testEnv, id string) map[string]int {
	t.Helper()
	out := map[string]int{}
	records, err := e.app.FindRecordsByFilter("outbox", "complaint = {:c} && kind = 'complaint.escalated'", "", 0, 0, map[string]any{"c": id})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range records {
		out[r.GetString("to")]++
	}
	return out
}

// TestEscalationHappensExactlyOnce walks a report nobody handles up the
// chain of command with a controllable clock: each level once, in order,
// whether the job runs twice, concurrently or after a restart.
func TestEscalationHappensExactlyOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := fileReport(t, e, roleResA, `{"category":"`+catX+`","reporter":"`+resA+`","description":"Streetlight out","address":"5 Elm"}`)
	level := func() int { return e.record(t, "complaints", id).GetInt("escalation_level") }

	// before the acknowledge deadline (Tuesday 17:00): nothing
	e.clock.Set(chicago(17, 16, 59))
	if done, _ := e.portal.EscalateOverdue(false); len(done) != 0 {
		t.Fatalf("escalated before the deadline: %v", done)
	}

	// past it: level 1, the department queue (nobody is assigned)
	e.clock.Set(chicago(17, 17, 1))
	done, err := e.portal.EscalateOverdue(false)
	if err != nil || len(done) != 1 || done[0].To != 1 || done[0].Reason != "acknowledge" {
		t.Fatalf("first run: %v %v", done, err)
	}
	// the same run again, and after a restart: nothing more
	if done, _ := e.portal.EscalateOverdue(false); len(done) != 0 {
		t.Errorf("second run escalated again: %v", done)
	}
	restarted := RegisterWith(e.app, Options{Now: e.clock.Now})
	if done, _ := restarted.EscalateOverdue(false); len(done) != 0 {
		t.Errorf("run after a restart escalated again: %v", done)
	}
	if got := escalations(t, e, id); got["x-queue@county.test"] != 1 || len(got) != 1 {
		t.Errorf("level 1 emails: %v", got)
	}

	// level 2 waits 8 business hours: Wednesday 16:01 (08:00 + 8 h + the minute after 17:00)
	e.clock.Set(chicago(18, 15, 59))
	if done, _ := e.portal.EscalateOverdue(false); len(done) != 0 {
		t.Fatalf("level 2 came early: %v", done)
	}
	e.clock.Set(chicago(18, 16, 5))
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := e.portal.EscalateOverdue(false)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			total += len(d)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if total != 1 || level() != 2 {
		t.Fatalf("4 concurrent runs escalated %d times, level %d", total, level())
	}
	if got := escalations(t, e, id); got["supx@county.test"] != 1 {
		t.Errorf("level 2 emails: %v", got)
	}

	// level 3: the directors, then never again
	e.clock.Set(chicago(19, 16, 10))
	if done, _ := e.portal.EscalateOverdue(false); len(done) != 1 || done[0].To != 3 {
		t.Fatalf("level 3: %v", done)
	}
	e.clock.Set(chicago(30, 12, 0))
	if done, _ := e.portal.EscalateOverdue(false); len(done) != 0 {
		t.Errorf("escalated past level 3: %v", done)
	}
	got := escalations(t, e, id)
	if got["x-queue@county.test"] != 1 || got["supx@county.test"] != 1 || got["director@county.test"] != 1 || len(got) != 3 {
		t.Errorf("escalation emails: %v", got)
	}

	// the mail server receives each escalation once
	e.app.TestMailer.Reset()
	for range 3 {
		if _, _, err := e.portal.SendOutbox(); err != nil {
			t.Fatal(err)
		}
	}
	overdue := 0
	for _, m := range e.app.TestMailer.Messages() {
		if strings.HasPrefix(m.Subject, "Overdue") {
			overdue++
		}
	}
	if overdue != 3 {
		t.Errorf("the mail server got %d escalation emails, want 3", overdue)
	}
	if n := e.count(t, "events", "complaint = {:c} && action = 'escalated' && public = false", map[string]any{"c": id}); n != 3 {
		t.Errorf("%d escalation events, want 3", n)
	}
}

// TestEscalationNeverSkipsALevel: after a long outage the job climbs one
// level per run and waits between levels.
func TestEscalationNeverSkipsALevel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := fileReport(t, e, roleResA, `{"category":"`+catX+`","reporter":"`+resA+`","description":"Pothole","address":"5 Elm"}`)
	e.clock.Set(chicago(30, 10, 0)) // ten days later
	done, _ := e.portal.EscalateOverdue(false)
	if len(done) != 1 || done[0].To != 1 {
		t.Fatalf("after the outage: %v", done)
	}
	if done, _ := e.portal.EscalateOverdue(false); len(done) != 0 {
		t.Errorf("climbed two levels at once: %v", done)
	}
	if got := e.record(t, "complaints", id).GetInt("escalation_level"); got != 1 {
		t.Errorf("level %d", got)
	}
}

func TestEscalationGoesToTheAssigneeAndFollowsAcknowledgement(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := fileReport(t, e, roleResA, `{"category":"`+catX+`","reporter":"`+resA+`","description":"Pothole","address":"5 Elm"}`)
	if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+id+"/assign", `{"assignee":"`+clerkX+`"}`, roleDirector); res.Status != 200 {
		t.Fatalf("assign: %d %s", res.Status, res.Body)
	}
	e.clock.Set(chicago(17, 18, 0))
	if done, _ := e.portal.EscalateOverdue(false); len(done) != 1 || done[0].Notify[0] != "clerkx@county.test" {
		t.Fatalf("level 1 to the assignee: %v", done)
	}
	// acknowledged late: the next level waits for the resolve deadline (Monday 13:00)
	if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+id+"/acknowledge", nil, roleClerkX); res.Status != 200 {
		t.Fatal(res.Body)
	}
	e.clock.Set(chicago(20, 12, 0))
	if done, _ := e.portal.EscalateOverdue(false); len(done) != 0 {
		t.Errorf("escalated an acknowledged report before its resolve deadline: %v", done)
	}
	e.clock.Set(chicago(23, 13, 1))
	if done, _ := e.portal.EscalateOverdue(false); len(done) != 1 || done[0].Reason != "resolve" || done[0].To != 2 {
		t.Errorf("resolve deadline: %v", done)
	}
}

func TestEscalationSkipsABadRecordAndDryRunChangesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	good := fileReport(t, e, roleResA, `{"category":"`+catX+`","reporter":"`+resA+`","description":"Pothole","address":"5 Elm"}`)
	// a report whose category was removed behind the server's back
	e.setStatus(t, "complaints", complaintA, "new", map[string]any{"category": "missingcategory",
		"ack_due_at": testStart.Add(-time.Hour), "next_escalation_at": testStart.Add(-time.Hour)})
	e.clock.Set(chicago(18, 10, 0))

	dry, err := e.portal.EscalateOverdue(true)
	if err != nil || len(dry) != 2 {
		t.Fatalf("dry run: %v %v", dry, err)
	}
	if e.record(t, "complaints", good).GetInt("escalation_level") != 0 || len(escalations(t, e, good)) != 0 {
		t.Fatal("the dry run changed something")
	}
	done, err := e.portal.EscalateOverdue(false)
	if err != nil {
		t.Fatal(err)
	}
	var skipped, escalated int
	for _, x := range done {
		if x.Err != nil {
			skipped++
		} else {
			escalated++
		}
	}
	if skipped != 1 || escalated != 1 || e.record(t, "complaints", good).GetInt("escalation_level") != 1 {
		t.Errorf("skipped %d escalated %d: %v", skipped, escalated, done)
	}
	if !strings.Contains(done[0].String()+done[1].String(), "skipped") {
		t.Errorf("the command line does not say what was skipped: %v", done)
	}
}

// BenchmarkEscalateOverdue runs the escalation job over 100,000 open
// reports of which 100 are due.
func BenchmarkEscalateOverdue(b *testing.B) {
	e := newEnv(b)
	insertOpenReports(b, e.app, 100_000, 100)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		// make the same 100 due again
		if _, err := e.app.DB().NewQuery(`UPDATE complaints SET escalation_level = 0, escalated_at = '',
			next_escalation_at = '2026-11-01 00:00:00.000Z' WHERE id LIKE 'bench0due%'`).Execute(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		done, err := e.portal.EscalateOverdue(false)
		if err != nil || len(done) != 100 {
			b.Fatalf("escalated %d: %v", len(done), err)
		}
	}
}

// insertOpenReports writes n open reports straight into the table, due of
// them overdue.
func insertOpenReports(b *testing.B, app core.App, n, due int) {
	b.Helper()
	err := app.RunInTransaction(func(tx core.App) error {
		for i := 0; i < n; i++ {
			id := "bench" + pad(i, 10)
			next := "2027-06-01 00:00:00.000Z"
			if i < due {
				id = "bench0due" + pad(i, 6)
				next = "2026-11-01 00:00:00.000Z"
			}
			_, err := tx.DB().NewQuery(`INSERT INTO complaints (id, reference, category, department, reporter, status, description,
				language, ack_due_at, resolve_due_at, next_escalation_at, escalation_level, created, updated)
				VALUES ({:id}, {:ref}, {:cat}, {:dept}, {:rep}, 'new', 'bench', 'en', {:due}, {:due}, {:next}, 0,
				'2026-10-01 00:00:00.000Z', '2026-10-01 00:00:00.000Z')`).Bind(map[string]any{
				"id": id, "ref": "SR-2025-" + pad(i, 6), "cat": catX, "dept": deptX, "rep": resA,
				"due": next, "next": next,
			}).Execute()
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

func pad(i, width int) string {
	s := strings.Repeat("0", width) + itoa(i)
	return s[len(s)-width:]
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var d []byte
	for ; i > 0; i /= 10 {
		d = append([]byte{byte('0' + i%10)}, d...)
	}
	return string(d)
}

// lockedError is what the modernc driver returns when another process wrote
// between a transaction's read and its write: SQLITE_BUSY_SNAPSHOT.
type lockedError struct{ code int }

func (e lockedError) Error() string { return fmt.Sprintf("database is locked (%d)", e.code) }
func (e lockedError) Code() int     { return e.code }

// TestEscalationWaitsForALockedDatabase: when the first attempts of a
// report's transaction fail because another process holds the database
// (as `townhall escalate` does next to a running server), the escalation
// runs again and happens exactly once: one level, one event, one email.
func TestEscalationWaitsForALockedDatabase(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		err  error
	}{
		{"driver error SQLITE_BUSY_SNAPSHOT", lockedError{517}},
		{"driver error SQLITE_BUSY", lockedError{5}},
		{"flattened message", errors.New("database is locked (517)")},
		{"wrapped", fmt.Errorf("saving: %w", lockedError{517})},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			id := fileReport(t, e, roleResA, `{"category":"`+catX+`","reporter":"`+resA+`","description":"Streetlight out","address":"5 Elm"}`)
			var attempts atomic.Int32
			e.app.OnRecordUpdate("complaints").BindFunc(func(re *core.RecordEvent) error {
				if attempts.Add(1) <= 3 {
					return c.err
				}
				return re.Next()
			})
			e.clock.Set(chicago(17, 17, 1))
			done, err := e.portal.EscalateOverdue(false)
			if err != nil || len(done) != 1 || done[0].Err != nil || done[0].To != 1 {
				t.Fatalf("escalation next to a locked database: %v %v", done, err)
			}
			if n := attempts.Load(); n != 4 {
				t.Errorf("%d attempts, want 4 (3 locked, then the one that worked)", n)
			}
			if got := e.record(t, "complaints", id).GetInt("escalation_level"); got != 1 {
				t.Errorf("level %d, want 1", got)
			}
			if got := escalations(t, e, id); got["x-queue@county.test"] != 1 || len(got) != 1 {
				t.Errorf("level 1 emails: %v", got)
			}
			if n := e.count(t, "events", "complaint = {:c} && action = 'escalated'", map[string]any{"c": id}); n != 1 {
				t.Errorf("%d escalation events, want 1", n)
			}
			if done, _ := e.portal.EscalateOverdue(false); len(done) != 0 {
				t.Errorf("the next run escalated again: %v", done)
			}
		})
	}
}

// TestEscalationLeavesAReportLockedTooLongForTheNextRun: a database that
// stays locked is given up after the budget, the report is left unchanged
// for the next run and said to be deferred, not broken; other errors are
// not retried.
func TestEscalationLeavesAReportLockedTooLongForTheNextRun(t *testing.T) {
	t.Parallel()
	calls := 0
	start := time.Now()
	err := retryBusy(200*time.Millisecond, func() error { calls++; return lockedError{517} })
	if !errors.Is(err, errStillLocked) || calls < 2 || time.Since(start) > time.Second {
		t.Fatalf("gave up after %d calls, %s: %v", calls, time.Since(start), err)
	}
	x := Escalation{Reference: "SR-2026-00009", Err: err}
	if !x.Deferred() || !strings.Contains(x.String(), "left for the next run") {
		t.Errorf("a locked report reads %q", x.String())
	}

	calls = 0
	other := errors.New("its category is missing")
	if err := retryBusy(time.Second, func() error { calls++; return other }); err != other || calls != 1 {
		t.Errorf("a plain failure was retried: %d calls, %v", calls, err)
	}
	if (Escalation{Err: other}).Deferred() {
		t.Error("a broken report is called deferred")
	}
}

func TestIsBusy(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		err  error
		busy bool
	}{
		{lockedError{5}, true},
		{lockedError{517}, true},
		{lockedError{6}, true},
		{lockedError{262}, true}, // SQLITE_LOCKED_SHAREDCACHE
		{errors.New("database is locked"), true},
		{errors.New("The database file is locked (5) (SQLITE_BUSY)"), true},
		{errors.New("database table is locked: complaints"), true},
		{errors.New("sql: something (517)"), true},
		{fmt.Errorf("commit: %w", lockedError{517}), true},
		{nil, false},
		{errors.New("constraint failed: UNIQUE constraint failed: complaints.reference (2067)"), false},
		{errors.New("no such table: complaints"), false},
		{errors.New("value must be at most (5)  characters long"), false},
	} {
		if got := isBusy(c.err); got != c.busy {
			t.Errorf("isBusy(%v) = %v, want %v", c.err, got, c.busy)
		}
	}
}
