package hooks

import (
	"regexp"
	"slices"
	"sort"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/workflow"
	"github.com/townhall-portal/townhall/pb_migrations"
)

// TestSchemaFollowsTheWorkflows: the status field of every kind of request
// offers exactly its lifecycle's states; the queue's and the jobs' open
// states, and the states the access rules name, are the lifecycle's.
func TestSchemaFollowsTheWorkflows(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, k := range e.portal.kinds() {
		c, err := e.app.FindCollectionByNameOrId(k.collection)
		if err != nil {
			t.Fatal(err)
		}
		status, ok := c.Fields.GetByName("status").(*core.SelectField)
		if !ok {
			t.Fatalf("%s has no status select", k.collection)
		}
		if !sameSet(status.Values, k.machine.States) {
			t.Errorf("%s.status offers %v, the %s lifecycle has %v", k.collection, status.Values, k.machine.Name, k.machine.States)
		}
	}
	if !slices.Equal(queuePermitOpen, workflow.Permit().Open) || !slices.Equal(queueComplaintOpen, workflow.Complaint().Open) {
		t.Errorf("the queue's open states %v / %v are not the lifecycles'", queuePermitOpen, queueComplaintOpen)
	}

	// the rules name the same states the lifecycles do
	rules := pb_migrations.AccessRules()
	states := func(rule *string, prefix string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`(?:^|[^.\w])`+regexp.QuoteMeta(prefix)+`status = '(\w+)'`).FindAllStringSubmatch(*rule, -1) {
			out = append(out, m[1])
		}
		return out
	}
	for _, c := range []struct {
		what   string
		rule   *string
		prefix string
		want   []string
	}{
		{"a resident edits an application while it is", rules["permits"].Update, "", workflow.Permit().Editable},
		{"a resident rates a report once it is", rules["feedback"].Create, "complaint.", workflow.Complaint().Rateable},
		{"a resident rates an application once it is", rules["feedback"].Create, "permit.", workflow.Permit().Rateable},
	} {
		if got := states(c.rule, c.prefix); !sameSet(got, c.want) {
			t.Errorf("%s: the rule says %v, the lifecycle %v", c.what, got, c.want)
		}
	}
}

func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	sort.Strings(x)
	sort.Strings(y)
	return slices.Equal(x, y)
}

// TestTownSettingsAreReadOnceAndForgottenOnSave: the settings are kept
// between saves (a change in the database behind the hooks' back is not
// seen), and any save through the hooks — the dashboard, the API, Go code,
// inside a transaction — is seen at once.
func TestTownSettingsAreReadOnceAndForgottenOnSave(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.portal
	if got := p.townSettings(e.app).Name; got != "Townhall" {
		t.Fatalf("name %q", got)
	}
	if _, err := e.app.DB().NewQuery("UPDATE town_settings SET town_name = 'Behind the back'").Execute(); err != nil {
		t.Fatal(err)
	}
	if got := p.townSettings(e.app).Name; got != "Townhall" {
		t.Errorf("the settings were read again: %q", got)
	}
	s := e.record(t, "town_settings", settingsID)
	s.Set("town_name", "Pine County")
	if err := e.app.RunInTransaction(func(tx core.App) error { return tx.Save(s) }); err != nil {
		t.Fatal(err)
	}
	if got := p.townSettings(e.app).Name; got != "Pine County" {
		t.Errorf("after a save: %q", got)
	}
	if res := e.do(t, "PATCH", "/api/collections/town_settings/records/"+settingsID, `{"reopen_days":3}`, roleSuperuser); res.Status != 200 {
		t.Fatalf("dashboard save: %d %s", res.Status, res.Body)
	}
	if got := p.WithApp(e.app).townSettings(e.app).ReopenDays; got != 3 {
		t.Errorf("after a dashboard save: reopen days %d", got)
	}
}
