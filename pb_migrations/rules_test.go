package pb_migrations_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/townhall-portal/townhall/pb_migrations"
)

func show(r *string) string {
	if r == nil {
		return "<administrators only>"
	}
	return "\"" + *r + "\""
}

// TestRulesTableMatchesCollections: the rules table in rules.go is what the
// migrated database enforces, for every collection of ours and the residents.
func TestRulesTableMatchesCollections(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	table := pb_migrations.AccessRules()
	for _, name := range append(ourCollections, "users") {
		want, ok := table[name]
		if !ok {
			t.Errorf("%s has no row in the rules table", name)
			continue
		}
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range []struct {
			op        string
			got, want *string
		}{
			{"list", c.ListRule, want.List}, {"view", c.ViewRule, want.View}, {"create", c.CreateRule, want.Create},
			{"update", c.UpdateRule, want.Update}, {"delete", c.DeleteRule, want.Delete},
		} {
			if show(r.got) != show(r.want) {
				t.Errorf("%s %s rule:\n database %s\n table    %s", name, r.op, show(r.got), show(r.want))
			}
		}
		if c.IsAuth() && want.Auth != nil && show(c.AuthRule) != show(want.Auth) {
			t.Errorf("%s auth rule: database %s, table %s", name, show(c.AuthRule), show(want.Auth))
		}
	}
	for name := range table {
		if _, err := app.FindCollectionByNameOrId(name); err != nil {
			t.Errorf("the rules table names %s, which does not exist", name)
		}
	}
}

// TestEveryRuleIsValid: rules are saved without validation by the migration
// (so the table may name a field a later migration adds); in the final
// schema every rule must parse and name real fields.
func TestEveryRuleIsValid(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	for name := range pb_migrations.AccessRules() {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := app.Validate(c); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
