package hooks

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/townhall-portal/townhall/internal/forms"
	"github.com/townhall-portal/townhall/internal/i18n"
	"github.com/townhall-portal/townhall/internal/open311"
)

// Open311 GeoReport v2 under /open311/: the discovery document, the service
// list and definitions, filing a report (with an API key) and reading
// reports, each in .json and .xml. Every answer — refusals and our faults
// included — is the specification's document, never PocketBase's error JSON
// or a page. internal/open311 reads the arguments and writes the documents;
// this file finds and files the records.

// Open311 limits.
const (
	open311Body       = 1 << 20 // bytes of a POST body
	open311ReadLimit  = 300     // requests per address per open311ReadWindow
	open311ReadWindow = 10 * time.Second
)

// open311API is the Open311 endpoints with their rate limits.
type open311API struct {
	p       *Portal
	clients *windowLimiter // reports per client per minute
	readers *windowLimiter // requests per address
}

// registerOpen311 installs Open311: the categories' extra questions and the
// check of every report's answers, the clients' keys, and the routes.
func (p *Portal) registerOpen311() {
	p.registerReportQuestions()
	p.registerReportSummary()
	registerOpen311Clients(p.app)

	// only the Open311 endpoints file reports of the open311 channel
	p.app.OnRecordCreateRequest("complaints").BindFunc(func(e *core.RecordRequestEvent) error {
		if e.Record.GetString("source") == "open311" || e.Record.GetString("source_client") != "" {
			msg := requestLang(e.RequestEvent).T("field.readonly", "source")
			return fieldErrors(msg, map[string]fieldError{"source": {"validation_readonly", msg}})
		}
		return e.Next()
	})

	a := &open311API{p: p, clients: newWindowLimiter(time.Minute), readers: newWindowLimiter(open311ReadWindow)}
	p.app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "townhallOpen311",
		Func: func(se *core.ServeEvent) error {
			g := se.Router.Group("/open311")
			g.BindFunc(a.limitReaders)
			g.GET("/{file}", a.handleDiscovery)
			g.GET("/v2/{file}", a.handleList)
			g.POST("/v2/{file}", a.handlePost)
			g.GET("/v2/services/{file}", a.handleServiceDefinition)
			g.GET("/v2/requests/{file}", a.handleRequest)
			g.GET("/v2/tokens/{file}", a.handleToken)
			for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
				g.Route(method, "/{path...}", a.handleNoEndpoint)
			}
			return se.Next()
		},
	})
}

// --- answers --------------------------------------------------------------------

// write answers with an Open311 document.
func (a *open311API) write(e *core.RequestEvent, f open311.Format, status int, doc open311.Document) error {
	h := e.Response.Header()
	h.Set("Content-Type", f.ContentType())
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	e.Response.WriteHeader(status)
	_, _ = e.Response.Write(doc.Encode(f))
	return nil
}

// refuse answers with an error array.
func (a *open311API) refuse(e *core.RequestEvent, f open311.Format, errs open311.Errors) error {
	e.Response.Header().Set("Cache-Control", "no-store")
	return a.write(e, f, errs.Status(), errs.Document())
}

// fault answers our own failure: logged, a 500 error array.
func (a *open311API) fault(e *core.RequestEvent, f open311.Format, err error) error {
	e.App.Logger().Error("an Open311 request failed on our side", "path", e.Request.URL.Path, "error", err)
	return a.write(e, f, http.StatusInternalServerError,
		open311.Errors{{Code: http.StatusInternalServerError, Description: requestLang(e).T("open311.ours")}}.Document())
}

// formatOf reads the format of the path's {file} segment: its name, and the
// format to answer in (JSON when the extension is neither; ok false then).
func formatOf(e *core.RequestEvent) (string, open311.Format, bool) {
	name, f, ok := open311.SplitFormat(e.Request.PathValue("file"))
	if !ok {
		return name, open311.JSON, false
	}
	return name, f, true
}

// noEndpoint is the 404 of a path that is not an endpoint.
func (a *open311API) noEndpoint(e *core.RequestEvent, f open311.Format) error {
	return a.refuse(e, f, open311.NotFound(requestLang(e).T("open311.no_endpoint")))
}

