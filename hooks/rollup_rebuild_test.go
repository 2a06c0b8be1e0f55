package hooks

import (
	"testing"
)

// TestOnlyACalendarChangeRebuildsTheRollup: saving the town's settings
// rewrites the Insights roll-up (seconds at county scale) only when the
// business calendar changed, not for a new phone number or license.
func TestOnlyACalendarChangeRebuildsTheRollup(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	facts := func() (n int) {
		t.Helper()
		if err := e.app.DB().NewQuery("SELECT count(*) FROM townhall_insight_facts").Row(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var requests int
	if err := e.app.DB().NewQuery("SELECT (SELECT count(*) FROM complaints) + (SELECT count(*) FROM permits)").Row(&requests); err != nil {
		t.Fatal(err)
	}
	if requests == 0 {
		t.Fatal("the fixture has no requests")
	}
	if _, err := e.app.DB().NewQuery("DELETE FROM townhall_insight_facts").Execute(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		field   string
		value   any
		rebuilt bool
	}{
		{"office_phone", "555-0100", false},
		{"open_data_license", "ODC-By 1.0", false},
		{"holidays", []string{"2026-12-25"}, true},
		{"open_time", "07:30", true},
	} {
		if _, err := e.app.DB().NewQuery("DELETE FROM townhall_insight_facts").Execute(); err != nil {
			t.Fatal(err)
		}
		s := e.record(t, "town_settings", settingsID)
		s.Set(c.field, c.value)
		if err := e.app.Save(s); err != nil {
			t.Fatalf("%s: %v", c.field, err)
		}
		if got := facts(); (got == requests) != c.rebuilt || (got != 0 && got != requests) {
			t.Errorf("after changing %s: %d facts for %d requests (rebuilt: want %v)", c.field, got, requests, c.rebuilt)
		}
	}
}

// TestARebuildInChunksWritesWhatEachRequestWouldHave: the full rebuild
// reads requests rebuildChunk at a time with their history and ratings;
// across the chunks' edges every fact is the one the request's own hook
// writes.
func TestARebuildInChunksWritesWhatEachRequestWouldHave(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	insertInsightHistory(t, e.app, rebuildChunk*2+317, rebuildChunk+211, testStart)
	if n, err := e.portal.RebuildInsightFacts(false); err != nil || n < rebuildChunk*3 {
		t.Fatalf("rebuild: %d facts, %v", n, err)
	}
	type fact struct {
		Request string `db:"request"`
		Kind    string `db:"kind"`
		Data    []byte `db:"data"`
	}
	read := func() map[string]fact {
		var all []fact
		if err := e.app.DB().NewQuery("SELECT request, data, CASE WHEN request IN (SELECT id FROM permits) THEN 'permit' ELSE 'report' END AS kind FROM townhall_insight_facts").All(&all); err != nil {
			t.Fatal(err)
		}
		m := map[string]fact{}
		for _, f := range all {
			m[f.Request] = f
		}
		return m
	}
	rebuilt := read()
	for id, f := range rebuilt {
		if err := e.portal.refreshFact(e.app, f.Kind, id); err != nil {
			t.Fatal(err)
		}
	}
	one := read()
	if len(one) != len(rebuilt) {
		t.Fatalf("%d facts one by one, %d rebuilt", len(one), len(rebuilt))
	}
	differ := 0
	for id, f := range one {
		if string(f.Data) != string(rebuilt[id].Data) {
			differ++
			if differ < 4 {
				t.Errorf("%s %s: rebuilt %x, one by one %x", f.Kind, id, rebuilt[id].Data, f.Data)
			}
		}
	}
	if differ > 0 {
		t.Errorf("%d of %d facts differ", differ, len(one))
	}
}
