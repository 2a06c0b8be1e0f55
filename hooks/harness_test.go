package hooks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"github.com/townhall-portal/townhall/internal/testkit"
	_ "github.com/townhall-portal/townhall/pb_migrations"
	"github.com/townhall-portal/townhall/pb_public"
)

// Fixed ids of the shared fixtures: two departments (X and Y), their staff,
// three residents (A and B verified, U not), a catalogue and a few requests.
const (
	deptX = "deptx0000000001"
	deptY = "depty0000000001"
	deptZ = "deptz0000000001" // referenced by nothing

	clerkX   = "clerkx000000001"
	clerkY   = "clerky000000001"
	supX     = "supx00000000001"
	director = "director0000001"

	resA = "residenta000001"
	resB = "residentb000001"
	resU = "residentu000001"

	typeX   = "typex0000000001"
	typeY   = "typey0000000001"
	typeOff = "typeoff00000001"

	catX   = "catx00000000001"
	catY   = "caty00000000001"
	catOff = "catoff000000001"

	permitA = "permita00000001"
	permitB = "permitb00000001"

	complaintA = "complainta00001"
	complaintB = "complaintb00001"

	docA = "documenta000001"
	docB = "documentb000001"

	eventAPublic   = "eventapublic001"
	eventAInternal = "eventainternal1"
	eventB         = "eventb000000001"

	feedbackA   = "feedbacka000001"
	noticeNow   = "noticenow000001"
	noticeLater = "noticelater0001"
	outbox1     = "outbox000000001"
)

// Roles of the access matrix.
const (
	roleAnon      = "anon"
	roleResA      = "A"
	roleResB      = "B"
	roleResU      = "U"
	roleClerkX    = "cx"
	roleClerkY    = "cy"
	roleDirector  = "dir"
	roleSuperuser = "su"
)

var (
	templateDir string
	matrixDir   string // the fixtures plus the access matrix's own
	roleTokens  = map[string]string{}
	roleIDs     = map[string]string{
		roleResA: resA, roleResB: resB, roleResU: resU,
		roleClerkX: clerkX, roleClerkY: clerkY, roleDirector: director,
	}
	settingsID string
)

