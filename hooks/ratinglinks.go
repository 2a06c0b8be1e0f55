package hooks

import (
	"database/sql"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/security"

	"github.com/townhall-portal/townhall/internal/i18n"
	"github.com/townhall-portal/townhall/internal/ratinglink"
)

// One-click ratings from the "resolved" and "closed" emails of a report and
// the "issued" and "denied" emails of an application, no sign-in:
//
//	POST /api/townhall/public/rate          {"token", "rating"}  records the rating
//	POST /api/townhall/public/rate/comment  {"token", "comment"} adds the resident's comment
//
// The email's links open /rate.html?t=<token>&r=<1…5>. A token names one
// request, is signed with the installation's own secret (townhall_keys,
// migration 1763900061) and works for 30 days, once: its nonce is spent
// when the rating is recorded. The rating follows the feedback rules: one
// per request, only while the request is resolved or closed (a permit:
// issued, denied or expired). The comment may be added through the same
// link within rateCommentWindow, once.

// rateCommentWindow is how long after rating a comment may be added by the link.
const rateCommentWindow = 24 * time.Hour

// rateableStates are the states a request may be rated in, by kind name.
var rateableStates = map[string][]string{
	"complaint": {"resolved", "closed"},
	"permit":    {"issued", "denied", "expired"},
}

// registerRatingLinks adds the rating link routes.
func (p *Portal) registerRatingLinks() {
	p.app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "townhallRatingLinks",
		Func: func(se *core.ServeEvent) error {
			se.Router.POST("/api/townhall/public/rate", p.handleRateByLink)
			se.Router.POST("/api/townhall/public/rate/comment", p.handleRateCommentByLink)
			return se.Next()
		},
	})
}

// ratingSecret is the installation's key for rating links.
func ratingSecret(app core.App) ([]byte, error) {
	var v string
	err := app.DB().NewQuery("SELECT value FROM townhall_keys WHERE name = 'rating_links'").Row(&v)
	if err != nil || len(v) < 32 {
		return nil, errors.New("rating link secret missing")
	}
	return []byte(v), nil
}

// ratingLinksText is the block of five rating links for the email about
// request r, or "" when it cannot be rated that way (already rated, no secret).
func (p *Portal) ratingLinksText(tx core.App, k requestKind, r *core.Record, lang i18n.Lang) string {
	if f, err := ratingOf(tx, k, r); err != nil || f != nil {
		return ""
	}
	secret, err := ratingSecret(tx)
	if err != nil {
		tx.Logger().Error("rating links left out of an email", "error", err)
		return ""
	}
	tok := ratinglink.Sign(secret, ratinglink.Claims{Kind: k.machine.Name, Request: r.Id,
		Expires: p.now().Add(ratinglink.Valid), Nonce: security.RandomString(24)})
	var links []string
	for n := 1; n <= 5; n++ {
		links = append(links, lang.Fill("mail.rate.link", map[string]string{"n": strconv.Itoa(n),
			"link": p.siteURL(tx, "/rate.html?t="+tok+"&r="+strconv.Itoa(n))}))
	}
	return "\n\n" + lang.Fill("mail.rate", map[string]string{"links": strings.Join(links, "\n")})
}

// rateInput is what the rating page sends.
type rateInput struct {
	Token   string `json:"token"`
	Rating  int    `json:"rating"`
	Comment string `json:"comment"`
}

// rateAnswer says what was recorded.
type rateAnswer struct {
	Kind       string `json:"kind"`
	Reference  string `json:"reference"`
	Rating     int    `json:"rating"`
	Comment    string `json:"comment"`
	CanComment bool   `json:"can_comment"`
}

// checkRateToken reads the token of a request body.
func (p *Portal) checkRateToken(e *core.RequestEvent, in *rateInput) (ratinglink.Claims, requestKind, i18n.Lang, error) {
	lang := requestLang(e)
	if err := e.BindBody(in); err != nil {
		return ratinglink.Claims{}, requestKind{}, lang, refusal(lang.T("rate.invalid"))
	}
	secret, err := ratingSecret(p.app)
	if err != nil {
		return ratinglink.Claims{}, requestKind{}, lang, e.InternalServerError("", err)
	}
	c, err := ratinglink.Check(secret, strings.TrimSpace(in.Token), p.now())
	switch {
	case errors.Is(err, ratinglink.ErrExpired):
		return c, requestKind{}, lang, apiError(http.StatusGone, lang.T("rate.expired"))
	case err != nil:
		return c, requestKind{}, lang, refusal(lang.T("rate.invalid"))
	}
	for _, k := range p.kinds() {
		if k.machine.Name == c.Kind {
			return c, k, lang, nil
		}
	}
	return c, requestKind{}, lang, refusal(lang.T("rate.invalid"))
}

