package hooks

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/addresses"
	"github.com/townhall-portal/townhall/internal/geo"
)

// addressA is the access matrix's address point.
const addressA = "addressa0000001"

// addAddressFixture adds the matrix's address point.
func addAddressFixture(app core.App) error {
	col, err := app.FindCollectionByNameOrId("addresses")
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Id = addressA
	r.Load(map[string]any{"number": "1", "street": "A Street", "city": "Pineville", "zip": "55555", "lat": 44.5, "lon": -93.5})
	return app.Save(r)
}

// pineBoundary is a square county: 44–45 N, 94–93 W.
const pineBoundary = `{"type":"Feature","properties":{"name":"Pine County"},"geometry":{"type":"Polygon","coordinates":[[[-94,44],[-93,44],[-93,45],[-94,45],[-94,44]]]}}`

// setCounty saves a boundary and its outside messages in town_settings.
func (e *testEnv) setCounty(t testing.TB, boundary, outsideEN, outsideES string) {
	t.Helper()
	s := e.record(t, "town_settings", settingsID)
	s.Set("boundary", boundary)
	s.Set("outside_message", outsideEN)
	s.Set("outside_message_es", outsideES)
	if err := e.app.Save(s); err != nil {
		t.Fatal(err)
	}
}

// importAddresses loads address rows through the import, or fails the test.
func (e *testEnv) importAddresses(t testing.TB, rows ...addresses.Address) AddressImport {
	t.Helper()
	var in []addresses.Row
	for i, a := range rows {
		in = append(in, addresses.Row{Line: i + 2, Address: a})
	}
	res, err := e.portal.ImportAddresses(in)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// addressID finds an address by its label.
func (e *testEnv) addressID(t testing.TB, label string) string {
	t.Helper()
	r, err := e.app.FindFirstRecordByData("addresses", "label", label)
	if err != nil {
		t.Fatalf("no address %q", label)
	}
	return r.Id
}

var pineAddresses = []addresses.Address{
	{Number: "12", Street: "Main St", City: "Pineville", Zip: "55555", Lat: 44.5001, Lon: -93.5001, Parcel: "27-001"},
	{Number: "12", Street: "Main St", Unit: "3", City: "Pineville", Zip: "55555", Lat: 44.5001, Lon: -93.5001},
	{Number: "120", Street: "Main St", City: "Pineville", Zip: "55555", Lat: 44.502, Lon: -93.5},
	{Number: "14", Street: "North Main Street", City: "Pineville", Zip: "55555", Lat: 44.503, Lon: -93.5},
	{Number: "7", Street: "Oak Ave", City: "Pineville", Zip: "55555", Lat: 44.6, Lon: -93.6},
	{Number: "9", Street: "Line Rd", City: "Elsewhere", Zip: "55999", Lat: 45.5, Lon: -93.5}, // outside the county
}

func TestAddressSearch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if res := e.importAddresses(t, pineAddresses...); res.Loaded != len(pineAddresses) {
		t.Fatalf("import %+v", res)
	}
	labels := func(q string, role string) []string {
		res := e.do(t, http.MethodGet, "/api/townhall/public/addresses?"+q, nil, role)
		if res.Status != 200 {
			t.Fatalf("%s: %d %s", q, res.Status, res.Body)
		}
		var page struct {
			Items []map[string]any `json:"items"`
		}
		res.JSON(t, &page)
		out := []string{}
		for _, it := range page.Items {
			for _, k := range []string{"id", "label", "lat", "lon", "parcel"} {
				if _, ok := it[k]; !ok {
					t.Fatalf("%s: item without %s: %v", q, k, it)
				}
			}
			if len(it) != 5 {
				t.Fatalf("%s: item with more than the contract: %v", q, it)
			}
			out = append(out, it["label"].(string))
		}
		return out
	}
	cases := []struct {
		q    string
		want []string
	}{
		{"q=12%20main", []string{"12 Main St, Pineville 55555", "12 Main St, Unit 3, Pineville 55555"}},
		{"q=12%20Main%20Street%2C", []string{"12 Main St, Pineville 55555", "12 Main St, Unit 3, Pineville 55555"}},
		{"q=12%20main%20stre", []string{"12 Main St, Pineville 55555", "12 Main St, Unit 3, Pineville 55555"}},
		{"q=12", []string{"12 Main St, Pineville 55555", "12 Main St, Unit 3, Pineville 55555", "120 Main St, Pineville 55555"}},
		{"q=12&limit=1", []string{"12 Main St, Pineville 55555"}},
		{"q=14%20n%20main", []string{"14 North Main Street, Pineville 55555"}},
		{"q=14%20north%20main", []string{"14 North Main Street, Pineville 55555"}},
		{"q=oak%20av", []string{"7 Oak Ave, Pineville 55555"}},
		{"q=main%20st%2012", []string{"12 Main St, Pineville 55555", "12 Main St, Unit 3, Pineville 55555", "120 Main St, Pineville 55555"}},
		{"q=1", []string{}},
		{"q=", []string{}},
		{"q=%20%2C%20", []string{}},
		{"q=zzz", []string{}},
		{"q=" + url.QueryEscape(strings.Repeat("9", 5000)), []string{}},
		{"q=%27%20OR%201%3D1%20--", []string{}},
	}
	for _, role := range []string{roleAnon, roleResA} {
		for _, c := range cases {
			if got := labels(c.q, role); !slices.Equal(got, c.want) {
				t.Errorf("%s as %s: %q, want %q", c.q, role, got, c.want)
			}
		}
	}
	// at most 20, whatever is asked
	var many []addresses.Address
	for i := range 30 {
		many = append(many, addresses.Address{Number: fmt.Sprint(500 + i), Street: "Elm St", Lat: 44.4, Lon: -93.4})
	}
	e.importAddresses(t, many...)
	if got := labels("q=elm&limit=500", roleAnon); len(got) != 20 {
		t.Errorf("limit=500 gave %d", len(got))
	}
	if got := labels("q=elm&limit=x", roleAnon); len(got) != 8 {
		t.Errorf("limit=x gave %d", len(got))
	}
	// the parcel id travels with it
	res := e.do(t, http.MethodGet, "/api/townhall/public/addresses?q=12+main&limit=1", nil, roleAnon)
	if !strings.Contains(res.Body, `"parcel":"27-001"`) || !strings.Contains(res.Body, `"lat":44.5001`) {
		t.Errorf("answer %s", res.Body)
	}
}

func TestNearestAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.importAddresses(t, pineAddresses...)
	cases := []struct {
		query  string
		status int
		says   string
	}{
		{"lat=44.50012&lon=-93.50015", 200, `"label":"12 Main St`},
		{"lat=44.5029&lon=-93.5002", 200, `"label":"14 North Main Street`},
		{"lat=44.52&lon=-93.5", 200, `{"item":null}`}, // 2 km from any address
		{"lat=0&lon=0", 200, `{"item":null}`},
		{"lat=abc&lon=-93.5", 400, "at and lon must be numbers"},
		{"lat=NaN&lon=-93.5", 400, "at and lon must be numbers"},
		{"lat=44.5&lon=Inf", 400, "at and lon must be numbers"},
		{"lat=95&lon=-93.5", 400, "at and lon must be numbers"},
		{"lat=44.5&lon=-193.5", 400, "at and lon must be numbers"},
		{"lat=44.5", 400, "at and lon must be numbers"},
		{"lat=44.5&lon=x&lang=es", 400, "at y lon deben ser números"},
	}
	for _, role := range []string{roleAnon, roleResA} {
		for _, c := range cases {
			if role == roleResA && strings.Contains(c.query, "lang=es") {
				continue // a resident's own language wins
			}
			res := e.do(t, http.MethodGet, "/api/townhall/public/addresses/nearest?"+c.query, nil, role)
			if res.Status != c.status || !strings.Contains(res.Body, c.says) {
				t.Errorf("%s as %s: %d %s, want %d saying %q", c.query, role, res.Status, res.Body, c.status, c.says)
			}
		}
	}
}

