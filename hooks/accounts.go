package hooks

import (
	"errors"
	"net/http"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/spf13/cast"

	"github.com/townhall-portal/townhall/internal/i18n"
	"github.com/townhall-portal/townhall/internal/passwords"
)

// registerAccounts installs what keeps accounts from telling strangers
// anything: password strength on every save, sign-ups and email changes
// that answer the same whether or not an address is taken (the owner of a
// taken address gets an email instead), and one answer to a wrong password
// and to a switched-off staff account.
func (p *Portal) registerAccounts() {
	// NIST SP 800-63B: long enough, and neither common nor built from the
	// person's or the county's own words. Every path that sets a password
	// passes here: sign-up, profile, reset, the dashboard, Go code.
	p.app.OnRecordValidate("users", "staff", core.CollectionNameSuperusers).BindFunc(func(e *core.RecordEvent) error {
		pw, ok := e.Record.GetRaw(core.FieldNamePassword).(*core.PasswordFieldValue)
		if !ok || pw == nil || pw.Plain == "" {
			return e.Next()
		}
		reason := passwords.Check(pw.Plain, e.Record.GetString("name"), e.Record.Email(), p.townSettings(e.App).Name,
			e.App.Settings().Meta.AppName, "townhall")
		if reason != passwords.OK {
			msg := i18n.Parse(e.Record.GetString("language")).T("password." + string(reason))
			return validation.Errors{core.FieldNamePassword: validation.NewError("validation_password_"+string(reason), msg)}
		}
		return e.Next()
	})

	p.app.OnRecordCreateRequest("users").BindFunc(p.signUpTakenAddress)

	p.app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.BindFunc(p.emailChangeToTakenAddress)
		return se.Next()
	})

	p.app.OnRecordAuthWithPasswordRequest("staff").BindFunc(func(e *core.RecordAuthWithPasswordRequestEvent) error {
		if e.Record == nil || e.Record.GetBool("active") {
			return e.Next()
		}
		// the same answer as a wrong password; only the account's owner
		// (the right password) learns why, by email
		if e.Record.ValidatePassword(e.Password) {
			p.tellAccountOwner(e.App, e.Record, "mail.account.inactive", "inactive", "/staff/signin.html")
		}
		return e.BadRequestError("Failed to authenticate.", errors.New("the staff account is switched off"))
	})
}

// signUpTakenAddress answers a sign-up with an address that already has an
// account exactly as a new sign-up (GOV.UK's pattern): the same checks run,
// the same refusals come back, and success looks the same; the owner of the
// address is told by email, with how to sign in or reset the password.
func (p *Portal) signUpTakenAddress(e *core.RecordRequestEvent) error {
	if e.HasSuperuserAuth() || strings.TrimSpace(e.Record.Email()) == "" {
		return e.Next()
	}
	existing, err := e.App.FindAuthRecordByEmail(e.Collection, strings.TrimSpace(e.Record.Email()))
	if err != nil {
		return e.Next() // a new address
	}
	// run the sign-up as it would run: every check, and the save, which
	// refuses the taken address and stores nothing
	err = e.Next()
	var apiErr *router.ApiError
	if err == nil || !errors.As(err, &apiErr) {
		return err
	}
	if _, taken := apiErr.Data[core.FieldNameEmail]; !taken {
		return err // refused before the address was looked at (passwords differ …)
	}
	delete(apiErr.Data, core.FieldNameEmail)
	if len(apiErr.Data) > 0 {
		return err // what a new sign-up would be told too
	}
	p.tellAccountOwner(e.App, existing, "mail.account.exists", "exists", "/signin.html")
	// what a new sign-up answers: the record as its creator may see it
	fake := e.Record.Fresh()
	if fake.Id == "" {
		fake.Id = core.GenerateDefaultRandomId()
	}
	now := types.NowDateTime()
	fake.SetRaw("created", now)
	fake.SetRaw("updated", now)
	fake.SetVerified(false)
	if err := apis.EnrichRecord(e.RequestEvent, fake); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, fake)
}

// emailChangeToTakenAddress answers a request to move an account to an
// address that already has one exactly as an accepted request (204), sends
// no confirmation, and tells that address's owner nothing was changed.
func (p *Portal) emailChangeToTakenAddress(e *core.RequestEvent) error {
	if e.Request.Method != http.MethodPost || !strings.HasSuffix(e.Request.URL.Path, "/request-email-change") ||
		e.Auth == nil || e.Auth.IsSuperuser() {
		return e.Next()
	}
	c, err := e.App.FindCachedCollectionByNameOrId(e.Request.PathValue("collection"))
	if err != nil || !c.IsAuth() || c.Id != e.Auth.Collection().Id {
		return e.Next()
	}
	info, err := e.RequestInfo()
	if err != nil {
		return e.Next()
	}
	newEmail := strings.TrimSpace(cast.ToString(info.Body["newEmail"]))
	if newEmail == "" {
		return e.Next()
	}
	other, err := e.App.FindAuthRecordByEmail(c, newEmail)
	if err != nil || other.Id == e.Auth.Id {
		return e.Next() // a free address, or their own (PocketBase says so)
	}
	p.tellAccountOwner(e.App, other, "mail.account.move_refused", "move", "/signin.html")
	return e.NoContent(http.StatusNoContent)
}