// handleRateByLink records the rating a link carries.
func (p *Portal) handleRateByLink(e *core.RequestEvent) error {
	var in rateInput
	c, k, lang, err := p.checkRateToken(e, &in)
	if err != nil {
		return err
	}
	if in.Rating < 1 || in.Rating > 5 {
		return validationError("rating", "range", lang.T("rate.rating"))
	}
	var ans rateAnswer
	err = p.app.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindRecordById(k.collection, c.Request)
		if err != nil {
			return refusal(lang.T("rate.invalid"))
		}
		var link struct {
			UsedAt   int64  `db:"used_at"`
			Feedback string `db:"feedback"`
		}
		err = tx.DB().NewQuery("SELECT used_at, feedback FROM townhall_rating_links WHERE nonce = {:n}").
			Bind(dbx.Params{"n": c.Nonce}).One(&link)
		if err == nil {
			// the same rating sent again (its answer lost on a bad connection): recorded once, answered alike
			if f, ferr := tx.FindRecordById("feedback", link.Feedback); ferr == nil && f.GetInt("rating") == in.Rating {
				ans = rateAnswer{Kind: k.machine.Name, Reference: r.GetString("reference"), Rating: in.Rating, Comment: f.GetString("comment"),
					CanComment: f.GetString("comment") == "" && p.now().Sub(time.Unix(link.UsedAt, 0)) <= rateCommentWindow}
				return nil
			}
			return apiError(http.StatusConflict, lang.T("rate.used"))
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if f, err := ratingOf(tx, k, r); err != nil {
			return err
		} else if f != nil {
			return apiError(http.StatusConflict, lang.T("feedback.once"))
		}
		if !slices.Contains(rateableStates[k.machine.Name], r.GetString("status")) {
			return refusal(lang.T("feedback.not_yet"))
		}
		col, err := tx.FindCollectionByNameOrId("feedback")
		if err != nil {
			return err
		}
		f := core.NewRecord(col)
		f.Set(k.parentField, r.Id)
		f.Set("department", r.GetString("department"))
		f.Set("author", r.GetString(k.ownerField))
		f.Set("rating", in.Rating)
		if err := tx.Save(f); err != nil {
			return err
		}
		if _, err := tx.DB().NewQuery(`INSERT INTO townhall_rating_links (nonce, request, used_at, feedback)
			VALUES ({:n}, {:r}, {:at}, {:f})`).Bind(dbx.Params{"n": c.Nonce, "r": r.Id, "at": p.now().Unix(), "f": f.Id}).Execute(); err != nil {
			return err
		}
		ans = rateAnswer{Kind: k.machine.Name, Reference: r.GetString("reference"), Rating: in.Rating, CanComment: true}
		return nil
	})
	if err != nil {
		return failure(e, lang, err)
	}
	return e.JSON(http.StatusOK, ans)
}

// handleRateCommentByLink adds the resident's comment to the rating their link recorded.
func (p *Portal) handleRateCommentByLink(e *core.RequestEvent) error {
	var in rateInput
	c, k, lang, err := p.checkRateToken(e, &in)
	if err != nil {
		return err
	}
	comment := strings.TrimSpace(in.Comment)
	if comment == "" {
		return validationError("comment", "required", lang.T("rate.comment_empty"))
	}
	if len([]rune(comment)) > 2000 {
		return validationError("comment", "too_long", lang.T("rate.comment_long"))
	}
	var ans rateAnswer
	err = p.app.RunInTransaction(func(tx core.App) error {
		var link struct {
			UsedAt   int64  `db:"used_at"`
			Feedback string `db:"feedback"`
		}
		err := tx.DB().NewQuery("SELECT used_at, feedback FROM townhall_rating_links WHERE nonce = {:n} AND request = {:r}").
			Bind(dbx.Params{"n": c.Nonce, "r": c.Request}).One(&link)
		if errors.Is(err, sql.ErrNoRows) {
			return refusal(lang.T("rate.comment_first"))
		}
		if err != nil {
			return err
		}
		f, err := tx.FindRecordById("feedback", link.Feedback)
		if err == nil && f.GetString("comment") == comment {
			// the same comment sent again after a lost answer: it is there
			ans = rateAnswer{Kind: k.machine.Name, Rating: f.GetInt("rating"), Comment: comment}
			if r, _ := tx.FindRecordById(k.collection, c.Request); r != nil {
				ans.Reference = r.GetString("reference")
			}
			return nil
		}
		if err != nil || f.GetString("comment") != "" || p.now().Sub(time.Unix(link.UsedAt, 0)) > rateCommentWindow {
			return apiError(http.StatusConflict, lang.T("rate.comment_closed"))
		}
		f.Set("comment", comment)
		if err := tx.Save(f); err != nil {
			return err
		}
		r, _ := tx.FindRecordById(k.collection, c.Request)
		ans = rateAnswer{Kind: k.machine.Name, Rating: f.GetInt("rating"), Comment: comment}
		if r != nil {
			ans.Reference = r.GetString("reference")
		}
		return nil
	})
	if err != nil {
		return failure(e, lang, err)
	}
	return e.JSON(http.StatusOK, ans)
}
