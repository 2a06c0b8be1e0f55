package hooks

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/townhall-portal/townhall/internal/open311"
	"github.com/townhall-portal/townhall/internal/testkit"
	"github.com/townhall-portal/townhall/pb_public"
)

// The Open311 fixtures beside the shared ones: category X asks three extra
// questions, the town is jurisdiction pinecounty.test, three clients hold
// known keys (one switched off, one allowed two reports a minute), and the
// two fixture reports were filed in the last days before the test clock,
// report A with a map point, a ZIP code, a public photo and a staff comment,
// report B with a private description; one older report is outside the
// default window.
const (
	o311Key      = "o311_fixture_key_of_fix_app"
	o311OldKey   = "o311_fixture_key_switched_off"
	o311TinyKey  = "o311_fixture_key_two_a_minute"
	o311Jurisdic = "pinecounty.test"
	o311Old      = "complaintold001"
	o311Photo    = "documentpub0001"
)

// catXQuestions are category X's extra questions.
const catXQuestions = `[
 {"key":"depth","kind":"number","required":true,"min":1,"max":100,"label":{"en":"Depth","es":"Profundidad"},"unit":{"en":"cm","es":"cm"}},
 {"key":"lane","kind":"choice","required":true,"label":{"en":"Which lane","es":"Qué carril"},
  "options":[{"value":"left","label":{"en":"Left","es":"Izquierdo"}},{"value":"right","label":{"en":"Right","es":"Derecho"}}]},
 {"key":"hazards","kind":"multi_choice","label":{"en":"Hazards"},
  "options":[{"value":"water","label":{"en":"Water"}},{"value":"glass","label":{"en":"Glass"}}]}]`

// newOpen311Template builds a clone of the fixtures with the Open311 ones
// and returns its folder (removed when the test ends).
func newOpen311Template(t testing.TB) string {
	t.Helper()
	app, err := tests.NewTestApp(templateDir)
	if err != nil {
		t.Fatal(err)
	}
	Register(app)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := app.DB().NewQuery(fmt.Sprintf(sql, args...)).Execute(); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	cat, err := app.FindRecordById("complaint_categories", catX)
	if err != nil {
		t.Fatal(err)
	}
	cat.Set("questions", catXQuestions)
	cat.Set("keywords", "road, hole")
	cat.Set("description_en", "Holes and cracks in the road")
	if err := app.Save(cat); err != nil {
		t.Fatal(err)
	}
	settings, err := app.FindRecordById("town_settings", settingsID)
	if err != nil {
		t.Fatal(err)
	}
	settings.Set("jurisdiction_id", o311Jurisdic)
	settings.Set("office_email", "office@county.test")
	if err := app.Save(settings); err != nil {
		t.Fatal(err)
	}
	clients, err := app.FindCollectionByNameOrId("open311_clients")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id, name, key string
		enabled       bool
		rate          int
	}{
		{"o311fixapp00001", "Fix App", o311Key, true, 0},
		{"o311oldapp00001", "Old App", o311OldKey, false, 0},
		{"o311tinyapp0001", "Tiny App", o311TinyKey, true, 2},
	} {
		r := core.NewRecord(clients)
		r.Id = c.id
		r.Load(map[string]any{"name": c.name, "enabled": c.enabled, "rate_limit": c.rate})
		if err := app.Save(r); err != nil {
			t.Fatal(err)
		}
		exec("UPDATE open311_clients SET key_hash = '%s' WHERE id = '%s'", hashClientKey(c.key), c.id)
	}
	day := 24 * time.Hour
	exec(`UPDATE complaints SET created = '%s', updated = '%s', location = '{"lon":-93.123456,"lat":45.987654}', has_location = 1,
		address = '1 A Street, Pine, MN 56001' WHERE id = '%s'`, dt(testStart.Add(-day)), dt(testStart.Add(-day/2)), complaintA)
	exec(`UPDATE complaints SET created = '%s', updated = '%s', resolved_at = '%s', description_private = 1 WHERE id = '%s'`,
		dt(testStart.Add(-2*day)), dt(testStart.Add(-day/4)), dt(testStart.Add(-day)), complaintB)
	exec(`INSERT INTO complaints (id, reference, category, department, status, description, language, created, updated)
		VALUES ('%s', 'SR-2026-00000', '%s', '%s', 'closed', 'Long ago', 'en', '%s', '%s')`,
		o311Old, catX, deptX, dt(testStart.Add(-100*day)), dt(testStart.Add(-95*day)))
	exec(`INSERT INTO documents (id, complaint, department, kind, file, public, created, updated)
		VALUES ('%s', '%s', '%s', 'photo', 'hole.png', 1, '%s', '%s')`, o311Photo, complaintA, deptX, dt(testStart.Add(-day)), dt(testStart.Add(-day)))
	exec(`INSERT INTO documents (id, complaint, department, kind, file, public, created, updated)
		VALUES ('documentprv0001', '%s', '%s', 'photo', 'face.png', 0, '%s', '%s')`, complaintB, deptY, dt(testStart.Add(-day)), dt(testStart.Add(-day)))
	exec(`INSERT INTO events (id, complaint, department, actor_kind, actor_staff, actor_name, action, comment, public, created, updated)
		VALUES ('eventa311public', '%s', '%s', 'staff', '%s', 'Clerk X', 'comment', 'We will look this week', 1, '%s', '%s'),
		       ('eventa311intern', '%s', '%s', 'staff', '%s', 'Clerk X', 'note', 'Internal: the caller is a neighbour', 0, '%s', '%s')`,
		complaintA, deptX, clerkX, dt(testStart.Add(-day/2)), dt(testStart.Add(-day/2)),
		complaintA, deptX, clerkX, dt(testStart.Add(-day/3)), dt(testStart.Add(-day/3)))
	if err := refreshAllReportSummaries(app); err != nil {
		t.Fatal(err)
	}
	dir := app.DataDir()
	if err := app.ResetBootstrapState(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// o311Form is a POST body of urlencoded arguments.
func o311Form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}

