package hooks

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/townhall-portal/townhall/internal/i18n"
)

// A resident's own data (privacy):
//
//	GET  /api/townhall/account/export  everything the portal holds about the signed-in resident, as a zip
//	POST /api/townhall/account/delete  {"password": "…"}: delete the account
//
// Deleting a resident — from the profile page, or an administrator in the
// dashboard — always runs the same erasure, in the delete's transaction:
// drafts and every document they uploaded go; open applications are
// withdrawn; submitted applications and reports stay as public records
// without the person (no owner, reporter, name, contact, report address
// text; a report's map point rounded to about 100 m); ratings lose their
// author and comment; the history keeps each step but names "a former
// resident" instead (the one change the append-only history allows); their
// queued and sent emails are removed; each request kept gets an internal
// "personal data removed" event. The privacy page (privacy.html) says the
// same to residents.

// formerResident is how the history names a resident whose account is gone.
const formerResident = "Former resident"

// registerMyData adds the routes and the erasure.
func (p *Portal) registerMyData() {
	p.app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "townhallMyData",
		Func: func(se *core.ServeEvent) error {
			se.Router.GET("/api/townhall/account/export", p.handleExport)
			se.Router.POST("/api/townhall/account/delete", p.handleDeleteAccount)
			return se.Next()
		},
	})
	// the records API's delete skips the password: residents use the page
	p.app.OnRecordDeleteRequest("users").BindFunc(func(e *core.RecordRequestEvent) error {
		if !e.HasSuperuserAuth() {
			return router.NewForbiddenError(requestLang(e.RequestEvent).T("account.delete_on_page"), nil)
		}
		return e.Next()
	})
	p.app.OnRecordDelete("users").BindFunc(func(e *core.RecordEvent) error {
		original := e.App
		defer func() { e.App = original }()
		return e.App.RunInTransaction(func(tx core.App) error {
			e.App = tx
			if err := p.WithApp(tx).erase(e.Record); err != nil {
				return fmt.Errorf("removing the personal data of %s: %w", e.Record.Id, err)
			}
			return e.Next()
		})
	})
}

// residentOf is the signed-in resident, or a refusal.
func residentOf(e *core.RequestEvent) (*core.Record, i18n.Lang, error) {
	lang := requestLang(e)
	if e.Auth == nil {
		return nil, lang, router.NewUnauthorizedError(lang.T("auth.sign_in"), nil)
	}
	if e.Auth.Collection().Name != "users" {
		return nil, lang, router.NewForbiddenError(lang.T("account.residents_only"), nil)
	}
	return e.Auth, lang, nil
}

// --- export -------------------------------------------------------------------

// myData is the JSON file of the export.
type myData struct {
	Exported  string           `json:"exported"`
	Profile   map[string]any   `json:"profile"`
	Permits   []map[string]any `json:"permit_applications"`
	Reports   []map[string]any `json:"problem_reports"`
	Following []string         `json:"reports_followed"`
	Ratings   []map[string]any `json:"ratings"`
	Documents []map[string]any `json:"documents"`
	Alerts    []string         `json:"alert_topics"` // the topics they get alerts about (codes)
	Notes     string           `json:"about"`
}

