package e2e

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/townhall-portal/townhall/internal/demo"
)

// historyShare is the share of the demo history's volume the Insights test
// seeds: a tenth (about 600 reports and applications over 18 months, every
// kind of event) takes a few seconds where the whole history takes 40.
const historyShare = 0.1

// onHistoryServer points the test's pages at a server of its own whose demo
// county has its history (the shared server has none, and the other tests
// count its requests), for the length of the test.
func onHistoryServer(t *testing.T) {
	t.Helper()
	dir, err := os.MkdirTemp("", "townhall_e2e_history_*")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	s, stop, err := startServer(dir, demo.Options{History: true, HistoryShare: historyShare})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the demo county with %.0f %% of its history is ready in %s", 100*historyShare, time.Since(start).Round(100*time.Millisecond))
	shared := srv
	srv = s
	t.Cleanup(func() {
		srv = shared
		stop()
		os.RemoveAll(dir)
	})
}

// charts waits until every monthly chart of the Insights page is drawn (a
// uPlot canvas in each figure, hidden from screen readers) and returns how
// many there are.
func (p *page) charts() int {
	p.t.Helper()
	p.waitFor(".chart .chart-plot canvas")
	return eval[int](p, `(() => {
		const figs = [...document.querySelectorAll("#report .chart")];
		return figs.every((f) => f.querySelector(".chart-plot[aria-hidden=true] .uplot canvas") && f.querySelector(".u-legend")) ? figs.length : -1;
	})()`)
}

// show applies the Insights filters and waits for the figures.
func (p *page) show() {
	p.t.Helper()
	p.click("#filters button[type=submit]")
	p.settle()
	p.waitText("#status", "Figures as of")
}

// cell is the text of a cell of the Insights table with that caption: the
// row whose first cell is row, the column numbered col (0 the row's name).
func (p *page) cell(caption, row string, col int) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf(`(() => {
		const t = [...document.querySelectorAll("#report table")].find((t) => t.caption && t.caption.textContent === %q);
		const r = t && [...t.tBodies[0].rows].find((r) => r.cells[0].textContent === %q);
		return r && r.cells[%d] ? r.cells[%d].textContent : "(none)";
	})()`, caption, row, col, col))
}

// number reads a count the page wrote ("1,234").
func number(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscanf(strings.ReplaceAll(s, ",", ""), "%d", &n); err != nil {
		t.Fatalf("%q is not a count", s)
	}
	return n
}

// download clicks a CSV button and returns the file the browser is given
// to save: its name and its bytes (the page hands the browser a blob under
// the server's file name; the test reads that same blob instead of letting
// the browser write it to a disk).
func (p *page) download(button string) (name string, data []byte) {
	p.t.Helper()
	eval[bool](p, `(() => { window.saved = null; if (!window.saveCaught) { window.saveCaught = true;
		const blobURL = URL.createObjectURL, blobs = new Map();
		URL.createObjectURL = (b) => { const u = blobURL(b); blobs.set(u, b); return u; };
		const click = HTMLAnchorElement.prototype.click;
		HTMLAnchorElement.prototype.click = function () {
			const b = this.download && blobs.get(this.href);
			if (b) { const name = this.download; window.saved = b.arrayBuffer()
				.then((d) => ({ name, data: btoa(String.fromCharCode(...new Uint8Array(d))) })); return; }
			return click.call(this);
		}; } return true })()`)
	p.clickButton(button)
	got := eval[map[string]string](p, `(async () => { for (let i = 0; i < 100 && !window.saved; i++) await new Promise((r) => setTimeout(r, 50)); return window.saved ? await window.saved : {} })()`)
	raw, err := base64.StdEncoding.DecodeString(got["data"])
	if err != nil || got["name"] == "" {
		p.t.Fatalf("%q saved no file: %v %v", button, got, err)
	}
	return got["name"], raw
}

// clickButton clicks the button that says text.
func (p *page) clickButton(text string) {
	p.t.Helper()
	if !eval[bool](p, fmt.Sprintf(`(() => { const b = [...document.querySelectorAll("button")].find((b) => b.textContent === %q); if (b) b.click(); return !!b })()`, text)) {
		p.t.Fatalf("no button %q", text)
	}
}

// cdpDo runs one DevTools command on the page's tab.
func (p *page) cdpDo(f func(ctx context.Context, tg *chromedp.Target) error) {
	p.t.Helper()
	p.do(chromedp.Func(f))
}

// pdfPage is a page object of a PDF (not the /Pages tree).
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

