// Package e2e drives the resident site and the staff console in a real
// browser (Debian's Chromium, headless) against a Townhall server started by
// the tests on a temporary data folder, and runs axe-core on every page.
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/townhall-portal/townhall/hooks"
	"github.com/townhall-portal/townhall/internal/demo"
	"github.com/townhall-portal/townhall/internal/testkit"
	_ "github.com/townhall-portal/townhall/pb_migrations"
	"github.com/townhall-portal/townhall/pb_public"
)

// server is the Townhall the browser talks to.
type server struct {
	app    *tests.TestApp
	portal *hooks.Portal
	url    string
	tiles  *tileServer // the maps' tiles: local, never the internet
}

var (
	srv        *server
	browserCtx context.Context
	axeSource  string
	shotsDir   string
)

// moduleRoot is the repository root (this package lives in e2e/).
func moduleRoot() string {
	wd, _ := os.Getwd()
	return filepath.Dir(wd)
}

func TestMain(m *testing.M) {
	inCI := os.Getenv("CI") == "true"
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	axePath := filepath.Join(moduleRoot(), "node_modules", "axe-core", "axe.min.js")
	if _, err := exec.LookPath(chromium); err != nil {
		if inCI {
			fmt.Fprintf(os.Stderr, "Chromium is required in CI but %s is missing\n", chromium)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "SKIP browser tests: no Chromium at %s (install it with `apt-get install -y chromium`, or set CHROMIUM)\n", chromium)
		os.Exit(0)
	}
	raw, err := os.ReadFile(axePath)
	if err != nil {
		if inCI {
			fmt.Fprintf(os.Stderr, "axe-core is required in CI but %s is missing (run `npm ci`)\n", axePath)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "SKIP browser tests: axe-core is not installed (run `npm ci` in the repository root)\n")
		os.Exit(0)
	}
	axeSource = string(raw)
	shotsDir = filepath.Join(moduleRoot(), "test-artifacts", "screens")
	_ = os.MkdirAll(shotsDir, 0o755)

	code, err := run(m, chromium)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(code)
}

func run(m *testing.M, chromium string) (int, error) {
	dir, err := os.MkdirTemp("", "townhall_e2e_*")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	s, stop, err := startServer(dir, demo.Options{})
	if err != nil {
		return 0, err
	}
	defer stop()
	srv = s

	userData, err := os.MkdirTemp("", "townhall_chromium_*")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(userData)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.UserDataDir(userData),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("lang", "en-US"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		return 0, fmt.Errorf("starting Chromium: %w", err)
	}
	browserCtx = ctx
	return m.Run(), nil
}

// startServer runs Townhall in-process with the demo county on a free port
// (with opts: its history too).
func startServer(dir string, opts demo.Options) (*server, func(), error) {
	app, err := tests.NewTestApp(dir)
	if err != nil {
		return nil, nil, err
	}
	portal := hooks.Register(app)
	hooks.ServeSite(app, pb_public.FS)
	if err := demo.SeedWith(app, portal, ioDiscard{}, opts); err != nil {
		return nil, nil, err
	}
	// many sign-ins from one address in a few seconds: the limits are tested in hooks
	app.Settings().RateLimits.Enabled = false

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	url := "http://" + l.Addr().String()
	app.Settings().Meta.AppURL = url
	tiles, err := startTileServer(app)
	if err != nil {
		return nil, nil, err
	}

	mux, err := testkit.Handler(app)
	if err != nil {
		return nil, nil, err
	}
	httpServer := &http.Server{Handler: mux}
	go func() { _ = httpServer.Serve(l) }()
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = httpServer.Shutdown(ctx)
		tiles.close()
		app.Cleanup()
	}
	return &server{app: app, portal: portal, url: url, tiles: tiles}, stop, nil
}

type ioDiscard struct{}

func (ioDiscard) Write(p []byte) (int, error) { return len(p), nil }

// page is one browser tab.
type page struct {
	t     *testing.T
	ctx   context.Context
	width int64
}

// newPage opens a tab of the given width in its own browser context (its own
// storage and sign-in, like a separate person's browser).
func newPage(t *testing.T, width int64) *page {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	p := &page{t: t, ctx: ctx, width: width}
	// the first action on a tab's context opens the tab, for the life of that
	// context: it must not carry a timeout
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	p.do(chromedp.EmulateViewport(width, 900), chromedp.Navigate(srv.url+"/404.html"),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool]("(localStorage.clear(), true)")(ctx, t)
			return err
		}))
	return p
}

// do runs browser steps or fails the test.
func (p *page) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.t.Fatalf("browser: %v", err)
	}
}

// eval evaluates JavaScript (awaiting promises) and returns its value.
func eval[T any](p *page, js string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("evaluating %.80s: %v", js, err)
	}
	return v
}

// open loads a page and waits until its script has drawn the header.
func (p *page) open(path string) {
	p.t.Helper()
	p.do(chromedp.Navigate(srv.url + path))
	p.waitFor(".site-header .brand")
	p.settle()
}