func TestMain(m *testing.M) {
	code, err := runWithTemplate(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fixtures:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

// runWithTemplate builds the fixture database once; every test clones it.
func runWithTemplate(m *testing.M) (int, error) {
	empty, err := os.MkdirTemp("", "townhall_empty_*")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(empty)
	app, err := tests.NewTestApp(empty)
	if err != nil {
		return 0, err
	}
	Register(app)
	if err := buildFixtures(app); err != nil {
		return 0, err
	}
	templateDir = app.DataDir()
	defer os.RemoveAll(templateDir)
	if err := app.ResetBootstrapState(); err != nil {
		return 0, err
	}

	matrix, err := tests.NewTestApp(templateDir)
	if err != nil {
		return 0, err
	}
	Register(matrix)
	if err := addMatrixFixtures(matrix); err != nil {
		return 0, err
	}
	matrixDir = matrix.DataDir()
	defer os.RemoveAll(matrixDir)
	if err := matrix.ResetBootstrapState(); err != nil {
		return 0, err
	}
	return m.Run(), nil
}

func buildFixtures(app core.App) error {
	save := func(collection, id string, data map[string]any) (*core.Record, error) {
		col, err := app.FindCollectionByNameOrId(collection)
		if err != nil {
			return nil, err
		}
		r := core.NewRecord(col)
		if id != "" {
			r.Id = id
		}
		for k, v := range data {
			switch k {
			case "email":
				r.SetEmail(v.(string))
			case "verified":
				r.SetVerified(v.(bool))
			case "file":
				f, err := filesystem.NewFileFromBytes(v.([]byte), "photo.png")
				if err != nil {
					return nil, err
				}
				r.Set("file", f)
			default:
				r.Set(k, v)
			}
		}
		if col.IsAuth() {
			r.SetPassword("correct-horse-battery")
		}
		saver := app
		if collection == "complaints" {
			setPublicUntil(r)
		}
		if collection == "permits" || collection == "complaints" {
			// requests are written in their fixture state, past the lifecycle guards
			saver = app.UnsafeWithoutHooks()
		}
		if err := saver.SaveNoValidate(r); err != nil {
			return nil, fmt.Errorf("%s %s: %w", collection, id, err)
		}
		return r, nil
	}
	steps := []struct {
		collection, id string
		data           map[string]any
	}{
		{"departments", deptX, map[string]any{"code": "DX", "name": "Department X", "active": true, "notify_email": "x-queue@county.test"}},
		{"departments", deptY, map[string]any{"code": "DY", "name": "Department Y", "active": true, "notify_email": "y-queue@county.test"}},
		{"departments", deptZ, map[string]any{"code": "DZ", "name": "Department Z", "active": false}},
		{"staff", clerkX, map[string]any{"email": "clerkx@county.test", "name": "Clerk X", "role": "clerk", "department": deptX, "active": true, "verified": true}},
		{"staff", clerkY, map[string]any{"email": "clerky@county.test", "name": "Clerk Y", "role": "clerk", "department": deptY, "active": true, "verified": true}},
		{"staff", supX, map[string]any{"email": "supx@county.test", "name": "Supervisor X", "role": "supervisor", "department": deptX, "active": true, "verified": true}},
		{"staff", director, map[string]any{"email": "director@county.test", "name": "Director", "role": "director", "active": true, "verified": true}},
		{"users", resA, map[string]any{"email": "a@resident.test", "name": "Resident A", "verified": true, "language": "en"}},
		{"users", resB, map[string]any{"email": "b@resident.test", "name": "Resident B", "verified": true, "language": "es"}},
		{"users", resU, map[string]any{"email": "u@resident.test", "name": "Resident U", "verified": false}},
		{"permit_types", typeX, map[string]any{"code": "TX", "name_en": "Type X", "department": deptX, "active": true, "validity_days": 365, "turnaround_days": 10,
			"fields":             `[{"key":"height","kind":"number","required":true,"min":1,"max":8,"label":{"en":"Fence height","es":"Altura de la cerca"},"unit":{"en":"feet","es":"pies"}}]`,
			"required_documents": `[{"key":"site_plan","label":{"en":"Site plan","es":"Plano del sitio"},"accept":["pdf","image"]}]`}},
		{"permit_types", typeY, map[string]any{"code": "TY", "name_en": "Type Y", "department": deptY, "active": true, "fee": 40, "validity_days": 30, "fields": `[]`, "required_documents": `[]`}},
		{"permit_types", typeOff, map[string]any{"code": "TOFF", "name_en": "Retired type", "department": deptX, "active": false, "fields": `[]`, "required_documents": `[]`}},
		{"complaint_categories", catX, map[string]any{"code": "cat-x", "name_en": "Category X", "department": deptX, "ack_hours": 8, "resolve_hours": 40, "active": true}},
		{"complaint_categories", catY, map[string]any{"code": "cat-y", "name_en": "Category Y", "department": deptY, "ack_hours": 8, "resolve_hours": 40, "active": true}},
		{"complaint_categories", catOff, map[string]any{"code": "cat-off", "name_en": "Retired category", "department": deptX, "ack_hours": 8, "resolve_hours": 40, "active": false}},
		{"permits", permitA, map[string]any{"owner": resA, "permit_type": typeX, "department": deptX, "status": "draft", "language": "en",
			"site_address": "1 A Street", "data": `{"height":4}`}},
		{"permits", permitB, map[string]any{"owner": resB, "permit_type": typeY, "department": deptY, "status": "draft", "language": "es",
			"site_address": "2 B Street", "data": `{}`, "fee": 40}},
		{"complaints", complaintA, map[string]any{"reporter": resA, "category": catX, "department": deptX, "status": "new", "language": "en",
			"reference": "SR-2026-00001", "description": "A pothole", "address": "1 A Street"}},
		{"complaints", complaintB, map[string]any{"reporter": resB, "category": catY, "department": deptY, "status": "resolved", "language": "es",
			"reference": "SR-2026-00002", "description": "A light", "address": "2 B Street", "resolution_note": "Fixed"}},
		{"documents", docA, map[string]any{"owner": resA, "permit": permitA, "department": deptX, "kind": "site_plan", "file": tinyPNG()}},
		{"documents", docB, map[string]any{"owner": resB, "permit": permitB, "department": deptY, "kind": "site_plan", "file": tinyPNG()}},
		{"events", eventAPublic, map[string]any{"permit": permitA, "department": deptX, "actor_kind": "resident", "actor_user": resA, "action": "created", "public": true}},
		{"events", eventAInternal, map[string]any{"permit": permitA, "department": deptX, "actor_kind": "staff", "actor_staff": clerkX, "action": "note", "comment": "internal", "public": false}},
		{"events", eventB, map[string]any{"permit": permitB, "department": deptY, "actor_kind": "resident", "actor_user": resB, "action": "created", "public": true}},
		{"feedback", feedbackA, map[string]any{"complaint": complaintA, "department": deptX, "author": resA, "rating": 4}},
		{"outbox", outbox1, map[string]any{"to": "a@resident.test", "subject": "Hello", "text": "Hi", "status": "sent"}},
		{"announcements", noticeNow, map[string]any{"title_en": "Water main work on Oak Street", "title_es": "Obras en Oak Street", "severity": "warning",
			"starts_at": "2026-11-01 00:00:00.000Z", "shows_on": "both"}},
		{"announcements", noticeLater, map[string]any{"title_en": "Planned outage", "severity": "outage",
			"starts_at": "2099-01-01 00:00:00.000Z", "shows_on": "both"}},
	}
	for _, s := range steps {
		if _, err := save(s.collection, s.id, s.data); err != nil {
			return err
		}
	}

	// the fixture documents' upload events are not part of the fixtures
	if _, err := app.DB().NewQuery("DELETE FROM events WHERE action = 'document_added'").Execute(); err != nil {
		return err
	}

	// the fixture reports already used SR-2026-00001 and 00002
	if _, err := app.DB().NewQuery("INSERT INTO townhall_counters (key, value) VALUES ('complaint:SR:2026', 2)").Execute(); err != nil {
		return err
	}

	settings, err := app.FindFirstRecordByFilter("town_settings", "")
	if err != nil {
		return err
	}
	settingsID = settings.Id

	for role, id := range roleIDs {
		col := "users"
		if strings.HasPrefix(role, "c") || role == roleDirector {
			col = "staff"
		}
		r, err := app.FindRecordById(col, id)
		if err != nil {
			return err
		}
		tok, err := r.NewAuthToken()
		if err != nil {
			return err
		}
		roleTokens[role] = tok
	}
	su, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		return err
	}
	admin := core.NewRecord(su)
	admin.SetEmail("admin@county.test")
	admin.SetPassword("correct-horse-battery")
	if err := app.Save(admin); err != nil {
		return err
	}
	tok, err := admin.NewAuthToken()
	if err != nil {
		return err
	}
	roleTokens[roleSuperuser] = tok
	return nil
}

// tinyPNG is a valid 2×2 PNG.
func tinyPNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{200, 30, 30, 255})
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// testEnv is one clone of the fixture database with Townhall's hooks and
// routes, served in-process.
type testEnv struct {
	app     *tests.TestApp
	handler http.Handler
	portal  *Portal
	clock   *testClock
}

