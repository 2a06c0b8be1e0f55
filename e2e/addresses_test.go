package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/demo"
)

// press sends one key (Up, Down, Enter, Escape, Tab or text) to the focused element.
func (p *page) press(keys string) {
	p.t.Helper()
	p.do(chromedp.KeyEvent(keys))
}

// focused is the id of the focused element.
func (p *page) focused() string { return eval[string](p, `document.activeElement.id`) }

// tabTo presses Tab until the element with id has the focus.
func (p *page) tabTo(id string) {
	p.t.Helper()
	for i := 0; i < 30 && p.focused() != id; i++ {
		p.press("\t")
	}
	if p.focused() != id {
		p.t.Fatalf("Tab never reached #%s (the focus is on %q)", id, p.focused())
	}
}

// TestReportByAddressSearchAlone: a resident says where by typing an
// address and choosing it from the suggestions, with the keyboard only; the
// report is filed at that address's point. axe finds nothing on the page
// with the suggestions open, in English and in Spanish.
func TestReportByAddressSearchAlone(t *testing.T) {
	for _, who := range []struct{ email, lang, found string }{{"john@example.com", "en", "1 address found"}, {"maria@example.com", "es", "1 dirección"}} {
		t.Run(who.lang, func(t *testing.T) {
			p := newPage(t, 1280)
			p.signIn(who.email, demo.Password)
			p.open("/report.html?category=pothole")
			p.waitFor("#report")
			if got := eval[string](p, "document.documentElement.lang"); got != who.lang {
				t.Fatalf("page in %q", got)
			}
			p.fill("#description", "The street light at the corner is out.")
			p.tabTo("address")
			p.press("121 main")
			p.waitFor("#address-addresses [role=option]")
			if eval[string](p, `document.querySelector("#address").getAttribute("aria-expanded")`) != "true" {
				t.Error("the combobox does not say its list is open")
			}
			p.waitText("#address-address-status", who.found)
			p.axe("report-address-search-" + who.lang)
			p.shot("report-address-search-" + who.lang)
			p.press(kb.ArrowDown)
			active := eval[string](p, `document.querySelector("#address").getAttribute("aria-activedescendant") || ""`)
			if active == "" || eval[string](p, fmt.Sprintf(`document.getElementById(%q).getAttribute("aria-selected")`, active)) != "true" {
				t.Fatalf("Down chose no option (%q)", active)
			}
			p.press(kb.Enter)
			if got := eval[string](p, `document.querySelector("#address").value`); got != "121 Main St, Pine Falls 55990" {
				t.Fatalf("the address box says %q", got)
			}
			if p.focused() != "address" || eval[bool](p, `!document.querySelector("#address-addresses").hidden`) {
				t.Error("after Enter the focus left the box or the list stayed open")
			}
			lat, lon := eval[string](p, `document.querySelector("#lat").value`), eval[string](p, `document.querySelector("#lon").value`)
			if lat == "" || lon == "" {
				t.Fatal("picking the address filled no point")
			}
			// Escape closes a list that is open again
			p.press(kb.Backspace)
			p.waitFor("#address-addresses [role=option]")
			p.press(kb.Escape)
			if eval[bool](p, `!document.querySelector("#address-addresses").hidden`) {
				t.Error("Escape left the list open")
			}
			p.press(kb.ArrowDown)
			p.press(kb.Enter)
			p.tabTo("send")
			p.press(kb.Enter)
			p.waitFor("#done")
			ref := eval[string](p, `(document.querySelector("#done").innerText.match(/SR-\d{4}-\d{5}/) || [""])[0]`)
			r, err := srv.app.FindFirstRecordByData("complaints", "reference", ref)
			if err != nil {
				t.Fatalf("report %q: %v", ref, err)
			}
			a, err := srv.app.FindFirstRecordByData("addresses", "label", r.GetString("address"))
			if err != nil {
				t.Fatalf("the report's address %q is not the picked one", r.GetString("address"))
			}
			loc := r.GetGeoPoint("location")
			if fmt.Sprintf("%.6f", loc.Lat) != fmt.Sprintf("%.6f", a.GetFloat("lat")) || fmt.Sprintf("%.6f", loc.Lon) != fmt.Sprintf("%.6f", a.GetFloat("lon")) {
				t.Errorf("filed at %v, the address is at %v, %v", loc, a.GetFloat("lat"), a.GetFloat("lon"))
			}
		})
	}
}