// settle waits until no "Loading…" text is left in the main content.
func (p *page) settle() {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		busy := eval[bool](p, `(() => { const m = document.querySelector("main"); return !m || /Loading…|Cargando…/.test(m.innerText) })()`)
		if !busy {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitFor waits until a CSS selector is visible.
func (p *page) waitFor(sel string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		url := eval[string](p, "location.href")
		text := eval[string](p, `(document.querySelector("main")||document.body).innerText`)
		p.t.Fatalf("%s never showed %s (%v); the page says: %.400s", url, sel, err, text)
	}
}

// waitText waits until the element's text contains want.
func (p *page) waitText(sel, want string) {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got := eval[string](p, fmt.Sprintf(`(document.querySelector(%q)||{}).innerText||""`, sel))
		if strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s never said %q; it says %q", sel, want, got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// fill types a value into a field (replacing what is there).
func (p *page) fill(sel, value string) {
	p.t.Helper()
	// a live update may redraw the field while it is typed into: start again
	var err error
	for range 5 {
		if !eval[bool](p, fmt.Sprintf(`(() => { const el = document.querySelector(%q); if (!el) return false; el.value = ""; el.focus(); return true })()`, sel)) {
			p.t.Fatalf("no field %s", sel)
		}
		ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
		err = chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(sel), value))
		cancel()
		if err == nil {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	p.t.Fatalf("typing into %s: %v", sel, err)
}

// choose picks an option of a select by its value, as a person would.
func (p *page) choose(sel, value string) {
	p.t.Helper()
	ok := eval[bool](p, fmt.Sprintf(`(() => { const el = document.querySelector(%q); if (!el) return false;
		el.value = %q; el.dispatchEvent(new Event("change", {bubbles: true})); return el.value === %q })()`, sel, value, value))
	if !ok {
		p.t.Fatalf("%s has no option %q", sel, value)
	}
}

// click clicks an element.
func (p *page) click(sel string) {
	p.t.Helper()
	// a live update may redraw the element between finding and clicking it
	var err error
	for range 5 {
		ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
		err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel)))
		cancel()
		if err == nil {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	p.t.Fatalf("clicking %s: %v", sel, err)
}

// shot saves a full-page screenshot in test-artifacts/screens.
func (p *page) shot(name string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	file := filepath.Join(shotsDir, fmt.Sprintf("%s-%d.png", safeName(name), p.width))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

var unsafeChars = regexp.MustCompile(`[^a-zA-Z0-9_-]+`)

func safeName(s string) string { return strings.Trim(unsafeChars.ReplaceAllString(s, "_"), "_") }

// axeViolation is one rule axe-core found broken.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// axe runs axe-core with the WCAG 2.1 A and AA rules and fails on any violation.
func (p *page) axe(name string) {
	p.t.Helper()
	for _, v := range p.axeViolations() {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, fmt.Sprintf("%v %.120s", n.Target, n.HTML))
		}
		p.t.Errorf("axe %s on %s: %s (%s)\n  %s", v.ID, name, v.Help, v.Impact, strings.Join(where, "\n  "))
	}
}

// axeViolations runs axe-core on the page as it is now.
func (p *page) axeViolations() []axeViolation {
	p.t.Helper()
	if !eval[bool](p, `typeof window.axe !== "undefined"`) {
		eval[bool](p, axeSource+";true")
	}
	raw := eval[string](p, `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
		.then(r => JSON.stringify(r.violations))`)
	var violations []axeViolation
	if err := json.Unmarshal([]byte(raw), &violations); err != nil {
		p.t.Fatalf("axe result: %v", err)
	}
	return violations
}

// staffSignIn signs a demo staff member in on the staff console.
func (p *page) staffSignIn(email string) {
	p.t.Helper()
	p.open("/staff/signin.html")
	p.fill("#email", email)
	p.fill("#password", demo.Password)
	p.click("#signin button[type=submit]")
	p.waitFor("#queue tbody a")
	p.settle()
}

// signIn signs a demo resident in through the sign-in page.
func (p *page) signIn(email, password string) {
	p.t.Helper()
	p.open("/signin.html")
	p.fill("#email", email)
	p.fill("#password", password)
	p.click("#signin button[type=submit]")
	p.do(chromedp.WaitReady(chromedp.CSS(".site-header a[href='/profile.html']"))) // on a phone it is in the closed menu
}

// lastMailTo returns the newest email the server sent to address, waiting
// a little: account emails leave through the outbox, just after the request.
func lastMailTo(t *testing.T, address string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		msgs := srv.app.TestMailer.Messages()
		for i := len(msgs) - 1; i >= 0; i-- {
			for _, to := range msgs[i].To {
				if strings.EqualFold(to.Address, address) {
					return msgs[i].HTML + "\n" + msgs[i].Text
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no email to %s (%d sent)", address, len(msgs))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// intercept pauses the page's requests to URLs matching pattern at stage
// (before they leave, or when their answer is back) and lets answer decide
// what becomes of each (fulfil it with a fault, fail it ...), until the
// test turns interception off (fetch.Disable).
func (p *page) intercept(pattern string, stage fetch.RequestStage, answer func(context.Context, *chromedp.Target, fetch.RequestID) error) {
	p.t.Helper()
	paused := make(chan fetch.RequestID, 4)
	if err := chromedp.Listen(p.ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			select {
			case paused <- e.RequestID:
			default:
			}
		}
	}); err != nil {
		p.t.Fatal(err)
	}
	p.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: pattern, RequestStage: stage}}})
		return err
	}))
	go func() {
		for {
			select {
			case id := <-paused:
				_ = chromedp.Do(p.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error { return answer(ctx, tg, id) }))
			case <-p.ctx.Done():
				return
			}
		}
	}()
}
