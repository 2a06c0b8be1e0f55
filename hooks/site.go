package hooks

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// siteCSP is the Content-Security-Policy of the resident site and the staff
// console: only our own scripts, styles and API; images may be blobs (upload
// previews) and data URIs (QR codes).
const siteCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"

// ServeSite serves the embedded resident site and staff console at "/", with
// ETags, cache headers, gzip and security headers, and keeps unknown
// /api/... paths as JSON 404s so they never return an HTML page.
func ServeSite(app core.App, site fs.FS) {
	etags := fileETags(site)

	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "townhallSite",
		Func: func(se *core.ServeEvent) error {
			se.Router.BindFunc(securityHeaders)

			se.Router.GET("/api/{path...}", func(e *core.RequestEvent) error {
				return e.NotFoundError("There is no such API endpoint.", nil)
			})

			if !se.Router.HasRoute(http.MethodGet, "/{path...}") {
				se.Router.GET("/{path...}", siteHandler(site, etags)).Bind(apis.Gzip())
			}
			return se.Next()
		},
		Priority: 999, // after every other route registration
	})
}

// siteHandler serves one embedded file with its ETag; unknown paths get the
// site's 404 page.
func siteHandler(site fs.FS, etags map[string]string) func(*core.RequestEvent) error {
	static := apis.Static(site, false)
	return func(e *core.RequestEvent) error {
		name := strings.TrimPrefix(path.Clean("/"+e.Request.PathValue(apis.StaticWildcardParam)), "/")
		if name == "" || strings.HasSuffix(e.Request.URL.Path, "/") {
			name = path.Join(name, "index.html")
		}
		if tag, ok := etags[name]; ok {
			h := e.Response.Header()
			h.Set("ETag", tag)
			if strings.HasSuffix(name, ".html") {
				h.Set("Cache-Control", "no-cache")
			} else {
				h.Set("Cache-Control", "public, max-age=300, must-revalidate")
			}
			return static(e)
		}
		if _, ok := etags["404.html"]; ok {
			e.Response.Header().Set("Cache-Control", "no-cache")
			e.Response.Header().Set("Content-Type", "text/html; charset=utf-8")
			body, err := fs.ReadFile(site, "404.html")
			if err != nil {
				return e.InternalServerError("", err)
			}
			return e.HTML(http.StatusNotFound, string(body))
		}
		return e.NotFoundError("", nil)
	}
}

// securityHeaders adds the headers PocketBase leaves out for our own pages.
func securityHeaders(e *core.RequestEvent) error {
	h := e.Response.Header()
	h.Set("Referrer-Policy", "same-origin") // file tokens travel in URLs
	h.Set("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
	if e.Request.TLS != nil || viaHTTPSProxy(e) {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	p := e.Request.URL.Path
	if !strings.HasPrefix(p, "/_/") && !strings.HasPrefix(p, "/api/") {
		h.Set("Content-Security-Policy", siteCSP)
	}
	return e.Next()
}

// viaHTTPSProxy reports whether a request reached a reverse proxy over
// HTTPS, as the proxy says in X-Forwarded-Proto (or Forwarded: proto=https).
// The proxy's word counts only once the administrator has told PocketBase
// to trust proxy headers (Settings → Application → Trusted proxy), the same
// trust that gives the caller's address.
func viaHTTPSProxy(e *core.RequestEvent) bool {
	if len(e.App.Settings().TrustedProxy.Headers) == 0 {
		return false
	}
	if p := e.Request.Header.Get("X-Forwarded-Proto"); p != "" {
		first, _, _ := strings.Cut(p, ",")
		return strings.EqualFold(strings.TrimSpace(first), "https")
	}
	for _, part := range strings.Split(strings.Split(e.Request.Header.Get("Forwarded"), ",")[0], ";") {
		if k, v, ok := strings.Cut(strings.TrimSpace(part), "="); ok && strings.EqualFold(k, "proto") {
			return strings.EqualFold(strings.Trim(v, `"`), "https")
		}
	}
	return false
}

// fileETags hashes every file of the embedded site once at start-up
// (embedded files have no modification time to validate caches against).
func fileETags(site fs.FS) map[string]string {
	tags := map[string]string{}
	_ = fs.WalkDir(site, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := fs.ReadFile(site, p)
		if err != nil {
			return nil
		}
		sum := sha256.Sum256(b)
		tags[p] = `"` + hex.EncodeToString(sum[:8]) + `"`
		return nil
	})
	return tags
}
