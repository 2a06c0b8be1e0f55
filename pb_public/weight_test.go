package pb_public

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

var (
	stylesheet = regexp.MustCompile(`<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"`)
	script     = regexp.MustCompile(`<script[^>]+src="([^"]+)"`)
	imports    = regexp.MustCompile(`(?m)^\s*import\s[^;]*?from\s+"([^"]+)"|^\s*import\s+"([^"]+)"`)
)

// pageFiles returns every file a page loads: itself, its stylesheets and its
// scripts with all the modules they import.
func pageFiles(t *testing.T, page string) []string {
	t.Helper()
	seen := map[string]bool{page: true}
	html, err := fs.ReadFile(FS, page)
	if err != nil {
		t.Fatal(err)
	}
	var queue []string
	for _, m := range stylesheet.FindAllSubmatch(html, -1) {
		seen[strings.TrimPrefix(string(m[1]), "/")] = true
	}
	for _, m := range script.FindAllSubmatch(html, -1) {
		queue = append(queue, strings.TrimPrefix(string(m[1]), "/"))
	}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		if seen[f] {
			continue
		}
		seen[f] = true
		src, err := fs.ReadFile(FS, f)
		if err != nil {
			t.Fatalf("%s loads %s: %v", page, f, err)
		}
		for _, m := range imports.FindAllSubmatch(src, -1) {
			spec := string(m[1]) + string(m[2])
			if strings.HasPrefix(spec, "/") {
				queue = append(queue, strings.TrimPrefix(spec, "/"))
			} else {
				queue = append(queue, path.Clean(path.Join(path.Dir(f), spec)))
			}
		}
	}
	var out []string
	for f := range seen {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// vendorLibraries are the vendored libraries (pb_public/vendor/<lib>/) and
// the only pages allowed to load them.
// Leaflet and its marker clusters are loaded by no page: js/map.js loads
// them when a map is first shown (TestMapsLoadOnlyWhenShown).
var vendorLibraries = map[string][]string{
	"uplot":                 {"staff/insights.html"},
	"leaflet":               {},
	"leaflet.markercluster": {},
}

// TestEveryPageIsLight: no page ships more than 150 KB of the site's own
// HTML, CSS and JavaScript (uncompressed); a page that loads a vendored
// library keeps its own code (the files no other page loads) plus the
// library within 150 KB as well, and only the pages allowed a library load
// it. Every figure is logged, with the page's whole weight and its gzip size.
func TestEveryPageIsLight(t *testing.T) {
	pages, err := fs.Glob(FS, "*.html")
	if err != nil {
		t.Fatal(err)
	}
	staff, _ := fs.Glob(FS, "staff/*.html")
	pages = append(pages, staff...)
	if len(pages) < 10 {
		t.Fatalf("only %d pages found", len(pages))
	}
	files := map[string][]string{}
	loadedBy := map[string]int{}
	for _, page := range pages {
		files[page] = pageFiles(t, page)
		for _, f := range files[page] {
			loadedBy[f]++
		}
	}
	const limit = 150 * 1024
	for _, page := range pages {
		var site, own, vendor, gz int
		for _, f := range files[page] {
			b, err := fs.ReadFile(FS, f)
			if err != nil {
				t.Fatal(err)
			}
			if lib, ok := strings.CutPrefix(f, "vendor/"); ok {
				lib, _, _ = strings.Cut(lib, "/")
				if !slices.Contains(vendorLibraries[lib], page) {
					t.Errorf("%s loads %s; only %v may load %s", page, f, vendorLibraries[lib], lib)
				}
				vendor += len(b)
			} else {
				site += len(b)
				if loadedBy[f] == 1 {
					own += len(b)
				}
			}
			var buf bytes.Buffer
			w := gzip.NewWriter(&buf)
			_, _ = w.Write(b)
			_ = w.Close()
			gz += buf.Len()
		}
		if vendor == 0 {
			t.Logf("%-28s %6.1f KB (%5.1f KB gzip)", page, float64(site)/1024, float64(gz)/1024)
		} else {
			t.Logf("%-28s %6.1f KB site code + %.1f KB vendored = %.1f KB (%5.1f KB gzip); own code + vendored %.1f KB",
				page, float64(site)/1024, float64(vendor)/1024, float64(site+vendor)/1024, float64(gz)/1024, float64(own+vendor)/1024)
		}
		if site > limit {
			t.Errorf("%s ships %d bytes of HTML, CSS and JavaScript; the limit is 150 KB", page, site)
		}
		if vendor > 0 && own+vendor > limit {
			t.Errorf("%s ships %d bytes of its own code and vendored libraries; the limit is 150 KB", page, own+vendor)
		}
	}
}

// TestEverySiteFileIsEmbedded: what is in the folder is in the binary.
func TestEverySiteFileIsEmbedded(t *testing.T) {
	for _, want := range []string{"index.html", "404.html", "css/site.css", "js/api.js", "js/ui.js", "js/i18n.js", "js/strings.js", "staff/index.html",
		"vendor/uplot/uPlot.iife.min.js", "vendor/uplot/uPlot.min.css", "vendor/uplot/LICENSE"} {
		if _, err := fs.Stat(FS, want); err != nil {
			t.Errorf("%s is not embedded: %v", want, err)
		}
	}
	if _, err := fs.Stat(FS, "embed.go"); err == nil {
		t.Error("the Go source is served as part of the site")
	}
}

// gzipSize is the size of b compressed as the site serves it.
func gzipSize(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Len()
}

// TestMapsLoadOnlyWhenShown: no page loads the map code (js/map.js, its
// stylesheet, Leaflet, the marker clusters) before a map is shown — pages
// import js/map.js with import() only — and the map's own weight, logged,
// stays within its budget (gzip, as served).
func TestMapsLoadOnlyWhenShown(t *testing.T) {
	pages, _ := fs.Glob(FS, "*.html")
	staff, _ := fs.Glob(FS, "staff/*.html")
	mapCode := func(f string) bool {
		return f == "js/map.js" || f == "css/map.css" || strings.HasPrefix(f, "vendor/leaflet")
	}
	for _, page := range append(pages, staff...) {
		for _, f := range pageFiles(t, page) {
			if mapCode(f) {
				t.Errorf("%s loads %s before any map is shown", page, f)
			}
		}
	}
	dynamic := regexp.MustCompile(`import\(\s*"([^"]*map\.js)"\s*\)`)
	users := 0
	_ = fs.WalkDir(FS, "js", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, _ := fs.ReadFile(FS, p)
		for _, m := range dynamic.FindAllSubmatch(src, -1) {
			if got := path.Clean(path.Join(path.Dir(p), string(m[1]))); got != "js/map.js" {
				t.Errorf("%s imports %s", p, got)
			}
			users++
		}
		return nil
	})
	if users < 4 {
		t.Errorf("only %d dynamic imports of js/map.js (report form, problems, staff request and queue)", users)
	}
	// what a map costs once shown: the picker (Leaflet alone), a map of many points (with clusters)
	picker := []string{"js/map.js", "css/map.css", "vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css", "vendor/leaflet/images/marker-icon.png",
		"vendor/leaflet/images/marker-shadow.png"}
	clustered := append(slices.Clone(picker), "vendor/leaflet.markercluster/leaflet.markercluster.js",
		"vendor/leaflet.markercluster/MarkerCluster.css", "vendor/leaflet.markercluster/MarkerCluster.Default.css")
	const budget = 80 * 1024 // gzip
	for name, files := range map[string][]string{"picker": picker, "clustered map": clustered} {
		raw, gz := 0, 0
		for _, f := range files {
			b, err := fs.ReadFile(FS, f)
			if err != nil {
				t.Fatal(err)
			}
			raw += len(b)
			if strings.HasSuffix(f, ".png") {
				gz += len(b) // served as it is
			} else {
				gz += gzipSize(b)
			}
		}
		t.Logf("%-14s %6.1f KB (%5.1f KB gzip), loaded when the map is shown", name, float64(raw)/1024, float64(gz)/1024)
		if gz > budget {
			t.Errorf("the %s weighs %d bytes gzip; its budget is 80 KB", name, gz)
		}
	}
}
