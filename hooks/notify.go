package hooks

import (
	"errors"
	"fmt"
	"html"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/townhall-portal/townhall/internal/i18n"
)

// outMail is one email to queue.
type outMail struct {
	To, Subject, Text, Kind, DedupeKey string
	PermitID, ComplaintID              string
}

// queueMail puts an email in the outbox, in the caller's transaction, so it
// is sent only if the change it announces is saved — and never lost when the
// mail server is down. A message with a dedupe key already queued is skipped.
func (p *portal) queueMail(tx core.App, m outMail) error {
	if _, err := mail.ParseAddress(m.To); err != nil || m.To == "" {
		return nil // nobody to tell (e.g. a phone caller without email)
	}
	if m.DedupeKey != "" {
		n, err := tx.CountRecords("outbox", dbx.HashExp{"dedupe_key": m.DedupeKey})
		if err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
	}
	col, err := tx.FindCachedCollectionByNameOrId("outbox")
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Set("to", m.To)
	// long addresses or comments must never stop the action the email announces
	r.Set("subject", truncateRunes(m.Subject, 300))
	r.Set("text", truncateRunes(m.Text, 50000))
	r.Set("html", truncateRunes(textToHTML(truncateRunes(m.Text, 40000)), 200000))
	r.Set("kind", m.Kind)
	r.Set("dedupe_key", m.DedupeKey)
	r.Set("status", "pending")
	r.Set("next_attempt_at", p.now().UTC())
	r.Set("permit", m.PermitID)
	r.Set("complaint", m.ComplaintID)
	return tx.Save(r)
}

// textToHTML renders a plain-text email as simple, escaped HTML paragraphs.
func textToHTML(s string) string {
	var b strings.Builder
	b.WriteString(`<div style="font-family:sans-serif;font-size:16px;line-height:1.5">`)
	for _, para := range strings.Split(s, "\n\n") {
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(para), "\n", "<br>"))
		b.WriteString("</p>")
	}
	b.WriteString("</div>")
	return b.String()
}

// nameOf is the name of a department, permit type or category in lang
// (name_es when Spanish is asked for and given; name_en or name otherwise).
func nameOf(tx core.App, collection, id string, lang i18n.Lang) string {
	r, err := tx.FindRecordById(collection, id)
	if err != nil {
		return ""
	}
	if lang == i18n.ES && r.GetString("name_es") != "" {
		return r.GetString("name_es")
	}
	if n := r.GetString("name_en"); n != "" {
		return n
	}
	return r.GetString("name")
}

// compose fills a mail template with the greeting and signature.
func (p *portal) compose(app core.App, lang i18n.Lang, key string, vars map[string]string) (string, string) {
	vars["town"] = p.townSettings(app).Name
	subject := lang.Fill(key+".subject", vars)
	body := lang.T("mail.greeting") + "\n\n" + lang.Fill(key+".body", vars) + "\n\n" + lang.Fill("mail.signoff", vars)
	return subject, body
}

// siteURL is the public address of the portal, for links in emails.
func (p *portal) siteURL(app core.App, path string) string {
	return strings.TrimRight(app.Settings().Meta.AppURL, "/") + path
}

// permitVars are the placeholders of a permit's emails.
func (p *portal) permitVars(tx core.App, r *core.Record, lang i18n.Lang) map[string]string {
	vars := map[string]string{
		"address": r.GetString("site_address"),
		"number":  r.GetString("number"),
		"link":    p.siteURL(tx, "/request.html?kind=permit&id="+r.Id),
		"noun":    lang.Noun("permit"),
	}
	vars["type"] = nameOf(tx, "permit_types", r.GetString("permit_type"), lang)
	vars["title"] = vars["type"] + " — " + vars["address"]
	vars["department"] = nameOf(tx, "departments", r.GetString("department"), lang)
	if exp := r.GetDateTime("expires_at"); !exp.IsZero() {
		vars["expires"] = exp.Time().In(p.townLocation(tx)).Format("2006-01-02")
	}
	return vars
}

// requesterAddress is the email of whoever filed a request: the resident's
// account, or the contact details staff took from a walk-in or caller.
func requesterAddress(tx core.App, r *core.Record, ownerField, contactField string) string {
	if id := r.GetString(ownerField); id != "" {
		if u, err := tx.FindRecordById("users", id); err == nil {
			return u.Email()
		}
	}
	return r.GetString(contactField)
}

// departmentAddress is where a department's new work is announced.
func departmentAddress(tx core.App, deptID string) string {
	if d, err := tx.FindRecordById("departments", deptID); err == nil {
		return d.GetString("notify_email")
	}
	return ""
}