// goodReport is a complete POST for category X with the fixture key, plus extra arguments.
func goodReport(extra ...string) string {
	return o311Form(append([]string{"api_key", o311Key, "service_code", "cat-x", "lat", "45.5", "long", "-93.25",
		"description", "A deep hole", "attribute[depth]", "12", "attribute[lane]", "left"}, extra...)...)
}

// o311Error is the body of an error answer with one entry, in a format.
func o311Error(format string, code int, description string) string {
	if format == "xml" {
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(description))
		return fmt.Sprintf("<errors><error><code>%d</code><description>%s</description></error></errors>", code, b.String())
	}
	raw, _ := json.Marshal(description)
	return fmt.Sprintf(`[{"code":%d,"description":%s}]`, code, raw)
}

// TestOpen311Scenarios: every endpoint in both formats, answered right and
// refused for each bad input the issue lists, with its status and error array.
func TestOpen311Scenarios(t *testing.T) {
	t.Parallel()
	template := newOpen311Template(t)
	factory := func(t testing.TB) *tests.TestApp {
		app, err := tests.NewTestApp(template)
		if err != nil {
			t.Fatal(err)
		}
		RegisterWith(app, Options{Now: testkit.NewClock(testStart).Now})
		ServeSite(app, pb_public.FS)
		return app
	}
	longText := strings.Repeat("é", 4001)

	type row struct {
		name, method, path, query, body string
		status                          int
		want                            []string // in the JSON answer; "$xml:" parts only in the XML one, "$json:" only in JSON
		errDesc                         string   // an error answer with this one entry (status is its code)
		notWant                         []string
	}
	rows := []row{
		// what answers
		{name: "discovery", method: "GET", path: "/open311/discovery", status: 200, want: []string{
			"http://wiki.open311.org/GeoReport_v2", "http://localhost:8090/open311/v2", "production", "office@county.test",
			"$json:\"formats\":[\"text/xml\",\"application/json\"]", "$xml:<formats><format>text/xml</format><format>application/json</format></formats>",
			"$xml:<discovery><changeset>"}},
		{name: "services", method: "GET", path: "/open311/v2/services", status: 200, want: []string{
			`$json:{"service_code":"cat-x","service_name":"Category X","description":"Holes and cracks in the road","metadata":true,"type":"realtime","keywords":"road, hole","group":"Department X"}`,
			`$json:{"service_code":"cat-y","service_name":"Category Y","description":"","metadata":false`,
			"$xml:<services><service><service_code>cat-x</service_code><service_name>Category X</service_name>",
			"$xml:<metadata>true</metadata><type>realtime</type><keywords>road, hole</keywords><group>Department X</group></service>"},
			notWant: []string{"cat-off"}},
		{name: "services with the jurisdiction", method: "GET", path: "/open311/v2/services", query: "jurisdiction_id=pinecounty.test", status: 200, want: []string{"cat-x"}},
		{name: "services with the settings id as jurisdiction", method: "GET", path: "/open311/v2/services", query: "jurisdiction_id=" + settingsID, status: 200, want: []string{"cat-x"}},
		{name: "service definition", method: "GET", path: "/open311/v2/services/cat-x", status: 200, want: []string{
			`$json:{"service_code":"cat-x","attributes":[{"variable":true,"code":"depth","datatype":"number","required":true,"datatype_description":"(cm)","order":1,"description":"Depth"}`,
			`$json:"values":[{"key":"left","name":"Left"},{"key":"right","name":"Right"}]`,
			`$xml:<service_definition><service_code>cat-x</service_code><attributes><attribute><variable>true</variable><code>depth</code>`,
			`$xml:<code>hazards</code><datatype>multivaluelist</datatype><required>false</required>`}},
		{name: "service definition without questions", method: "GET", path: "/open311/v2/services/cat-y", status: 200,
			want: []string{`$json:{"service_code":"cat-y","attributes":[]}`, "$xml:<service_definition><service_code>cat-y</service_code><attributes/></service_definition>"}},
		{name: "post a request", method: "POST", path: "/open311/v2/requests", body: goodReport("account_id", "acc-7"), status: 200, want: []string{
			`$json:[{"service_request_id":"SR-2026-00003","service_notice":"Department X will look at it and aims to resolve it by 2026-11-23 13:00.","account_id":"acc-7"}]`,
			"$xml:<service_requests><request><service_request_id>SR-2026-00003</service_request_id><service_notice>Department X will look at it"}},
		{name: "post a request by address", method: "POST", path: "/open311/v2/requests",
			body: o311Form("api_key", o311Key, "service_code", "cat-y", "address_string", "5 Elm Street"), status: 200, want: []string{"SR-2026-00003"}},
		{name: "post with the key in the query", method: "POST", path: "/open311/v2/requests", query: "api_key=" + o311Key,
			body: o311Form("service_code", "cat-y", "address_id", "A-17", "jurisdiction_id", "pinecounty.test"), status: 200, want: []string{"SR-2026-00003"}},
		{name: "list requests, default window", method: "GET", path: "/open311/v2/requests", status: 200, want: []string{
			`$json:{"service_request_id":"SR-2026-00001","status":"open","status_notes":"We will look this week","service_name":"Category X","service_code":"cat-x","description":"A pothole","agency_responsible":"Department X"`,
			`$json:"address":null,"address_id":null,"zipcode":"56001","lat":45.988,"long":-93.123,"media_url":"http://localhost:8090/api/townhall/public/reports/SR-2026-00001/photos/` + o311Photo + `"`,
			`$json:{"service_request_id":"SR-2026-00002","status":"closed","status_notes":null,"service_name":"Category Y","service_code":"cat-y","description":null`,
			`$json:"updated_datetime":"2026-11-16T09:00:00-06:00"`,
			"$xml:<service_requests><request><service_request_id>SR-2026-00001</service_request_id><status>open</status><status_notes>We will look this week</status_notes>",
			"$xml:<lat>45.988</lat><long>-93.123</long>"},
			notWant: []string{"SR-2026-00000", "Internal", "Resident A", "a@resident.test", "1 A Street", "A light", "face.png", "documentprv0001"}},
		{name: "list requests by id", method: "GET", path: "/open311/v2/requests", query: "service_request_id=sr-2026-00002,SR-2026-00000&status=pending",
			status: 200, want: []string{"SR-2026-00002", "SR-2026-00000"}, notWant: []string{"SR-2026-00001"}},
		{name: "list open requests of a service", method: "GET", path: "/open311/v2/requests", query: "service_code=cat-x,cat-y&status=open",
			status: 200, want: []string{"SR-2026-00001"}, notWant: []string{"SR-2026-00002"}},
		{name: "list closed requests in a window", method: "GET", path: "/open311/v2/requests",
			query: "status=closed&start_date=2026-08-01T00:00:00-05:00&end_date=2026-10-29T00:00:00-05:00", status: 200,
			want: []string{"SR-2026-00000"}, notWant: []string{"SR-2026-00001", "SR-2026-00002"}},
		{name: "an empty list", method: "GET", path: "/open311/v2/requests", query: "start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z",
			status: 200, want: []string{"$json:[]", "$xml:<service_requests/>"}},
		{name: "one request", method: "GET", path: "/open311/v2/requests/SR-2026-00001", status: 200, want: []string{
			`$json:[{"service_request_id":"SR-2026-00001","status":"open"`, `"requested_datetime":"2026-11-16T09:00:00-06:00"`,
			"$xml:<service_requests><request><service_request_id>SR-2026-00001</service_request_id>"}},

		// what is refused
		{name: "unknown service (definition)", method: "GET", path: "/open311/v2/services/nope", errDesc: `404 There is no service "nope"; GET services.json lists them.`},
		{name: "retired service (definition)", method: "GET", path: "/open311/v2/services/cat-off", errDesc: `404 There is no service "cat-off"; GET services.json lists them.`},
		{name: "unknown service (post)", method: "POST", path: "/open311/v2/requests", body: o311Form("api_key", o311Key, "service_code", "nope", "lat", "1", "long", "2"),
			errDesc: `404 There is no service "nope"; GET services.json lists them.`},
		{name: "retired service (post)", method: "POST", path: "/open311/v2/requests", body: o311Form("api_key", o311Key, "service_code", "cat-off", "lat", "1", "long", "2"),
			errDesc: `404 There is no service "cat-off"; GET services.json lists them.`},
		{name: "unknown service (list)", method: "GET", path: "/open311/v2/requests", query: "service_code=cat-x,nope", errDesc: `404 There is no service "nope"; GET services.json lists them.`},
		{name: "unknown request", method: "GET", path: "/open311/v2/requests/SR-1999-00001", errDesc: `404 There is no service request "SR-1999-00001".`},
		{name: "another jurisdiction (services)", method: "GET", path: "/open311/v2/services", query: "jurisdiction_id=sfgov.org",
			errDesc: `404 jurisdiction_id "sfgov.org" is not served here; this server serves "pinecounty.test".`},
		{name: "another jurisdiction (definition)", method: "GET", path: "/open311/v2/services/cat-x", query: "jurisdiction_id=sfgov.org",
			errDesc: `404 jurisdiction_id "sfgov.org" is not served here; this server serves "pinecounty.test".`},
		{name: "another jurisdiction (post)", method: "POST", path: "/open311/v2/requests", body: goodReport("jurisdiction_id", "sfgov.org"),
			errDesc: `404 jurisdiction_id "sfgov.org" is not served here; this server serves "pinecounty.test".`},
		{name: "another jurisdiction (list)", method: "GET", path: "/open311/v2/requests", query: "jurisdiction_id=sfgov.org",
			errDesc: `404 jurisdiction_id "sfgov.org" is not served here; this server serves "pinecounty.test".`},
		{name: "another jurisdiction (one)", method: "GET", path: "/open311/v2/requests/SR-2026-00001", query: "jurisdiction_id=sfgov.org",
			errDesc: `404 jurisdiction_id "sfgov.org" is not served here; this server serves "pinecounty.test".`},
		{name: "no service code", method: "POST", path: "/open311/v2/requests", body: o311Form("api_key", o311Key, "lat", "1", "long", "2"),
			errDesc: "400 service_code is required; GET services.json lists them."},
		{name: "missing location", method: "POST", path: "/open311/v2/requests", body: o311Form("api_key", o311Key, "service_code", "cat-y", "description", "x"),
			errDesc: "400 A location is required: lat and long, address_string or address_id."},
		{name: "lat without long", method: "POST", path: "/open311/v2/requests", body: o311Form("api_key", o311Key, "service_code", "cat-y", "lat", "45.5"),
			errDesc: "400 lat and long must be sent together."},
		{name: "latitude out of range", method: "POST", path: "/open311/v2/requests", body: o311Form("api_key", o311Key, "service_code", "cat-y", "lat", "95", "long", "0"),
			errDesc: "400 lat must be a number from -90 to 90."},
		{name: "longitude out of range", method: "POST", path: "/open311/v2/requests", body: o311Form("api_key", o311Key, "service_code", "cat-y", "lat", "0", "long", "200"),
			errDesc: "400 long must be a number from -180 to 180."},
		{name: "a 4,001-character description", method: "POST", path: "/open311/v2/requests",
			body:    o311Form("api_key", o311Key, "service_code", "cat-y", "lat", "1", "long", "2", "description", longText),
			errDesc: "400 description may have at most 4,000 characters; this one has 4001."},
		{name: "missing required attribute", method: "POST", path: "/open311/v2/requests",
			body:    o311Form("api_key", o311Key, "service_code", "cat-x", "lat", "1", "long", "2", "attribute[depth]", "4"),
			errDesc: `400 attribute[lane]: Please answer "Which lane".`},
		{name: "a value outside the list", method: "POST", path: "/open311/v2/requests", body: goodReport("attribute[hazards][]", "fire"),
			errDesc: `400 attribute[hazards]: Choose only from the options for "Hazards".`},
		{name: "a single value outside the list", method: "POST", path: "/open311/v2/requests",
			body:    o311Form("api_key", o311Key, "service_code", "cat-x", "lat", "1", "long", "2", "attribute[depth]", "4", "attribute[lane]", "middle"),
			errDesc: `400 attribute[lane]: Choose one of the options for "Which lane".`},
		{name: "no key", method: "POST", path: "/open311/v2/requests", body: o311Form("service_code", "cat-y", "lat", "1", "long", "2"),
			errDesc: "403 api_key is required to file a request; ask the county's administrator for one."},
		{name: "wrong key", method: "POST", path: "/open311/v2/requests", body: o311Form("api_key", "o311_guess", "service_code", "cat-y", "lat", "1", "long", "2"),
			errDesc: "403 This api_key is not valid or has been switched off."},
		{name: "switched-off key", method: "POST", path: "/open311/v2/requests", body: o311Form("api_key", o311OldKey, "service_code", "cat-y", "lat", "1", "long", "2"),
			errDesc: "403 This api_key is not valid or has been switched off."},
		{name: "bad date", method: "GET", path: "/open311/v2/requests", query: "start_date=2026-11-31T00:00:00Z",
			errDesc: "400 start_date must be a W3C datetime like 2026-11-01T00:00:00-06:00."},
		{name: "date without zone", method: "GET", path: "/open311/v2/requests", query: "end_date=2026-11-10T00:00:00",
			errDesc: "400 end_date needs a time and a time zone, like 2026-11-01T00:00:00-06:00 or 2026-11-01T06:00:00Z."},
		{name: "range over 90 days", method: "GET", path: "/open311/v2/requests", query: "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
			errDesc: "400 start_date and end_date may be at most 90 days apart."},
		{name: "status pending", method: "GET", path: "/open311/v2/requests", query: "status=pending",
			errDesc: `400 status may be open or closed (comma separated), not "pending".`},
		{name: "tokens", method: "GET", path: "/open311/v2/tokens/12345", errDesc: "404 This server answers a POST at once with its service_request_id; it issues no tokens."},
		{name: "unknown endpoint", method: "GET", path: "/open311/v2/things", errDesc: "404 There is no such Open311 endpoint; the endpoints are listed at /open311/discovery.json."},
		{name: "unknown endpoint (post)", method: "POST", path: "/open311/v2/services", body: goodReport(),
			errDesc: "404 There is no such Open311 endpoint; the endpoints are listed at /open311/discovery.json."},
		{name: "unknown method", method: "DELETE", path: "/open311/v2/requests/SR-2026-00001",
			errDesc: "404 There is no such Open311 endpoint; the endpoints are listed at /open311/discovery.json."},
		{name: "unknown endpoint (deep)", method: "GET", path: "/open311/v3/services", errDesc: "404 There is no such Open311 endpoint; the endpoints are listed at /open311/discovery.json."},
	}

	var scenarios []tests.ApiScenario
	for _, r := range rows {
		for _, format := range []string{"json", "xml"} {
			target := r.path + "." + format
			if r.query != "" {
				target += "?" + r.query
			}
			s := tests.ApiScenario{
				Name: r.name + " (" + format + ")", Method: r.method, URL: target, TestAppFactory: factory, ExpectedStatus: r.status,
			}
			if r.body != "" {
				s.Body = strings.NewReader(r.body)
				s.Headers = map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
			}
			if r.errDesc != "" {
				code, desc, _ := strings.Cut(r.errDesc, " ")
				fmt.Sscan(code, &s.ExpectedStatus)
				s.ExpectedContent = []string{o311Error(format, s.ExpectedStatus, desc)}
			}
			for _, w := range r.want {
				switch {
				case strings.HasPrefix(w, "$xml:"):
					if format == "xml" {
						s.ExpectedContent = append(s.ExpectedContent, strings.TrimPrefix(w, "$xml:"))
					}
				case strings.HasPrefix(w, "$json:"):
					if format == "json" {
						s.ExpectedContent = append(s.ExpectedContent, strings.TrimPrefix(w, "$json:"))
					}
				default:
					if format == "json" || !strings.ContainsAny(w, `"{[`) {
						s.ExpectedContent = append(s.ExpectedContent, w)
					}
				}
			}
			s.NotExpectedContent = append([]string{"<html", `"message":`}, r.notWant...)
			wantType := "application/json; charset=utf-8"
			if format == "xml" {
				wantType = "text/xml; charset=utf-8"
				s.ExpectedContent = append(s.ExpectedContent, `<?xml version="1.0" encoding="UTF-8"?>`)
			}
			s.AfterTestFunc = func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if got := res.Header.Get("Content-Type"); got != wantType {
					t.Errorf("Content-Type %q, want %q", got, wantType)
				}
			}
			scenarios = append(scenarios, s)
		}
	}
	for _, s := range scenarios {
		s.Test(t)
	}
}

