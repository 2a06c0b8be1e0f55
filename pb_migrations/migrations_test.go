package pb_migrations_test

import (
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	_ "github.com/townhall-portal/townhall/pb_migrations"
)

var ourCollections = []string{"departments", "staff", "permit_types", "complaint_categories", "permits",
	"complaints", "documents", "events", "feedback", "outbox", "town_settings", "announcements", "targets", "open311_clients"}

// TestMigrationsApplyAndRollBack applies every migration to an empty database,
// reverts ours one by one, and applies them again.
func TestMigrationsApplyAndRollBack(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()

	assertSchema(t, app, true)

	runner := core.NewMigrationsRunner(app, core.AppMigrations)
	ours := 0
	for _, m := range core.AppMigrations.Items() {
		if strings.HasPrefix(m.File, "17639") {
			ours++
		}
	}
	reverted := 0
	for i := 0; reverted < ours && i < 50; i++ {
		files, err := runner.Down(1)
		if err != nil {
			t.Fatalf("reverting: %v", err)
		}
		if len(files) == 0 {
			break
		}
		if strings.HasPrefix(files[0], "17639") {
			reverted++
		}
	}
	if reverted != ours {
		t.Fatalf("reverted %d of our %d migrations", reverted, ours)
	}
	assertSchema(t, app, false)

	if _, err := runner.Up(); err != nil {
		t.Fatalf("re-applying: %v", err)
	}
	assertSchema(t, app, true)
}

func assertSchema(t *testing.T, app core.App, present bool) {
	t.Helper()
	for _, name := range ourCollections {
		_, err := app.FindCollectionByNameOrId(name)
		if present && err != nil {
			t.Errorf("collection %s missing: %v", name, err)
		}
		if !present && err == nil {
			t.Errorf("collection %s still present after rollback", name)
		}
	}
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		t.Fatal(err)
	}
	if got := users.Fields.GetByName("language") != nil; got != present {
		t.Errorf("users.language present = %v, want %v", got, present)
	}
	var n int
	_ = app.DB().NewQuery("SELECT count(*) FROM sqlite_master WHERE name = 'townhall_counters'").Row(&n)
	if (n == 1) != present {
		t.Errorf("townhall_counters present = %v, want %v", n == 1, present)
	}
	if err := app.ReloadSettings(); err != nil {
		t.Fatal(err)
	}
	s := app.Settings()
	if present && (s.Logs.MaxDays != 14 || !s.RateLimits.Enabled || s.Backups.Cron != "0 3 * * *" || s.Backups.CronMaxKeep != 7 || s.Meta.AppName != "Townhall") {
		t.Errorf("safe settings not applied: rate limits %v, backups %q keep %d, name %q",
			s.RateLimits.Enabled, s.Backups.Cron, s.Backups.CronMaxKeep, s.Meta.AppName)
	}
}

// TestEveryCollectionHasTimestampsAndRules checks the schema's conventions:
// created/updated on every collection, and passwords of at least 10 characters.
func TestEveryCollectionHasTimestampsAndRules(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	for _, name := range append(ourCollections, "users") {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"created", "updated"} {
			if c.Fields.GetByName(f) == nil {
				t.Errorf("%s has no %s field", name, f)
			}
		}
		if c.IsAuth() {
			pw, _ := c.Fields.GetByName("password").(*core.PasswordField)
			if pw == nil || pw.Min < 10 {
				t.Errorf("%s passwords may be shorter than 10 characters", name)
			}
		}
		for _, f := range c.Fields {
			if ff, ok := f.(*core.FileField); ok && !ff.Protected {
				t.Errorf("%s.%s stores files anyone with the URL can download", name, f.GetName())
			}
		}
	}
	staff, _ := app.FindCollectionByNameOrId("staff")
	if staff.CreateRule != nil {
		t.Errorf("staff accept sign-ups: create rule %q", *staff.CreateRule)
	}
}