// notifyPermitChange tells the applicant about every step of their
// application, and the department about new submissions.
func (p *portal) notifyPermitChange(tx core.App, r *core.Record, c *change) error {
	lang := i18n.Parse(r.GetString("language"))
	vars := p.permitVars(tx, r, lang)
	vars["comment"] = c.Comment
	subject, body := p.compose(tx, lang, "mail.permit."+c.Action, vars)
	to := requesterAddress(tx, r, "owner", "applicant_email")
	if err := p.queueMail(tx, outMail{To: to, Subject: subject, Text: body, Kind: "permit." + c.Action, PermitID: r.Id}); err != nil {
		return err
	}
	if c.Action == "submit" {
		staffVars := p.permitVars(tx, r, i18n.EN)
		staffVars["link"] = p.siteURL(tx, "/staff/request.html?kind=permit&id="+r.Id)
		staffVars["applicant"] = applicantName(tx, r)
		subject, body := p.compose(tx, i18n.EN, "mail.permit.new", staffVars)
		return p.queueMail(tx, outMail{To: departmentAddress(tx, r.GetString("department")), Subject: subject, Text: body,
			Kind: "permit.new", PermitID: r.Id})
	}
	return nil
}

// applicantName is the name of whoever applied.
func applicantName(tx core.App, r *core.Record) string {
	if id := r.GetString("owner"); id != "" {
		if u, err := tx.FindRecordById("users", id); err == nil && u.GetString("name") != "" {
			return u.GetString("name")
		}
	}
	if n := r.GetString("applicant_name"); n != "" {
		return n
	}
	return "A resident"
}

// notifyPayment sends the applicant a receipt.
func (p *portal) notifyPayment(tx core.App, r *core.Record) error {
	lang := i18n.Parse(r.GetString("language"))
	vars := p.permitVars(tx, r, lang)
	vars["amount"] = money(r.GetFloat("paid_amount"))
	vars["method"] = r.GetString("payment_method")
	vars["reference"] = r.GetString("payment_reference")
	subject, body := p.compose(tx, lang, "mail.permit.payment", vars)
	return p.queueMail(tx, outMail{To: requesterAddress(tx, r, "owner", "applicant_email"), Subject: subject, Text: body,
		Kind: "permit.payment", PermitID: r.Id})
}

// notifyExpiryReminder tells a permit holder that the permit expires soon (once).
func (p *portal) notifyExpiryReminder(tx core.App, r *core.Record) error {
	lang := i18n.Parse(r.GetString("language"))
	subject, body := p.compose(tx, lang, "mail.permit.reminder", p.permitVars(tx, r, lang))
	return p.queueMail(tx, outMail{To: requesterAddress(tx, r, "owner", "applicant_email"), Subject: subject, Text: body,
		Kind: "permit.reminder", DedupeKey: "permit-expiry-reminder:" + r.Id, PermitID: r.Id})
}

// requestVars are the placeholders for emails about either kind of request.
func (p *portal) requestVars(tx core.App, kind requestKind, r *core.Record, lang i18n.Lang) map[string]string {
	if kind.collection == "permits" {
		return p.permitVars(tx, r, lang)
	}
	return p.complaintVars(tx, r, lang)
}

// notifyComment tells the other side about a public comment: staff comments
// go to the resident, residents' comments to the assignee or the department.
func (p *portal) notifyComment(tx core.App, kind requestKind, r *core.Record, actor Actor, comment string) error {
	parent := outMail{}
	if kind.collection == "permits" {
		parent.PermitID = r.Id
	} else {
		parent.ComplaintID = r.Id
	}
	if actor.User != nil {
		vars := p.requestVars(tx, kind, r, i18n.EN)
		vars["actor"] = actor.Name()
		vars["comment"] = comment
		vars["link"] = p.siteURL(tx, "/staff/request.html?kind="+kind.machine.Name+"&id="+r.Id)
		to := departmentAddress(tx, r.GetString("department"))
		if a, err := tx.FindRecordById("staff", r.GetString("assignee")); err == nil {
			to = a.Email()
		}
		subject, body := p.compose(tx, i18n.EN, "mail.comment_staff", vars)
		parent.To, parent.Subject, parent.Text, parent.Kind = to, subject, body, kind.machine.Name+".comment_staff"
		return p.queueMail(tx, parent)
	}
	lang := i18n.Parse(r.GetString("language"))
	vars := p.requestVars(tx, kind, r, lang)
	vars["actor"] = actor.Name()
	vars["comment"] = comment
	subject, body := p.compose(tx, lang, "mail.comment", vars)
	contact := "applicant_email"
	if kind.collection == "complaints" {
		contact = "caller_email"
	}
	parent.To, parent.Subject, parent.Text, parent.Kind = requesterAddress(tx, r, kind.ownerField, contact), subject, body, kind.machine.Name+".comment"
	return p.queueMail(tx, parent)
}