// TestReportByMyLocationAndFollowANearbyReport: "use my location" (an
// emulated position) fills the point and its nearest address; the open
// pothole reported there is offered, and the resident follows it instead of
// filing it again, then sees it among their requests.
func TestReportByMyLocationAndFollowANearbyReport(t *testing.T) {
	// an open pothole report at 161 Main St
	a, err := srv.app.FindFirstRecordByData("addresses", "label", "161 Main St, Pine Falls 55990")
	if err != nil {
		t.Fatal(err)
	}
	lat, lon := a.GetFloat("lat"), a.GetFloat("lon")
	john, err := srv.app.FindAuthRecordByEmail("users", "john@example.com")
	if err != nil {
		t.Fatal(err)
	}
	col, _ := srv.app.FindCollectionByNameOrId("complaints")
	existing := core.NewRecord(col)
	existing.Load(map[string]any{"category": "democatpothole1", "reporter": john.Id, "description": "Deep pothole outside 161 Main St",
		"address": "161 Main St", "location": map[string]float64{"lat": lat + 0.0003, "lon": lon - 0.0002}, "language": "en"})
	if err := srv.app.Save(existing); err != nil {
		t.Fatal(err)
	}

	p := newPage(t, 360)
	p.signIn("maria@example.com", demo.Password)
	p.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		c := chromedp.FromContext(ctx)
		if _, err := cdp.Call(ctx, c.Browser, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: "geolocation"}, Setting: browser.PermissionSettingGranted,
			Origin: srv.url, BrowserContextID: c.BrowserContextID}); err != nil {
			return err
		}
		acc := 10.0
		_, err := cdp.Call(ctx, tg, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{Latitude: &lat, Longitude: &lon, Accuracy: &acc})
		return err
	}))
	p.open("/report.html?category=pothole")
	p.waitFor("#report")
	p.click("#locate")
	p.waitText("#location-status", "161 Main St, Pine Falls 55990")
	if got := eval[string](p, `document.querySelector("#address").value`); got != "161 Main St, Pine Falls 55990" {
		t.Errorf("the address box says %q", got)
	}
	p.waitFor("#nearby")
	p.waitText("#nearby", existing.GetString("reference"))
	p.waitText("#nearby", "Deep pothole outside 161 Main St")
	body := eval[string](p, `document.querySelector("#nearby").innerText`)
	if strings.Contains(body, "John") || strings.Contains(body, "john@") {
		t.Errorf("the nearby list names the reporter: %s", body)
	}
	p.axe("report-nearby-es")
	p.shot("report-nearby")
	p.click("#nearby button")
	p.waitFor("#followed")
	if p.focused() != "followed" {
		t.Errorf("the focus is on %q, not the confirmation", p.focused())
	}
	p.axe("report-followed-es")
	maria, _ := srv.app.FindAuthRecordByEmail("users", "maria@example.com")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		fresh, _ := srv.app.FindRecordById("complaints", existing.Id)
		if strings.Contains(strings.Join(fresh.GetStringSlice("followers"), ","), maria.Id) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("María does not follow the report")
		}
	}
	p.open("/my.html")
	p.waitText("main", existing.GetString("reference"))
}

