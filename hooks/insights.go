package hooks

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/townhall-portal/townhall/internal/insights"
	"github.com/townhall-portal/townhall/internal/workflow"
)

// Insights: the director's figures for a period and scope (internal/insights
// says how each is counted), their trends, targets and open work.
//
//	GET /api/townhall/staff/insights
//	GET /api/townhall/staff/insights/export?table=…   one table as CSV
//	GET /api/townhall/staff/insights/targets          the targets' progress only (the staff home's "targets at risk")
//
// Staff only (anonymous 401, residents 403). Directors and administrators
// see every department; supervisors and clerks their own department's
// figures (naming another department is a 403). Parameters (all optional;
// a bad value is a 400 naming it):
//
//	period      month (default), quarter, year, custom
//	from, to    a date in the period (YYYY-MM-DD or YYYY-MM; default today);
//	            custom: the first and last day
//	department  a department id or code
//	category    a problem category id or code (leaves permits out)
//	type        a permit type id or code (leaves reports out)
//	channel     online, phone, counter, email
//	q           text in the ratings' comments
//
// Targets are shown with their progress in the period, each in its own
// scope (the department filter does not hide county-wide targets).

// registerInsights adds the Insights routes, the targets' checks and the roll-up.
func (p *Portal) registerInsights() {
	p.registerInsightFacts()
	p.registerTargets()
	p.app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "townhallInsights",
		Func: func(se *core.ServeEvent) error {
			se.Router.GET("/api/townhall/staff/insights", p.handleInsights)
			se.Router.GET("/api/townhall/staff/insights/export", p.handleInsightsExport)
			se.Router.GET("/api/townhall/staff/insights/targets", p.handleInsightTargets)
			return se.Next()
		},
	})
}

// insightsRequest is a parsed Insights request.
type insightsRequest struct {
	period  insights.Period
	scope   insights.Scope
	chosen  insights.Scope // the filters as asked for (scope without the caller's own department added)
	visible string         // "" every department, else the only department the caller sees
	q       string
	codes   []string // the filters for a file name
	loc     *time.Location
	now     time.Time
	actor   Actor
}

// insightsAnswer is the JSON answer.
type insightsAnswer struct {
	insights.Insights
	Names    insights.Names     `json:"names"`
	Comments []insights.Comment `json:"comments"`
}

var knownChannels = []string{insights.Online, insights.Phone, insights.Counter, insights.Email}

// parseInsightsRequest checks the caller and the parameters.
func (p *Portal) parseInsightsRequest(e *core.RequestEvent) (insightsRequest, error) {
	actor, err := actorOf(e)
	if err != nil {
		return insightsRequest{}, err
	}
	if actor.Kind != workflow.Staff || (actor.Staff == nil && actor.Superuser == nil) {
		return insightsRequest{}, apiError(http.StatusForbidden, actor.Lang.T("staff_only"))
	}
	q := e.Request.URL.Query()
	t := p.townSettings(p.app)
	r := insightsRequest{loc: t.Calendar.Location(), now: p.now(), actor: actor}
	if r.period, err = insights.ParsePeriod(q.Get("period"), q.Get("from"), q.Get("to"), r.loc, r.now); err != nil {
		return r, refusal(err.Error())
	}
	if actor.Staff != nil && actor.Staff.GetString("role") != "director" {
		r.visible = actor.Staff.GetString("department")
		if r.visible == "" {
			return r, apiError(http.StatusForbidden, "Your staff account belongs to no department, so there are no figures to show you.")
		}
		r.scope.Department = r.visible
	}
	last := r.period.Current.To.AddDate(0, 0, -1)
	r.codes = []string{r.period.Current.From.Format("2006-01-02") + "_" + last.Format("2006-01-02")}
	lookup := func(param, collection, code, noun string) (string, error) {
		v := strings.TrimSpace(q.Get(param))
		if v == "" {
			return "", nil
		}
		var row struct {
			ID   string `db:"id"`
			Code string `db:"code"`
		}
		err := p.app.DB().Select("id", "code").From(collection).
			Where(dbx.NewExp("id = {:v} OR code = {:code}", dbx.Params{"v": v, "code": code})).Limit(1).One(&row)
		if err != nil {
			return "", refusal(fmt.Sprintf("Invalid %s: there is no %s %q.", param, noun, v))
		}
		r.codes = append(r.codes, row.Code)
		return row.ID, nil
	}
	dept, err := lookup("department", "departments", strings.ToUpper(strings.TrimSpace(q.Get("department"))), "department")
	if err != nil {
		return r, err
	}
	if dept != "" {
		if r.visible != "" && dept != r.visible {
			return r, apiError(http.StatusForbidden, "You can see the figures of your own department only.")
		}
		r.scope.Department = dept
	}
	if r.scope.Category, err = lookup("category", "complaint_categories", strings.ToLower(strings.TrimSpace(q.Get("category"))), "problem category"); err != nil {
		return r, err
	}
	if r.scope.Type, err = lookup("type", "permit_types", strings.ToUpper(strings.TrimSpace(q.Get("type"))), "permit type"); err != nil {
		return r, err
	}
	if r.scope.Category != "" && r.scope.Type != "" {
		return r, refusal("Invalid filter: choose a problem category or a permit type, not both.")
	}
	if ch := strings.TrimSpace(q.Get("channel")); ch != "" {
		if !slices.Contains(knownChannels, ch) {
			return r, refusal(fmt.Sprintf("Invalid channel: use %s, not %q.", strings.Join(knownChannels, ", "), ch))
		}
		r.scope.Channel = ch
		r.codes = append(r.codes, ch)
	}
	r.q = strings.TrimSpace(q.Get("q"))
	if len(r.q) > 100 {
		return r, refusal("Invalid q: search for at most 100 characters.")
	}
	r.chosen = r.scope
	r.chosen.Department = dept
	return r, nil
}