// handleNoEndpoint answers every other path under /open311/.
func (a *open311API) handleNoEndpoint(e *core.RequestEvent) error {
	_, f, ok := open311.SplitFormat(e.Request.URL.Path[strings.LastIndexByte(e.Request.URL.Path, '/')+1:])
	if !ok {
		f = open311.JSON
	}
	return a.noEndpoint(e, f)
}

// limitReaders limits every address to open311ReadLimit requests per window
// (while the portal's rate limits are on: dashboard → Settings).
func (a *open311API) limitReaders(e *core.RequestEvent) error {
	if !e.App.Settings().RateLimits.Enabled {
		return e.Next()
	}
	ok, wait := a.readers.allow(e.RealIP(), open311ReadLimit, a.p.now())
	if ok {
		return e.Next()
	}
	_, f, _ := open311.SplitFormat(e.Request.URL.Path[strings.LastIndexByte(e.Request.URL.Path, '/')+1:])
	if f == "" {
		f = open311.JSON
	}
	e.Response.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()+0.999))))
	return a.refuse(e, f, open311.Errors{{Code: http.StatusTooManyRequests, Description: requestLang(e).T("open311.rate_ip")}})
}

// --- the town -------------------------------------------------------------------

// open311Town is what the endpoints need of the town's settings.
type open311Town struct {
	id, jurisdiction, name, email, phone string
	updated                              time.Time
	loc                                  *time.Location
}

// town reads the town's settings record (a missing one gives defaults).
func (a *open311API) town(app core.App) open311Town {
	t := a.p.townSettings(app)
	out := open311Town{name: t.Name, loc: t.Calendar.Location()}
	if r, err := app.FindFirstRecordByFilter("town_settings", ""); err == nil {
		out.id, out.jurisdiction = r.Id, strings.TrimSpace(r.GetString("jurisdiction_id"))
		out.email, out.phone = r.GetString("office_email"), r.GetString("office_phone")
		out.updated = r.GetDateTime("updated").Time()
	}
	return out
}

// checkJurisdiction refuses (404) a jurisdiction_id that is not the town's:
// its jurisdiction_id, or its settings record's id. None given is fine.
func (t open311Town) checkJurisdiction(given string, lang i18n.Lang) open311.Errors {
	if given == "" || (t.jurisdiction != "" && strings.EqualFold(given, t.jurisdiction)) || given == t.id {
		return nil
	}
	served := t.jurisdiction
	if served == "" {
		served = t.id
	}
	return open311.NotFound(lang.T("open311.jurisdiction", clipText(given, 60), served))
}

