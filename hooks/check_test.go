package hooks

import (
	"strings"
	"testing"
)

func findings(t *testing.T, e *testEnv, level string) string {
	t.Helper()
	var b strings.Builder
	for _, f := range e.portal.CheckConfiguration() {
		if f.Level == level {
			b.WriteString(f.Subject + ": " + f.Message + "\n")
		}
	}
	return b.String()
}

func TestCheckConfiguration(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if fails := findings(t, e, "fail"); fails != "" {
		t.Fatalf("a fresh installation fails the check:\n%s", fails)
	}
	warns := findings(t, e, "warn")
	for _, want := range []string{"mail: SMTP is not set up", "public address"} {
		if !strings.Contains(warns, want) {
			t.Errorf("no warning about %q:\n%s", want, warns)
		}
	}

	// an administrator breaks the calendar and a permit form; mail gives up
	s := e.record(t, "town_settings", settingsID)
	s.Set("timezone", "Mars/Olympus")
	typ := e.record(t, "permit_types", typeX)
	typ.Set("fields", `[{"key":"BAD KEY","kind":"text","label":{"en":"x"}}]`)
	msg := e.record(t, "outbox", outbox1)
	msg.Set("status", "failed")
	if err := e.app.UnsafeWithoutHooks().Save(s); err != nil {
		t.Fatal(err)
	}
	if err := e.app.UnsafeWithoutHooks().Save(typ); err != nil {
		t.Fatal(err)
	}
	if err := e.app.UnsafeWithoutHooks().Save(msg); err != nil {
		t.Fatal(err)
	}
	fails := findings(t, e, "fail")
	for _, want := range []string{"town settings: the working calendar is broken", "permit type TX: form"} {
		if !strings.Contains(fails, want) {
			t.Errorf("no failure about %q:\n%s", want, fails)
		}
	}
	if !strings.Contains(findings(t, e, "warn"), "gave up after repeated failures") {
		t.Error("no warning about failed emails")
	}
}