// open311Env is a test environment on the Open311 fixtures.
func open311Env(t testing.TB) *testEnv {
	t.Helper()
	return newEnvFrom(t, newOpen311Template(t))
}

// open311 sends an Open311 request (a POST body is urlencoded).
func (e *testEnv) open311(t testing.TB, method, target, body string) response {
	t.Helper()
	var req *http.Request
	if body != "" {
		req = httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	return e.send(req, roleAnon)
}

// TestOpen311FiledAndFollowed: a report filed over Open311 goes through the
// same hooks as any other (reference, deadlines, department, audit event,
// emails to the department and to the person who gave an email); staff act
// on it through the action API; Open311 then tells its status, notes and
// updated time, in JSON and in XML.
func TestOpen311FiledAndFollowed(t *testing.T) {
	t.Parallel()
	e := open311Env(t)
	res := e.open311(t, "POST", "/open311/v2/requests.json", goodReport("email", "walker@example.com", "first_name", "Wanda",
		"last_name", "Walker", "phone", "555 010 2000", "attribute[hazards]", "water", "attribute[hazards]", "glass",
		"media_url", "https://photos.example.com/hole.jpg", "device_id", "dev-1"))
	if res.Status != 200 {
		t.Fatalf("POST: %d %s", res.Status, res.Body)
	}
	var created []struct {
		ID     string  `json:"service_request_id"`
		Notice *string `json:"service_notice"`
	}
	res.JSON(t, &created)
	if len(created) != 1 || created[0].ID != "SR-2026-00003" {
		t.Fatalf("created %s", res.Body)
	}
	r, err := e.app.FindFirstRecordByData("complaints", "reference", created[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for field, want := range map[string]string{"source": "open311", "source_client": "Fix App", "department": deptX, "status": "new",
		"caller_email": "walker@example.com", "caller_name": "Wanda Walker", "caller_phone": "555 010 2000", "description": "A deep hole"} {
		if got := r.GetString(field); got != want {
			t.Errorf("%s = %q, want %q", field, got, want)
		}
	}
	if r.GetDateTime("ack_due_at").IsZero() || r.GetDateTime("resolve_due_at").IsZero() || !r.GetBool("has_location") {
		t.Errorf("deadlines or location missing: %v %v %v", r.Get("ack_due_at"), r.Get("resolve_due_at"), r.Get("location"))
	}
	var answers map[string]any
	_ = r.UnmarshalJSONField("answers", &answers)
	if fmt.Sprint(answers) != "map[depth:12 hazards:[water glass] lane:left]" {
		t.Errorf("answers %v", answers)
	}
	if n := e.count(t, "events", "complaint = {:c} && action = 'reported' && public = true", map[string]any{"c": r.Id}); n != 1 {
		t.Errorf("%d reported events", n)
	}
	if n := e.count(t, "events", "complaint = {:c} && action = 'note' && public = false && comment ~ 'from Fix App' && comment ~ 'photos.example.com'",
		map[string]any{"c": r.Id}); n != 1 {
		t.Errorf("%d notes naming the client and the photo link", n)
	}
	mails := func(to, kind string) int {
		return e.count(t, "outbox", "to = {:to} && kind = {:kind} && complaint = {:c}", map[string]any{"to": to, "kind": kind, "c": r.Id})
	}
	if mails("walker@example.com", "complaint.received") != 1 || mails("x-queue@county.test", "complaint.new") != 1 {
		t.Errorf("emails on filing: %d to the reporter, %d to the department", mails("walker@example.com", "complaint.received"), mails("x-queue@county.test", "complaint.new"))
	}
	client := e.record(t, "open311_clients", "o311fixapp00001")
	if client.GetDateTime("last_used_at").IsZero() {
		t.Error("the client's last use is not recorded")
	}

	readBack := func(wantStatus, wantNotes, wantUpdated string) {
		t.Helper()
		res := e.open311(t, "GET", "/open311/v2/requests/"+created[0].ID+".json", "")
		var got []map[string]any
		res.JSON(t, &got)
		if res.Status != 200 || len(got) != 1 {
			t.Fatalf("GET json: %d %s", res.Status, res.Body)
		}
		notes, _ := got[0]["status_notes"].(string) // null when none
		if got[0]["status"] != wantStatus || notes != wantNotes || got[0]["updated_datetime"] != wantUpdated {
			t.Errorf("json: status %v, notes %v, updated %v; want %s, %s, %s", got[0]["status"], got[0]["status_notes"], got[0]["updated_datetime"],
				wantStatus, wantNotes, wantUpdated)
		}
		if got[0]["lat"] != 45.5 || got[0]["long"] != -93.25 || got[0]["description"] != "A deep hole" || got[0]["media_url"] != nil {
			t.Errorf("json: %s", res.Body)
		}
		x := e.open311(t, "GET", "/open311/v2/requests/"+created[0].ID+".xml", "")
		var doc struct {
			XMLName  xml.Name `xml:"service_requests"`
			Requests []struct {
				ID      string `xml:"service_request_id"`
				Status  string `xml:"status"`
				Notes   string `xml:"status_notes"`
				Updated string `xml:"updated_datetime"`
			} `xml:"request"`
		}
		if err := xml.Unmarshal([]byte(x.Body), &doc); err != nil || x.Status != 200 || len(doc.Requests) != 1 {
			t.Fatalf("GET xml: %d %v %s", x.Status, err, x.Body)
		}
		if d := doc.Requests[0]; d.ID != created[0].ID || d.Status != wantStatus || d.Notes != wantNotes || d.Updated != wantUpdated {
			t.Errorf("xml: %+v; want %s, %s, %s", d, wantStatus, wantNotes, wantUpdated)
		}
		if strings.Contains(res.Body+x.Body, "Wanda") || strings.Contains(res.Body+x.Body, "walker@example.com") || strings.Contains(res.Body+x.Body, "555 010") {
			t.Errorf("the reporter is named: %s %s", res.Body, x.Body)
		}
	}
	local := func(at time.Time) string {
		return at.In(e.portal.townLocation(e.app)).Format("2006-01-02T15:04:05-07:00")
	}
	readBack("open", "", local(r.GetDateTime("updated").Time()))

	act := func(action, comment string) {
		t.Helper()
		e.clock.Advance(2 * time.Hour)
		res := e.do(t, "POST", "/api/townhall/complaints/"+r.Id+"/"+action, map[string]any{"comment": comment}, roleClerkX)
		if res.Status != 200 {
			t.Fatalf("%s: %d %s", action, res.Status, res.Body)
		}
	}
	act("acknowledge", "Crew booked for Thursday")
	// PocketBase stamps updated with the wall clock, not the test clock
	readBack("open", "Crew booked for Thursday", local(e.record(t, "complaints", r.Id).GetDateTime("updated").Time()))
	if res := e.do(t, "POST", "/api/townhall/complaints/"+r.Id+"/comment", map[string]any{"comment": "internal only", "internal": true}, roleClerkX); res.Status != 200 {
		t.Fatal(res.Status, res.Body)
	}
	act("resolve", "Filled the hole")
	resolved := e.record(t, "complaints", r.Id)
	readBack("closed", "Filled the hole", local(resolved.GetDateTime("resolved_at").Time()))
	if want := local(testStart.Add(4 * time.Hour)); local(resolved.GetDateTime("resolved_at").Time()) != want {
		t.Errorf("resolved at %s, want %s", local(resolved.GetDateTime("resolved_at").Time()), want)
	}
	if mails("walker@example.com", "complaint.acknowledge") != 1 || mails("walker@example.com", "complaint.resolve") != 1 {
		t.Errorf("status emails: acknowledge %d, resolve %d", mails("walker@example.com", "complaint.acknowledge"), mails("walker@example.com", "complaint.resolve"))
	}

	// a photo appears as media_url once staff mark it public, and goes when they un-mark it
	up := e.doMultipart(t, "POST", "/api/collections/documents/records", map[string]string{"complaint": r.Id, "kind": "photo"},
		"file", "hole.png", tinyPNG(), roleClerkX)
	var doc struct{ ID string }
	up.JSON(t, &doc)
	if up.Status != 200 || doc.ID == "" {
		t.Fatalf("upload: %d %s", up.Status, up.Body)
	}
	mediaURL := func() any {
		t.Helper()
		var got []map[string]any
		e.open311(t, "GET", "/open311/v2/requests/"+created[0].ID+".json", "").JSON(t, &got)
		return got[0]["media_url"]
	}
	if m := mediaURL(); m != nil {
		t.Errorf("a private photo is published: %v", m)
	}
	for _, public := range []bool{true, false} {
		if res := e.do(t, "PATCH", "/api/collections/documents/records/"+doc.ID, map[string]any{"public": public}, roleClerkX); res.Status != 200 {
			t.Fatalf("public=%v: %d %s", public, res.Status, res.Body)
		}
		want := any(nil)
		if public {
			want = "http://localhost:8090/api/townhall/public/reports/" + created[0].ID + "/photos/" + doc.ID
		}
		if m := mediaURL(); m != want {
			t.Errorf("public=%v: media_url %v, want %v", public, m, want)
		}
	}

	// the list shows it too, with its status
	// (PocketBase stamps created with the wall clock, not the test clock)
	filed := r.GetDateTime("created").Time()
	window := url.Values{"status": {"closed"}, "service_code": {"cat-x"},
		"start_date": {filed.Add(-time.Hour).Format(time.RFC3339)}, "end_date": {filed.Add(time.Hour).Format(time.RFC3339)}}
	list := e.open311(t, "GET", "/open311/v2/requests.json?"+window.Encode(), "")
	if list.Status != 200 || !strings.Contains(list.Body, `"service_request_id":"SR-2026-00003","status":"closed","status_notes":"Filled the hole"`) {
		t.Errorf("list: %d %s", list.Status, list.Body)
	}
}

// TestOpen311KeysAreShownOnce: the key is made by the server, is in the
// answer to the save that made it and nowhere else, is stored as a hash, and
// ticking new_key replaces it (the old one stops working at once).
func TestOpen311KeysAreShownOnce(t *testing.T) {
	t.Parallel()
	e := open311Env(t)
	res := e.do(t, "POST", "/api/collections/open311_clients/records", `{"name":"New App","enabled":true,"key":"chosen-by-me"}`, roleSuperuser)
	var made struct {
		ID, Key string
	}
	res.JSON(t, &made)
	if res.Status != 200 || !strings.HasPrefix(made.Key, open311KeyPrefix) || len(made.Key) < 40 {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	var stored struct {
		Key  string `db:"key"`
		Hash string `db:"key_hash"`
		Hint string `db:"key_hint"`
	}
	if err := e.app.DB().Select("key", "key_hash", "key_hint").From("open311_clients").
		Where(dbx.HashExp{"id": made.ID}).One(&stored); err != nil {
		t.Fatal(err)
	}
	if stored.Key != "" || stored.Hash != hashClientKey(made.Key) || !strings.HasPrefix(made.Key, strings.TrimSuffix(stored.Hint, "…")) {
		t.Fatalf("stored %+v", stored)
	}
	for _, path := range []string{"/api/collections/open311_clients/records/" + made.ID, "/api/collections/open311_clients/records"} {
		// (administrators see the hash: it cannot be turned back into the key)
		if res := e.do(t, "GET", path, nil, roleSuperuser); res.Status != 200 || strings.Contains(res.Body, made.Key) {
			t.Errorf("%s shows the key: %s", path, res.Body)
		}
	}
	post := func(key string) int {
		return e.open311(t, "POST", "/open311/v2/requests.json", o311Form("api_key", key, "service_code", "cat-y", "lat", "1", "long", "2")).Status
	}
	if got := post(made.Key); got != 200 {
		t.Fatalf("the new key files: %d", got)
	}
	if got := post("chosen-by-me"); got != 403 {
		t.Errorf("a typed key works: %d", got)
	}

	res = e.do(t, "PATCH", "/api/collections/open311_clients/records/"+made.ID, `{"new_key":true}`, roleSuperuser)
	var again struct{ Key string }
	res.JSON(t, &again)
	if res.Status != 200 || again.Key == "" || again.Key == made.Key {
		t.Fatalf("new key: %d %s", res.Status, res.Body)
	}
	if post(made.Key) != 403 || post(again.Key) != 200 {
		t.Error("the old key still works, or the new one does not")
	}
	res = e.do(t, "PATCH", "/api/collections/open311_clients/records/"+made.ID, `{"contact":"ops@newapp.example"}`, roleSuperuser)
	if res.Status != 200 || strings.Contains(res.Body, `"key":"o311_`) {
		t.Errorf("an ordinary save shows a key: %s", res.Body)
	}
	if post(again.Key) != 200 {
		t.Error("an ordinary save changed the key")
	}
	res = e.do(t, "PATCH", "/api/collections/open311_clients/records/"+made.ID, `{"enabled":false}`, roleSuperuser)
	if res.Status != 200 || post(again.Key) != 403 {
		t.Error("a switched-off client still files")
	}
}

// TestOpen311ClientRateLimit: a client files at most its rate a minute; the
// next one is a 429 error array with Retry-After, and the minute after it
// may file again.
func TestOpen311ClientRateLimit(t *testing.T) {
	t.Parallel()
	e := open311Env(t)
	post := func() response {
		return e.open311(t, "POST", "/open311/v2/requests.xml", o311Form("api_key", o311TinyKey, "service_code", "cat-y", "lat", "1", "long", "2"))
	}
	for i := 0; i < 2; i++ {
		if res := post(); res.Status != 200 {
			t.Fatalf("report %d: %d %s", i+1, res.Status, res.Body)
		}
	}
	res := post()
	if res.Status != 429 || !strings.Contains(res.Body, o311Error("xml", 429, "Too many requests with this api_key; wait a minute and try again.")) ||
		res.Header.Get("Retry-After") == "" {
		t.Fatalf("third: %d %v %s", res.Status, res.Header, res.Body)
	}
	e.clock.Advance(time.Minute)
	if res := post(); res.Status != 200 {
		t.Fatalf("next minute: %d %s", res.Status, res.Body)
	}
}

// TestOpen311DefaultWindowAndCap: without arguments, GET requests answers
// the reports of the last 90 days, newest first, at most 1,000.
func TestOpen311DefaultWindowAndCap(t *testing.T) {
	t.Parallel()
	e := open311Env(t)
	insertQueueRequests(t, e.app, 1100, 0) // filed in the 60 days before the test clock
	res := e.open311(t, "GET", "/open311/v2/requests.json", "")
	var got []struct {
		ID        string `json:"service_request_id"`
		Requested string `json:"requested_datetime"`
	}
	res.JSON(t, &got)
	if res.Status != 200 || len(got) != 1000 {
		t.Fatalf("%d requests (%d)", len(got), res.Status)
	}
	for i := 1; i < len(got); i++ {
		a, _ := time.Parse(time.RFC3339, got[i-1].Requested)
		b, _ := time.Parse(time.RFC3339, got[i].Requested)
		if b.After(a) {
			t.Fatalf("not newest first at %d: %s then %s", i, got[i-1].Requested, got[i].Requested)
		}
	}
	if strings.Contains(res.Body, "SR-2026-00000") {
		t.Error("a report older than 90 days is listed")
	}
}

// TestReportQuestionsEverywhere: a category's extra questions are asked of
// every report, through the records API as through Open311, and a broken set
// of questions cannot be saved.
func TestReportQuestionsEverywhere(t *testing.T) {
	t.Parallel()
	e := open311Env(t)
	file := func(answers string) response {
		body := `{"category":"` + catX + `","reporter":"` + resA + `","description":"Hole","address":"5 Elm"` + answers + `}`
		return e.do(t, "POST", "/api/collections/complaints/records", body, roleResA)
	}
	if res := file(""); res.Status != 400 || !strings.Contains(res.Body, `"answers.lane"`) || !strings.Contains(res.Body, `Please answer \"Which lane\"`) {
		t.Errorf("no answers: %d %s", res.Status, res.Body)
	}
	if res := file(`,"answers":{"depth":4,"lane":"middle"}`); res.Status != 400 || !strings.Contains(res.Body, "Choose one of the options") {
		t.Errorf("a value outside the list: %d %s", res.Status, res.Body)
	}
	res := file(`,"answers":{"depth":"4","lane":"right"}`)
	if res.Status != 200 || !strings.Contains(res.Body, `"answers":{"depth":4,"lane":"right"}`) {
		t.Errorf("answered: %d %s", res.Status, res.Body)
	}
	// staff filing for a caller answer them too
	if res := e.do(t, "POST", "/api/collections/complaints/records", `{"category":"`+catX+`","caller_name":"Caller","description":"Hole"}`, roleClerkX); res.Status != 400 {
		t.Errorf("staff without answers: %d %s", res.Status, res.Body)
	}
	// the channel is the Open311 endpoints' own
	if res := e.do(t, "POST", "/api/collections/complaints/records", `{"category":"`+catY+`","source":"open311","description":"Hole"}`, roleClerkX); res.Status != 400 {
		t.Errorf("staff claiming the open311 channel: %d %s", res.Status, res.Body)
	}
	res = e.do(t, "PATCH", "/api/collections/complaint_categories/records/"+catY, `{"questions":[{"key":"Bad Key","kind":"text","label":{"en":"x"}}]}`, roleSuperuser)
	if res.Status != 400 || !strings.Contains(res.Body, "The extra questions are broken") {
		t.Errorf("broken questions: %d %s", res.Status, res.Body)
	}
}

// BenchmarkOpen311Requests: GET requests.json with the default window (the
// last 90 days) over 100,000 reports, all filed in that window, so every
// answer is the cap of 1,000; half of them carry a public staff comment
// (status_notes) and an internal note, one in twenty a public photo. Reports
// the 50th and 99th percentile of the answer time (aim: p99 < 50 ms).
func BenchmarkOpen311Requests(b *testing.B) {
	e := open311Env(b)
	e.app.Settings().RateLimits.Enabled = false
	insertQueueRequests(b, e.app, 100_000, 0)
	err := e.app.RunInTransaction(func(tx core.App) error {
		ev := tx.DB().NewQuery(`INSERT INTO events (id, complaint, department, actor_kind, actor_name, action, comment, public, created, updated)
			VALUES ({:id}, {:c}, {:d}, 'staff', 'Clerk', {:action}, {:comment}, {:public}, {:at}, {:at})`).Prepare()
		defer ev.Close()
		doc := tx.DB().NewQuery(`INSERT INTO documents (id, complaint, department, kind, file, public, created, updated)
			VALUES ({:id}, {:c}, {:d}, 'photo', 'p.png', 1, {:at}, {:at})`).Prepare()
		defer doc.Close()
		at := dt(testStart.Add(-time.Hour))
		for i := 0; i < 100_000; i += 2 {
			c := "benchc" + pad(i, 9)
			for j, v := range []struct {
				action, comment string
				public          bool
			}{{"comment", "We are on it " + itoa(i), true}, {"note", "internal " + itoa(i), false}} {
				if _, err := ev.Bind(map[string]any{"id": "benche" + pad(i, 8) + itoa(j), "c": c, "d": deptX, "action": v.action,
					"comment": v.comment, "public": v.public, "at": at}).Execute(); err != nil {
					return err
				}
			}
			if i%20 == 0 {
				if _, err := doc.Bind(map[string]any{"id": "benchd" + pad(i, 9), "c": c, "d": deptX, "at": at}).Execute(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := refreshAllReportSummaries(e.app); err != nil {
		b.Fatal(err)
	}
	if _, err := e.app.DB().NewQuery("ANALYZE").Execute(); err != nil {
		b.Fatal(err)
	}
	for _, format := range []string{"json", "xml"} {
		b.Run(format, func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				res := e.open311(b, "GET", "/open311/v2/requests."+format, "")
				took = append(took, time.Since(start))
				if n := strings.Count(res.Body, "service_request_id>SR-2025-") + strings.Count(res.Body, `"service_request_id":"SR-2025-`); res.Status != 200 || n != 1000 {
					b.Fatalf("%d, %d requests", res.Status, n)
				}
			}
			slices.Sort(took)
			at := func(q float64) float64 { return float64(took[int(q*float64(len(took)-1))].Microseconds()) / 1000 }
			b.ReportMetric(at(0.50), "p50-ms")
			b.ReportMetric(at(0.99), "p99-ms")
		})
	}
}

// TestOpen311ListPlansUseIndexes: the list walks the created index in order
// (no sorting of the window), whatever the filters.
func TestOpen311ListPlansUseIndexes(t *testing.T) {
	t.Parallel()
	e := open311Env(t)
	insertQueueRequests(t, e.app, 2000, 0)
	if _, err := e.app.DB().NewQuery("ANALYZE").Execute(); err != nil {
		t.Fatal(err)
	}
	window := open311.Query{Start: testStart.Add(-open311.MaxWindow), End: testStart}
	for _, c := range []struct {
		name       string
		q          open311.Query
		categories []string
		want       []string
	}{
		{"default", window, nil, []string{"INDEX idx_complaints_created"}},
		{"filtered", open311.Query{Start: window.Start, End: window.End, Open: true}, []string{catX}, []string{"INDEX idx_complaints_created"}},
		{"by id", open311.Query{IDs: []string{"SR-2026-00001"}}, nil, []string{"INDEX idx_complaints_reference"}},
	} {
		q := open311ListQuery(e.app, c.q, c.categories).Build()
		var plan []struct {
			Detail string `db:"detail"`
		}
		if err := e.app.DB().NewQuery("EXPLAIN QUERY PLAN " + q.SQL()).Bind(q.Params()).All(&plan); err != nil {
			t.Fatal(err)
		}
		var text []string
		for _, p := range plan {
			text = append(text, p.Detail)
		}
		all := strings.Join(text, "\n")
		for _, w := range c.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s: no %s in\n%s", c.name, w, all)
			}
		}
		if strings.Contains(all, "TEMP B-TREE") && c.name != "by id" {
			t.Errorf("%s sorts:\n%s", c.name, all)
		}
	}
}

// TestOpen311ReadLimit: an address makes at most 300 Open311 requests in 10
// seconds; the next is a 429 error array with Retry-After, and the window
// after it is open again.
func TestOpen311ReadLimit(t *testing.T) {
	t.Parallel()
	e := open311Env(t)
	if !e.app.Settings().RateLimits.Enabled {
		t.Fatal("rate limits are off in the fixtures")
	}
	for i := 0; i < open311ReadLimit; i++ {
		if res := e.open311(t, "GET", "/open311/v2/services.json", ""); res.Status != 200 {
			t.Fatalf("request %d: %d %s", i+1, res.Status, res.Body)
		}
	}
	res := e.open311(t, "GET", "/open311/v2/services.xml", "")
	if res.Status != 429 || res.Header.Get("Retry-After") == "" ||
		!strings.Contains(res.Body, o311Error("xml", 429, "Too many requests; wait a few seconds and try again.")) {
		t.Fatalf("over the limit: %d %v %s", res.Status, res.Header, res.Body)
	}
	e.clock.Advance(open311ReadWindow)
	if res := e.open311(t, "GET", "/open311/v2/services.json", ""); res.Status != 200 {
		t.Fatalf("next window: %d %s", res.Status, res.Body)
	}
}

// TestOpen311WaitsInMaintenance: in maintenance mode filing answers 503
// with Retry-After and the town's message as an error array; reading goes on.
func TestOpen311WaitsInMaintenance(t *testing.T) {
	t.Parallel()
	e := open311Env(t)
	s := e.record(t, "town_settings", settingsID)
	s.Set("maintenance", true)
	s.Set("maintenance_message", "Back at noon.")
	if err := e.app.Save(s); err != nil {
		t.Fatal(err)
	}
	res := e.open311(t, "POST", "/open311/v2/requests.json", goodReport())
	if res.Status != 503 || res.Header.Get("Retry-After") == "" || !strings.Contains(res.Body, o311Error("json", 503, "Back at noon.")) {
		t.Fatalf("filing: %d %v %s", res.Status, res.Header, res.Body)
	}
	if res := e.open311(t, "GET", "/open311/v2/requests.json", ""); res.Status != 200 {
		t.Fatalf("reading: %d %s", res.Status, res.Body)
	}
}