// clipText shortens what a caller sent before it is quoted back.
func clipText(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// --- services -------------------------------------------------------------------

// categoryRow is what the endpoints read of a category.
type categoryRow struct {
	ID            string `db:"id"`
	Code          string `db:"code"`
	NameEN        string `db:"name_en"`
	NameES        string `db:"name_es"`
	DescriptionEN string `db:"description_en"`
	DescriptionES string `db:"description_es"`
	Department    string `db:"department"`
	Keywords      string `db:"keywords"`
	Questions     string `db:"questions"`
	Active        bool   `db:"active"`
	Updated       string `db:"updated"`
}

// open311Catalogue is every category (active or not) and department name.
type open311Catalogue struct {
	categories []categoryRow
	byID       map[string]*categoryRow
	byCode     map[string]*categoryRow
	depts      map[string]string
}

func (a *open311API) catalogue(app core.App) (open311Catalogue, error) {
	c := open311Catalogue{byID: map[string]*categoryRow{}, byCode: map[string]*categoryRow{}, depts: map[string]string{}}
	if err := app.DB().Select("id", "code", "name_en", "name_es", "description_en", "description_es", "department",
		"COALESCE(keywords, '') AS keywords", "COALESCE(questions, '') AS questions", "active", "updated").From("complaint_categories").OrderBy("name_en", "code").All(&c.categories); err != nil {
		return c, err
	}
	for i := range c.categories {
		r := &c.categories[i]
		c.byID[r.ID], c.byCode[r.Code] = r, r
	}
	var depts []struct {
		ID   string `db:"id"`
		Name string `db:"name"`
	}
	if err := app.DB().Select("id", "name").From("departments").All(&depts); err != nil {
		return c, err
	}
	for _, d := range depts {
		c.depts[d.ID] = d.Name
	}
	return c, nil
}

// service is a category as an Open311 service, in lang.
func (c open311Catalogue) service(r *categoryRow, lang i18n.Lang) open311.Service {
	s := open311.Service{Code: r.Code, Name: r.NameEN, Description: r.DescriptionEN, Keywords: r.Keywords, Group: c.depts[r.Department]}
	if lang == i18n.ES {
		if r.NameES != "" {
			s.Name = r.NameES
		}
		if r.DescriptionES != "" {
			s.Description = r.DescriptionES
		}
	}
	s.Questions, _ = forms.ParseFields([]byte(r.Questions)) // checked when saved
	return s
}

// handleDiscovery answers GET /open311/discovery.{format}.
func (a *open311API) handleDiscovery(e *core.RequestEvent) error {
	name, f, ok := formatOf(e)
	if !ok || name != "discovery" {
		return a.noEndpoint(e, f)
	}
	lang := requestLang(e)
	t := a.town(e.App)
	changeset := t.updated
	var latest string
	if err := e.App.DB().Select("COALESCE(MAX(updated), '')").From("complaint_categories").Row(&latest); err != nil {
		return a.fault(e, f, err)
	}
	if dt, err := types.ParseDateTime(latest); err == nil && dt.Time().After(changeset) {
		changeset = dt.Time()
	}
	reach := strings.TrimSpace(strings.Join(slices.DeleteFunc([]string{t.email, t.phone}, func(s string) bool { return s == "" }), " "))
	contact, keys := t.name, lang.T("open311.key_service", a.p.siteURL(e.App, "/help.html"))
	if reach != "" {
		contact = lang.T("open311.contact", t.name, reach)
		keys = lang.T("open311.key_service", reach)
	}
	doc := open311.Discovery(changeset, contact, keys,
		[]open311.Endpoint{{URL: a.p.siteURL(e.App, "/open311/v2"), Changeset: changeset}}, t.loc)
	e.Response.Header().Set("Cache-Control", "public, max-age=300")
	return a.write(e, f, http.StatusOK, doc)
}

// handleList answers GET /open311/v2/services.{format} and requests.{format}.
func (a *open311API) handleList(e *core.RequestEvent) error {
	name, f, ok := formatOf(e)
	if !ok {
		return a.noEndpoint(e, f)
	}
	switch name {
	case "services":
		return a.handleServices(e, f)
	case "requests":
		return a.handleRequests(e, f)
	}
	return a.noEndpoint(e, f)
}

// handleServices lists the active categories.
func (a *open311API) handleServices(e *core.RequestEvent, f open311.Format) error {
	lang := requestLang(e)
	if errs := a.town(e.App).checkJurisdiction(strings.TrimSpace(e.Request.URL.Query().Get("jurisdiction_id")), lang); errs != nil {
		return a.refuse(e, f, errs)
	}
	c, err := a.catalogue(e.App)
	if err != nil {
		return a.fault(e, f, err)
	}
	var list []open311.Service
	for i := range c.categories {
		if r := &c.categories[i]; r.Active {
			list = append(list, c.service(r, lang))
		}
	}
	e.Response.Header().Set("Cache-Control", "public, max-age=300")
	return a.write(e, f, http.StatusOK, open311.ServiceList(list))
}

// handleServiceDefinition answers GET /open311/v2/services/{code}.{format}.
func (a *open311API) handleServiceDefinition(e *core.RequestEvent) error {
	code, f, ok := formatOf(e)
	if !ok {
		return a.noEndpoint(e, f)
	}
	lang := requestLang(e)
	if errs := a.town(e.App).checkJurisdiction(strings.TrimSpace(e.Request.URL.Query().Get("jurisdiction_id")), lang); errs != nil {
		return a.refuse(e, f, errs)
	}
	c, err := a.catalogue(e.App)
	if err != nil {
		return a.fault(e, f, err)
	}
	r, found := c.byCode[code]
	if !found || !r.Active {
		return a.refuse(e, f, open311.NotFound(lang.T("open311.service_unknown", clipText(code, 60))))
	}
	e.Response.Header().Set("Cache-Control", "public, max-age=300")
	return a.write(e, f, http.StatusOK, open311.ServiceDefinition(c.service(r, lang), lang))
}

// handleToken answers GET /open311/v2/tokens/{token}.{format}: reports are
// filed at once, so there are no tokens.
func (a *open311API) handleToken(e *core.RequestEvent) error {
	_, f, _ := formatOf(e)
	return a.refuse(e, f, open311.NotFound(requestLang(e).T("open311.no_tokens")))
}

// --- filing a report --------------------------------------------------------------

// handlePost answers POST /open311/v2/requests.{format}: a report filed with
// an API key, through the same hooks as every report (reference, deadlines,
// department, its "reported" event, emails), with an internal note naming
// the client. In maintenance mode it waits, as every change does (503).
func (a *open311API) handlePost(e *core.RequestEvent) error {
	name, f, ok := formatOf(e)
	if !ok || name != "requests" {
		return a.noEndpoint(e, f)
	}
	lang := requestLang(e)
	if m := a.p.maintenance(); m.On {
		e.Response.Header().Set("Retry-After", strconv.Itoa(maintenanceRetry))
		return a.refuse(e, f, open311.Errors{{Code: http.StatusServiceUnavailable, Description: m.message(lang)}})
	}
	form, err := readOpen311Form(e)
	if err != nil {
		return a.refuse(e, f, open311.BadRequest(lang.T("open311.body")))
	}
	in, errs := open311.ParseNewRequest(form, lang)
	t := a.town(e.App)
	if jerrs := t.checkJurisdiction(in.JurisdictionID, lang); jerrs != nil {
		return a.refuse(e, f, jerrs)
	}
	if in.APIKey == "" {
		return a.refuse(e, f, open311.Forbidden(lang.T("open311.key_missing")))
	}
	client, found, err := findOpen311Client(e.App, in.APIKey)
	if err != nil {
		return a.fault(e, f, err)
	}
	if !found {
		return a.refuse(e, f, open311.Forbidden(lang.T("open311.key_wrong")))
	}
	limit := client.RateLimit
	if limit <= 0 {
		limit = defaultClientRate
	}
	if ok, wait := a.clients.allow(client.ID, limit, a.p.now()); !ok {
		e.Response.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()+0.999))))
		return a.refuse(e, f, open311.Errors{{Code: http.StatusTooManyRequests, Description: lang.T("open311.rate_key")}})
	}

	var cat *categoryRow
	var answers map[string]any
	var service open311.Service
	if in.ServiceCode != "" {
		c, err := a.catalogue(e.App)
		if err != nil {
			return a.fault(e, f, err)
		}
		r, found := c.byCode[in.ServiceCode]
		if !found || !r.Active {
			return a.refuse(e, f, open311.NotFound(lang.T("open311.service_unknown", clipText(in.ServiceCode, 60))))
		}
		cat, service = r, c.service(r, lang)
		var attrErrs open311.Errors
		answers, attrErrs = open311.CheckAttributes(service, in.Attributes, t.loc, lang)
		errs = append(errs, attrErrs...)
	}
	if len(errs) > 0 {
		return a.refuse(e, f, errs)
	}

	r, err := a.file(client, cat, in, answers, lang)
	if err != nil {
		if refused := open311Refusal(err); refused != nil {
			return a.refuse(e, f, refused)
		}
		return a.fault(e, f, err)
	}
	touchOpen311Client(e.App, client.ID, a.p.now())
	notice := a.notice(service.Group, r.GetDateTime("resolve_due_at").Time(), t.loc, lang)
	e.Response.Header().Set("Cache-Control", "no-store")
	return a.write(e, f, http.StatusOK, open311.Created(r.GetString("reference"), notice, in.AccountID))
}

