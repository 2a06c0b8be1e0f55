package hooks

import (
	"context"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/townhall-portal/townhall/internal/i18n"
	"github.com/townhall-portal/townhall/internal/workflow"
)

// Actor is who takes an action: a resident, a staff member, an administrator
// (acting as staff) or the system.
type Actor struct {
	Kind      workflow.Actor
	User      *core.Record // the resident, when Kind is Resident
	Staff     *core.Record // the staff member, when a staff member acts
	Superuser *core.Record // the administrator, when one acts
	Lang      i18n.Lang
}

// SystemActor is the scheduled jobs.
func SystemActor() Actor { return Actor{Kind: workflow.System, Lang: i18n.EN} }

// StaffActor is a staff member acting, for Go callers (commands, seeding).
func StaffActor(staff *core.Record) Actor {
	return Actor{Kind: workflow.Staff, Staff: staff, Lang: i18n.EN}
}

// ResidentActor is a resident acting, for Go callers.
func ResidentActor(user *core.Record) Actor {
	return Actor{Kind: workflow.Resident, User: user, Lang: i18n.Parse(user.GetString("language"))}
}

// actorOf returns who is making the request; anonymous callers get a 401.
func actorOf(e *core.RequestEvent) (Actor, error) {
	lang := requestLang(e)
	if e.Auth == nil {
		return Actor{}, router.NewUnauthorizedError(lang.T("auth.sign_in"), nil)
	}
	switch {
	case e.Auth.IsSuperuser():
		return Actor{Kind: workflow.Staff, Superuser: e.Auth, Lang: lang}, nil
	case e.Auth.Collection().Name == "staff":
		if !e.Auth.GetBool("active") {
			return Actor{}, router.NewForbiddenError(lang.T("staff.inactive"), nil)
		}
		return Actor{Kind: workflow.Staff, Staff: e.Auth, Lang: lang}, nil
	case e.Auth.Collection().Name == "users":
		if !e.Auth.Verified() {
			return Actor{}, router.NewForbiddenError(lang.T("auth.verify_first"), nil)
		}
		return Actor{Kind: workflow.Resident, User: e.Auth, Lang: lang}, nil
	}
	return Actor{}, router.NewForbiddenError("", nil)
}

// Name is how the actor appears in a request's history.
func (a Actor) Name() string {
	switch {
	case a.Staff != nil:
		return a.Staff.GetString("name")
	case a.User != nil:
		if n := a.User.GetString("name"); n != "" {
			return n
		}
		return "Resident"
	case a.Superuser != nil:
		return "Administrator"
	}
	return "Townhall"
}

// eventKind is the actor_kind written on events.
func (a Actor) eventKind() string {
	switch {
	case a.Superuser != nil:
		return "superuser"
	case a.Staff != nil:
		return "staff"
	case a.User != nil:
		return "resident"
	}
	return "system"
}

// CanWorkOn reports whether a staff actor may handle work of department dept:
// staff of that department, directors and administrators.
func (a Actor) CanWorkOn(dept string) bool {
	if a.Superuser != nil {
		return true
	}
	if a.Staff == nil {
		return false
	}
	return a.Staff.GetString("role") == "director" || a.Staff.GetString("department") == dept
}

// IsResident reports whether the actor is the resident with id userID.
func (a Actor) IsResident(userID string) bool {
	return a.User != nil && userID != "" && a.User.Id == userID
}

// change is a status change authorised by an action, carried to the model
// hooks in the save's context.
type change struct {
	RecordID, Action, From, To, Comment string
	Actor                               Actor
}

type changeKey struct{}

func withChange(ctx context.Context, c *change) context.Context {
	return context.WithValue(ctx, changeKey{}, c)
}

func changeFrom(ctx context.Context) *change {
	if ctx == nil {
		return nil
	}
	c, _ := ctx.Value(changeKey{}).(*change)
	return c
}
