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
