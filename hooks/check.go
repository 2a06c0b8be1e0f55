package hooks

import (
	"fmt"
	"net/mail"
	"os/exec"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"

	"github.com/townhall-portal/townhall/internal/forms"
	"github.com/townhall-portal/townhall/internal/i18n"
)

// Finding is one result of the configuration check.
type Finding struct {
	Level   string // "ok", "warn" or "fail"
	Subject string
	Message string
}

// CheckConfiguration looks at what an administrator sets up (mail, the public
// address, backups, the town's calendar, departments, services, staff) and
// at signs that an outside system is failing (mail stuck in the outbox). A
// "fail" means something does not work; a "warn" something residents or
// staff will notice.
func (p *Portal) CheckConfiguration() []Finding {
	app := p.app
	var out []Finding
	add := func(level, subject, format string, args ...any) {
		out = append(out, Finding{level, subject, fmt.Sprintf(format, args...)})
	}
	s := app.Settings()

	// the account PocketBase's installer creates for its first-start link is not an administrator
	if n, _ := app.CountRecords(core.CollectionNameSuperusers, dbx.Not(dbx.HashExp{"email": core.DefaultInstallerEmail})); n == 0 {
		add("warn", "administrator", "no administrator yet: run `townhall superuser upsert you@county.gov 'a-long-password'`")
	} else {
		add("ok", "administrator", "%s", count(n, "administrator account", "administrator accounts"))
	}
	if p.PublicURLIsLoopback() {
		// a server that others can reach sends links only this machine can open
		if addr, serving := servedAt(app.DataDir()); serving && ListensBeyondLoopback(addr) {
			add("fail", "public address", "the server listens on %s but links in emails and QR codes point to %q, which only this machine can open: "+
				"restart it with `townhall serve --public-url https://your.portal.address` (or set Settings → Application → URL)", addr, s.Meta.AppURL)
		} else {
			add("warn", "public address", "links in emails and QR codes point to %q, which only this machine can open: "+
				"start with `townhall serve --public-url https://your.portal.address` (or `townhall serve your.portal.address`)", s.Meta.AppURL)
		}
	} else {
		add("ok", "public address", "%s", s.Meta.AppURL)
	}
	switch {
	case !s.SMTP.Enabled && !hasSendmail():
		add("fail", "mail", "no mail server is set up: residents cannot confirm their accounts and nobody is emailed; "+
			"every email waits in the outbox until one is (dashboard → Settings → Mail settings), then try `townhall check --send-test you@county.gov`")
	case !s.SMTP.Enabled:
		add("warn", "mail", "SMTP is not set up: mail goes through this machine's sendmail program (dashboard → Settings → Mail settings)")
	case strings.HasSuffix(s.Meta.SenderAddress, ".invalid") || s.Meta.SenderAddress == "":
		add("warn", "mail", "the sender address %q cannot receive replies or pass spam checks", s.Meta.SenderAddress)
	default:
		add("ok", "mail", "SMTP %s:%d, sender %s", s.SMTP.Host, s.SMTP.Port, s.Meta.SenderAddress)
	}
	if s.Backups.Cron == "" || s.Backups.CronMaxKeep < 1 {
		add("warn", "backups", "automatic backups are off (dashboard → Settings → Backups)")
	} else {
		add("ok", "backups", "automatic backups %q, %d kept", s.Backups.Cron, s.Backups.CronMaxKeep)
	}
	switch at, ok := lastBackup(app); {
	case !ok:
		add("warn", "last backup", "no backup has been made yet: make one now (dashboard → Settings → Backups) rather than wait for the schedule")
	case p.now().Sub(at) > 48*time.Hour:
		add("warn", "last backup", "the newest backup is from %s, over two days ago: are automatic backups running?", at.UTC().Format("2006-01-02 15:04 UTC"))
	default:
		add("ok", "last backup", "%s", at.UTC().Format("2006-01-02 15:04 UTC"))
	}
	if free, total, ok := p.diskSpace(app.DataDir()); ok && total > 0 {
		if pct := percent(free, total); pct < 10 {
			add("warn", "disk", "only %.1f %% of the data folder's disk is free (%d MB): uploads and backups will soon fail", pct, free>>20)
		} else {
			add("ok", "disk", "%.1f %% free", pct)
		}
	}
	if on, msg := p.Maintenance(); on {
		add("warn", "maintenance", "maintenance mode is on (%q): changes are refused until `townhall maintenance off`", msg)
	}
	if !s.RateLimits.Enabled {
		add("warn", "rate limits", "rate limiting is off: sign-in and sign-up can be hammered")
	} else {
		add("ok", "rate limits", "on")
	}

	if r, err := app.FindFirstRecordByFilter("town_settings", ""); err != nil {
		add("fail", "town settings", "the town_settings record is missing")
	} else if _, err := calendarOf(r); err != nil {
		add("fail", "town settings", "the working calendar is broken: %v", err)
	} else {
		add("ok", "town settings", "%s, %s", r.GetString("town_name"), r.GetString("timezone"))
	}

	depts, _ := app.FindRecordsByFilter("departments", "active = true", "name", 0, 0)
	if len(depts) == 0 {
		add("fail", "departments", "no active department")
	}
	for _, d := range depts {
		if d.GetString("notify_email") == "" {
			add("warn", "department "+d.GetString("name"), "no notify_email: new work is not announced by email")
		}
		staff, _ := app.CountRecords("staff", dbx.HashExp{"department": d.Id, "active": true})
		if staff == 0 {
			add("warn", "department "+d.GetString("name"), "no active staff member")
		}
	}

	types, _ := app.FindRecordsByFilter("permit_types", "active = true", "code", 0, 0)
	for _, t := range types {
		if _, err := forms.ParseFields([]byte(t.GetString("fields"))); err != nil {
			add("fail", "permit type "+t.GetString("code"), "form: %v", err)
		}
		if _, err := forms.ParseDocuments([]byte(t.GetString("required_documents"))); err != nil {
			add("fail", "permit type "+t.GetString("code"), "documents: %v", err)
		}
	}
	cats, _ := app.FindRecordsByFilter("complaint_categories", "active = true", "code", 0, 0)
	for _, c := range cats {
		if c.GetFloat("ack_hours") <= 0 || c.GetFloat("resolve_hours") <= 0 {
			add("warn", "category "+c.GetString("code"), "no SLA hours: its reports never fall due or escalate")
		}
		if _, err := categoryQuestions(c); err != nil {
			add("fail", "category "+c.GetString("code"), "extra questions: %v", err)
		}
	}
	add("ok", "services", "%s, %s", count(len(types), "active permit type", "active permit types"),
		count(len(cats), "active problem category", "active problem categories"))

	if n, _ := app.CountRecords("outbox", dbx.HashExp{"status": "failed"}); n > 0 {
		add("warn", "outbox", "%s gave up after repeated failures (see the outbox collection's last_error)", count(n, "email", "emails"))
	}
	hourAgo := p.now().UTC().Add(-time.Hour).Format("2006-01-02 15:04:05.000Z")
	var stuck int
	_ = app.DB().Select("count(*)").From("outbox").
		Where(dbx.HashExp{"status": "pending"}).
		// topic alerts may wait longer by design: they leave at the town's alert rate
		AndWhere(dbx.NewExp("created < {:t} AND kind != 'alert'", dbx.Params{"t": hourAgo})).Row(&stuck)
	if stuck > 0 {
		add("warn", "outbox", "%s waiting for over an hour: is the mail server reachable?", count(stuck, "email", "emails"))
	}
	return append(out, p.numberingFindings()...)
}

// hasSendmail reports whether a sendmail program is installed, which
// PocketBase uses when no SMTP server is set up.
func hasSendmail() bool {
	for _, name := range []string{"/usr/sbin/sendmail", "/usr/bin/sendmail", "sendmail"} {
		if _, err := exec.LookPath(name); err == nil {
			return true
		}
	}
	return false
}

// SendTestMail sends one message to address through the configured mail
// server now (not through the outbox), for `townhall check --send-test`.
func (p *Portal) SendTestMail(address string) error {
	if _, err := mail.ParseAddress(address); err != nil {
		return fmt.Errorf("%q is not an email address", address)
	}
	settings := p.app.Settings()
	subject, body := p.compose(p.app, i18n.EN, "mail.test", map[string]string{})
	return p.deliver(&mailer.Message{
		From:    mail.Address{Name: settings.Meta.SenderName, Address: settings.Meta.SenderAddress},
		To:      []mail.Address{{Address: address}},
		Subject: subject,
		Text:    body,
		HTML:    textToHTML(body),
	})
}

// count writes a number with its noun: "1 email", "3 emails".
func count[N int | int64](n N, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