// loadFacts reads the facts a period can see in the caller's departments:
// every request with activity since `since` (one stretch of the table,
// which is ordered by last activity), and every request open now.
func (p *Portal) loadFacts(visible string, since time.Time) ([]insights.Fact, error) {
	dept := ""
	params := dbx.Params{"since": since.Unix(), "dept": visible}
	if visible != "" {
		dept = " AND department = {:dept}"
	}
	facts, err := p.decodeFacts(p.app.DB().NewQuery(`SELECT CAST(coalesce(group_concat(data, ''), '') AS BLOB) FROM (
		SELECT data FROM townhall_insight_facts WHERE last_activity >= {:since}` + dept + `
		UNION ALL SELECT data FROM townhall_insight_facts WHERE open = 1 AND last_activity < {:since}` + dept + `)`).Bind(params))
	if err != nil {
		return nil, err
	}
	p.factsSeen.Store(int64(len(facts)))
	return facts, nil
}

// decodeFacts runs q, which selects facts as one value end to end (facts
// are self-delimiting: a row a fact costs more in the driver than the
// figures themselves), and decodes them.
func (p *Portal) decodeFacts(q *dbx.Query) ([]insights.Fact, error) {
	rows, err := q.Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all sql.RawBytes // read in place: no copy of what may be megabytes
	if rows.Next() {
		if err := rows.Scan(&all); err != nil {
			return nil, err
		}
	}
	facts := make([]insights.Fact, 0, int(p.factsSeen.Load())+256)
	dec := insights.NewDecoder()
	for len(all) > 0 {
		facts = append(facts, insights.Fact{})
		if all, err = dec.DecodeNext(&facts[len(facts)-1], all); err != nil {
			// another layout (rewritten at the next start) or damage: what follows cannot be read
			p.app.Logger().Warn("insights: a stored fact could not be read; the figures leave out the rest", "error", err)
			facts = facts[:len(facts)-1]
			break
		}
	}
	return facts, rows.Err()
}

// targetsFor lists the targets the caller may read.
func (p *Portal) targetsFor(visible string) ([]insights.Target, error) {
	var rows []struct {
		ID            string  `db:"id"`
		Metric        string  `db:"metric"`
		Department    string  `db:"department"`
		Category      string  `db:"category"`
		Type          string  `db:"permit_type"`
		Channel       string  `db:"channel"`
		Comparison    string  `db:"comparison"`
		Value         float64 `db:"value"`
		ChangePercent float64 `db:"change_percent"`
		BaselineYear  int     `db:"baseline_year"`
		Note          string  `db:"note"`
	}
	q := p.app.DB().Select("id", "metric", "department", "category", "permit_type", "channel", "comparison",
		"value", "change_percent", "baseline_year", "note").From("targets").OrderBy("created ASC")
	if visible != "" {
		q.Where(dbx.NewExp("department = '' OR department = {:d}", dbx.Params{"d": visible}))
	}
	if err := q.All(&rows); err != nil {
		return nil, err
	}
	out := make([]insights.Target, 0, len(rows))
	for _, r := range rows {
		t := targetOf(r.Metric, r.Comparison, r.Value, r.ChangePercent, r.BaselineYear)
		t.ID, t.Note = r.ID, r.Note
		t.Scope = insights.Scope{Department: r.Department, Category: r.Category, Type: r.Type, Channel: r.Channel}
		out = append(out, t)
	}
	return out, nil
}