// nearbyFixture files open and closed reports of category X around
// (44.5, -93.5) straight into the database.
func (e *testEnv) nearbyFixture(t testing.TB) {
	t.Helper()
	col, err := e.app.FindCollectionByNameOrId("complaints")
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range []map[string]any{
		{"id": "nearopen0000001", "category": catX, "status": "new", "lat": 44.50031, "lon": -93.50042, "description": "Deep pothole by the school", "reporter": resA},
		{"id": "nearprivate0001", "category": catX, "status": "in_progress", "lat": 44.5009, "lon": -93.4991, "description": "Outside my house, number 12", "description_private": true, "reporter": resA},
		{"id": "nearresolved001", "category": catX, "status": "resolved", "lat": 44.5002, "lon": -93.5002, "description": "Fixed one", "resolved_at": "2026-11-16 10:00:00.000Z"},
		{"id": "nearothercat001", "category": catY, "status": "new", "lat": 44.5001, "lon": -93.5001, "description": "A light"},
		{"id": "farawayopen0001", "category": catX, "status": "new", "lat": 44.51, "lon": -93.5, "description": "A kilometre north"},
		{"id": "noplaceopen0001", "category": catX, "status": "new", "description": "No spot given"},
	} {
		r := core.NewRecord(col)
		r.Id = f["id"].(string)
		lat, lon := f["lat"], f["lon"]
		delete(f, "id")
		delete(f, "lat")
		delete(f, "lon")
		r.Load(f)
		r.Set("reference", fmt.Sprintf("SR-2026-%05d", 100+i))
		r.Set("language", "en")
		r.Set("department", deptX)
		r.Set("caller_email", "secret-caller@example.test")
		r.SetRaw("created", "2026-11-10 10:00:00.000Z")
		if lat != nil {
			r.Set("location", map[string]any{"lat": lat, "lon": lon})
			r.Set("has_location", true)
		}
		setPublicUntil(r)
		if err := e.app.UnsafeWithoutHooks().SaveNoValidate(r); err != nil {
			t.Fatal(err)
		}
	}
}

func TestNearbyReports(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.nearbyFixture(t)
	for _, role := range []string{roleAnon, roleResB, roleClerkY} {
		res := e.do(t, http.MethodGet, "/api/townhall/public/reports/nearby?category="+catX+"&lat=44.5&lon=-93.5", nil, role)
		if res.Status != 200 {
			t.Fatalf("%s: %d %s", role, res.Status, res.Body)
		}
		var page struct {
			Items []struct {
				ID, Reference, Title, Status, Created string
				Lat, Lon                              float64
			} `json:"items"`
		}
		res.JSON(t, &page)
		var ids []string
		for _, it := range page.Items {
			ids = append(ids, it.ID)
			if it.Lat != roundTo(it.Lat, 3) || it.Lon != roundTo(it.Lon, 3) {
				t.Errorf("%s: location not rounded: %v, %v", it.ID, it.Lat, it.Lon)
			}
			if it.Reference == "" || it.Created == "" || it.Status == "" || it.Title == "" {
				t.Errorf("item %+v", it)
			}
		}
		if !slices.Equal(ids, []string{"nearopen0000001", "nearprivate0001"}) {
			t.Errorf("%s: nearby %v, want the two open reports of the category within 150 m", role, ids)
		}
		for _, secret := range []string{"secret-caller", "number 12", resA, "44.50031", "-93.50042", "Fixed one", "A light"} {
			if strings.Contains(res.Body, secret) {
				t.Errorf("%s: the answer shows %q: %s", role, secret, res.Body)
			}
		}
		if !strings.Contains(res.Body, `"title":"Deep pothole by the school"`) || !strings.Contains(res.Body, `"title":"Category X"`) {
			t.Errorf("titles: %s", res.Body)
		}
	}
	for _, c := range []struct{ query, says string }{
		{"category=" + catX + "&lat=x&lon=-93.5", "at and lon must be numbers"},
		{"category=" + catX + "&lat=NaN&lon=-93.5", "at and lon must be numbers"},
		{"category=" + catX + "&lat=44.5&lon=200", "at and lon must be numbers"},
		{"lat=44.5&lon=-93.5", "category must be a category id"},
		{"category=" + url.QueryEscape("x' OR 1=1") + "&lat=44.5&lon=-93.5", "category must be a category id"},
	} {
		res := e.do(t, http.MethodGet, "/api/townhall/public/reports/nearby?"+c.query, nil, roleAnon)
		if res.Status != 400 || !strings.Contains(res.Body, c.says) {
			t.Errorf("%s: %d %s", c.query, res.Status, res.Body)
		}
	}
	res := e.do(t, http.MethodGet, "/api/townhall/public/reports/nearby?category="+catOff+"&lat=44.5&lon=-93.5", nil, roleAnon)
	if res.Status != 200 || strings.TrimSpace(res.Body) != `{"items":[]}` {
		t.Errorf("no reports: %d %s", res.Status, res.Body)
	}
}

