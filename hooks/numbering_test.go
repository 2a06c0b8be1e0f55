package hooks

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// numberingEnv is a test environment with the start-up housekeeping and the
// restore hooks installed (installing them twice is harmless).
func numberingEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newEnv(t)
	e.portal.registerHousekeeping()
	return e
}

// issuePermits issues n new approved permits of type X and returns their
// numbers in order.
func issuePermits(t *testing.T, e *testEnv, n int) []string {
	t.Helper()
	col, err := e.app.FindCollectionByNameOrId("permits")
	if err != nil {
		t.Fatal(err)
	}
	clerk := e.record(t, "staff", clerkX)
	var numbers []string
	for range n {
		r := core.NewRecord(col)
		r.Id = core.GenerateDefaultRandomId()
		r.Set("owner", resA)
		r.Set("permit_type", typeX)
		r.Set("department", deptX)
		r.Set("status", "approved")
		r.Set("language", "en")
		if err := e.app.UnsafeWithoutHooks().Save(r); err != nil {
			t.Fatal(err)
		}
		issued, err := e.portal.Permit(r.Id, "issue", StaffActor(clerk), "")
		if err != nil {
			t.Fatal(err)
		}
		numbers = append(numbers, issued.GetString("number"))
	}
	return numbers
}

// counter reads one counter (0 when missing).
func counter(t *testing.T, app core.App, key string) int64 {
	t.Helper()
	c, err := readCounters(app.DB())
	if err != nil {
		t.Fatal(err)
	}
	return c[key]
}

// TestRestoreNeverReissuesNumbers restores a real backup (PocketBase's
// RestoreBackup, with the process restart it ends with replaced by a
// re-bootstrap): the permits issued after the backup are gone from the
// database but their numbers are on certificates, so the next permit gets
// the number after them, not the backup's next one.
func TestRestoreNeverReissuesNumbers(t *testing.T) {
	t.Parallel()
	e := numberingEnv(t)
	ctx := context.Background()
	if got := issuePermits(t, e, 1); got[0] != "TX-2026-00001" {
		t.Fatalf("first permit %v", got)
	}
	if err := e.app.CreateBackup(ctx, "before.zip"); err != nil {
		t.Fatal(err)
	}
	printed := issuePermits(t, e, 2) // TX-2026-00002 and 00003, on paper now

	// the restore ends with a restart (execve of this test binary): stop there
	e.app.OnTerminate().Bind(&hook.Handler[*core.TerminateEvent]{
		Id: "testNoRestart",
		Func: func(te *core.TerminateEvent) error {
			if te.IsRestart {
				return nil
			}
			return te.Next()
		},
	})
	if err := e.app.RestoreBackup(ctx, "before.zip"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(numberingPath(e.app.DataDir())); err != nil {
		t.Errorf("the restore left no numbering file in the backups folder: %v", err)
	}
	// the "next start": the data folder is opened again
	if err := e.app.ResetBootstrapState(); err != nil {
		t.Fatal(err)
	}
	if err := e.app.Bootstrap(); err != nil {
		t.Fatal(err)
	}

	for _, n := range printed {
		if c := e.count(t, "permits", "number = {:n}", map[string]any{"n": n}); c != 0 {
			t.Fatalf("%s is still in the database: this was not a restore", n)
		}
	}
	next := issuePermits(t, e, 1)
	if next[0] != "TX-2026-00004" {
		t.Errorf("after the restore the next permit is %s, want TX-2026-00004 (00002 and 00003 are on certificates)", next[0])
	}
	if _, err := os.Stat(numberingPath(e.app.DataDir())); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the numbering file is still there after the start: %v", err)
	}
	last, err := e.portal.LastRestore()
	if err != nil || last == nil || last.Backup != "before.zip" || len(last.Raised) != 1 ||
		last.Raised[0] != (RaisedCounter{Key: "permit:TX:2026", From: 1, To: 3}) {
		t.Fatalf("last restore: %+v %v", last, err)
	}
	f := e.portal.numberingFindings()
	if len(f) != 1 || f[0].Level != "warn" || !strings.Contains(f[0].Message, "TX-2026-00004 onward (the backup had reached TX-2026-00001)") {
		t.Errorf("findings: %+v", f)
	}
}

