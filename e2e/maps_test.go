package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/townhall-portal/townhall/internal/demo"
)

// rect is an element's place on the screen.
type rect struct {
	X, Y, W, H float64
}

// rectOf is where the first element matching sel is.
func (p *page) rectOf(sel string) rect {
	p.t.Helper()
	return eval[rect](p, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect();
		return {X: r.x, Y: r.y, W: r.width, H: r.height} })()`, sel))
}

// waitTiles waits until the map in sel has drawn tiles from the test tile server.
func (p *page) waitTiles(sel string) {
	p.t.Helper()
	p.do(chromedp.ScrollIntoView(chromedp.CSS(sel)))
	p.waitFor(sel + " .leaflet-tile-loaded")
	if !strings.HasPrefix(eval[string](p, fmt.Sprintf(`document.querySelector(%q).src`, sel+" .leaflet-tile-loaded")), srv.tiles.url+"/tiles/") {
		p.t.Fatal("the tiles do not come from the test tile server")
	}
}

// waitValue waits until a field has a value and returns it.
func (p *page) waitValue(sel string) string {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if v := eval[string](p, fmt.Sprintf(`document.querySelector(%q).value`, sel)); v != "" {
			return v
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s stays empty", sel)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestPickASpotOnTheMap: on the report form, "Choose on a map" opens a
// map (its code loaded only then) with the town's tiles, focused; a click
// sets #lat and #lon (6 decimals) and tells the form with a change event on
// each; a point typed into the fields moves the pin; the arrow keys move
// the pin; closing the map gives the focus back to its button.
func TestPickASpotOnTheMap(t *testing.T) {
	p := newPage(t, 1280)
	p.signIn("john@example.com", demo.Password)
	p.open("/report.html")
	p.waitFor("#choose-on-map")
	if eval[bool](p, `!!window.L || [...document.querySelectorAll("script,link")].some((e) => /leaflet|map\.(js|css)/.test(e.src || e.href))`) {
		t.Fatal("the map code is loaded before the map is opened")
	}
	eval[bool](p, `(window.changes = [], ["lat", "lon"].forEach((id) => document.getElementById(id)
		.addEventListener("change", (ev) => window.changes.push(id + "=" + ev.target.value + (ev.bubbles ? "" : " (not bubbling)")))), true)`)
	served := srv.tiles.served.Load()
	p.click("#choose-on-map")
	p.waitTiles("#map-picker")
	if srv.tiles.served.Load() == served {
		t.Error("no tile was asked of the test tile server")
	}
	if got := eval[string](p, `document.querySelector("#choose-on-map").getAttribute("aria-expanded") + " " + (document.activeElement.classList.contains("leaflet-container") ? "map focused" : document.activeElement.outerHTML.slice(0, 80))`); got != "true map focused" {
		t.Errorf("after opening: %s", got)
	}

	r := p.rectOf("#map-picker .map")
	// near the middle: the map opens on the county's boundary, and a wide map shows land beyond it at the sides
	p.do(chromedp.MouseClickXY(r.X+r.W*0.53, r.Y+r.H*0.45))
	lat, lon := p.waitValue("#lat"), p.waitValue("#lon")
	for _, v := range []string{lat, lon} {
		if i := strings.IndexByte(v, '.'); i < 0 || len(v)-i-1 != 6 {
			t.Errorf("%q does not have 6 decimals", v)
		}
	}
	la, _ := strconv.ParseFloat(lat, 64)
	lo, _ := strconv.ParseFloat(lon, 64)
	if la < 44.9 || la > 45.1 || lo < -93.2 || lo > -93.0 {
		t.Errorf("the spot %s, %s is not in the county the map opened on", lat, lon)
	}
	if got := eval[string](p, `window.changes.join(" ")`); got != "lat="+lat+" lon="+lon {
		t.Errorf("change events: %q, want lat then lon", got)
	}
	p.waitFor("#map-picker .leaflet-marker-icon")

	// a point given otherwise moves the pin (to the middle of the map) and fires nothing back
	eval[bool](p, `(window.changes = [], document.getElementById("lat").value = "44.990000", document.getElementById("lon").value = "-93.100000",
		document.getElementById("lon").dispatchEvent(new Event("change", {bubbles: true})), true)`)
	time.Sleep(400 * time.Millisecond)
	pin, m := p.rectOf("#map-picker .leaflet-marker-icon"), p.rectOf("#map-picker .map")
	if dx := pin.X + pin.W/2 - (m.X + m.W/2); dx*dx > 25 {
		t.Errorf("the pin did not move to the typed point: pin %+v, map %+v", pin, m)
	}
	if got := eval[string](p, `window.changes.join(" ")`); got != "lon=-93.100000" {
		t.Errorf("moving the pin fired %q", got)
	}

	// the keyboard moves the pin
	eval[bool](p, `(document.querySelector("#map-picker .leaflet-marker-icon").focus(), true)`)
	p.do(chromedp.KeyEvent(kb.ArrowRight))
	time.Sleep(200 * time.Millisecond)
	got := eval[string](p, `document.getElementById("lon").value`)
	if v, _ := strconv.ParseFloat(got, 64); v <= -93.1 || v > -93.09 {
		t.Errorf("the right arrow on the pin put the longitude at %s (from -93.100000)", got)
	}
	// Enter on the map puts the pin in its middle
	eval[bool](p, `(window.changes = [], document.querySelector("#map-picker .map").focus(), true)`)
	p.do(chromedp.KeyEvent(kb.Enter))
	time.Sleep(200 * time.Millisecond)
	if got := eval[string](p, `window.changes.length + " " + document.getElementById("lon").value`); !strings.HasPrefix(got, "2 -93.") {
		t.Errorf("Enter on the map: %s", got)
	}
	p.axe("report with the map open")
	p.shot("report-map")

	p.click("#choose-on-map")
	if got := eval[string](p, `(document.getElementById("map-picker").hidden ? "closed " : "open ") + document.activeElement.id`); got != "closed choose-on-map" {
		t.Errorf("after closing: %s", got)
	}
	before := eval[string](p, `document.getElementById("lat").value`)
	time.Sleep(200 * time.Millisecond)
	if v := eval[string](p, `document.getElementById("lat").value`); v != before || v == "" {
		t.Errorf("closing the map changed #lat from %q to %q", before, v)
	}
}

// TestMapsAccessibleInBothLanguages: the report form with its map open and
// the problems page with its map drawn pass axe in English and Spanish at
// 1280 and 360 px.
func TestMapsAccessibleInBothLanguages(t *testing.T) {
	for _, lang := range []string{"en", "es"} {
		for _, width := range []int64{1280, 360} {
			t.Run(fmt.Sprintf("%s-%d", lang, width), func(t *testing.T) {
				p := newPage(t, width)
				eval[bool](p, `(localStorage.setItem("th_lang", "`+lang+`"), true)`)
				p.open("/problems.html")
				p.waitTiles("#problems-map")
				p.waitFor("#problems-map .leaflet-marker-icon")
				p.axe(lang + " problems map")
				p.shot(lang + "_problems-map")

				p.signIn("john@example.com", demo.Password)
				eval[bool](p, `(() => { const a = JSON.parse(localStorage.getItem("th_auth")); a.record.language = "`+lang+`";
					localStorage.setItem("th_auth", JSON.stringify(a)); return true })()`)
				p.open("/report.html")
				p.click("#choose-on-map")
				p.waitTiles("#map-picker")
				r := p.rectOf("#map-picker .map")
				p.do(chromedp.MouseClickXY(r.X+r.W/2, r.Y+r.H/2))
				p.waitFor("#map-picker .leaflet-marker-icon")
				p.axe(lang + " report map")
				p.shot(lang + "_report-map")
			})
		}
	}
}

// TestProblemsMap: the public map shows the public reports as markers
// (clustered), follows the filters, and a marker's popup has the report's
// public summary and a link to it.
func TestProblemsMap(t *testing.T) {
	p := newPage(t, 1280)
	p.open("/problems.html")
	p.waitTiles("#problems-map")
	p.waitFor("#problems-map .leaflet-marker-icon")
	count := func() int {
		return eval[int](p, `[...document.querySelectorAll("#problems-map .leaflet-marker-icon")].reduce((n, el) =>
			n + (el.classList.contains("marker-cluster") ? Number(el.textContent.match(/\d+/)[0]) : 1), 0)`)
	}
	all := count()
	if all == 0 {
		t.Fatal("no markers")
	}
	// Enter on a cluster opens it (zooms in until its reports stand apart)
	if eval[bool](p, `(() => { const c = document.querySelector("#problems-map .marker-cluster"); if (c) c.focus(); return !!c })()`) {
		zoomed := eval[string](p, `document.querySelector("#problems-map .leaflet-proxy").style.transform`)
		p.do(chromedp.KeyEvent(kb.Enter))
		deadline := time.Now().Add(5 * time.Second)
		for eval[string](p, `document.querySelector("#problems-map .leaflet-proxy").style.transform`) == zoomed && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		if eval[string](p, `document.querySelector("#problems-map .leaflet-proxy").style.transform`) == zoomed {
			t.Error("Enter on a cluster did not zoom in")
		}
	}
	// open clusters until single reports show, then open one's popup
	for range 8 {
		if eval[bool](p, `!!document.querySelector("#problems-map .leaflet-marker-icon:not(.marker-cluster)")`) {
			break
		}
		eval[bool](p, `(document.querySelector("#problems-map .marker-cluster").click(), true)`)
		time.Sleep(700 * time.Millisecond)
	}
	// a marker can still be moving when the zoom of a cluster ends: click
	// it (as the clusters above) once nothing is animated, again until its
	// popup opens
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		if eval[bool](p, `!!document.querySelector("#problems-map .leaflet-popup-content")`) {
			break
		}
		eval[bool](p, `(() => {
			if (document.querySelector("#problems-map .leaflet-zoom-anim, #problems-map .leaflet-cluster-anim")) return false;
			const m = document.querySelector("#problems-map .leaflet-marker-icon:not(.marker-cluster)");
			if (m) m.click();
			return !!m })()`)
	}
	p.waitFor("#problems-map .leaflet-popup-content a[href*='problems.html?reference=']")
	p.waitText("#problems-map .leaflet-popup-content", "Reported")
	p.axe("problems map with a popup")
	href := eval[string](p, `document.querySelector("#problems-map .leaflet-popup-content a").getAttribute("href")`)
	p.open(href)
	p.waitFor("#list .card")
	if n := eval[int](p, `document.querySelectorAll("#list .card").length`); n != 1 {
		t.Errorf("%s lists %d reports", href, n)
	}

	// the filters apply to the map as to the list
	p.open("/problems.html")
	p.waitTiles("#problems-map")
	p.waitFor("#problems-map .leaflet-marker-icon")
	before := count()
	p.choose("#status", "resolved")
	deadline := time.Now().Add(10 * time.Second)
	for count() == before && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if after := count(); after >= before {
		t.Errorf("recently resolved only: %d markers, %d before", after, before)
	}
}

// TestStaffMaps: a report's page shows its point on a small map with its
// address; the queue's Map view shows the listed work.
func TestStaffMaps(t *testing.T) {
	var id string
	if err := srv.app.DB().NewQuery(`SELECT c.id FROM complaints c JOIN departments d ON d.id = c.department
		WHERE c.has_location = TRUE AND c.status IN ('new', 'acknowledged', 'in_progress') ORDER BY c.created DESC LIMIT 1`).Row(&id); err != nil {
		t.Fatal(err)
	}
	p := newPage(t, 1280)
	p.staffSignIn("director@pinecounty.example")
	p.open("/staff/request.html?kind=complaint&id=" + id)
	p.waitTiles("#point-map")
	p.waitFor("#point-map .leaflet-marker-icon")
	p.axe("staff request with its map")
	p.shot("staff-request-map")

	p.open("/staff/")
	p.waitFor("#queue tbody a")
	p.click("#show-map")
	p.waitTiles("#queue-map-box")
	p.waitFor("#queue-map-box .leaflet-marker-icon")
	p.waitText("#queue-map-note", "on the map")
	p.axe("staff queue map")
	p.shot("staff-queue-map")
}

// TestMapSaysWhenTilesCannotLoad: with the tile server out of reach the
// map says so under it, and the report is still sent with its address.
func TestMapSaysWhenTilesCannotLoad(t *testing.T) {
	p := newPage(t, 360)
	p.signIn("john@example.com", demo.Password)
	p.open("/report.html")
	p.intercept(srv.tiles.url+"/*", fetch.RequestStageRequest, func(ctx context.Context, tg *chromedp.Target, id fetch.RequestID) error {
		_, err := cdp.Call(ctx, tg, fetch.FailRequest, fetch.FailRequestParams{RequestID: id, ErrorReason: network.ErrorReasonBlockedByClient})
		return err
	})
	p.click("#choose-on-map")
	p.waitText("#map-picker .map-status", "could not be loaded")
	p.axe("report: no map tiles")
	p.choose("#category", eval[string](p, `document.querySelector("#category option[value]:not([value=''])").value`))
	p.fill("#description", "A fallen tree blocks the sidewalk.")
	p.fill("#address", "12 Elm Street, Pine Falls")
	p.click("#send")
	p.waitFor("#done")
}
