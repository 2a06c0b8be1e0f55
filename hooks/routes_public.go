package hooks

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/list"
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
	since, _ := types.ParseDateTime(p.now().UTC().AddDate(0, 0, -30))
	open := dbx.In("status", list.ToInterfaceSlice(workflow.Complaint().Open)...)
	where := dbx.Or(
		open,
		dbx.And(dbx.In("status", "resolved", "closed"), dbx.NewExp("resolved_at >= {:since} OR closed_at >= {:since}", dbx.Params{"since": since.String()})),
	)
	switch q.Get("status") {
	case "open":
		where = open
	case "resolved":
		where = dbx.And(dbx.In("status", "resolved", "closed"), dbx.NewExp("resolved_at >= {:since} OR closed_at >= {:since}", dbx.Params{"since": since.String()}))
	}
	cond := []dbx.Expression{where}
	if code := q.Get("category"); code != "" {
		cat, err := p.app.FindFirstRecordByFilter("complaint_categories", "code = {:c}", dbx.Params{"c": code})
		if err != nil {
			return e.JSON(http.StatusOK, map[string]any{"page": page, "perPage": perPage, "totalItems": 0, "items": []publicReport{}})
		}
		cond = append(cond, dbx.HashExp{"category": cat.Id})
	}
	var total int
	if err := p.app.DB().Select("count(*)").From("complaints").Where(dbx.And(cond...)).Row(&total); err != nil {
		return e.InternalServerError("", err)
	}
	records := []*core.Record{}
	err := p.app.RecordQuery("complaints").Where(dbx.And(cond...)).OrderBy("created DESC").
		Limit(int64(perPage)).Offset(int64((page - 1) * perPage)).All(&records)
	if err != nil {
		return e.InternalServerError("", err)
	}
	items := make([]publicReport, 0, len(records))
	cats := map[string]*core.Record{}
	for _, r := range records {
		item := publicReport{
			Reference: r.GetString("reference"), Status: r.GetString("status"), Created: r.GetString("created"),
			Acknowledged: r.GetString("acknowledged_at"), Resolved: r.GetString("resolved_at"), Updated: r.GetString("updated"),
			Photos: []string{},
		}
		cat, ok := cats[r.GetString("category")]
		if !ok {
			cat, _ = p.app.FindRecordById("complaint_categories", r.GetString("category"))
			cats[r.GetString("category")] = cat
		}
		if cat != nil {
			item.Category, item.CategoryES = cat.GetString("name_en"), cat.GetString("name_es")
		}
		if !r.GetBool("description_private") {
			item.Description = r.GetString("description")
		}
		if r.GetBool("has_location") {
			pt := r.GetGeoPoint("location")
			lat, lon := roundTo(pt.Lat, 3), roundTo(pt.Lon, 3) // 0.001° ≈ 111 m of latitude
			item.Lat, item.Lon = &lat, &lon
		}
		photos, _ := p.app.FindRecordsByFilter("documents", "complaint = {:c} && public = true", "created", 10, 0, dbx.Params{"c": r.Id})
		for _, ph := range photos {
			item.Photos = append(item.Photos, "/api/townhall/public/reports/"+item.Reference+"/photos/"+ph.Id)
		}
		items = append(items, item)
	}
	e.Response.Header().Set("Cache-Control", "public, max-age=60")
	return e.JSON(http.StatusOK, map[string]any{"page": page, "perPage": perPage, "totalItems": total, "items": items})
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
