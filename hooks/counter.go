package hooks

import (
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/townhall-portal/townhall/internal/i18n"
)

// Getting a resident through when email does not work yet: the resident
// learns whether their confirmation email has left (and where to go if
// not), and staff can confirm the address at the counter after checking the
// person's identity, with an audit event, instead of the dashboard's raw
// "verified" switch.
//
//	GET  /api/townhall/account/email-status        the signed-in resident
//	POST /api/townhall/residents/{id}/confirm-email staff: {"identity_checked": true}
//	GET  /api/townhall/residents?q=                 staff: find a resident by name, email or phone
//
// Staff see residents' email addresses wherever the records API shows a
// resident (the counter and the request pages need them); PocketBase hides
// them from everyone but the owner otherwise.

// registerCounter adds the routes.
func (p *Portal) registerCounter() {
	p.app.OnRecordEnrich("users").BindFunc(func(e *core.RecordEnrichEvent) error {
		if info := e.RequestInfo; info != nil && info.Auth != nil && info.Auth.Collection().Name == "staff" && info.Auth.GetBool("active") {
			e.Record.IgnoreEmailVisibility(true)
		}
		return e.Next()
	})
	p.app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "townhallCounter",
		Func: func(se *core.ServeEvent) error {
			se.Router.GET("/api/townhall/account/email-status", p.handleEmailStatus)
			se.Router.POST("/api/townhall/residents/{id}/confirm-email", p.handleConfirmAtCounter)
			se.Router.GET("/api/townhall/residents", p.handleFindResidents)
			return se.Next()
		},
	})
}

// emailStatus is what a resident may learn about their confirmation email.
type emailStatus struct {
	Verified bool `json:"verified"`
	// Confirmation is where the newest confirmation email is: "sent",
	// "queued" (not tried yet), "waiting" (the mail server refused or is
	// missing; it will be tried again), "failed" (given up), or "none".
	Confirmation string `json:"confirmation"`
	// Office is where to confirm in person: the town's office contact.
	Office map[string]string `json:"office"`
}

// handleEmailStatus answers the signed-in resident (confirmed or not).
func (p *Portal) handleEmailStatus(e *core.RequestEvent) error {
	lang := requestLang(e)
	if e.Auth == nil || e.Auth.Collection().Name != "users" {
		return router.NewUnauthorizedError(lang.T("auth.sign_in"), nil)
	}
	out := emailStatus{Verified: e.Auth.Verified(), Confirmation: "none", Office: map[string]string{}}
	var msg struct {
		Status    string `db:"status"`
		Attempts  int    `db:"attempts"`
		LastError string `db:"last_error"`
	}
	err := e.App.DB().Select("status", "attempts", "last_error").From("outbox").
		Where(dbx.HashExp{"to": e.Auth.Email(), "kind": "account.verification"}).
		OrderBy("created DESC").Limit(1).One(&msg)
	switch {
	case err == nil:
		switch {
		case msg.Status == "sent":
			out.Confirmation = "sent"
		case msg.Status == "failed":
			out.Confirmation = "failed"
		case msg.Attempts > 0 || msg.LastError != "":
			out.Confirmation = "waiting"
		default:
			out.Confirmation = "queued"
		}
	case !errors.Is(err, sql.ErrNoRows):
		return failure(e, lang, err)
	}
	if s, err := e.App.FindFirstRecordByFilter("town_settings", ""); err == nil {
		for _, f := range []string{"office_phone", "office_email", "office_address", "office_hours"} {
			out.Office[f] = s.GetString(f)
		}
		if lang == i18n.ES && s.GetString("office_hours_es") != "" {
			out.Office["office_hours"] = s.GetString("office_hours_es")
		}
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, out)
}

// handleConfirmAtCounter marks a resident's email address as confirmed, for
// staff who have checked the person's identity at the counter.
func (p *Portal) handleConfirmAtCounter(e *core.RequestEvent) error {
	actor, err := actorOf(e)
	if err != nil {
		return err
	}
	lang := actor.Lang
	if actor.Staff == nil && actor.Superuser == nil {
		return apiError(http.StatusForbidden, lang.T("staff_only"))
	}
	var in struct {
		IdentityChecked bool `json:"identity_checked"`
	}
	if e.Request.ContentLength != 0 {
		if err := json.NewDecoder(http.MaxBytesReader(e.Response, e.Request.Body, 4<<10)).Decode(&in); err != nil && !errors.Is(err, io.EOF) {
			return refusal(lang.T("body.invalid"))
		}
	}
	if !in.IdentityChecked {
		msg := lang.T("counter.identity_first")
		return fieldErrors(msg, map[string]fieldError{"identity_checked": {"validation_required", msg}})
	}
	var resident *core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		u, err := tx.FindRecordById("users", e.Request.PathValue("id"))
		if err != nil {
			return apiError(http.StatusNotFound, lang.T("counter.no_resident"))
		}
		resident = u
		if u.Verified() {
			return nil
		}
		u.SetVerified(true)
		if err := tx.Save(u); err != nil {
			return err
		}
		return p.accountEvent(tx, actor, "email_confirmed_at_counter", map[string]any{"resident": u.Id, "email": u.Email()})
	})
	if err != nil {
		return failure(e, lang, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"id": resident.Id, "verified": true})
}

// foundResident is one line of a staff search for a resident.
type foundResident struct {
	ID       string `db:"id" json:"id"`
	Name     string `db:"name" json:"name"`
	Email    string `db:"email" json:"email"`
	Phone    string `db:"phone" json:"phone"`
	Address  string `db:"address" json:"address"`
	Verified bool   `db:"verified" json:"verified"`
}

// handleFindResidents finds up to 20 residents whose name, email or phone
// contains q (at least two characters), for staff.
func (p *Portal) handleFindResidents(e *core.RequestEvent) error {
	actor, err := actorOf(e)
	if err != nil {
		return err
	}
	if actor.Staff == nil && actor.Superuser == nil {
		return apiError(http.StatusForbidden, actor.Lang.T("staff_only"))
	}
	q := strings.TrimSpace(e.Request.URL.Query().Get("q"))
	if utf8.RuneCountInString(q) < 2 || utf8.RuneCountInString(q) > 100 {
		return refusal("Type at least two characters of the name, email address or phone number.")
	}
	like := "%" + likeEscape(q) + "%"
	out := []foundResident{}
	err = e.App.DB().Select("id", "name", "email", "phone", "address", "verified").From("users").
		Where(dbx.NewExp(`name LIKE {:q} ESCAPE '\' OR email LIKE {:q} ESCAPE '\' OR phone LIKE {:q} ESCAPE '\'`, dbx.Params{"q": like})).
		OrderBy("name ASC").Limit(20).All(&out)
	if err != nil {
		return failure(e, actor.Lang, err)
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, map[string]any{"items": out})
}

// accountEvent records in the audit trail something staff did to a
// resident's account (it belongs to no request; staff of the actor's
// department and directors see it).
func (p *Portal) accountEvent(tx core.App, actor Actor, action string, data map[string]any) error {
	col, err := tx.FindCachedCollectionByNameOrId("events")
	if err != nil {
		return err
	}
	ev := core.NewRecord(col)
	ev.Set("actor_kind", actor.eventKind())
	if actor.Staff != nil {
		ev.Set("actor_staff", actor.Staff.Id)
		ev.Set("department", actor.Staff.GetString("department"))
	}
	ev.Set("actor_name", actor.Name())
	ev.Set("action", action)
	ev.Set("public", false)
	ev.Set("data", data)
	return tx.Save(ev)
}