var isoDate = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[-+]\d{2}:\d{2}`)

// TestInsightsPage is the "done when": a director signed in to the
// demo county (with a tenth of its history) sees every figure, filters it
// by department, category, channel and period, compares periods, sets a
// target and sees its progress, downloads CSV (BOM, ISO dates, the filters
// in the file name) and prints the council report (print media: a page a
// department with its charts, trend sentences and targets, none of the
// console); a clerk sees their own department's figures. axe finds nothing
// on Insights (the console is in English whatever the reader's language)
// nor on /stats.html in both languages, at 360 and 1280 px.
func TestInsightsPage(t *testing.T) {
	onHistoryServer(t)
	p := newPage(t, 1280)
	p.staffSignIn("director@pinecounty.example")
	// no target is set yet: the staff home lists none
	p.open("/staff/")
	p.waitText("#summary", "item")
	if eval[bool](p, `!document.querySelector("#targets-at-risk").hidden`) {
		t.Error("the staff home shows targets at risk before any target is set")
	}
	// residents answer "Was this page helpful?" (anonymous)
	for _, a := range []string{`{"page":"/help.html","helpful":true}`, `{"page":"/help.html","helpful":false,"comment":"Opening hours are hard to find"}`,
		`{"page":"/service.html?category=pothole","helpful":true}`} {
		if !eval[bool](p, `fetch("/api/collections/page_feedback/records", {method: "POST", headers: {"Content-Type": "application/json"}, body: '`+a+`'}).then((r) => r.ok)`) {
			t.Fatalf("answer %s refused", a)
		}
	}

	// this year so far: months of figures (the month just begun has few)
	p.open("/staff/insights.html?period=year")
	p.waitText("#report", "Response times")
	p.waitText("#report", "Download volume as CSV")
	p.waitText("main", "How we count")
	// every figure, with numbers in it
	for _, h := range []string{"Month by month", "Volume", "Response times (business hours)", "Permits (calendar days)", "Satisfaction", "Completion",
		"Quality", "Open work now (longest waiting first)", "Comments from ratings (staff only)", "Was this page helpful? (the site's own pages)", "Trends", "Targets"} {
		if !eval[bool](p, fmt.Sprintf(`[...document.querySelectorAll("#report h2")].some((h) => h.textContent === %q)`, h)) {
			t.Errorf("no section %q", h)
		}
	}
	county := number(t, p.cell("Volume", "All", 1))
	if county == 0 || p.cell("Response times", "Median to resolve", 1) == "—" || p.cell("Ratings", "Average", 1) == "—" ||
		p.cell("Permit decisions", "All types", 1) == "0" || p.cell("Answers per page", "/help.html", 2) != "1" {
		t.Errorf("figures missing: received %d, to resolve %q, satisfaction %q, decided %q, help page yes %q", county,
			p.cell("Response times", "Median to resolve", 1), p.cell("Ratings", "Average", 1), p.cell("Permit decisions", "All types", 1),
			p.cell("Answers per page", "/help.html", 2))
	}
	p.waitText("#report", "Opening hours are hard to find")
	p.waitText("#report", "of the 3 answers found the page helpful")
	if n := p.charts(); n != 6 {
		t.Fatalf("%d charts drawn, want 6 (one per key figure)", n)
	}
	if rows := eval[int](p, `[...document.querySelectorAll("#report table")].find((t) => t.caption && t.caption.textContent === "Month by month").tBodies[0].rows.length`); rows != 12 {
		t.Errorf("the month-by-month table has %d rows, want 12", rows)
	}
	// periods compared: each figure against the previous period and last year, in words
	p.waitText("#report", "Against last year: ")
	if !eval[bool](p, `/ (rose|fell) \d+ % \(from /.test(document.querySelector("#report").innerText)`) {
		t.Error("no trend sentence says how a figure moved")
	}
	p.axe("staff insights (director)")
	p.shot("staff_insights")

	// filters: department, category, channel, period
	p.choose("#department", "demodeptwork001")
	p.show()
	p.waitText("#report", "Department: Public Works.")
	works := number(t, p.cell("Volume", "All", 1))
	if works == 0 || works >= county {
		t.Errorf("Public Works received %d of the county's %d", works, county)
	}
	p.choose("#service", "c:democatpothole1")
	p.show()
	if potholes := number(t, p.cell("Volume", "All", 1)); potholes >= works || p.cell("Volume", "Permit applications", 1) != "0" {
		t.Errorf("potholes: %d received (Public Works %d), applications %q", potholes, works, p.cell("Volume", "Permit applications", 1))
	}
	p.choose("#channel", "phone")
	p.show()
	if ch := eval[string](p, `[...document.querySelectorAll("#report table")].find((t) => t.caption && t.caption.textContent === "Channels").tBodies[0].innerText`); strings.Contains(ch, "online") {
		t.Errorf("the phone filter still counts online requests: %q", ch)
	}
	if q := eval[string](p, "location.search"); !strings.Contains(q, "department=demodeptwork001") || !strings.Contains(q, "category=democatpothole1") || !strings.Contains(q, "channel=phone") {
		t.Errorf("the filters are not in the address: %s", q)
	}
	// a CSV of the filtered figures: named for the filters, BOM, ISO dates
	file, data := p.download("Download volume as CSV")
	if !regexp.MustCompile(`^insights-volume-\d{4}-\d{2}-01_\d{4}-\d{2}-\d{2}-PW-pothole-phone\.csv$`).MatchString(file) ||
		!strings.HasPrefix(string(data), "\uFEFFrequests,received,closed,open at period end\r\n") {
		t.Errorf("volume CSV %q: %q", file, data)
	}
	p.choose("#channel", "")
	p.choose("#service", "")
	p.show()
	file, data = p.download("Download per department as CSV")
	if !strings.HasPrefix(file, "insights-workload_departments-") || !strings.HasPrefix(string(data), "\uFEFFdepartment,open,overdue,oldest since\r\n") ||
		!isoDate.Match(data) {
		t.Errorf("workload CSV %q: %q", file, data)
	}
	// another period: a quarter, then custom dates
	p.choose("#period", "quarter")
	p.show()
	p.waitText("#report", "Period: ")
	if n := p.charts(); n != 6 {
		t.Errorf("%d charts for the quarter", n)
	}
	p.choose("#department", "")
	p.choose("#period", "custom")
	from, to := time.Now().AddDate(0, -6, 0).Format("2006-01-02"), time.Now().Format("2006-01-02")
	eval[bool](p, fmt.Sprintf(`(document.querySelector("#from").value = %q, document.querySelector("#to").value = %q, true)`, from, to))
	p.show()
	p.waitText("#report", "All departments.")
	if months := eval[int](p, `[...document.querySelectorAll("#report table")].find((t) => t.caption && t.caption.textContent === "Month by month").tBodies[0].rows.length`); months != 7 {
		t.Errorf("a custom period of six months charts %d months, want the 7 it touches", months)
	}

	// the library draws within the CSP (no inline script or style is refused)
	eval[bool](p, `(window.cspRefused = [], document.addEventListener("securitypolicyviolation", (e) => cspRefused.push(e.violatedDirective + " " + e.blockedURI)), true)`)
	p.choose("#period", "year")
	p.show()
	p.waitText("#report", "All departments")
	if n := p.charts(); n != 6 {
		t.Fatalf("%d charts drawn for the year, want 6", n)
	}
	if refused := eval[[]string](p, "cspRefused"); len(refused) > 0 {
		t.Errorf("the CSP refused: %s", strings.Join(refused, "; "))
	}
	p.axe("staff insights (year, charts)")

	// a target, and its progress
	p.choose("#period", "month")
	p.show()
	p.choose("#metric", "closed")
	p.fill("#value", "5")
	p.click("#target-form button[type=submit]")
	p.waitText("#report", "Requests closed is ")
	p.waitText("#report", "the target is at least 5:")
	p.axe("staff insights (target set)")
	// a target no month can meet: the staff home lists it above the queue
	p.choose("#metric", "satisfaction")
	p.fill("#value", "5.1")
	p.click("#target-form button[type=submit]")
	p.waitText("#report", "At risk: Average satisfaction")

	// the council report, as printed
	eval[bool](p, `(window.printed = 0, window.print = () => { window.printed++ }, true)`)
	p.click("#print")
	p.waitText("#status", "The council report is ready")
	p.waitFor(".department-report .chart canvas")
	depts := eval[int](p, `document.querySelectorAll("#department option[value]:not([value=''])").length`)
	p.cdpDo(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	})
	type printed struct {
		Printed  int      `json:"printed"`
		Titles   []string `json:"titles"`
		Breaks   []string `json:"breaks"`
		Charts   []int    `json:"charts"`
		Trends   []bool   `json:"trends"`
		Targets  []bool   `json:"targets"`
		Console  []string `json:"console"`
		Unbroken []string `json:"unbroken"`
	}
	got := eval[printed](p, `(() => {
		const secs = [...document.querySelectorAll("#report .department-report")];
		const shown = (el) => el.getClientRects().length > 0;
		return {
			printed: window.printed,
			titles: secs.map((s) => s.querySelector("h2").textContent),
			breaks: secs.map((s) => getComputedStyle(s).breakBefore),
			charts: secs.map((s) => [...s.querySelectorAll(".chart .uplot canvas")].filter(shown).length),
			trends: secs.map((s) => / (rose|fell) \d+ % \(from | did not change /.test(s.innerText)),
			targets: secs.map((s) => s.innerText.includes("the target is at least 5:")),
			console: [...document.querySelectorAll(".site-header, .site-footer, .skip-link, #filters, #status, button, select, input, #target-form")]
				.filter(shown).map((el) => el.outerHTML.slice(0, 80)),
			unbroken: [...document.querySelectorAll("#report .chart, #report .cards li")].filter((el) => getComputedStyle(el).breakInside !== "avoid").map((el) => el.className),
		};
	})()`)
	if got.Printed != 1 || len(got.Titles) != depts+1 || got.Titles[0] != "Council report: The whole county" {
		t.Errorf("the council report: printed %d times, pages %v (want the county and %d departments)", got.Printed, got.Titles, depts)
	}
	for i := range got.Titles {
		want := "page"
		if i == 0 {
			want = "auto"
		}
		if got.Breaks[i] != want || got.Charts[i] != 6 || !got.Trends[i] || !got.Targets[i] {
			t.Errorf("%s: break before %q (want %q), %d charts, trend sentences %v, targets %v", got.Titles[i], got.Breaks[i], want, got.Charts[i], got.Trends[i], got.Targets[i])
		}
	}
	if len(got.Console) > 0 || len(got.Unbroken) > 0 {
		t.Errorf("printed with the console: %v; charts or cards that may break across pages: %v", got.Console, got.Unbroken)
	}
	var pdf []byte
	p.cdpDo(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, cdppage.PrintToPDF, cdppage.PrintToPDFParams{})
		pdf = res.Data
		return err
	})
	if pages := len(pdfPage.FindAll(pdf, -1)); pages < depts+1 {
		t.Errorf("the council report's PDF has %d pages, want at least %d (a page a department)", pages, depts+1)
	} else {
		t.Logf("the council report's PDF: %d pages, %d KB", pages, len(pdf)/1024)
	}
	_ = os.WriteFile(shotsDir+"/council_report.pdf", pdf, 0o644)
	// as on paper (Letter, 15 mm margins: 703 px wide)
	p.do(chromedp.EmulateViewport(703, 900))
	p.shot("council_report_print")
	p.do(chromedp.EmulateViewport(1280, 900))
	// each department's report fits its page: printed alone, it is one page
	// (the first page also carries the page's title)
	for i, title := range got.Titles {
		eval[bool](p, fmt.Sprintf(`(() => { const secs = [...document.querySelectorAll("#report .department-report")];
			secs.forEach((s, j) => { s.style.display = j === %d ? "" : "none" });
			for (const el of document.querySelectorAll("main > h1, #scope-line")) el.style.display = %d === 0 ? "" : "none";
			document.querySelector(".how").style.display = "none"; return true })()`, i, i))
		p.cdpDo(func(ctx context.Context, tg *chromedp.Target) error {
			res, err := cdp.Call(ctx, tg, cdppage.PrintToPDF, cdppage.PrintToPDFParams{})
			pdf = res.Data
			return err
		})
		if pages := len(pdfPage.FindAll(pdf, -1)); pages != 1 {
			t.Errorf("%s prints on %d pages, want 1", title, pages)
		}
	}
	eval[bool](p, `(() => { for (const el of document.querySelectorAll("#report .department-report, main > h1, #scope-line, .how")) el.style.display = ""; return true })()`)
	p.cdpDo(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
		return err
	})

	p.open("/staff/")
	p.waitText("#targets-at-risk", "Targets at risk this month")
	p.waitText("#targets-at-risk", "Average satisfaction")
	p.axe("staff home (targets at risk)")

	// axe in both languages at both widths: Insights stays in English (the
	// console is), the public statistics follow the reader
	for _, lang := range []string{"en", "es"} {
		for _, width := range []int64{360, 1280} {
			q := newPage(t, width)
			eval[bool](q, `(localStorage.setItem("th_lang", "`+lang+`"), true)`)
			q.open("/stats.html")
			q.waitFor("#stats-reports table")
			if got := eval[string](q, "document.documentElement.lang"); got != lang {
				t.Errorf("/stats.html in %s: <html lang=%q>", lang, got)
			}
			q.axe(fmt.Sprintf("/stats.html (%s, %d px)", lang, width))
			q.shot(fmt.Sprintf("stats_%s", lang))
			q.staffSignIn("director@pinecounty.example")
			q.open("/staff/insights.html")
			q.waitText("#report", "Response times")
			q.charts()
			if got := eval[string](q, "document.documentElement.lang"); got != "en" {
				t.Errorf("Insights for a reader of %s: <html lang=%q>, want en", lang, got)
			}
			q.axe(fmt.Sprintf("staff insights (reader of %s, %d px)", lang, width))
			q.shot(fmt.Sprintf("staff_insights_%s", lang))
		}
	}

	c := newPage(t, 1280)
	c.staffSignIn("works@pinecounty.example")
	c.open("/staff/insights.html")
	c.waitText("#report", "Department: Public Works")
	if n := c.charts(); n != 6 {
		t.Errorf("the clerk sees %d charts, want 6", n)
	}
	// the site's pages are not a department's: the clerk sees every page's answers
	c.waitText("#report", "of the 3 answers found the page helpful")
	c.axe("staff insights (clerk)")
}
