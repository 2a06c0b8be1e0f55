package hooks

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// TestExportHoldsEverythingAboutMe: the zip holds the resident's profile,
// requests with the history they may see, ratings and documents (the
// files), and nothing of anybody else's or of staff's internal notes.
func TestExportHoldsEverythingAboutMe(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for role, status := range map[string]int{roleAnon: 401, roleClerkX: 403} {
		if res := e.do(t, http.MethodGet, "/api/townhall/account/export", nil, role); res.Status != status {
			t.Errorf("%s exports: %d %s", role, res.Status, res.Body)
		}
	}
	res := e.do(t, http.MethodGet, "/api/townhall/account/export", nil, roleResA)
	if res.Status != 200 || res.Header.Get("Content-Type") != "application/zip" || !strings.Contains(res.Header.Get("Content-Disposition"), "my-data-") {
		t.Fatalf("export: %d %v", res.Status, res.Header)
	}
	z, err := zip.NewReader(bytes.NewReader([]byte(res.Body)), int64(len(res.Body)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], _ = io.ReadAll(r)
		r.Close()
	}
	raw := string(files["my-data.json"])
	var data struct {
		Profile   map[string]any   `json:"profile"`
		Permits   []map[string]any `json:"permit_applications"`
		Reports   []map[string]any `json:"problem_reports"`
		Ratings   []map[string]any `json:"ratings"`
		Documents []map[string]any `json:"documents"`
	}
	if err := json.Unmarshal(files["my-data.json"], &data); err != nil {
		t.Fatalf("my-data.json: %v\n%s", err, raw)
	}
	if data.Profile["email"] != "a@resident.test" || len(data.Permits) != 1 || data.Permits[0]["id"] != permitA ||
		len(data.Reports) != 1 || data.Reports[0]["id"] != complaintA || len(data.Ratings) != 1 || len(data.Documents) != 1 {
		t.Errorf("my-data.json holds %s", raw)
	}
	name, _ := data.Documents[0]["file_in_this_zip"].(string)
	if !bytes.HasPrefix(files[name], []byte("\x89PNG")) {
		t.Errorf("the document's file %q is not in the zip (%d bytes)", name, len(files[name]))
	}
	for _, leak := range []string{"b@resident.test", "Resident B", permitB, complaintB, "internal", "password", "tokenKey"} {
		if strings.Contains(raw, leak) {
			t.Errorf("the export holds %q", leak)
		}
	}
}