func TestFollowReport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.nearbyFixture(t)
	follow := func(id, role string) response {
		return e.do(t, http.MethodPost, "/api/townhall/reports/"+id+"/follow", nil, role)
	}
	// B cannot see A's report until following it
	if res := e.do(t, http.MethodGet, "/api/collections/complaints/records/nearopen0000001", nil, roleResB); res.Status != 404 {
		t.Fatalf("before: %d", res.Status)
	}
	cases := []struct {
		id, role string
		status   int
		says     string
	}{
		{"nearopen0000001", roleAnon, 401, ""},
		{"nearopen0000001", roleResU, 403, ""},
		{"nearopen0000001", roleClerkX, 403, "Only residents follow reports"},
		{"nearresolved001", roleResB, 409, "SR-2026-00102 ya no está abierto"},
		{"nosuchreport001", roleResB, 404, ""},
		{"nearopen0000001", roleResB, 200, `"following":true`},
		{"nearopen0000001", roleResB, 200, `"following":true`}, // twice: still one follow
		{"nearopen0000001", roleResA, 200, `"following":true`}, // the reporter already gets the updates
	}
	for _, c := range cases {
		if res := follow(c.id, c.role); res.Status != c.status || !strings.Contains(res.Body, c.says) {
			t.Errorf("%s as %s: %d %s, want %d %q", c.id, c.role, res.Status, res.Body, c.status, c.says)
		}
	}
	r := e.record(t, "complaints", "nearopen0000001")
	if got := r.GetStringSlice("followers"); !slices.Equal(got, []string{resB}) {
		t.Errorf("followers %v", got)
	}
	if res := e.do(t, http.MethodGet, "/api/collections/complaints/records/nearopen0000001", nil, roleResB); res.Status != 200 {
		t.Errorf("B following: %d %s", res.Status, res.Body)
	}
	if n := e.count(t, "complaints", "followers.id ?= {:b}", map[string]any{"b": resB}); n != 1 {
		t.Errorf("B follows %d reports", n)
	}
	var follows int
	_ = e.app.DB().NewQuery("SELECT COUNT(*) FROM townhall_follows WHERE user = {:b}").Bind(map[string]any{"b": resB}).Row(&follows)
	if follows != 1 {
		t.Errorf("townhall_follows has %d rows for B", follows)
	}
	// and B hears of the next step
	if _, err := e.portal.Transition(e.portal.complaintKind(), "nearopen0000001", "acknowledge", StaffActor(e.record(t, "staff", clerkX)), actionInput{}); err != nil {
		t.Fatal(err)
	}
	if n := e.count(t, "outbox", "to = 'b@resident.test'", nil); n == 0 {
		t.Error("the follower was not told of the change")
	}
}

