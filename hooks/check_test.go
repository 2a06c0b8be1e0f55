package hooks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/smtpsend/smtptest"
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
	// a fresh installation has no mail server: residents could not confirm their accounts
	if fails := findings(t, e, "fail"); !strings.HasPrefix(fails, "mail: no mail server is set up") || strings.Count(fails, "\n") != 1 {
		t.Fatalf("a fresh installation fails the check with:\n%s", fails)
	}
	e.app.Settings().SMTP.Enabled, e.app.Settings().SMTP.Host, e.app.Settings().SMTP.Port = true, "smtp.county.test", 587
	if fails := findings(t, e, "fail"); fails != "" {
		t.Fatalf("with a mail server the check fails:\n%s", fails)
	}
	warns := findings(t, e, "warn")
	for _, want := range []string{"mail: the sender address", "public address"} {
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

// TestSendTestMail: the test message goes straight to the server, and a
// server that does not answer is reported, not waited for.
func TestSendTestMail(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	good := useMailServer(t, e, smtptest.Accept)
	if err := e.portal.SendTestMail("clerk@county.test"); err != nil || len(good.Messages()) != 1 || !strings.Contains(good.Messages()[0], "send-test") {
		t.Errorf("test message: %v %v", err, good.Messages())
	}
	useMailServer(t, e, smtptest.Silent)
	if err := e.portal.SendTestMail("clerk@county.test"); err == nil {
		t.Error("a silent server was reported as working")
	}
	if err := e.portal.SendTestMail("not an address"); err == nil {
		t.Error("a bad address was accepted")
	}
}

// TestPublicURL: addresses are checked and written one way; loopback
// addresses and servers are told apart.
func TestPublicURL(t *testing.T) {
	for _, c := range []struct{ in, want, err string }{
		{"https://permits.pinecounty.gov/", "https://permits.pinecounty.gov", ""},
		{" https://pinecounty.gov/portal/ ", "https://pinecounty.gov/portal", ""},
		{"http://10.0.0.5:8090", "http://10.0.0.5:8090", ""},
		{"permits.pinecounty.gov", "", "must start with https://"},
		{"ftp://pinecounty.gov", "", "must start with https://"},
		{"https://", "", "no host name"},
		{"https://pinecounty.gov/?a=1", "", "only the site's address"},
		{"https://user:pw@pinecounty.gov", "", "only the site's address"},
	} {
		got, err := ParsePublicURL(c.in)
		if got != c.want || (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("ParsePublicURL(%q) = %q, %v; want %q, %q", c.in, got, err, c.want, c.err)
		}
	}
	for addr, beyond := range map[string]bool{"127.0.0.1:8090": false, "localhost:8090": false, "[::1]:8090": false,
		"0.0.0.0:8090": true, ":8090": true, "10.0.0.5:80": true, "permits.pinecounty.gov": true} {
		if got := ListensBeyondLoopback(addr); got != beyond {
			t.Errorf("ListensBeyondLoopback(%q) = %v", addr, got)
		}
	}
}

// TestCheckFailsOnALoopbackAddressServedToOthers: check fails while links
// point to localhost and a server on this folder listens for other machines;
// it only warns for a server on localhost, and is content once it is set.
func TestCheckFailsOnALoopbackAddressServedToOthers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.portal
	level := func() (string, string) {
		for _, f := range p.CheckConfiguration() {
			if f.Subject == "public address" {
				return f.Level, f.Message
			}
		}
		return "", ""
	}
	e.app.Settings().Meta.AppURL = "http://localhost:8090"
	if l, msg := level(); l != "warn" {
		t.Errorf("no server, localhost: %s %s", l, msg)
	}
	if err := writeServerMarker(e.app.DataDir(), "0.0.0.0:8090"); err != nil {
		t.Fatal(err)
	}
	defer removeServerMarker(e.app.DataDir())
	if l, msg := level(); l != "fail" || !strings.Contains(msg, "--public-url") {
		t.Errorf("a server for others, localhost links: %s %s", l, msg)
	}
	if _, err := p.SetPublicURL("https://permits.pinecounty.gov/"); err != nil {
		t.Fatal(err)
	}
	if l, msg := level(); l != "ok" || msg != "https://permits.pinecounty.gov" {
		t.Errorf("after setting the address: %s %s", l, msg)
	}
	if _, err := p.SetPublicURL("permits.pinecounty.gov"); err == nil {
		t.Error("saved an address without a scheme")
	}
}