// testClock is a clock tests move by hand.
type testClock = testkit.Clock

// testStart is when the test clock starts: a Tuesday morning in Chicago.
var testStart = time.Date(2026, 11, 17, 15, 0, 0, 0, time.UTC)

func newEnv(t testing.TB) *testEnv {
	t.Helper()
	return newEnvFrom(t, templateDir)
}

// newEnvFrom is newEnv on a clone of another template.
func newEnvFrom(t testing.TB, template string) *testEnv {
	t.Helper()
	app, err := tests.NewTestApp(template)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	clock := testkit.NewClock(testStart)
	portal := RegisterWith(app, Options{Now: clock.Now})
	portal.sendSoon = func() {} // tests send the outbox when they choose
	ServeSite(app, pb_public.FS)
	mux, err := testkit.Handler(app)
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{app: app, handler: mux, portal: portal, clock: clock}
}

// setStatus puts a request in a state directly, past the lifecycle guards
// (test set-up only).
func (e *testEnv) setStatus(t testing.TB, collection, id, status string, fields map[string]any) {
	t.Helper()
	r := e.record(t, collection, id)
	r.Set("status", status)
	for k, v := range fields {
		r.Set(k, v)
	}
	if collection == "complaints" {
		setPublicUntil(r) // derived from the state, as every real save does
	}
	if err := e.app.UnsafeWithoutHooks().SaveNoValidate(r); err != nil {
		t.Fatal(err)
	}
	e.portal.public.forget()
}