func TestBoundaryRefusesSpotsOutside(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setCounty(t, pineBoundary, "That spot is outside Pine County. For State Highway 12 call 555-0100.",
		"Ese lugar está fuera del condado de Pine. Para la carretera estatal 12 llame al 555-0100.")
	report := func(role, resident string, loc any) response {
		body := map[string]any{"category": catX, "reporter": resident, "description": "Pothole"}
		if loc != nil {
			body["location"] = loc
		}
		return e.do(t, http.MethodPost, "/api/collections/complaints/records", body, role)
	}
	cases := []struct {
		role, resident string
		loc            any
		status         int
		says           string
	}{
		{roleResA, resA, map[string]float64{"lat": 44.5, "lon": -93.5}, 200, ""},
		{roleResA, resA, nil, 200, ""},
		{roleResA, resA, map[string]float64{"lat": 45.5, "lon": -93.5}, 400, `"location":{"code":"validation_outside","message":"That spot is outside Pine County. For State Highway 12 call 555-0100."`},
		{roleResB, resB, map[string]float64{"lat": 44.5, "lon": -92.5}, 400, "Ese lugar está fuera del condado de Pine"},
		{roleClerkX, resA, map[string]float64{"lat": 43.9, "lon": -93.5}, 400, "outside Pine County"},
		{roleResA, resA, map[string]float64{"lat": 95, "lon": -93.5}, 400, `"location"`},
	}
	for i, c := range cases {
		res := report(c.role, c.resident, c.loc)
		if res.Status != c.status || !strings.Contains(res.Body, c.says) {
			t.Errorf("case %d: %d %s, want %d saying %q", i, res.Status, res.Body, c.status, c.says)
		}
	}
	// without messages of its own, the county's name
	e.setCounty(t, pineBoundary, "", "")
	if res := report(roleResA, resA, map[string]float64{"lat": 45.5, "lon": -93.5}); res.Status != 400 || !strings.Contains(res.Body, "That spot is outside") {
		t.Errorf("default message: %d %s", res.Status, res.Body)
	}
	// staff moving a report outside is refused too
	r := e.record(t, "complaints", complaintA)
	r.Set("location", map[string]float64{"lat": 46, "lon": -93.5})
	if err := e.app.Save(r); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("moving outside: %v", err)
	}
	// no boundary: nothing is refused
	e.setCounty(t, "", "", "")
	if res := report(roleResA, resA, map[string]float64{"lat": 45.5, "lon": -93.5}); res.Status != 200 {
		t.Errorf("no boundary: %d %s", res.Status, res.Body)
	}
}

func TestBoundaryIsValidatedOnSave(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	patch := func(boundary any) response {
		raw, _ := json.Marshal(map[string]any{"boundary": boundary})
		return e.do(t, http.MethodPatch, "/api/collections/town_settings/records/"+settingsID, string(raw), roleSuperuser)
	}
	for _, c := range []struct {
		name     string
		boundary any
		says     string
	}{
		{"text", "Pine County", "not a GeoJSON object"},
		{"a point", map[string]any{"type": "Point", "coordinates": []float64{-93, 45}}, `\"Point\" is not an area`},
		{"latitude out of range", map[string]any{"type": "Polygon", "coordinates": [][][]float64{{{-93, 95}, {-92, 45}, {-92, 46}}}}, "latitude must be between"},
		{"NaN in text", `{"type":"Polygon","coordinates":[[[NaN,45],[-93,45],[-93,46]]]}`, "not a GeoJSON object"},
		{"two points", map[string]any{"type": "Polygon", "coordinates": [][][]float64{{{-93, 45}, {-92, 45}}}}, "at least 3"},
	} {
		res := patch(c.boundary)
		if res.Status != 400 || !strings.Contains(res.Body, `"boundary"`) || !strings.Contains(res.Body, c.says) {
			t.Errorf("%s: %d %s", c.name, res.Status, res.Body)
		}
	}
	var geo map[string]any
	_ = json.Unmarshal([]byte(pineBoundary), &geo)
	if res := patch(geo); res.Status != 200 {
		t.Errorf("a Feature: %d %s", res.Status, res.Body)
	}
	if res := patch(nil); res.Status != 200 {
		t.Errorf("empty: %d %s", res.Status, res.Body)
	}
}