// handleExport streams the zip: my-data.json and every document uploaded.
func (p *Portal) handleExport(e *core.RequestEvent) error {
	user, lang, err := residentOf(e)
	if err != nil {
		return err
	}
	app := e.App
	out := myData{
		Exported: p.now().UTC().Format("2006-01-02T15:04:05Z"),
		Profile:  pick(user, "id", "email", "name", "phone", "address", "language", "verified", "created", "updated"),
		Notes:    lang.T("account.export_about"),
	}
	permits, err := app.FindRecordsByFilter("permits", "owner = {:u}", "created", 0, 0, dbx.Params{"u": user.Id})
	if err != nil {
		return err
	}
	for _, r := range permits {
		item := pick(r, "id", "reference", "number", "status", "permit_type", "site_address", "data", "fee", "paid_amount", "paid_at",
			"submitted_at", "decided_at", "issued_at", "expires_at", "language", "created", "updated")
		item["history"], err = publicHistory(app, "permit", r.Id)
		if err != nil {
			return err
		}
		out.Permits = append(out.Permits, item)
	}
	reports, err := app.FindRecordsByFilter("complaints", "reporter = {:u}", "created", 0, 0, dbx.Params{"u": user.Id})
	if err != nil {
		return err
	}
	for _, r := range reports {
		item := pick(r, "id", "reference", "status", "category", "description", "description_private", "address", "location",
			"resolution_note", "reject_reason", "language", "created", "updated", "resolved_at", "closed_at")
		item["history"], err = publicHistory(app, "complaint", r.Id)
		if err != nil {
			return err
		}
		out.Reports = append(out.Reports, item)
	}
	var followed []string
	if err := app.DB().NewQuery(`SELECT c.reference FROM townhall_follows f JOIN complaints c ON c.id = f.complaint
		WHERE f.user = {:u} ORDER BY c.created`).Bind(dbx.Params{"u": user.Id}).Column(&followed); err != nil {
		return err
	}
	out.Following = followed
	if err := app.DB().NewQuery(`SELECT t.code FROM alert_subscriptions s JOIN alert_topics t ON t.id = s.topic
		WHERE s.user = {:u} ORDER BY t.code`).Bind(dbx.Params{"u": user.Id}).Column(&out.Alerts); err != nil {
		return err
	}
	ratings, err := app.FindRecordsByFilter("feedback", "author = {:u}", "created", 0, 0, dbx.Params{"u": user.Id})
	if err != nil {
		return err
	}
	for _, f := range ratings {
		out.Ratings = append(out.Ratings, pick(f, "permit", "complaint", "rating", "comment", "answer", "answered_at", "created"))
	}
	docs, err := app.FindRecordsByFilter("documents", "owner = {:u}", "created", 0, 0, dbx.Params{"u": user.Id})
	if err != nil {
		return err
	}
	names := make([]string, len(docs))
	for i, d := range docs {
		names[i] = fmt.Sprintf("documents/%s-%s", d.Id, safeName(d.GetString("original_name"), d.GetString("file")))
		item := pick(d, "id", "permit", "complaint", "kind", "original_name", "content_type", "size", "created")
		item["file_in_this_zip"] = names[i]
		out.Documents = append(out.Documents, item)
	}

	fsys, err := app.NewFilesystem()
	if err != nil {
		return err
	}
	defer fsys.Close()
	h := e.Response.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="my-data-%s.zip"`, p.now().UTC().Format("2006-01-02")))
	h.Set("Cache-Control", "no-store")
	e.Response.WriteHeader(http.StatusOK)
	z := zip.NewWriter(e.Response)
	w, err := z.Create("my-data.json")
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	for i, d := range docs {
		r, err := fsys.GetReader(d.BaseFilesPath() + "/" + d.GetString("file"))
		if err != nil {
			app.Logger().Warn("export: a document's file is missing", "document", d.Id, "error", err)
			continue
		}
		w, err := z.CreateHeader(&zip.FileHeader{Name: names[i], Method: zip.Store, Modified: d.GetDateTime("created").Time()})
		if err == nil {
			_, err = io.Copy(w, r)
		}
		r.Close()
		if err != nil {
			return err
		}
	}
	return z.Close()
}

// publicHistory is the history of a request as its resident sees it.
func publicHistory(app core.App, parentField, id string) ([]map[string]any, error) {
	events, err := app.FindRecordsByFilter("events", parentField+" = {:id} && public = true", "created", 0, 0, dbx.Params{"id": id})
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(events))
	for i, ev := range events {
		out[i] = pick(ev, "action", "from_status", "to_status", "comment", "actor_name", "created")
	}
	return out, nil
}

// pick is the named fields of a record.
func pick(r *core.Record, fields ...string) map[string]any {
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		out[f] = r.Get(f)
	}
	return out
}

// safeName is a file name fit for a zip entry.
func safeName(name, fallback string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" || name == "" {
		name = fallback
	}
	return strings.Map(func(r rune) rune {
		if r < 32 || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, name)
}

// --- delete ---------------------------------------------------------------------

// handleDeleteAccount deletes the signed-in resident's account once they
// give their password.
func (p *Portal) handleDeleteAccount(e *core.RequestEvent) error {
	user, lang, err := residentOf(e)
	if err != nil {
		return err
	}
	var in struct {
		Password string `json:"password"`
	}
	if err := e.BindBody(&in); err != nil || in.Password == "" || !user.ValidatePassword(in.Password) {
		return fieldErrors(lang.T("account.delete_password"), map[string]fieldError{"password": {"validation_password", lang.T("account.delete_password")}})
	}
	// the erasure runs in the delete's transaction (OnRecordDelete above)
	fresh, err := e.App.FindRecordById("users", user.Id)
	if err != nil {
		return err
	}
	if err := e.App.Delete(fresh); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"deleted": true, "message": lang.T("account.deleted")})
}

// erase removes a resident's personal data from what stays (see the top of
// this file). p acts through the delete's transaction.
func (p *Portal) erase(user *core.Record) error {
	tx := p.app
	lang := i18n.Parse(user.GetString("language"))
	actor := ResidentActor(user)
	actor.Lang = lang
	kept := 0
	note := func(kind requestKind, r *core.Record) error {
		kept++
		return p.appendEvent(tx, kind, r, event{Action: "personal_data_removed", Public: false, Actor: SystemActor()})
	}

	permits, err := tx.FindRecordsByFilter("permits", "owner = {:u}", "", 0, 0, dbx.Params{"u": user.Id})
	if err != nil {
		return err
	}
	pk := p.permitKind()
	for _, r := range permits {
		status := r.GetString("status")
		if status == "draft" {
			if err := tx.Delete(r); err != nil {
				return err
			}
			continue
		}
		if _, err := pk.machine.Check("withdraw", status, actor.Kind, true); err == nil {
			if _, err := p.Transition(pk, r.Id, "withdraw", actor, actionInput{Comment: lang.T("account.withdrawn_comment")}); err != nil {
				return fmt.Errorf("withdrawing %s: %w", r.Id, err)
			}
			if r, err = tx.FindRecordById("permits", r.Id); err != nil {
				return err
			}
		}
		r.Set("owner", "")
		r.Set("applicant_name", "")
		r.Set("applicant_email", "")
		r.Set("applicant_phone", "")
		if err := tx.Save(r); err != nil {
			return err
		}
		if err := note(pk, r); err != nil {
			return err
		}
	}

	reports, err := tx.FindRecordsByFilter("complaints", "reporter = {:u}", "", 0, 0, dbx.Params{"u": user.Id})
	if err != nil {
		return err
	}
	ck := p.complaintKind()
	for _, r := range reports {
		r.Set("reporter", "")
		r.Set("caller_name", "")
		r.Set("caller_phone", "")
		r.Set("caller_email", "")
		r.Set("address", "")
		if r.GetBool("has_location") {
			pt := r.GetGeoPoint("location")
			r.Set("location", types.GeoPoint{Lat: roundTo(pt.Lat, 3), Lon: roundTo(pt.Lon, 3)})
		}
		if err := tx.Save(r); err != nil {
			return err
		}
		if err := note(ck, r); err != nil {
			return err
		}
	}
	if _, err := tx.DB().NewQuery("DELETE FROM townhall_follows WHERE user = {:u}").Bind(dbx.Params{"u": user.Id}).Execute(); err != nil {
		return err
	}

	docs, err := tx.FindRecordsByFilter("documents", "owner = {:u}", "", 0, 0, dbx.Params{"u": user.Id})
	if err != nil {
		return err
	}
	for _, d := range docs {
		if err := tx.Delete(d); err != nil {
			return err
		}
	}
	ratings, err := tx.FindRecordsByFilter("feedback", "author = {:u}", "", 0, 0, dbx.Params{"u": user.Id})
	if err != nil {
		return err
	}
	for _, f := range ratings {
		f.Set("author", "")
		f.Set("comment", "")
		if err := tx.Save(f); err != nil {
			return err
		}
	}
	// the history is append-only, save for this: each step stays, the name goes
	if _, err := tx.DB().NewQuery("UPDATE events SET actor_user = '', actor_name = {:name} WHERE actor_user = {:u}").
		Bind(dbx.Params{"u": user.Id, "name": formerResident}).Execute(); err != nil {
		return err
	}
	if _, err := tx.DB().NewQuery("DELETE FROM outbox WHERE lower(`to`) = lower({:email})").
		Bind(dbx.Params{"email": user.Email()}).Execute(); err != nil {
		return err
	}
	subject, body := p.compose(tx, lang, "mail.account_deleted", map[string]string{})
	if err := p.queueMail(tx, outMail{To: user.Email(), Subject: subject, Text: body, Kind: "account.deleted"}); err != nil {
		return err
	}
	tx.Logger().Info("a resident deleted their account; their personal data was removed", "requests_kept", kept, "documents_removed", len(docs))
	return nil
}