// notifyAssignee tells a staff member that a request was given to them.
func (p *portal) notifyAssignee(tx core.App, kind requestKind, r *core.Record, staffID string) error {
	s, err := tx.FindRecordById("staff", staffID)
	if err != nil {
		return nil
	}
	vars := p.requestVars(tx, kind, r, i18n.EN)
	vars["link"] = p.siteURL(tx, "/staff/request.html?kind="+kind.machine.Name+"&id="+r.Id)
	subject, body := p.compose(tx, i18n.EN, "mail.assigned", vars)
	m := outMail{To: s.Email(), Subject: subject, Text: body, Kind: kind.machine.Name + ".assigned"}
	if kind.collection == "permits" {
		m.PermitID = r.Id
	} else {
		m.ComplaintID = r.Id
	}
	return p.queueMail(tx, m)
}

// outboxRetry is how long to wait before the next attempt after n failures.
func outboxRetry(n int) time.Duration {
	d := time.Minute << min(n-1, 10) // 1, 2, 4 … minutes
	return min(d, 6*time.Hour)
}

// outboxMaxAttempts is when a message is given up (about two days of retries).
const outboxMaxAttempts = 16

// SendOutbox delivers due messages through PocketBase's mailer. Each message
// is claimed first, so two runs at once never send the same message; a
// failure is retried later with a growing delay and recorded on the message.
func (p *portal) SendOutbox() (sent, failed int, err error) {
	now := p.now().UTC()
	nowDT, _ := types.ParseDateTime(now)
	var due []struct {
		ID       string `db:"id"`
		Next     string `db:"next_attempt_at"`
		Attempts int    `db:"attempts"`
	}
	err = p.app.DB().Select("id", "next_attempt_at", "attempts").From("outbox").
		Where(dbx.HashExp{"status": "pending"}).
		AndWhere(dbx.NewExp("next_attempt_at <= {:now}", dbx.Params{"now": nowDT.String()})).
		OrderBy("next_attempt_at ASC").Limit(100).All(&due)
	if err != nil {
		return 0, 0, err
	}
	settings := p.app.Settings()
	from := mail.Address{Name: settings.Meta.SenderName, Address: settings.Meta.SenderAddress}
	for _, d := range due {
		// claim: push the next attempt out; only one runner wins
		lease, _ := types.ParseDateTime(now.Add(10 * time.Minute))
		res, err := p.app.DB().NewQuery(`UPDATE outbox SET next_attempt_at = {:lease}
			WHERE id = {:id} AND status = 'pending' AND next_attempt_at = {:seen}`).
			Bind(dbx.Params{"lease": lease.String(), "id": d.ID, "seen": d.Next}).Execute()
		if err != nil {
			return sent, failed, err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			continue
		}
		msg, err := p.app.FindRecordById("outbox", d.ID)
		if err != nil {
			continue
		}
		sendErr := p.app.NewMailClient().Send(&mailer.Message{
			From:    from,
			To:      []mail.Address{{Address: msg.GetString("to")}},
			Subject: msg.GetString("subject"),
			Text:    msg.GetString("text"),
			HTML:    msg.GetString("html"),
		})
		attempts := msg.GetInt("attempts") + 1
		msg.Set("attempts", attempts)
		if sendErr == nil {
			msg.Set("status", "sent")
			msg.Set("sent_at", p.now().UTC())
			msg.Set("last_error", "")
			sent++
		} else {
			failed++
			msg.Set("last_error", truncate(sendErr.Error(), 2000))
			if attempts >= outboxMaxAttempts {
				msg.Set("status", "failed")
			} else {
				msg.Set("next_attempt_at", now.Add(outboxRetry(attempts)))
			}
			p.app.Logger().Warn("sending an email failed; it will be retried",
				"outbox", msg.Id, "attempt", attempts, "error", sendErr)
		}
		if err := p.app.Save(msg); err != nil {
			return sent, failed, errors.Join(fmt.Errorf("recording outbox %s: %w", msg.Id, err))
		}
	}
	return sent, failed, nil
}

// truncateRunes cuts s to at most n characters, on a character boundary.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