func TestPermitAddressPicks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// imported before the boundary was set (the import refuses points outside it)
	e.importAddresses(t, pineAddresses...)
	e.setCounty(t, pineBoundary, "That spot is outside Pine County.", "Ese lugar está fuera del condado de Pine.")
	inside, outside := e.addressID(t, "12 Main St, Pineville 55555"), e.addressID(t, "9 Line Rd, Elsewhere 55999")
	update := func(id, role string, picks any) response {
		return e.do(t, http.MethodPatch, "/api/collections/permits/records/"+id,
			map[string]any{"site_address": "12 Main St, Pineville 55555", "address_picks": picks}, role)
	}
	res := update(permitA, roleResA, map[string]any{"site_address": inside, "height": map[string]any{"id": inside, "lat": 1, "lon": 2}})
	if res.Status != 200 {
		t.Fatalf("inside: %d %s", res.Status, res.Body)
	}
	var saved map[string]addressPick
	if err := json.Unmarshal([]byte(e.record(t, "permits", permitA).GetString("address_picks")), &saved); err != nil {
		t.Fatal(err)
	}
	want := addressPick{ID: inside, Label: "12 Main St, Pineville 55555", Lat: 44.5001, Lon: -93.5001, Parcel: "27-001"}
	if saved["site_address"] != want || saved["height"] != want {
		t.Errorf("saved %+v", saved)
	}
	for _, c := range []struct {
		id, role string
		picks    any
		says     string
	}{
		{permitA, roleResA, map[string]any{"site_address": outside}, `"site_address":{"code":"validation_outside","message":"That spot is outside Pine County."`},
		{permitB, roleResB, map[string]any{"site_address": outside}, "Ese lugar está fuera del condado de Pine."},
		{permitA, roleResA, map[string]any{"height": outside}, `"data.height":{"code":"validation_outside"`},
		{permitA, roleResA, map[string]any{"site_address": "nosuchaddress01"}, "no longer in our list"},
		{permitA, roleResA, map[string]any{"site_address": 42}, "could not read the address"},
		{permitA, roleResA, []string{inside}, "could not read the address"},
	} {
		if res := update(c.id, c.role, c.picks); res.Status != 400 || !strings.Contains(res.Body, c.says) {
			t.Errorf("%v: %d %s", c.picks, res.Status, res.Body)
		}
	}
	if res := update(permitA, roleResA, nil); res.Status != 200 || e.record(t, "permits", permitA).GetString("address_picks") != "null" {
		t.Errorf("cleared: %d %s %s", res.Status, res.Body, e.record(t, "permits", permitA).GetString("address_picks"))
	}
}

func TestAddressAndNearbyPlansUseTheirIndexes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	explain := func(sql string, params map[string]any) string {
		var plan []struct {
			Detail string `db:"detail"`
		}
		if err := e.app.DB().NewQuery("EXPLAIN QUERY PLAN " + sql).Bind(params).All(&plan); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, row := range plan {
			out = append(out, row.Detail)
		}
		return strings.Join(out, "\n")
	}
	for _, c := range []struct{ sql, index string }{
		{addressSearchSQL("key_number", "12 main"), "USING INDEX idx_addresses_key_number (key_number>? AND key_number<?)"},
		{addressSearchSQL("key_street", "main st"), "USING INDEX idx_addresses_key_street (key_street>? AND key_street<?)"},
		{nearestAddressSQL, "USING INDEX idx_addresses_point (lat>? AND lat<?)"},
	} {
		params := map[string]any{"start": "12 main", "end": "12 maio", "limit": 8, "category": catX,
			"minLat": 44.4, "maxLat": 44.6, "minLon": -93.6, "maxLon": -93.4}
		plan := explain(c.sql, params)
		if !strings.Contains(plan, c.index) || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s\ndoes not use %s:\n%s", c.sql, c.index, plan)
		}
	}
	sql, params := nearbyQuery(catX, geo.Around(44.5, -93.5, nearbyMetres+roundingMetres))
	if plan := explain(sql, params); !strings.Contains(plan, "USING INDEX idx_complaints_nearby (category=? AND <expr>=? AND <expr>>? AND <expr><?)") {
		t.Errorf("the nearby query does not seek the box:\n%s", plan)
	}
}

// TestImportRefusesPointsOutsideTheCounty: with a boundary set, an address
// point outside it is refused with its line; the others load.
func TestImportRefusesPointsOutsideTheCounty(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setCounty(t, pineBoundary, "", "")
	res := e.importAddresses(t,
		addresses.Address{Number: "1", Street: "Main St", City: "Pineville", Zip: "55555", Lat: 44.5, Lon: -93.5},
		addresses.Address{Number: "2", Street: "Main St", City: "Elsewhere", Zip: "55556", Lat: 45.5, Lon: -93.5},
	)
	if res.Loaded != 1 || len(res.Refused) != 1 || res.Refused[0].Line != 3 || !strings.Contains(res.Refused[0].Reason, "outside the county") {
		t.Errorf("%+v", res)
	}
}