// TestRestoreNumberingRaisesCountersToTheSavedValues simulates a restore
// through its hook: the counters are saved before the restore, rolled back
// by it, and raised again at the next start; another start changes nothing.
func TestRestoreNumberingRaisesCountersToTheSavedValues(t *testing.T) {
	t.Parallel()
	e := numberingEnv(t)
	issuePermits(t, e, 1)
	backup, err := readCounters(e.app.DB())
	if err != nil {
		t.Fatal(err)
	}
	issuePermits(t, e, 4)                                                                                                 // up to TX-2026-00005
	fileReport(t, e, roleResA, `{"category":"`+catX+`","reporter":"`+resA+`","description":"Pothole","address":"5 Elm"}`) // SR-2026-00003

	ev := &core.BackupEvent{Name: "nightly.zip"}
	ev.App = e.app
	err = e.app.OnBackupRestore().Trigger(ev, func(be *core.BackupEvent) error {
		// what the restore does to the counters: the backup's come back
		if _, err := be.App.DB().NewQuery("DELETE FROM townhall_counters").Execute(); err != nil {
			return err
		}
		for k, v := range backup {
			if _, err := be.App.DB().NewQuery("INSERT INTO townhall_counters (key, value) VALUES ({:k}, {:v})").
				Bind(dbx.Params{"k": k, "v": v}).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := counter(t, e.app, "permit:TX:2026"); got != 1 {
		t.Fatalf("the simulated restore left the counter at %d", got)
	}

	done, err := e.portal.applySavedNumbering(e.app)
	if err != nil || done == nil {
		t.Fatalf("start-up step: %+v %v", done, err)
	}
	want := []RaisedCounter{{"complaint:SR:2026", 2, 3}, {"permit:TX:2026", 1, 5}}
	if fmt.Sprint(done.Raised) != fmt.Sprint(want) || done.Backup != "nightly.zip" {
		t.Errorf("raised %+v from %q, want %+v", done.Raised, done.Backup, want)
	}
	if next := issuePermits(t, e, 1); next[0] != "TX-2026-00006" {
		t.Errorf("next permit %s, want TX-2026-00006", next[0])
	}
	id := fileReport(t, e, roleResA, `{"category":"`+catX+`","reporter":"`+resA+`","description":"Light","address":"6 Elm"}`)
	if ref := e.record(t, "complaints", id).GetString("reference"); ref != "SR-2026-00004" {
		t.Errorf("next report %s, want SR-2026-00004", ref)
	}

	// the next start has no file: nothing changes
	if again, err := e.portal.applySavedNumbering(e.app); again != nil || err != nil {
		t.Errorf("second start: %+v %v", again, err)
	}
	if next := issuePermits(t, e, 1); next[0] != "TX-2026-00007" {
		t.Errorf("next permit %s, want TX-2026-00007", next[0])
	}
}

// TestRestoreNumberingNeverLowersACounter: a counter already beyond the
// saved value stays where it is; a counter the restored data lacks is
// created.
func TestRestoreNumberingNeverLowersACounter(t *testing.T) {
	t.Parallel()
	e := numberingEnv(t)
	issuePermits(t, e, 3)
	raw := `{"saved_at":"2026-11-17T15:00:00Z","backup":"old.zip","counters":{"permit:TX:2026":2,"permit:TY:2026":7}}`
	if err := writeFileSynced(numberingPath(e.app.DataDir()), []byte(raw)); err != nil {
		t.Fatal(err)
	}
	done, err := e.portal.applySavedNumbering(e.app)
	if err != nil || done == nil || fmt.Sprint(done.Raised) != fmt.Sprint([]RaisedCounter{{"permit:TY:2026", 0, 7}}) {
		t.Fatalf("raised %+v: %v", done, err)
	}
	if got := counter(t, e.app, "permit:TX:2026"); got != 3 {
		t.Errorf("TX counter %d, want 3 (never lowered)", got)
	}
	if got := counter(t, e.app, "permit:TY:2026"); got != 7 {
		t.Errorf("TY counter %d, want 7", got)
	}
}

// TestFailedRestoreLeavesNumberingAlone: a restore that fails (a missing
// backup) leaves no numbering file and the counters as they were.
func TestFailedRestoreLeavesNumberingAlone(t *testing.T) {
	t.Parallel()
	e := numberingEnv(t)
	issuePermits(t, e, 2)
	if err := e.app.RestoreBackup(context.Background(), "no-such-backup.zip"); err == nil {
		t.Fatal("restoring a missing backup succeeded")
	}
	if _, err := os.Stat(numberingPath(e.app.DataDir())); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed restore left a numbering file: %v", err)
	}
	if next := issuePermits(t, e, 1); next[0] != "TX-2026-00003" {
		t.Errorf("next permit %s, want TX-2026-00003", next[0])
	}
}

// TestSavingNumberingKeepsTheHigherValues: saving twice (before the restore
// and at its restart) keeps each counter's highest value, and the file is
// written whole (no partial file left beside it).
func TestSavingNumberingKeepsTheHigherValues(t *testing.T) {
	t.Parallel()
	e := numberingEnv(t)
	issuePermits(t, e, 4)
	if err := saveNumbering(e.app, "b.zip", testStart); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.DB().NewQuery("UPDATE townhall_counters SET value = 1 WHERE key = 'permit:TX:2026'").Execute(); err != nil {
		t.Fatal(err)
	}
	if err := saveNumbering(e.app, "", testStart); err != nil {
		t.Fatal(err)
	}
	saved, err := readSavedNumbering(numberingPath(e.app.DataDir()))
	if err != nil || saved.Counters["permit:TX:2026"] != 4 || saved.Backup != "b.zip" {
		t.Errorf("saved %+v: %v", saved, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(numberingPath(e.app.DataDir())))
	for _, d := range entries {
		if strings.HasSuffix(d.Name(), ".partial") {
			t.Errorf("left %s behind", d.Name())
		}
	}
}

// TestNumberingStaysGapFreeWithoutARestore: the start-up step without a
// numbering file skips no number.
func TestNumberingStaysGapFreeWithoutARestore(t *testing.T) {
	t.Parallel()
	e := numberingEnv(t)
	got := issuePermits(t, e, 2)
	if done, err := e.portal.applySavedNumbering(e.app); done != nil || err != nil {
		t.Fatalf("start-up step without a restore: %+v %v", done, err)
	}
	got = append(got, issuePermits(t, e, 2)...)
	want := []string{"TX-2026-00001", "TX-2026-00002", "TX-2026-00003", "TX-2026-00004"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("numbers %v, want %v", got, want)
	}
	f := e.portal.numberingFindings()
	if len(f) != 1 || f[0].Level != "ok" || !strings.Contains(f[0].Message, "no backup restore") {
		t.Errorf("findings: %+v", f)
	}
}
