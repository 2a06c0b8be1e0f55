package hooks

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/i18n"
	"github.com/townhall-portal/townhall/internal/workflow"
)

// Every email Townhall sends, in one place: who hears about what, with which
// template (internal/i18n/mail.go) and placeholders. Each is queued in the
// outbox (outbox.go) inside the transaction of the change it announces.

// compose fills a mail template with the greeting and signature.
func (p *Portal) compose(app core.App, lang i18n.Lang, key string, vars map[string]string) (string, string) {
	vars["town"] = p.townSettings(app).Name
	subject := lang.Fill(key+".subject", vars)
	body := lang.T("mail.greeting") + "\n\n" + lang.Fill(key+".body", vars) + "\n\n" + lang.Fill("mail.signoff", vars)
	return subject, body
}

// siteURL is the public address of the portal, for links in emails.
func (p *Portal) siteURL(app core.App, path string) string {
	return strings.TrimRight(app.Settings().Meta.AppURL, "/") + path
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

// departmentAddress is where a department's new work is announced.
func departmentAddress(tx core.App, deptID string) string {
	if d, err := tx.FindRecordById("departments", deptID); err == nil {
		return d.GetString("notify_email")
	}
	return ""
}

// --- placeholders -------------------------------------------------------------

// permitVars are the placeholders of a permit's emails.
func (p *Portal) permitVars(tx core.App, r *core.Record, lang i18n.Lang) map[string]string {
	vars := map[string]string{
		"address": r.GetString("site_address"),
		"number":  r.GetString("number"),
		// the application's reference from its submission (APP-2026-00042)
		"reference_no": r.GetString("reference"),
		"link":         p.page(tx, p.permitKind(), r, false),
		"noun":         lang.Noun("permit"),
	}
	vars["type"] = nameOf(tx, "permit_types", r.GetString("permit_type"), lang)
	vars["title"] = vars["type"] + " — " + vars["address"]
	if ref := vars["reference_no"]; ref != "" {
		vars["title"] = ref + " — " + vars["title"]
	}
	vars["department"] = nameOf(tx, "departments", r.GetString("department"), lang)
	if exp := r.GetDateTime("expires_at"); !exp.IsZero() {
		vars["expires"] = exp.Time().In(p.townLocation(tx)).Format("2006-01-02")
	}
	return vars
}

// complaintVars are the placeholders of a report's emails.
func (p *Portal) complaintVars(tx core.App, r *core.Record, lang i18n.Lang) map[string]string {
	vars := map[string]string{
		"reference_no": r.GetString("reference"),
		"address":      r.GetString("address"),
		"link":         p.page(tx, p.complaintKind(), r, false),
		"noun":         lang.Noun("complaint"),
		"description":  r.GetString("description"),
	}
	vars["category"] = nameOf(tx, "complaint_categories", r.GetString("category"), lang)
	vars["department"] = nameOf(tx, "departments", r.GetString("department"), lang)
	if due := r.GetDateTime("resolve_due_at"); !due.IsZero() {
		vars["due"] = due.Time().In(p.townLocation(tx)).Format("2006-01-02 15:04")
	}
	if id := r.GetString("duplicate_of"); id != "" {
		if primary, err := tx.FindRecordById("complaints", id); err == nil {
			vars["primary"] = primary.GetString("reference")
		}
	}
	vars["title"] = vars["reference_no"] + " — " + vars["category"]
	return vars
}

// --- permit applications ------------------------------------------------------

// notifyPermitChange tells the applicant about every step of their
// application, and the department about new submissions.
func (p *Portal) notifyPermitChange(tx core.App, r *core.Record, c *change) error {
	k := p.permitKind()
	lang := i18n.Parse(r.GetString("language"))
	vars := p.permitVars(tx, r, lang)
	vars["comment"] = c.Comment
	vars["rate"] = ""
	if c.Action == "issue" || c.Action == "deny" {
		vars["rate"] = p.ratingLinksText(tx, k, r, lang)
	}
	subject, body := p.compose(tx, lang, "mail.permit."+c.Action, vars)
	if err := p.queueMail(tx, mailAbout(k, r, k.requester(tx, r), subject, body, "permit."+c.Action)); err != nil {
		return err
	}
	if c.Action == "submit" {
		staffVars := p.permitVars(tx, r, i18n.EN)
		staffVars["link"] = p.page(tx, k, r, true)
		staffVars["applicant"] = k.requesterName(tx, r)
		if staffVars["applicant"] == "" {
			staffVars["applicant"] = "A resident"
		}
		subject, body := p.compose(tx, i18n.EN, "mail.permit.new", staffVars)
		return p.queueMail(tx, mailAbout(k, r, departmentAddress(tx, r.GetString("department")), subject, body, "permit.new"))
	}
	return nil
}

// notifyPayment sends the applicant a receipt.
func (p *Portal) notifyPayment(tx core.App, r *core.Record) error {
	k := p.permitKind()
	lang := i18n.Parse(r.GetString("language"))
	vars := p.permitVars(tx, r, lang)
	vars["amount"] = money(r.GetFloat("paid_amount"))
	vars["method"] = r.GetString("payment_method")
	vars["reference"] = r.GetString("payment_reference")
	subject, body := p.compose(tx, lang, "mail.permit.payment", vars)
	return p.queueMail(tx, mailAbout(k, r, k.requester(tx, r), subject, body, "permit.payment"))
}

// notifyExpiryReminder tells a permit holder that the permit expires soon (once).
func (p *Portal) notifyExpiryReminder(tx core.App, r *core.Record) error {
	k := p.permitKind()
	lang := i18n.Parse(r.GetString("language"))
	subject, body := p.compose(tx, lang, "mail.permit.reminder", p.permitVars(tx, r, lang))
	m := mailAbout(k, r, k.requester(tx, r), subject, body, "permit.reminder")
	m.DedupeKey = "permit-expiry-reminder:" + r.Id
	return p.queueMail(tx, m)
}

// --- problem reports ----------------------------------------------------------

// notifyNewComplaint tells the department about a new report and the
// reporter that it was received, with its reference.
func (p *Portal) notifyNewComplaint(tx core.App, r *core.Record) error {
	k := p.complaintKind()
	vars := p.complaintVars(tx, r, i18n.EN)
	vars["link"] = p.page(tx, k, r, true)
	subject, body := p.compose(tx, i18n.EN, "mail.complaint.new", vars)
	if err := p.queueMail(tx, mailAbout(k, r, departmentAddress(tx, r.GetString("department")), subject, body, "complaint.new")); err != nil {
		return err
	}
	lang := i18n.Parse(r.GetString("language"))
	subject, body = p.compose(tx, lang, "mail.complaint.received", p.complaintVars(tx, r, lang))
	return p.queueMail(tx, mailAbout(k, r, k.requester(tx, r), subject, body, "complaint.received"))
}

// notifyComplaintChange tells the reporter (and followers) when a report is
// acknowledged, resolved, rejected, merged or reopened.
func (p *Portal) notifyComplaintChange(tx core.App, r *core.Record, c *change) error {
	if !slices.Contains([]string{"acknowledge", "resolve", "reject", "mark_duplicate", "reopen", "close"}, c.Action) {
		return nil
	}
	if c.Action == "close" && c.Actor.Kind == workflow.System {
		return nil // closing after the reopen window is silent
	}
	k := p.complaintKind()
	lang := i18n.Parse(r.GetString("language"))
	vars := p.complaintVars(tx, r, lang)
	vars["comment"] = c.Comment
	vars["rate"] = "" // the rating links are the reporter's alone
	subject, body := p.compose(tx, lang, "mail.complaint."+c.Action, vars)
	var to []string
	if c.Action != "mark_duplicate" {
		for _, id := range r.GetStringSlice("followers") {
			if u, err := tx.FindRecordById("users", id); err == nil {
				to = append(to, u.Email())
			}
		}
	}
	for _, addr := range to {
		if err := p.queueMail(tx, mailAbout(k, r, addr, subject, body, "complaint."+c.Action)); err != nil {
			return err
		}
	}
	if c.Action == "resolve" || c.Action == "close" {
		vars["rate"] = p.ratingLinksText(tx, k, r, lang)
		subject, body = p.compose(tx, lang, "mail.complaint."+c.Action, vars)
	}
	return p.queueMail(tx, mailAbout(k, r, k.requester(tx, r), subject, body, "complaint."+c.Action))
}

// notifyEscalation tells who must act that a report climbed a level, once
// per level and address.
func (p *Portal) notifyEscalation(tx core.App, r *core.Record, x Escalation, loc *time.Location) error {
	k := p.complaintKind()
	vars := p.complaintVars(tx, r, i18n.EN)
	vars["level"] = fmt.Sprint(x.To)
	vars["reason"] = x.Reason
	vars["deadline"] = x.Deadline.In(loc).Format("2006-01-02 15:04")
	vars["link"] = p.page(tx, k, r, true)
	subject, body := p.compose(tx, i18n.EN, "mail.complaint.escalated", vars)
	for _, to := range x.Notify {
		m := mailAbout(k, r, to, subject, body, "complaint.escalated")
		m.DedupeKey = fmt.Sprintf("escalation:%s:%d:%s", r.Id, x.To, to)
		if err := p.queueMail(tx, m); err != nil {
			return err
		}
	}
	return nil
}

// escalationRecipients are who hears about a report at a level.
func escalationRecipients(tx core.App, r *core.Record, level int) []string {
	var to []string
	switch level {
	case 1:
		if a, err := tx.FindRecordById("staff", r.GetString("assignee")); err == nil && a.GetBool("active") {
			to = append(to, a.Email())
		} else if q := departmentAddress(tx, r.GetString("department")); q != "" {
			to = append(to, q)
		}
	case 2:
		sup, _ := tx.FindRecordsByFilter("staff", "role = 'supervisor' && department = {:d} && active = true", "email", 0, 0,
			dbx.Params{"d": r.GetString("department")})
		for _, s := range sup {
			to = append(to, s.Email())
		}
		if len(to) == 0 {
			if q := departmentAddress(tx, r.GetString("department")); q != "" {
				to = append(to, q)
			}
		}
	case 3:
		dirs, _ := tx.FindRecordsByFilter("staff", "role = 'director' && active = true", "email", 0, 0)
		for _, s := range dirs {
			to = append(to, s.Email())
		}
	}
	return to
}

// --- either kind ----------------------------------------------------------------

// notifyComment tells the other side about a public comment: staff comments
// go to the resident, residents' comments to the assignee or the department.
func (p *Portal) notifyComment(tx core.App, k requestKind, r *core.Record, actor Actor, comment string) error {
	if actor.User != nil {
		vars := k.vars(tx, r, i18n.EN)
		vars["actor"] = actor.Name()
		vars["comment"] = comment
		vars["link"] = p.page(tx, k, r, true)
		to := departmentAddress(tx, r.GetString("department"))
		if a, err := tx.FindRecordById("staff", r.GetString("assignee")); err == nil {
			to = a.Email()
		}
		subject, body := p.compose(tx, i18n.EN, "mail.comment_staff", vars)
		return p.queueMail(tx, mailAbout(k, r, to, subject, body, k.machine.Name+".comment_staff"))
	}
	lang := i18n.Parse(r.GetString("language"))
	vars := k.vars(tx, r, lang)
	vars["actor"] = actor.Name()
	vars["comment"] = comment
	subject, body := p.compose(tx, lang, "mail.comment", vars)
	return p.queueMail(tx, mailAbout(k, r, k.requester(tx, r), subject, body, k.machine.Name+".comment"))
}

// notifyAssignee tells a staff member that a request was given to them.
func (p *Portal) notifyAssignee(tx core.App, k requestKind, r *core.Record, staffID string) error {
	s, err := tx.FindRecordById("staff", staffID)
	if err != nil {
		return nil
	}
	vars := k.vars(tx, r, i18n.EN)
	vars["link"] = p.page(tx, k, r, true)
	subject, body := p.compose(tx, i18n.EN, "mail.assigned", vars)
	return p.queueMail(tx, mailAbout(k, r, s.Email(), subject, body, k.machine.Name+".assigned"))
}

// --- accounts -------------------------------------------------------------------

// tellAccountOwner emails the owner of an account about an attempt on it,
// through the outbox, at most once a day per kind of attempt (so nobody can
// flood their mailbox).
func (p *Portal) tellAccountOwner(app core.App, account *core.Record, template, kind, signInPath string) {
	lang := i18n.Parse(account.GetString("language"))
	vars := map[string]string{
		"link":  p.siteURL(app, signInPath),
		"reset": p.siteURL(app, strings.TrimSuffix(signInPath, "signin.html")+"reset-password.html"),
	}
	subject, body := p.compose(app, lang, template, vars)
	day := p.now().UTC().Format(time.DateOnly)
	err := p.queueMail(app, outMail{To: account.Email(), Subject: subject, Text: body, Kind: "account." + kind,
		DedupeKey: "account-" + kind + ":" + account.Id + ":" + day})
	if err != nil {
		app.Logger().Error("queueing an account notice failed", "account", account.Id, "error", err)
	}
}