// TestCheckDoesNotCountTheInstallersAccount: PocketBase's first-start
// installer account is not an administrator; real ones are counted in words.
func TestCheckDoesNotCountTheInstallersAccount(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := func() (string, string) {
		for _, f := range e.portal.CheckConfiguration() {
			if f.Subject == "administrator" {
				return f.Level, f.Message
			}
		}
		return "", ""
	}
	if l, msg := admin(); l != "ok" || msg != "1 administrator account" {
		t.Errorf("one administrator: %s %q", l, msg)
	}
	real, err := e.app.FindAuthRecordByEmail(core.CollectionNameSuperusers, "admin@county.test")
	if err != nil {
		t.Fatal(err)
	}
	col := real.Collection()
	placeholder := core.NewRecord(col)
	placeholder.SetEmail(core.DefaultInstallerEmail)
	placeholder.SetPassword("installer-placeholder-password")
	if err := e.app.Save(placeholder); err != nil {
		t.Fatal(err)
	}
	if err := e.app.Delete(real); err != nil {
		t.Fatal(err)
	}
	if l, msg := admin(); l != "warn" || !strings.Contains(msg, "no administrator yet") {
		t.Errorf("only the installer's account: %s %q", l, msg)
	}
}

// TestCheckWatchesBackupsDiskAndMaintenance: check warns when no backup is
// recent, when the disk is nearly full and while maintenance mode is on.
func TestCheckWatchesBackupsDiskAndMaintenance(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	finding := func(subject string) (string, string) {
		for _, f := range e.portal.CheckConfiguration() {
			if f.Subject == subject {
				return f.Level, f.Message
			}
		}
		return "", ""
	}
	if l, msg := finding("last backup"); l != "warn" || !strings.Contains(msg, "no backup") {
		t.Errorf("no backup: %s %s", l, msg)
	}
	dir := filepath.Join(e.app.DataDir(), core.LocalBackupsDirName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(dir, "pb_backup_old.zip")
	if err := os.WriteFile(old, []byte("zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	threeDays := e.clock.Now().Add(-72 * time.Hour)
	if err := os.Chtimes(old, threeDays, threeDays); err != nil {
		t.Fatal(err)
	}
	if l, msg := finding("last backup"); l != "warn" || !strings.Contains(msg, "over two days ago") {
		t.Errorf("a 3-day-old backup: %s %s", l, msg)
	}
	e.portal.diskSpace = func(string) (uint64, uint64, bool) { return 5 << 30, 100 << 30, true }
	if l, msg := finding("disk"); l != "warn" || !strings.Contains(msg, "5.0 %") {
		t.Errorf("a disk 5 %% free: %s %s", l, msg)
	}
	e.portal.diskSpace = func(string) (uint64, uint64, bool) { return 50 << 30, 100 << 30, true }
	if l, _ := finding("disk"); l != "ok" {
		t.Errorf("a disk half free: %s", l)
	}
	if l, _ := finding("maintenance"); l != "" {
		t.Errorf("maintenance off reported as %s", l)
	}
	if err := e.portal.SetMaintenance(true, "Moving", ""); err != nil {
		t.Fatal(err)
	}
	if l, msg := finding("maintenance"); l != "warn" || !strings.Contains(msg, "Moving") {
		t.Errorf("maintenance on: %s %s", l, msg)
	}
}
