package hooks

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"
	"rsc.io/qr"

	"github.com/townhall-portal/townhall/internal/workflow"
)

// permitNumberPattern is the shape of an issued permit's number: BLD-2026-00042.
var permitNumberPattern = regexp.MustCompile(`^[A-Z]{2,6}-[0-9]{4}-[0-9]{5,}$`)

// bindPublicRoutes adds the endpoints that need no account: permit
// verification and its QR code.
func (p *Portal) bindPublicRoutes(g *router.RouterGroup[*core.RequestEvent]) {
	g.GET("/verify/{number}", p.handleVerify)
	g.GET("/verify/{number}/qr.svg", p.handleVerifyQR)
	g.GET("/public/reports", p.handlePublicReports)
	g.GET("/public/reports/{reference}/photos/{doc}", p.handlePublicPhoto)
}

// verifiedPermit is what anyone may learn about an issued permit: never the
// applicant's name, email or documents.
type verifiedPermit struct {
	Number      string `json:"number"`
	Status      string `json:"status"`
	Valid       bool   `json:"valid"`
	TypeCode    string `json:"type_code"`
	TypeName    string `json:"type_name"`
	TypeNameES  string `json:"type_name_es"`
	Department  string `json:"department"`
	SiteAddress string `json:"site_address"`
	IssuedAt    string `json:"issued_at"`
	ExpiresAt   string `json:"expires_at"`
}

// findIssuedPermit looks a permit up by its number.
func (p *Portal) findIssuedPermit(e *core.RequestEvent) (*core.Record, string, error) {
	number := strings.ToUpper(strings.TrimSpace(e.Request.PathValue("number")))
	lang := requestLang(e)
	if !permitNumberPattern.MatchString(number) {
		return nil, number, apiError(http.StatusNotFound, lang.T("verify.not_found"))
	}
	r, err := p.app.FindFirstRecordByFilter("permits", "number = {:n}", dbx.Params{"n": number})
	if err != nil {
		return nil, number, apiError(http.StatusNotFound, lang.T("verify.not_found"))
	}
	return r, number, nil
}

// handleVerify answers whether a permit number is real and valid.
func (p *Portal) handleVerify(e *core.RequestEvent) error {
	r, _, err := p.findIssuedPermit(e)
	if err != nil {
		return err
	}
	out := verifiedPermit{
		Number:      r.GetString("number"),
		Status:      r.GetString("status"),
		SiteAddress: r.GetString("site_address"),
		IssuedAt:    r.GetString("issued_at"),
		ExpiresAt:   r.GetString("expires_at"),
	}
	exp := r.GetDateTime("expires_at")
	out.Valid = out.Status == "issued" && (exp.IsZero() || exp.Time().After(p.now()))
	if t, err := p.app.FindRecordById("permit_types", r.GetString("permit_type")); err == nil {
		out.TypeCode, out.TypeName, out.TypeNameES = t.GetString("code"), t.GetString("name_en"), t.GetString("name_es")
	}
	if d, err := p.app.FindRecordById("departments", r.GetString("department")); err == nil {
		out.Department = d.GetString("name")
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, out)
}

// handleVerifyQR draws an SVG QR code that opens the permit's verification page.
func (p *Portal) handleVerifyQR(e *core.RequestEvent) error {
	_, number, err := p.findIssuedPermit(e)
	if err != nil {
		return err
	}
	link := p.siteURL(p.app, "/verify.html?number="+url.QueryEscape(number))
	code, err := qr.Encode(link, qr.M)
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Content-Type", "image/svg+xml")
	e.Response.Header().Set("Cache-Control", "public, max-age=86400")
	return e.String(http.StatusOK, qrSVG(code, number))
}