// targetOf is a stored target: a change against a baseline year when
// change_percent is set (a number field cannot be empty), else the value.
func targetOf(metric, comparison string, value, change float64, year int) insights.Target {
	t := insights.Target{Metric: metric, Comparison: comparison, BaselineYear: year}
	if change != 0 {
		t.ChangePercent = &change
	} else {
		t.Value = &value
	}
	return t
}

// computeInsights answers a parsed request, from the roll-up in memory.
func (p *Portal) computeInsights(r insightsRequest) (insightsAnswer, error) {
	var ans insightsAnswer
	targets, err := p.targetsFor(r.visible)
	if err != nil {
		return ans, err
	}
	facts, release, err := p.insightFacts()
	defer release()
	if err != nil {
		return ans, err
	}
	ans.Insights = insights.Build(facts, r.scope, r.period, r.now)
	ans.Targets = measureTargets(r, targets, facts)
	if ans.Comments, err = p.insightComments(r, p.mirror.find); err != nil {
		return ans, err
	}
	if ans.Pages, err = p.pageFeedback(r); err != nil {
		return ans, err
	}
	ans.Names, err = p.insightNames()
	return ans, err
}

// measureTargets is the progress of every measurable target in the period.
// A county-wide target is measured in the caller's own department when
// they see only that one.
func measureTargets(r insightsRequest, targets []insights.Target, facts []insights.Fact) []insights.Progress {
	out := make([]insights.Progress, 0, len(targets))
	for _, t := range targets {
		if t.Check() != nil {
			continue
		}
		measured := t
		if r.visible != "" {
			measured.Scope.Department = r.visible
		}
		pr := measured.Measure(facts, r.period.Current, r.now, r.loc)
		pr.Target = t
		out = append(out, pr)
	}
	return out
}

// insightTargetsAnswer is the targets' progress in a period.
type insightTargetsAnswer struct {
	Period  insights.Period     `json:"period"`
	Targets []insights.Progress `json:"targets"`
	Names   insights.Names      `json:"names"`
}