// readOpen311Form reads a POST's arguments: the urlencoded (or multipart)
// body, at most open311Body bytes, and the query string.
func readOpen311Form(e *core.RequestEvent) (url.Values, error) {
	e.Request.Body = http.MaxBytesReader(e.Response, e.Request.Body, open311Body)
	ct, _, _ := mime.ParseMediaType(e.Request.Header.Get("Content-Type"))
	if ct == "multipart/form-data" {
		if err := e.Request.ParseMultipartForm(open311Body); err != nil {
			return nil, err
		}
		return e.Request.Form, nil
	}
	if err := e.Request.ParseForm(); err != nil {
		return nil, err
	}
	return e.Request.Form, nil
}

// file saves the report and its history in one transaction.
func (a *open311API) file(client open311Client, cat *categoryRow, in open311.NewRequest, answers map[string]any, lang i18n.Lang) (*core.Record, error) {
	p := a.p
	var out *core.Record
	err := p.app.RunInTransaction(func(tx core.App) error {
		col, err := tx.FindCachedCollectionByNameOrId("complaints")
		if err != nil {
			return err
		}
		r := core.NewRecord(col)
		r.Set("category", cat.ID)
		r.Set("source", "open311")
		r.Set("source_client", client.Name)
		r.Set("language", string(lang))
		r.Set("description", in.Description)
		address := in.AddressString
		if address == "" && in.AddressID != "" {
			address = "address_id " + in.AddressID
		}
		r.Set("address", address)
		if in.HasPoint {
			r.Set("location", types.GeoPoint{Lon: in.Long, Lat: in.Lat})
		}
		r.Set("caller_name", in.Name())
		r.Set("caller_email", in.Email)
		r.Set("caller_phone", in.Phone)
		if len(answers) > 0 {
			r.Set("answers", answers)
		}
		if err := tx.Save(r); err != nil {
			return err
		}
		// the history starts with "reported" (complaints.go); staff also
		// learn which client it came through, and any photo link it sent
		// (kept for them, not published: only photos staff mark public are)
		data := map[string]any{"channel": "open311", "client": client.Name, "client_id": client.ID}
		for k, v := range map[string]string{"device_id": in.DeviceID, "account_id": in.AccountID, "address_id": in.AddressID, "media_url": in.MediaURL} {
			if v != "" {
				data[k] = v
			}
		}
		comment := "Received through Open311 from " + client.Name + "."
		if in.MediaURL != "" {
			comment += " Photo link sent with it (not checked, not published): " + in.MediaURL
		}
		if err := p.appendEvent(tx, p.complaintKind(), r, event{Action: "note", Public: false, Actor: SystemActor(), Data: data, Comment: comment}); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}

// open311Refusal turns a refusal of the report's hooks into 400s (nil: the
// error is a fault of ours).
func open311Refusal(err error) open311.Errors {
	var fields validation.Errors
	var apiErr *router.ApiError
	switch {
	case errors.As(err, &apiErr) && apiErr.Status >= 400 && apiErr.Status < 500:
		var out open311.Errors
		names := make([]string, 0, len(apiErr.Data))
		for name := range apiErr.Data {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			if item, ok := apiErr.Data[name].(map[string]any); ok {
				if msg, _ := item["message"].(string); msg != "" {
					out = append(out, open311.Error{Code: http.StatusBadRequest, Description: name + ": " + msg})
				}
			}
		}
		if len(out) == 0 {
			out = open311.Errors{{Code: apiErr.Status, Description: apiErr.Message}}
		}
		return out
	case errors.As(err, &fields):
		names := make([]string, 0, len(fields))
		for name := range fields {
			names = append(names, name)
		}
		slices.Sort(names)
		var out open311.Errors
		for _, name := range names {
			out = append(out, open311.Error{Code: http.StatusBadRequest, Description: name + ": " + fields[name].Error()})
		}
		return out
	}
	return nil
}

// notice is the service_notice of an open report: who looks at it and by
// when it should be resolved.
func (a *open311API) notice(dept string, due time.Time, loc *time.Location, lang i18n.Lang) string {
	if dept == "" {
		return ""
	}
	if due.IsZero() {
		return lang.T("open311.notice_no_due", dept)
	}
	return lang.T("open311.notice", dept, due.In(loc).Format("2006-01-02 15:04"))
}

// --- reading reports ------------------------------------------------------------------

// open311Row is what the endpoints read of a report.
type open311Row struct {
	ID          string `db:"id"`
	Reference   string `db:"reference"`
	Category    string `db:"category"`
	Department  string `db:"department"`
	Status      string `db:"status"`
	Created     string `db:"created"`
	Updated     string `db:"updated"`
	Resolved    string `db:"resolved_at"`
	Closed      string `db:"closed_at"`
	Due         string `db:"resolve_due_at"`
	Description string `db:"description"`
	Private     bool   `db:"description_private"`
	Address     string `db:"address"`
	HasLocation bool   `db:"has_location"`
	Location    string `db:"location"`
	StatusNotes string `db:"public_note"`
	PublicPhoto string `db:"public_photo"`
}

// open311Columns are the columns read of a report: public_note and
// public_photo are kept on the report (report_summary.go), so the list is one
// walk of the reports.
var open311Columns = []string{"id", "reference", "category", "department", "status", "created", "updated", "resolved_at",
	"closed_at", "resolve_due_at", "description", "description_private", "address", "has_location", "location",
	"public_note", "public_photo"}

// handleRequests answers GET /open311/v2/requests.{format}: the reports
// asked for by id, or those filed in a window (by default the last 90 days),
// by service and status, newest first, at most 1,000.
func (a *open311API) handleRequests(e *core.RequestEvent, f open311.Format) error {
	lang := requestLang(e)
	q, errs := open311.ParseQuery(e.Request.URL.Query(), a.p.now(), lang)
	t := a.town(e.App)
	if jerrs := t.checkJurisdiction(q.JurisdictionID, lang); jerrs != nil {
		return a.refuse(e, f, jerrs)
	}
	if len(errs) > 0 {
		return a.refuse(e, f, errs)
	}
	c, err := a.catalogue(e.App)
	if err != nil {
		return a.fault(e, f, err)
	}
	var categories []string
	for _, code := range q.Codes {
		r, found := c.byCode[code]
		if !found {
			return a.refuse(e, f, open311.NotFound(lang.T("open311.service_unknown", clipText(code, 60))))
		}
		categories = append(categories, r.ID)
	}
	sel := open311ListQuery(e.App, q, categories)
	rows := make([]open311Row, 0, open311.MaxResults)
	if err := sel.All(&rows); err != nil {
		return a.fault(e, f, err)
	}
	list, err := a.serviceRequests(e.App, c, rows, t, lang)
	if err != nil {
		return a.fault(e, f, err)
	}
	return a.write(e, f, http.StatusOK, open311.ServiceRequests(list, t.loc))
}

// open311ListQuery selects the reports a GET requests asks for: by
// reference, or filed in the window (of the given category ids and
// statuses), newest first, at most 1,000. It walks idx_complaints_created in
// order and stops at the cap.
func open311ListQuery(app core.App, q open311.Query, categories []string) *dbx.SelectQuery {
	sel := app.DB().Select(open311Columns...).From("complaints")
	if len(q.IDs) > 0 {
		refs := make([]any, len(q.IDs))
		for i, id := range q.IDs {
			refs[i] = strings.ToUpper(id)
		}
		sel = sel.Where(dbx.In("reference", refs...)).AndWhere(dbx.NewExp("reference != ''"))
	} else {
		start, _ := types.ParseDateTime(q.Start.UTC())
		end, _ := types.ParseDateTime(q.End.UTC())
		sel = sel.Where(dbx.NewExp("created >= {:start} AND created <= {:end}", dbx.Params{"start": start.String(), "end": end.String()}))
		if len(categories) > 0 {
			// the unary plus keeps SQLite walking the created index in order
			sel = sel.AndWhere(unaryIn("category", categories))
		}
		if q.Open != q.Closed { // one of them: filter; both or neither: all
			status := open311.StatusOpen
			if q.Closed {
				status = open311.StatusClosed
			}
			sel = sel.AndWhere(unaryIn("status", open311.States(status)))
		}
	}
	return sel.OrderBy("created DESC").Limit(open311.MaxResults)
}

// unaryIn is "+column IN (...)" with bound values.
func unaryIn(column string, values []string) dbx.Expression {
	params, names := dbx.Params{}, make([]string, len(values))
	for i, v := range values {
		k := column + "_" + strconv.Itoa(i)
		names[i] = "{:" + k + "}"
		params[k] = v
	}
	return dbx.NewExp("+"+column+" IN ("+strings.Join(names, ", ")+")", params)
}

// handleRequest answers GET /open311/v2/requests/{id}.{format}: a list of
// that one report.
func (a *open311API) handleRequest(e *core.RequestEvent) error {
	id, f, ok := formatOf(e)
	if !ok {
		return a.noEndpoint(e, f)
	}
	lang := requestLang(e)
	t := a.town(e.App)
	if errs := t.checkJurisdiction(strings.TrimSpace(e.Request.URL.Query().Get("jurisdiction_id")), lang); errs != nil {
		return a.refuse(e, f, errs)
	}
	notFound := open311.NotFound(lang.T("open311.request_unknown", clipText(id, 60)))
	ref := strings.ToUpper(strings.TrimSpace(id))
	if ref == "" {
		return a.refuse(e, f, notFound)
	}
	var rows []open311Row
	if err := e.App.DB().Select(open311Columns...).From("complaints").
		Where(dbx.HashExp{"reference": ref}).AndWhere(dbx.NewExp("reference != ''")).Limit(1).All(&rows); err != nil {
		return a.fault(e, f, err)
	}
	if len(rows) == 0 {
		return a.refuse(e, f, notFound)
	}
	c, err := a.catalogue(e.App)
	if err != nil {
		return a.fault(e, f, err)
	}
	list, err := a.serviceRequests(e.App, c, rows, t, lang)
	if err != nil {
		return a.fault(e, f, err)
	}
	return a.write(e, f, http.StatusOK, open311.ServiceRequests(list, t.loc))
}

// serviceRequests turns report rows into what anyone may read of them: the
// description unless private, the location rounded as on the public list,
// the address withheld (its ZIP code shown), the latest public staff comment
// as status_notes, the first photo staff marked public as media_url.
func (a *open311API) serviceRequests(app core.App, c open311Catalogue, rows []open311Row, t open311Town, lang i18n.Lang) ([]open311.ServiceRequest, error) {
	date := func(s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		if t, err := time.Parse(types.DefaultDateLayout, s); err == nil { // how PocketBase stores dates
			return t
		}
		dt, err := types.ParseDateTime(s)
		if err != nil {
			return time.Time{}
		}
		return dt.Time()
	}
	out := make([]open311.ServiceRequest, len(rows))
	for i, r := range rows {
		sr := open311.ServiceRequest{
			ID: r.Reference, State: r.Status, StatusNotes: r.StatusNotes, Agency: c.depts[r.Department],
			Requested: date(r.Created), Updated: date(r.Updated), Expected: date(r.Due), ZipCode: open311.ZipCode(r.Address),
		}
		if cat := c.byID[r.Category]; cat != nil {
			sr.ServiceCode, sr.ServiceName = cat.Code, cat.NameEN
			if lang == i18n.ES && cat.NameES != "" {
				sr.ServiceName = cat.NameES
			}
		}
		if !r.Private {
			sr.Description = r.Description
		}
		if open311.Status(r.Status) == open311.StatusClosed {
			// the date it was closed: the later of resolving and closing
			if done := max(r.Resolved, r.Closed); done != "" {
				sr.Updated = date(done)
			}
		} else {
			sr.Notice = a.notice(sr.Agency, sr.Expected, t.loc, lang)
		}
		var pt types.GeoPoint
		if r.HasLocation && pt.Scan(r.Location) == nil {
			sr.HasPoint, sr.Lat, sr.Long = true, roundTo(pt.Lat, 3), roundTo(pt.Lon, 3) // as the public list
		}
		if r.PublicPhoto != "" {
			sr.MediaURL = a.p.siteURL(app, "/api/townhall/public/reports/"+url.PathEscape(r.Reference)+"/photos/"+r.PublicPhoto)
		}
		out[i] = sr
	}
	return out, nil
}