// qrSVG renders a QR code as an SVG with a quiet zone of 4 modules.
func qrSVG(c *qr.Code, title string) string {
	const quiet = 4
	size := c.Size + 2*quiet
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img" aria-label="QR code to verify permit %s">`,
		size, size, title)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, size, size)
	for y := 0; y < c.Size; y++ {
		for x := 0; x < c.Size; x++ {
			if c.Black(x, y) {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x+quiet, y+quiet)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String()
}

// publicReport is what anyone may see of a problem report: no names, no
// contact details, no private descriptions, a location rounded to about
// 100 m, and only photos staff marked public.
type publicReport struct {
	Reference    string   `json:"reference"`
	Category     string   `json:"category"`
	CategoryES   string   `json:"category_es"`
	Status       string   `json:"status"`
	Created      string   `json:"created"`
	Acknowledged string   `json:"acknowledged_at"`
	Resolved     string   `json:"resolved_at"`
	Description  string   `json:"description,omitempty"`
	Lat          *float64 `json:"lat,omitempty"`
	Lon          *float64 `json:"lon,omitempty"`
	Photos       []string `json:"photos"`
	Updated      string   `json:"updated"`
}

// handlePublicReports lists open reports and those resolved in the last 30
// days, newest first, paged.
func (p *Portal) handlePublicReports(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	perPage, _ := strconv.Atoi(q.Get("perPage"))
	if perPage < 1 || perPage > 100 {
		perPage = 30
	}
	var catID string
	if code := q.Get("category"); code != "" {
		if err := p.app.DB().Select("id").From("complaint_categories").Where(dbx.HashExp{"code": code}).Limit(1).Row(&catID); err != nil {
			return e.JSON(http.StatusOK, map[string]any{"page": page, "perPage": perPage, "totalItems": 0, "items": []publicReport{}})
		}
	}
	order, err := p.publicOrder(q.Get("status"), catID)
	if err != nil {
		return e.InternalServerError("", err)
	}
	total := len(order)
	var rows []publicRow
	if from := (page - 1) * perPage; from < total {
		ids := order[from:min(from+perPage, total)]
		in := make([]any, len(ids))
		for i, id := range ids {
			in[i] = id
		}
		// only the columns the list shows: no record models to build
		var found []publicRow
		err := p.app.DB().Select("id", "reference", "category", "status", "created", "acknowledged_at", "resolved_at", "updated",
			"description", "description_private", "has_location", "location").
			From("complaints").Where(dbx.In("id", in...)).All(&found)
		if err != nil {
			return e.InternalServerError("", err)
		}
		at := map[string]publicRow{}
		for _, r := range found {
			at[r.ID] = r
		}
		for _, id := range ids { // in the list's order
			if r, ok := at[id]; ok {
				rows = append(rows, r)
			}
		}
	}
	reportIDs := make([]string, len(rows))
	for i, r := range rows {
		reportIDs[i] = r.ID
	}
	photos, err := p.publicPhotos(reportIDs)
	if err != nil {
		return e.InternalServerError("", err)
	}
	items := make([]publicReport, 0, len(rows))
	cats := map[string]*core.Record{}
	for _, r := range rows {
		item := publicReport{
			Reference: r.Reference, Status: r.Status, Created: r.Created,
			Acknowledged: r.Acknowledged, Resolved: r.Resolved, Updated: r.Updated,
			Photos: []string{},
		}
		cat, ok := cats[r.Category]
		if !ok {
			cat, _ = p.app.FindRecordById("complaint_categories", r.Category)
			cats[r.Category] = cat
		}
		if cat != nil {
			item.Category, item.CategoryES = cat.GetString("name_en"), cat.GetString("name_es")
		}
		if !r.Private {
			item.Description = r.Description
		}
		var pt types.GeoPoint
		if r.HasLocation && pt.Scan(r.Location) == nil {
			lat, lon := roundTo(pt.Lat, 3), roundTo(pt.Lon, 3) // 0.001° ≈ 111 m of latitude
			item.Lat, item.Lon = &lat, &lon
		}
		for _, id := range photos[r.ID] {
			item.Photos = append(item.Photos, "/api/townhall/public/reports/"+item.Reference+"/photos/"+id)
		}
		items = append(items, item)
	}
	e.Response.Header().Set("Cache-Control", "public, max-age=60")
	return e.JSON(http.StatusOK, map[string]any{"page": page, "perPage": perPage, "totalItems": total, "items": items})
}

// publicListWhere selects what the public list shows now, by status
// ("open", "resolved" or any) and category id (or any). Every term is a
// column of the partial index idx_complaints_public, so the count reads only
// that index and a page walks it in order.
func (p *Portal) publicListWhere(status, categoryID string) dbx.Expression {
	now, _ := types.ParseDateTime(p.now().UTC())
	cond := []dbx.Expression{dbx.NewExp("public_until != '' AND public_until >= {:now}", dbx.Params{"now": now.String()})}
	// the unary plus keeps SQLite from seeking by status or category (and
	// then sorting every match): they are checked on the walked index
	in := func(states []string) dbx.Expression {
		params, names := dbx.Params{}, make([]string, len(states))
		for i, st := range states {
			names[i] = fmt.Sprintf("{:public_status%d}", i)
			params[fmt.Sprintf("public_status%d", i)] = st
		}
		return dbx.NewExp("+status IN ("+strings.Join(names, ", ")+")", params)
	}
	switch status {
	case "open":
		cond = append(cond, in(workflow.Complaint().Open))
	case "resolved":
		cond = append(cond, in([]string{"resolved", "closed"}))
	}
	if categoryID != "" {
		cond = append(cond, dbx.NewExp("+category = {:public_category}", dbx.Params{"public_category": categoryID}))
	}
	return dbx.And(cond...)
}

// publicListTTL is how long the order of the public list is kept. A new or
// changed report shows within it (the answer itself may be kept a minute by
// browsers and proxies); forgetting it on every save would make a busy
// morning of new reports rebuild it on every anonymous request.
const publicListTTL = 15 * time.Second

// publicLists keeps, per filter, the ids of the public list in its order,
// so that every page and its count cost a slice of it instead of a walk of
// the index (an anonymous flood of requests must not stall the portal).
// One request at a time rebuilds a filter's order once it has expired; the
// requests that arrive meanwhile wait for that rebuild instead of each
// starting their own (a herd of rebuilds piled up behind one another, each
// on its own database connection and page cache, is what made the list's
// tail seconds long and its memory a gigabyte under load).
type publicLists struct {
	mu       sync.Mutex
	gen      uint64
	lists    map[string]publicList
	building map[string]*publicBuild
}

type publicList struct {
	ids []string
	gen uint64
	at  time.Time
}

// publicBuild is one rebuild of a filter's order, waited for by the
// requests that need it.
type publicBuild struct {
	done chan struct{}
	gen  uint64
	ids  []string
	err  error
}

// forget drops every kept order (reports left the list).
func (c *publicLists) forget() {
	c.mu.Lock()
	c.gen++
	c.lists = nil
	c.mu.Unlock()
}

// publicOrder is the ids of the public list for a filter, newest first.
func (p *Portal) publicOrder(status, categoryID string) ([]string, error) {
	if status != "open" && status != "resolved" {
		status = "" // any other word lists every status: one kept order, not one per word
	}
	key := status + "|" + categoryID
	now := p.now()
	c := p.public
	c.mu.Lock()
	if l, ok := c.lists[key]; ok && l.gen == c.gen && now.Sub(l.at) < publicListTTL && !now.Before(l.at) {
		c.mu.Unlock()
		return l.ids, nil
	}
	if b, ok := c.building[key]; ok && b.gen == c.gen {
		c.mu.Unlock()
		<-b.done
		return b.ids, b.err
	}
	b := &publicBuild{done: make(chan struct{}), gen: c.gen}
	if c.building == nil {
		c.building = map[string]*publicBuild{}
	}
	c.building[key] = b
	c.mu.Unlock()

	// read from the index alone (idx_complaints_public holds the id)
	b.err = p.app.DB().Select("id").From("complaints").Where(p.publicListWhere(status, categoryID)).
		OrderBy("created DESC").Column(&b.ids)
	close(b.done)

	c.mu.Lock()
	if c.building[key] == b {
		delete(c.building, key)
	}
	if b.err == nil && c.gen == b.gen {
		if c.lists == nil || len(c.lists) >= 64 {
			c.lists = map[string]publicList{}
		}
		c.lists[key] = publicList{ids: b.ids, gen: b.gen, at: now}
	}
	c.mu.Unlock()
	return b.ids, b.err
}

// publicRow is what the public list reads of a report.
type publicRow struct {
	ID           string `db:"id"`
	Reference    string `db:"reference"`
	Category     string `db:"category"`
	Status       string `db:"status"`
	Created      string `db:"created"`
	Acknowledged string `db:"acknowledged_at"`
	Resolved     string `db:"resolved_at"`
	Updated      string `db:"updated"`
	Description  string `db:"description"`
	Private      bool   `db:"description_private"`
	HasLocation  bool   `db:"has_location"`
	Location     string `db:"location"`
}

// publicPhotos are the ids of the photos staff marked public, by report, at
// most ten each, oldest first: one query for a whole page.
func (p *Portal) publicPhotos(reports []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(reports) == 0 {
		return out, nil
	}
	ids := make([]any, len(reports))
	for i, r := range reports {
		ids[i] = r
	}
	var rows []struct {
		ID        string `db:"id"`
		Complaint string `db:"complaint"`
	}
	err := p.app.DB().Select("id", "complaint").From("documents").
		Where(dbx.In("complaint", ids...)).AndWhere(dbx.HashExp{"public": true}).OrderBy("created ASC").All(&rows)
	for _, r := range rows {
		if len(out[r.Complaint]) < 10 {
			out[r.Complaint] = append(out[r.Complaint], r.ID)
		}
	}
	return out, err
}

// handlePublicPhoto serves a report photo that staff marked public.
func (p *Portal) handlePublicPhoto(e *core.RequestEvent) error {
	lang := requestLang(e)
	notFound := apiError(http.StatusNotFound, lang.T("not_found"))
	r, err := p.app.FindFirstRecordByFilter("complaints", "reference = {:ref}", dbx.Params{"ref": e.Request.PathValue("reference")})
	if err != nil {
		return notFound
	}
	doc, err := p.app.FindRecordById("documents", e.Request.PathValue("doc"))
	if err != nil || doc.GetString("complaint") != r.Id || !doc.GetBool("public") {
		return notFound
	}
	fsys, err := p.app.NewFilesystem()
	if err != nil {
		return e.InternalServerError("", err)
	}
	defer fsys.Close()
	key := doc.BaseFilesPath() + "/" + doc.GetString("file")
	// checked again on every request, so a photo staff un-publish is gone at once
	e.Response.Header().Set("Cache-Control", "no-cache")
	return fsys.Serve(e.Response, e.Request, key, doc.GetString("file"))
}

// roundTo rounds v to n decimal places.
func roundTo(v float64, n int) float64 {
	f := math.Pow(10, float64(n))
	return math.Round(v*f) / f
}
