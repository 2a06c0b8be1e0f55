package hooks

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"rsc.io/qr"
)

// permitNumberPattern is the shape of an issued permit's number: BLD-2026-00042.
var permitNumberPattern = regexp.MustCompile(`^[A-Z]{2,6}-[0-9]{4}-[0-9]{5,}$`)

// bindPublicRoutes adds the endpoints that need no account: permit
// verification and its QR code.
func (p *portal) bindPublicRoutes(g *router.RouterGroup[*core.RequestEvent]) {
	g.GET("/verify/{number}", p.handleVerify)
	g.GET("/verify/{number}/qr.svg", p.handleVerifyQR)
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
func (p *portal) findIssuedPermit(e *core.RequestEvent) (*core.Record, string, error) {
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
func (p *portal) handleVerify(e *core.RequestEvent) error {
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
func (p *portal) handleVerifyQR(e *core.RequestEvent) error {
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