// handleInsightTargets answers the progress of the targets the caller may
// read, in the period (default: this month), each in its own scope. With
// no target set it reads no figures at all.
func (p *Portal) handleInsightTargets(e *core.RequestEvent) error {
	r, err := p.parseInsightsRequest(e)
	if err != nil {
		return err
	}
	ans := insightTargetsAnswer{Period: r.period, Targets: []insights.Progress{}}
	targets, err := p.targetsFor(r.visible)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if len(targets) > 0 {
		facts, release, err := p.insightFacts()
		if err != nil {
			release()
			return e.InternalServerError("", err)
		}
		ans.Targets = measureTargets(r, targets, facts)
		release()
		if ans.Names, err = p.insightNames(); err != nil {
			return e.InternalServerError("", err)
		}
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.JSON(http.StatusOK, ans)
}

// maxComments is how many comments an answer carries (newest first).
const maxComments = 50

// insightComments are the ratings with a comment made in the period, in
// scope, newest first; q finds text in them.
func (p *Portal) insightComments(r insightsRequest, find func(id string) *insights.Fact) ([]insights.Comment, error) {
	from, _ := types.ParseDateTime(r.period.Current.From)
	to, _ := types.ParseDateTime(r.period.Current.To)
	where := "comment != '' AND created >= {:from} AND created < {:to}"
	params := dbx.Params{"from": from.String(), "to": to.String()}
	if r.scope.Department != "" {
		where += " AND department = {:dept}"
		params["dept"] = r.scope.Department
	}
	if r.q != "" {
		where += ` AND comment LIKE {:q} ESCAPE '\'`
		params["q"] = "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(r.q) + "%"
	}
	var rows []commentRow
	// the newest 1,000 in the period are looked at; the first 100 are most
	// often enough for 50 in scope (then the rest is not read)
	var out []insights.Comment
	for _, limit := range []int64{100, 1000} {
		rows = rows[:0]
		if err := p.app.DB().Select("id", "complaint", "permit", "rating", "comment", "created", "answer", "answered_at").From("feedback").
			Where(dbx.NewExp(where, params)).OrderBy("created DESC").Limit(limit).All(&rows); err != nil {
			return nil, err
		}
		out = commentsInScope(r, rows, find)
		if len(out) == maxComments || int64(len(rows)) < limit {
			break
		}
	}
	return out, nil
}

// commentRow is a rating with a comment, as stored.
type commentRow struct {
	ID        string `db:"id"`
	Complaint string `db:"complaint"`
	Permit    string `db:"permit"`
	Rating    int    `db:"rating"`
	Comment   string `db:"comment"`
	Created   string `db:"created"`
	Answer    string `db:"answer"`
	Answered  string `db:"answered_at"`
}

// commentsInScope are the first maxComments rows whose request is in scope.
func commentsInScope(r insightsRequest, rows []commentRow, find func(id string) *insights.Fact) []insights.Comment {
	out := []insights.Comment{}
	for _, c := range rows {
		f := find(c.Complaint + c.Permit)
		if f == nil || !r.scope.Match(f) {
			continue
		}
		cm := insights.Comment{ID: c.ID, Request: f.ID, Kind: f.Kind, Department: f.Department, Service: f.Service,
			Rating: c.Rating, Comment: c.Comment, At: pbTime(c.Created), Answer: c.Answer}
		if c.Answered != "" {
			at := pbTime(c.Answered)
			cm.AnsweredAt = &at
		}
		out = append(out, cm)
		if len(out) == maxComments {
			break
		}
	}
	return out
}

// insightNames are the names of departments, services and staff.
func (p *Portal) insightNames() (insights.Names, error) {
	n := insights.Names{Departments: map[string]string{}, Services: map[string]string{}, Staff: map[string]string{}}
	for _, q := range []struct {
		sql  string
		into map[string]string
	}{
		{"SELECT id, name FROM departments", n.Departments},
		{"SELECT id, name_en AS name FROM complaint_categories UNION ALL SELECT id, name_en AS name FROM permit_types", n.Services},
		{"SELECT id, name FROM staff", n.Staff},
	} {
		var rows []struct {
			ID   string `db:"id"`
			Name string `db:"name"`
		}
		if err := p.app.DB().NewQuery(q.sql).All(&rows); err != nil {
			return n, err
		}
		for _, r := range rows {
			q.into[r.ID] = r.Name
		}
	}
	return n, nil
}

// handleInsights answers the figures as JSON.
func (p *Portal) handleInsights(e *core.RequestEvent) error {
	r, err := p.parseInsightsRequest(e)
	if err != nil {
		return err
	}
	ans, err := p.computeInsights(r)
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.JSON(http.StatusOK, ans)
}

var fileNamePart = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// handleInsightsExport answers one table as CSV, named for its filters:
// insights-permits-2026-11-01_2026-11-30-BLD.csv.
func (p *Portal) handleInsightsExport(e *core.RequestEvent) error {
	r, err := p.parseInsightsRequest(e)
	if err != nil {
		return err
	}
	table := strings.TrimSpace(e.Request.URL.Query().Get("table"))
	if !slices.Contains(insights.TableNames, table) {
		return refusal(fmt.Sprintf("Invalid table: use one of %s.", strings.Join(insights.TableNames, ", ")))
	}
	ans, err := p.computeInsights(r)
	if err != nil {
		return e.InternalServerError("", err)
	}
	t := insights.Tables(&ans.Insights, ans.Comments, ans.Names, r.loc)[table]
	parts := append([]string{"insights", table}, r.codes...)
	for i := range parts {
		parts[i] = fileNamePart.ReplaceAllString(parts[i], "")
	}
	file := strings.Join(parts, "-") + ".csv"
	h := e.Response.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, file, url.PathEscape(file)))
	h.Set("Cache-Control", "private, no-store")
	return e.Blob(http.StatusOK, "text/csv; charset=utf-8", t.CSV())
}

// registerTargets checks a target as it is saved: a figure Insights knows,
// and a goal it can measure, with a reason the director can act on.
func (p *Portal) registerTargets() {
	check := func(e *core.RecordEvent) error {
		r := e.Record
		t := targetOf(r.GetString("metric"), r.GetString("comparison"), r.GetFloat("value"), r.GetFloat("change_percent"), r.GetInt("baseline_year"))
		if err := t.Check(); err != nil {
			field := "value"
			if _, ok := insights.MetricByKey(t.Metric); !ok {
				field = "metric"
			}
			return validationError(field, "target", "This target can't be measured: "+err.Error()+".")
		}
		if ch := r.GetString("channel"); ch != "" && !slices.Contains(knownChannels, ch) {
			return validationError("channel", "unknown", "Use one of the channels "+strings.Join(knownChannels, ", ")+".")
		}
		if r.GetString("category") != "" && r.GetString("permit_type") != "" {
			return validationError("permit_type", "both", "A target is for a problem category or a permit type, not both.")
		}
		return e.Next()
	}
	p.app.OnRecordCreate("targets").BindFunc(check)
	p.app.OnRecordUpdate("targets").BindFunc(check)
	// the director who sets a target is recorded
	p.app.OnRecordCreateRequest("targets").BindFunc(func(e *core.RecordRequestEvent) error {
		if e.Auth != nil && e.Auth.Collection().Name == "staff" {
			e.Record.Set("created_by", e.Auth.Id)
		}
		return e.Next()
	})
}