// TestPickOnTheMapFillsTheAddressAndOffersNearby: a click on the map sets
// the point; the form fills the nearest address (and says it), and once an
// open report of the chosen category is near that point it is offered and
// can be followed (the report is filed after the click, where it landed,
// so the category is chosen again to ask again).
func TestPickOnTheMapFillsTheAddressAndOffersNearby(t *testing.T) {
	p := newPage(t, 1280)
	p.signIn("john@example.com", demo.Password)
	p.open("/report.html?category=streetlight")
	p.waitFor("#choose-on-map")
	p.click("#choose-on-map")
	p.waitTiles("#map-picker")
	r := p.rectOf("#map-picker .map")
	p.do(chromedp.MouseClickXY(r.X+r.W*0.5, r.Y+r.H*0.5))
	lat, lon := p.waitValue("#lat"), p.waitValue("#lon")
	p.waitText("#location-status", "Pine Falls")
	address := eval[string](p, `document.querySelector("#address").value`)
	if !strings.Contains(address, "Pine Falls") {
		t.Fatalf("the address box says %q after the click", address)
	}
	// somebody reported a dark street light right there
	maria, err := srv.app.FindAuthRecordByEmail("users", "maria@example.com")
	if err != nil {
		t.Fatal(err)
	}
	col, _ := srv.app.FindCollectionByNameOrId("complaints")
	there := core.NewRecord(col)
	var la, lo float64
	fmt.Sscan(lat, &la)
	fmt.Sscan(lon, &lo)
	there.Load(map[string]any{"category": eval[string](p, `document.querySelector("#category").value`), "reporter": maria.Id,
		"description": "The light on this corner flickers all night", "location": map[string]float64{"lat": la, "lon": lo}, "language": "es"})
	if err := srv.app.Save(there); err != nil {
		t.Fatal(err)
	}
	// the resident chooses the category again (any change of category or spot asks again)
	p.choose("#category", eval[string](p, `document.querySelector("#category").value`))
	p.waitText("#nearby", there.GetString("reference"))
	p.axe("report-map-nearby")
	p.click("#nearby button")
	p.waitFor("#followed")
}

// TestStaffWalkInReportByAddress: at the counter, a clerk finds the
// caller's address with the same search and the report is filed at its
// point.
func TestStaffWalkInReportByAddress(t *testing.T) {
	p := newPage(t, 1280)
	p.staffSignIn("works@pinecounty.example")
	p.open("/staff/intake.html")
	p.waitFor("#report-intake")
	p.choose("#category", "democatdumping1")
	p.fill("#description", "Old tires dumped behind the houses.")
	p.tabTo("address")
	p.press("121 main")
	p.waitFor("#address-addresses [role=option]")
	p.axe("staff intake with address suggestions")
	p.press(kb.ArrowDown)
	p.press(kb.Enter)
	if got := eval[string](p, `document.querySelector("#address").value`); got != "121 Main St, Pine Falls 55990" {
		t.Fatalf("the box holds %q", got)
	}
	p.click("#report-intake button[type=submit]")
	p.waitText("#done", "is filed")
	ref := eval[string](p, `(document.querySelector("#done").innerText.match(/SR-\d{4}-\d{5}/) || [""])[0]`)
	r, err := srv.app.FindFirstRecordByData("complaints", "reference", ref)
	if err != nil {
		t.Fatalf("report %q: %v", ref, err)
	}
	a, err := srv.app.FindFirstRecordByData("addresses", "label", "121 Main St, Pine Falls 55990")
	if err != nil {
		t.Fatal(err)
	}
	loc := r.GetGeoPoint("location")
	if !r.GetBool("has_location") || fmt.Sprintf("%.6f,%.6f", loc.Lat, loc.Lon) != fmt.Sprintf("%.6f,%.6f", a.GetFloat("lat"), a.GetFloat("lon")) {
		t.Errorf("filed at %v (has_location %v), the address is at %v, %v", loc, r.GetBool("has_location"), a.GetFloat("lat"), a.GetFloat("lon"))
	}
}
