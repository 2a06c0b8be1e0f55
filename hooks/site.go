package hooks

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// sitePolicy is the Content-Security-Policy of the resident site and the
// staff console: only our own scripts, styles and API; images may be blobs
// (upload previews), data URIs (QR codes) and map tiles from the tile
// server's host (tileSource, "" when the tiles come from the site itself
// or no map can be drawn).
func sitePolicy(tileSource string) string {
	img := "img-src 'self' data: blob:"
	if tileSource != "" {
		img += " " + tileSource
	}
	return "default-src 'self'; script-src 'self'; style-src 'self'; " + img + "; " +
		"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
}

// ServeSite serves the embedded resident site and staff console at "/", with
// ETags, cache headers, gzip and security headers, and keeps unknown
// /api/... paths as JSON 404s so they never return an HTML page.
func ServeSite(app core.App, site fs.FS) {
	files := loadSite(site)
	policy := &policyCache{}
	forget := func(e *core.RecordEvent) error {
		policy.forget()
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess("town_settings").BindFunc(forget)
	app.OnRecordAfterUpdateSuccess("town_settings").BindFunc(forget)
	app.OnRecordAfterDeleteSuccess("town_settings").BindFunc(forget)

	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "townhallSite",
		Func: func(se *core.ServeEvent) error {
			se.Router.BindFunc(func(e *core.RequestEvent) error { return securityHeaders(e, policy) })

			se.Router.GET("/api/{path...}", func(e *core.RequestEvent) error {
				return e.NotFoundError("There is no such API endpoint.", nil)
			})

			if !se.Router.HasRoute(http.MethodGet, "/{path...}") {
				se.Router.GET("/{path...}", siteHandler(files))
			}
			return se.Next()
		},
		Priority: 999, // after every other route registration
	})
}

// siteFile is one file of the embedded site, ready to serve: its bytes, and
// for text its gzip compression, each with a strong ETag. The site is small
// (a few hundred KB), so everything is prepared once at start instead of
// being compressed again on every request.
type siteFile struct {
	body, gzipped  []byte
	etag, gzipETag string
	contentType    string
	cacheControl   string
}

// loadSite reads and prepares every file of the embedded site.
func loadSite(site fs.FS) map[string]*siteFile {
	files := map[string]*siteFile{}
	_ = fs.WalkDir(site, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return nil
		}
		b, err := fs.ReadFile(site, p)
		if err != nil {
			return nil
		}
		sum := sha256.Sum256(b)
		f := &siteFile{body: b, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, contentType: mime.TypeByExtension(path.Ext(p))}
		if f.contentType == "" {
			f.contentType = http.DetectContentType(b)
		}
		f.cacheControl = "public, max-age=300, must-revalidate"
		if strings.HasSuffix(p, ".html") {
			f.cacheControl = "no-cache"
		}
		if compressible(f.contentType) && len(b) > 512 {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			_, _ = zw.Write(b)
			_ = zw.Close()
			if buf.Len() < len(b) {
				f.gzipped, f.gzipETag = buf.Bytes(), `"`+hex.EncodeToString(sum[:8])+`-gz"`
			}
		}
		files[p] = f
		return nil
	})
	return files
}

// compressible reports whether a content type is text that gzip shrinks.
func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "javascript") || strings.Contains(ct, "json") ||
		strings.Contains(ct, "svg") || strings.Contains(ct, "xml")
}

// siteHandler serves one embedded file (gzipped when the browser takes it,
// answering 304 to a matching ETag); unknown paths get the site's 404 page.
func siteHandler(files map[string]*siteFile) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		name := strings.TrimPrefix(path.Clean("/"+e.Request.PathValue(apis.StaticWildcardParam)), "/")
		if name == "" || strings.HasSuffix(e.Request.URL.Path, "/") {
			name = path.Join(name, "index.html")
		}
		status := http.StatusOK
		f, ok := files[name]
		if !ok {
			if f, ok = files["404.html"]; !ok {
				return e.NotFoundError("", nil)
			}
			status = http.StatusNotFound
		}
		h := e.Response.Header()
		h.Set("Content-Type", f.contentType)
		body, etag := f.body, f.etag
		if f.gzipped != nil {
			h.Add("Vary", "Accept-Encoding")
			if acceptsGzip(e.Request.Header.Get("Accept-Encoding")) {
				body, etag = f.gzipped, f.gzipETag
				h.Set("Content-Encoding", "gzip")
			}
		}
		if status == http.StatusNotFound {
			h.Set("Cache-Control", "no-cache")
		} else {
			h.Set("Cache-Control", f.cacheControl)
			h.Set("ETag", etag)
			if etagMatches(e.Request.Header.Get("If-None-Match"), etag) {
				h.Del("Content-Encoding")
				return e.NoContent(http.StatusNotModified)
			}
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		e.Response.WriteHeader(status)
		if e.Request.Method == http.MethodHead {
			return nil
		}
		_, err := e.Response.Write(body)
		return err
	}
}

// acceptsGzip reports whether an Accept-Encoding header takes gzip.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if coding = strings.TrimSpace(coding); !strings.EqualFold(coding, "gzip") && coding != "*" {
			continue
		}
		if q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); ok {
			v, err := strconv.ParseFloat(q, 64)
			return err == nil && v > 0
		}
		return true
	}
	return false
}

// etagMatches reports whether If-None-Match names etag (or is *).
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// securityHeaders adds the headers PocketBase leaves out for our own pages.
func securityHeaders(e *core.RequestEvent, policy *policyCache) error {
	h := e.Response.Header()
	h.Set("Referrer-Policy", "same-origin") // file tokens travel in URLs
	h.Set("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
	if e.Request.TLS != nil || viaHTTPSProxy(e) {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	p := e.Request.URL.Path
	if !strings.HasPrefix(p, "/_/") && !strings.HasPrefix(p, "/api/") {
		h.Set("Content-Security-Policy", policy.get(e.App))
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