// switchOff deactivates a staff account as an administrator would.
func (e *testEnv) switchOff(t testing.TB, staffID string) {
	t.Helper()
	s := e.record(t, "staff", staffID)
	s.Set("active", false)
	if err := e.app.Save(s); err != nil {
		t.Fatal(err)
	}
}

// count counts records matching a filter.
func (e *testEnv) count(t testing.TB, collection, filter string, params map[string]any) int {
	t.Helper()
	records, err := e.app.FindRecordsByFilter(collection, filter, "", 0, 0, params)
	if err != nil {
		t.Fatal(err)
	}
	return len(records)
}

// response is what a request returned.
type response struct {
	Status int
	Body   string
	Header http.Header
}

// JSON decodes the body into v.
func (r response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("decoding %q: %v", r.Body, err)
	}
}

// do sends a request as role ("" or roleAnon for nobody). A map or struct body
// is sent as JSON; a *multipart.Writer-built body via doMultipart.
func (e *testEnv) do(t testing.TB, method, url string, body any, role string) response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		switch b := body.(type) {
		case string:
			rd = strings.NewReader(b)
		default:
			raw, err := json.Marshal(b)
			if err != nil {
				t.Fatal(err)
			}
			rd = bytes.NewReader(raw)
		}
	}
	req := httptest.NewRequest(method, url, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return e.send(req, role)
}

func (e *testEnv) send(req *http.Request, role string) response {
	if tok := roleTokens[role]; tok != "" {
		req.Header.Set("Authorization", tok)
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return response{Status: rec.Code, Body: rec.Body.String(), Header: rec.Header()}
}

// doMultipart sends form fields and one file as multipart/form-data.
func (e *testEnv) doMultipart(t testing.TB, method, url string, fields map[string]string, fileField, fileName string, file []byte, role string) response {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if fileField != "" {
		fw, err := w.CreateFormFile(fileField, fileName)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(file)
	}
	_ = w.Close()
	req := httptest.NewRequest(method, url, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return e.send(req, role)
}

// record loads a record or fails the test.
func (e *testEnv) record(t testing.TB, collection, id string) *core.Record {
	t.Helper()
	r, err := e.app.FindRecordById(collection, id)
	if err != nil {
		t.Fatalf("%s %s: %v", collection, id, err)
	}
	return r
}

// filesystemFile wraps bytes as an upload for Go-side record saves.
func filesystemFile(b []byte, name string) (*filesystem.File, error) {
	return filesystem.NewFileFromBytes(b, name)
}

// scenarioApp is the app of a tests.ApiScenario: a clone of the fixtures
// with Townhall installed (the scenario builds the router itself).
func scenarioApp(t testing.TB) *tests.TestApp {
	t.Helper()
	app, err := tests.NewTestApp(templateDir)
	if err != nil {
		t.Fatal(err)
	}
	RegisterWith(app, Options{Now: testkit.NewClock(testStart).Now})
	ServeSite(app, pb_public.FS)
	return app
}

// as is the Authorization header of a role, for a scenario.
func as(role string) map[string]string {
	if tok := roleTokens[role]; tok != "" {
		return map[string]string{"Authorization": tok}
	}
	return nil
}

// submitted is a scenario's set-up that puts a permit in the submitted
// state (staff see a resident's application once it is submitted).
func submitted(id string) func(testing.TB, *tests.TestApp, *core.ServeEvent) {
	return func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
		r, err := app.FindRecordById("permits", id)
		if err != nil {
			t.Fatal(err)
		}
		r.Set("status", "submitted")
		if err := app.UnsafeWithoutHooks().SaveNoValidate(r); err != nil {
			t.Fatal(err)
		}
	}
}