// TestDeletingAnAccountKeepsThePublicRecordWithoutThePerson: with their
// password, a resident deletes their account: drafts and documents go, an
// open application is withdrawn, what they submitted stays without them,
// the history names a former resident; nobody else's data changes.
func TestDeletingAnAccountKeepsThePublicRecordWithoutThePerson(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	col, err := e.app.FindCollectionByNameOrId("permits")
	if err != nil {
		t.Fatal(err)
	}
	open := core.NewRecord(col)
	open.Id = "permitaopen0001"
	open.Load(map[string]any{"owner": resA, "permit_type": typeX, "department": deptX, "status": "in_review", "language": "en",
		"site_address": "1 A Street", "data": `{"height":4}`, "reference": "APP-2026-00007", "applicant_phone": "555-0100"})
	if err := e.app.UnsafeWithoutHooks().SaveNoValidate(open); err != nil {
		t.Fatal(err)
	}
	report := e.record(t, "complaints", complaintA)
	report.Set("location", types.GeoPoint{Lat: 41.881832, Lon: -87.623177})
	report.Set("has_location", true)
	if err := e.app.UnsafeWithoutHooks().SaveNoValidate(report); err != nil {
		t.Fatal(err)
	}

	if res := e.do(t, http.MethodDelete, "/api/collections/users/records/"+resA, nil, roleResA); res.Status != 403 || !strings.Contains(res.Body, "profile page") {
		t.Errorf("deleting through the records API: %d %s", res.Status, res.Body)
	}
	if res := e.do(t, http.MethodPost, "/api/townhall/account/delete", `{"password":"wrong-password-here"}`, roleResA); res.Status != 400 || !strings.Contains(res.Body, "current password") {
		t.Errorf("a wrong password: %d %s", res.Status, res.Body)
	}
	if res := e.do(t, http.MethodPost, "/api/townhall/account/delete", `{"password":"correct-horse-battery"}`, roleClerkX); res.Status != 403 {
		t.Errorf("staff deleting: %d %s", res.Status, res.Body)
	}
	if res := e.do(t, http.MethodPost, "/api/townhall/account/delete", `{"password":"correct-horse-battery"}`, roleResA); res.Status != 200 {
		t.Fatalf("delete: %d %s", res.Status, res.Body)
	}

	if _, err := e.app.FindRecordById("users", resA); err == nil {
		t.Error("the account is still there")
	}
	for _, c := range []struct{ collection, id string }{{"permits", permitA}, {"documents", docA}} {
		if _, err := e.app.FindRecordById(c.collection, c.id); err == nil {
			t.Errorf("%s %s (draft, document) is still there", c.collection, c.id)
		}
	}
	kept := e.record(t, "permits", open.Id)
	if kept.GetString("status") != "withdrawn" || kept.GetString("owner") != "" || kept.GetString("applicant_phone") != "" || kept.GetString("reference") != "APP-2026-00007" {
		t.Errorf("the open application after the delete: %v", kept.FieldsData())
	}
	r := e.record(t, "complaints", complaintA)
	if pt := r.GetGeoPoint("location"); r.GetString("reporter") != "" || r.GetString("address") != "" || pt.Lat != 41.882 || pt.Lon != -87.623 || r.GetString("description") != "A pothole" {
		t.Errorf("the report after the delete: %v", r.FieldsData())
	}
	if f := e.record(t, "feedback", feedbackA); f.GetString("author") != "" || f.GetInt("rating") != 4 {
		t.Errorf("the rating after the delete: %v", f.FieldsData())
	}
	if n := e.count(t, "events", "actor_user = {:u} || actor_name = 'Resident A'", map[string]any{"u": resA}); n != 0 {
		t.Errorf("%d events still name the resident", n)
	}
	if n := e.count(t, "events", "permit = {:p} && action = 'withdraw' && actor_name = 'Former resident'", map[string]any{"p": open.Id}); n != 1 {
		t.Errorf("%d withdraw events by a former resident", n)
	}
	for _, id := range []string{open.Id, complaintA} {
		if n := e.count(t, "events", "(permit = {:id} || complaint = {:id}) && action = 'personal_data_removed' && public = false", map[string]any{"id": id}); n != 1 {
			t.Errorf("%s: %d 'personal data removed' events", id, n)
		}
	}
	if n := e.count(t, "outbox", "to = 'a@resident.test' && kind != 'account.deleted'", nil); n != 0 {
		t.Errorf("%d other emails to the deleted address remain", n)
	}
	if n := e.count(t, "outbox", "to = 'a@resident.test' && kind = 'account.deleted'", nil); n != 1 {
		t.Errorf("%d confirmations of the deletion", n)
	}
	// nobody else's data changed
	if b := e.record(t, "permits", permitB); b.GetString("owner") != resB {
		t.Error("resident B's application lost its owner")
	}
	if _, err := e.app.FindRecordById("documents", docB); err != nil {
		t.Error("resident B's document is gone")
	}

	// an administrator deleting a resident in the dashboard runs the same erasure
	if res := e.do(t, http.MethodDelete, "/api/collections/users/records/"+resB, nil, roleSuperuser); res.Status != 204 {
		t.Fatalf("the dashboard's delete: %d %s", res.Status, res.Body)
	}
	if r := e.record(t, "complaints", complaintB); r.GetString("reporter") != "" || r.GetString("address") != "" {
		t.Errorf("after the dashboard's delete the report keeps %v", r.FieldsData())
	}
}
