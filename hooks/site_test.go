package hooks

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/townhall-portal/townhall/pb_public"
)

func TestSiteServing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	home := e.do(t, http.MethodGet, "/", nil, roleAnon)
	if home.Status != 200 || !strings.Contains(home.Body, "<html") {
		t.Fatalf("/ answered %d: %.200s", home.Status, home.Body)
	}
	for _, h := range []string{"Content-Security-Policy", "Referrer-Policy", "ETag", "Cache-Control", "X-Content-Type-Options"} {
		if home.Header.Get(h) == "" {
			t.Errorf("/ has no %s header", h)
		}
	}

	// a cached copy is revalidated with the ETag
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("If-None-Match", home.Header.Get("ETag"))
	if res := e.send(req, roleAnon); res.Status != http.StatusNotModified {
		t.Errorf("revalidation answered %d, want 304", res.Status)
	}

	// compression for browsers that accept it
	req = httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	if res := e.send(req, roleAnon); res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("no gzip: %v", res.Header)
	}

	// unknown API paths are JSON, never the HTML page
	api := e.do(t, http.MethodGet, "/api/no/such/thing", nil, roleAnon)
	if api.Status != 404 || !strings.HasPrefix(api.Header.Get("Content-Type"), "application/json") || strings.Contains(api.Body, "<html") {
		t.Errorf("/api/no/such/thing answered %d %s: %.200s", api.Status, api.Header.Get("Content-Type"), api.Body)
	}

	// unknown pages get the site's 404 page
	missing := e.do(t, http.MethodGet, "/no-such-page.html", nil, roleAnon)
	if missing.Status != 404 || !strings.Contains(missing.Body, "<html") {
		t.Errorf("missing page answered %d: %.200s", missing.Status, missing.Body)
	}

	// the health check and the staff console are there
	if res := e.do(t, http.MethodGet, "/api/health", nil, roleAnon); res.Status != 200 {
		t.Errorf("/api/health answered %d", res.Status)
	}
	if res := e.do(t, http.MethodGet, "/staff/", nil, roleAnon); res.Status != 200 {
		t.Errorf("/staff/ answered %d", res.Status)
	}
}

// TestHSTSBehindATrustedProxy: Strict-Transport-Security is sent when the
// request came over HTTPS to a reverse proxy PocketBase is told to trust, and
// never on the say-so of a proxy header nobody configured.
func TestHSTSBehindATrustedProxy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	get := func(headers map[string]string) string {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		return e.send(req, roleAnon).Header.Get("Strict-Transport-Security")
	}
	if h := get(map[string]string{"X-Forwarded-Proto": "https"}); h != "" {
		t.Errorf("an untrusted proxy header turned HSTS on: %q", h)
	}
	e.app.Settings().TrustedProxy.Headers = []string{"X-Forwarded-For"}
	for _, c := range []struct {
		headers map[string]string
		hsts    bool
	}{
		{map[string]string{"X-Forwarded-Proto": "https"}, true},
		{map[string]string{"X-Forwarded-Proto": "HTTPS, http"}, true},
		{map[string]string{"Forwarded": `for=192.0.2.1;proto=https;host=portal.county.test`}, true},
		{map[string]string{"X-Forwarded-Proto": "http"}, false},
		{map[string]string{}, false},
	} {
		if got := get(c.headers) != ""; got != c.hsts {
			t.Errorf("%v: HSTS %v, want %v", c.headers, got, c.hsts)
		}
	}
}

// TestStaticFilesAreCompressedOnce: text files come gzipped (compressed at
// start, not per request) to browsers that take it, plain to others, each
// variant with its own strong ETag that revalidates to 304.
func TestStaticFilesAreCompressedOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	want, err := fs.ReadFile(pb_public.FS, "js/strings.js")
	if err != nil {
		t.Fatal(err)
	}
	get := func(headers map[string]string) response {
		req := httptest.NewRequest(http.MethodGet, "/js/strings.js", nil)
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		return e.send(req, roleAnon)
	}
	gz := get(map[string]string{"Accept-Encoding": "br, gzip;q=0.8"})
	if gz.Status != 200 || gz.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(gz.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("gzip: %d %v", gz.Status, gz.Header)
	}
	zr, err := gzip.NewReader(strings.NewReader(gz.Body))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if !bytes.Equal(got, want) || len(gz.Body) >= len(want)/2 {
		t.Errorf("gzipped %d bytes to %d; decompressed equal: %v", len(want), len(gz.Body), bytes.Equal(got, want))
	}
	plain := get(map[string]string{"Accept-Encoding": "gzip;q=0"})
	if plain.Header.Get("Content-Encoding") != "" || plain.Body != string(want) || !strings.HasPrefix(plain.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("plain: %v", plain.Header)
	}
	if gz.Header.Get("ETag") == plain.Header.Get("ETag") || gz.Header.Get("ETag") == "" {
		t.Errorf("ETags %q and %q", gz.Header.Get("ETag"), plain.Header.Get("ETag"))
	}
	for _, r := range []struct {
		enc, tag string
	}{{"gzip", gz.Header.Get("ETag")}, {"", plain.Header.Get("ETag")}} {
		if res := get(map[string]string{"Accept-Encoding": r.enc, "If-None-Match": r.tag}); res.Status != 304 || res.Body != "" {
			t.Errorf("revalidating %q: %d", r.enc, res.Status)
		}
	}
	// pictures are sent as they are
	if res := get(map[string]string{}); res.Status != 200 {
		t.Errorf("%d", res.Status)
	}
}

// BenchmarkStaticStringsJS serves the largest script, gzipped, in process.
func BenchmarkStaticStringsJS(b *testing.B) {
	e := newEnv(b)
	e.app.Settings().RateLimits.Enabled = false
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/js/strings.js", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		if res := e.send(req, roleAnon); res.Status != 200 {
			b.Fatal(res.Status)
		}
	}
}

// TestVendoredLibrariesAreServedCompressed: the vendored chart library and
// its stylesheet come gzipped with their types, like the site's own files,
// and its licence is served beside it.
func TestVendoredLibrariesAreServedCompressed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, f := range []struct{ path, ctype string }{
		{"vendor/uplot/uPlot.iife.min.js", "text/javascript"},
		{"vendor/uplot/uPlot.min.css", "text/css"},
	} {
		want, err := fs.ReadFile(pb_public.FS, f.path)
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodGet, "/"+f.path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res := e.send(req, roleAnon)
		if res.Status != 200 || res.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(res.Header.Get("Content-Type"), f.ctype) ||
			res.Header.Get("ETag") == "" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "script-src 'self'") {
			t.Errorf("%s: %d %v", f.path, res.Status, res.Header)
			continue
		}
		zr, err := gzip.NewReader(strings.NewReader(res.Body))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(zr)
		if !bytes.Equal(got, want) || len(res.Body) >= len(want)*3/4 {
			t.Errorf("%s: gzipped %d bytes to %d; decompressed equal: %v", f.path, len(want), len(res.Body), bytes.Equal(got, want))
		}
	}
	if res := e.send(httptest.NewRequest(http.MethodGet, "/vendor/uplot/LICENSE", nil), roleAnon); res.Status != 200 || !strings.Contains(res.Body, "MIT") {
		t.Errorf("licence: %d %.80s", res.Status, res.Body)
	}
}
