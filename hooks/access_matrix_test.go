package hooks

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// matrixRow is one collection × operation of the access matrix. outcomes
// lists, per role, the expected status and, for lists, exactly which fixture
// ids come back: "200:permita00000001,permitb00000001", "200:" (none), "404".
type matrixRow struct {
	collection string
	op         string // list, view, create, update, delete
	target     string // record id for view, update and delete
	body       string // JSON for create and update; $me is the caller's id
	outcomes   string // "role=status[:ids] ..." for every matrix role
	notInBody  string // text that must never appear in any answer (hidden fields)
}

// matrixRoles are the roles the issue asks for, in column order.
var matrixRoles = []string{roleAnon, roleResA, roleResB, roleClerkX, roleClerkY, roleDirector, roleSuperuser}

func TestAccessMatrix(t *testing.T) {
	t.Parallel()
	all := func(ids ...string) string { return strings.Join(ids, ",") }
	staffIDs := all(clerkX, clerkY, supX, director)
	rows := []matrixRow{
		// departments: public names, written by administrators only
		{"departments", "list", "", "", "anon=200:" + all(deptX, deptY, deptZ) + " A=200:" + all(deptX, deptY, deptZ) +
			" B=200:" + all(deptX, deptY, deptZ) + " cx=200:" + all(deptX, deptY, deptZ) + " cy=200:" + all(deptX, deptY, deptZ) +
			" dir=200:" + all(deptX, deptY, deptZ) + " su=200:" + all(deptX, deptY, deptZ), "x-queue@county.test"},
		{"departments", "view", deptX, "", "anon=200 A=200 B=200 cx=200 cy=200 dir=200 su=200", ""},
		{"departments", "create", "", `{"code":"NEW","name":"New"}`, "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"departments", "update", deptX, `{"name":"Renamed"}`, "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"departments", "delete", deptZ, "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=204", ""},

		// staff: visible to staff only, changed by administrators (and a member's own name)
		{"staff", "list", "", "", "anon=200: A=200: B=200: cx=200:" + staffIDs + " cy=200:" + staffIDs +
			" dir=200:" + staffIDs + " su=200:" + staffIDs, ""},
		{"staff", "view", clerkX, "", "anon=404 A=404 B=404 cx=200 cy=200 dir=200 su=200", ""},
		{"staff", "create", "", `{"email":"new@county.test","password":"long-enough-1","passwordConfirm":"long-enough-1","name":"New","role":"clerk"}`,
			"anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"staff", "update", clerkY, `{"name":"Renamed"}`, "anon=404 A=404 B=404 cx=404 cy=200 dir=404 su=200", ""},
		{"staff", "delete", supX, "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=204", ""},

		// users (residents): themselves; staff may look residents up
		{"users", "list", "", "", "anon=200: A=200:" + resA + " B=200:" + resB + " cx=200:" + all(resA, resB, resU) +
			" cy=200:" + all(resA, resB, resU) + " dir=200:" + all(resA, resB, resU) + " su=200:" + all(resA, resB, resU), ""},
		{"users", "view", resA, "", "anon=404 A=200 B=404 cx=200 cy=200 dir=200 su=200", ""},
		{"users", "create", "", `{"email":"$role@new.test","password":"long-enough-1","passwordConfirm":"long-enough-1"}`,
			"anon=200 A=200 B=200 cx=200 cy=200 dir=200 su=200", ""},
		{"users", "update", resA, `{"name":"Renamed"}`, "anon=404 A=200 B=404 cx=404 cy=404 dir=404 su=200", ""},
		{"users", "delete", resU, "", "anon=404 A=404 B=404 cx=404 cy=404 dir=404 su=204", ""},

		// the public catalogue: active entries for everybody, retired ones for staff
		{"permit_types", "list", "", "", "anon=200:" + all(typeX, typeY) + " A=200:" + all(typeX, typeY) + " B=200:" + all(typeX, typeY) +
			" cx=200:" + all(typeX, typeY, typeOff) + " cy=200:" + all(typeX, typeY, typeOff) +
			" dir=200:" + all(typeX, typeY, typeOff) + " su=200:" + all(typeX, typeY, typeOff), ""},
		{"permit_types", "view", typeOff, "", "anon=404 A=404 B=404 cx=200 cy=200 dir=200 su=200", ""},
		{"permit_types", "create", "", `{"code":"NEWT","name_en":"New","department":"` + deptX + `"}`, "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"permit_types", "update", typeX, `{"fee":12}`, "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"permit_types", "delete", typeOff, "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=204", ""},

		{"complaint_categories", "list", "", "", "anon=200:" + all(catX, catY) + " A=200:" + all(catX, catY) + " B=200:" + all(catX, catY) +
			" cx=200:" + all(catX, catY, catOff) + " cy=200:" + all(catX, catY, catOff) +
			" dir=200:" + all(catX, catY, catOff) + " su=200:" + all(catX, catY, catOff), ""},
		{"complaint_categories", "view", catOff, "", "anon=404 A=404 B=404 cx=200 cy=200 dir=200 su=200", ""},
		{"complaint_categories", "create", "", `{"code":"new-cat","name_en":"New","department":"` + deptX + `","ack_hours":1,"resolve_hours":2}`,
			"anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"complaint_categories", "update", catX, `{"ack_hours":4}`, "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"complaint_categories", "delete", catOff, "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=204", ""},

		// permits: the owner, staff of the department, directors; a resident's
		// draft is the resident's alone until submitted, a counter draft is staff's
		{"permits", "list", "", "", "anon=200: A=200:" + all(permitA, permitS) + " B=200:" + permitB + " cx=200:" + all(permitS, permitW) +
			" cy=200: dir=200:" + all(permitS, permitW) + " su=200:" + all(permitA, permitB, permitS, permitW), ""},
		{"permits", "view", permitA, "", "anon=404 A=200 B=404 cx=404 cy=404 dir=404 su=200", ""},
		{"permits", "view", permitS, "", "anon=404 A=200 B=404 cx=200 cy=404 dir=200 su=200", ""},
		{"permits", "view", permitW, "", "anon=404 A=404 B=404 cx=200 cy=404 dir=200 su=200", ""},
		{"permits", "create", "", `{"permit_type":"` + typeX + `","owner":"$resident"}`, "anon=400 A=200 B=200 cx=200 cy=400 dir=200 su=200", ""},
		{"permits", "update", permitA, `{"site_address":"9 New Street"}`, "anon=404 A=200 B=404 cx=404 cy=404 dir=404 su=200", ""},
		{"permits", "update", permitS, `{"site_address":"9 New Street"}`, "anon=404 A=404 B=404 cx=200 cy=404 dir=200 su=200", ""},
		{"permits", "delete", permitA, "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=204", ""},

		// complaints: the reporter, staff of the department, directors; any staff member may file one
		{"complaints", "list", "", "", "anon=200: A=200:" + complaintA + " B=200:" + complaintB + " cx=200:" + complaintA +
			" cy=200:" + complaintB + " dir=200:" + all(complaintA, complaintB) + " su=200:" + all(complaintA, complaintB), ""},
		{"complaints", "view", complaintA, "", "anon=404 A=200 B=404 cx=200 cy=404 dir=200 su=200", ""},
		{"complaints", "create", "", `{"category":"` + catX + `","reporter":"$resident","description":"Street light out","address":"5 Elm Street"}`,
			"anon=400 A=200 B=200 cx=200 cy=200 dir=200 su=200", ""},
		{"complaints", "update", complaintA, `{"address":"7 Elm Street"}`, "anon=404 A=404 B=404 cx=200 cy=404 dir=200 su=200", ""},
		{"complaints", "delete", complaintA, "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=204", ""},

		// documents: the owner and staff of the department handling the request,
		// once the application is submitted
		{"documents", "list", "", "", "anon=200: A=200:" + all(docA, docS) + " B=200:" + docB + " cx=200:" + docS + " cy=200:" +
			" dir=200:" + docS + " su=200:" + all(docA, docB, docS), ""},
		{"documents", "view", docA, "", "anon=404 A=200 B=404 cx=404 cy=404 dir=404 su=200", ""},
		{"documents", "view", docS, "", "anon=404 A=200 B=404 cx=200 cy=404 dir=200 su=200", ""},
		{"documents", "create", "", "permit=" + permitA + " kind=site_plan owner=$resident", "anon=400 A=200 B=404 cx=404 cy=404 dir=404 su=200", ""},
		{"documents", "create", "", "permit=" + permitS + " kind=other owner=$resident", "anon=400 A=409 B=404 cx=200 cy=403 dir=200 su=200", ""},
		{"documents", "update", docA, `{"public":true}`, "anon=404 A=404 B=404 cx=404 cy=404 dir=404 su=200", ""},
		{"documents", "update", docS, `{"public":true}`, "anon=404 A=404 B=404 cx=200 cy=404 dir=200 su=200", ""},
		{"documents", "delete", docA, "", "anon=404 A=204 B=404 cx=404 cy=404 dir=404 su=204", ""},

		// events: residents see the public events of their own requests; staff
		// those of submitted work; nobody edits or deletes
		{"events", "list", "", "", "anon=200: A=200:" + all(eventAPublic, eventS) + " B=200:" + eventB + " cx=200:" + eventS +
			" cy=200: dir=200:" + eventS + " su=200:" + all(eventAPublic, eventAInternal, eventB, eventS), ""},
		{"events", "view", eventAInternal, "", "anon=404 A=404 B=404 cx=404 cy=404 dir=404 su=200", ""},
		{"events", "view", eventS, "", "anon=404 A=200 B=404 cx=200 cy=404 dir=200 su=200", ""},
		{"events", "create", "", `{"permit":"` + permitA + `","actor_kind":"system","action":"note"}`, "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"events", "update", eventAPublic, `{"comment":"rewritten"}`, "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=403", ""},
		{"events", "delete", eventAPublic, "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=403", ""},

		// feedback: rated once by the reporter of a resolved request
		{"feedback", "list", "", "", "anon=200: A=200:" + feedbackA + " B=200: cx=200:" + feedbackA + " cy=200: dir=200:" + feedbackA +
			" su=200:" + feedbackA, ""},
		{"feedback", "view", feedbackA, "", "anon=404 A=200 B=404 cx=200 cy=404 dir=200 su=200", ""},
		{"feedback", "create", "", `{"complaint":"` + complaintB + `","author":"$resident","rating":5}`, "anon=400 A=400 B=200 cx=400 cy=400 dir=400 su=200", ""},
		{"feedback", "update", feedbackA, `{"rating":1}`, "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"feedback", "delete", feedbackA, "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=204", ""},

		// outbox: superusers only
		{"outbox", "list", "", "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200:" + outbox1, ""},
		{"outbox", "view", outbox1, "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"outbox", "create", "", `{"to":"x@y.test","subject":"s","status":"pending"}`, "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"outbox", "update", outbox1, `{"subject":"t"}`, "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"outbox", "delete", outbox1, "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=204", ""},

		// announcements: public once started; directors write them
		{"announcements", "list", "", "", "anon=200:" + noticeNow + " A=200:" + noticeNow + " B=200:" + noticeNow + " cx=200:" + noticeNow +
			" cy=200:" + noticeNow + " dir=200:" + all(noticeNow, noticeLater) + " su=200:" + all(noticeNow, noticeLater), ""},
		{"announcements", "view", noticeLater, "", "anon=404 A=404 B=404 cx=404 cy=404 dir=200 su=200", ""},
		{"announcements", "create", "", `{"title_en":"Snow","severity":"info","starts_at":"2026-12-01 00:00:00.000Z","shows_on":"site"}`,
			"anon=400 A=400 B=400 cx=400 cy=400 dir=200 su=200", ""},
		{"announcements", "update", noticeNow, `{"title_en":"Renamed"}`, "anon=404 A=404 B=404 cx=404 cy=404 dir=200 su=200", ""},
		{"announcements", "delete", noticeNow, "", "anon=404 A=404 B=404 cx=404 cy=404 dir=204 su=204", ""},

		// town settings: public to read, one record, edited by administrators
		{"town_settings", "list", "", "", "anon=200:$settings A=200:$settings B=200:$settings cx=200:$settings cy=200:$settings " +
			"dir=200:$settings su=200:$settings", ""},
		{"town_settings", "view", "$settings", "", "anon=200 A=200 B=200 cx=200 cy=200 dir=200 su=200", ""},
		{"town_settings", "create", "", `{"town_name":"Second","timezone":"UTC","work_days":["mon"],"open_time":"08:00","close_time":"17:00"}`,
			"anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=400", ""},
		{"town_settings", "update", "$settings", `{"reopen_days":10}`, "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"town_settings", "delete", "$settings", "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=400", ""},

		// targets: staff read their department's and the county-wide ones; directors set them
		{"targets", "list", "", "", "anon=200: A=200: B=200: cx=200:" + all(targetX, targetAll) + " cy=200:" + all(targetY, targetAll) +
			" dir=200:" + all(targetX, targetY, targetAll) + " su=200:" + all(targetX, targetY, targetAll), ""},
		{"targets", "view", targetX, "", "anon=404 A=404 B=404 cx=200 cy=404 dir=200 su=200", ""},
		{"targets", "create", "", `{"metric":"satisfaction","value":4.3}`, "anon=400 A=400 B=400 cx=400 cy=400 dir=200 su=200", ""},
		{"targets", "update", targetX, `{"value":4.5}`, "anon=404 A=404 B=404 cx=404 cy=404 dir=200 su=200", ""},
		{"targets", "delete", targetAll, "", "anon=404 A=404 B=404 cx=404 cy=404 dir=204 su=204", ""},

		// Open311 clients and their keys: administrators only
		{"open311_clients", "list", "", "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200:" + open311C, ""},
		{"open311_clients", "view", open311C, "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"open311_clients", "create", "", `{"name":"New app","enabled":true}`, "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"open311_clients", "update", open311C, `{"enabled":false}`, "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"open311_clients", "delete", open311C, "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=204", ""},

		// "was this page helpful?": anyone answers, without a name; directors and administrators read
		{"page_feedback", "list", "", "", "anon=200: A=200: B=200: cx=200: cy=200: dir=200:" + pageFeedbackA + " su=200:" + pageFeedbackA, ""},
		{"page_feedback", "view", pageFeedbackA, "", "anon=404 A=404 B=404 cx=404 cy=404 dir=200 su=200", ""},
		{"page_feedback", "create", "", `{"page":"/help.html","helpful":true}`, "anon=200 A=200 B=200 cx=200 cy=200 dir=200 su=200", ""},
		{"page_feedback", "update", pageFeedbackA, `{"comment":"changed"}`, "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"page_feedback", "delete", pageFeedbackA, "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=204", ""},

		// alert topics: the active ones are public, staff see all; administrators keep them
		{"alert_topics", "list", "", "", "anon=200:" + all(topicRoads, topicWater) + " A=200:" + all(topicRoads, topicWater) + " B=200:" + all(topicRoads, topicWater) +
			" cx=200:" + all(topicOff, topicRoads, topicWater) + " cy=200:" + all(topicOff, topicRoads, topicWater) +
			" dir=200:" + all(topicOff, topicRoads, topicWater) + " su=200:" + all(topicOff, topicRoads, topicWater), ""},
		{"alert_topics", "view", topicOff, "", "anon=404 A=404 B=404 cx=200 cy=200 dir=200 su=200", ""},
		{"alert_topics", "create", "", `{"code":"new-topic","name_en":"New","active":true}`, "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"alert_topics", "update", topicWater, `{"name_en":"Renamed"}`, "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"alert_topics", "delete", topicOff, "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=204", ""},

		// alert subscriptions: a resident's own, nobody else's (staff neither)
		{"alert_subscriptions", "list", "", "", "anon=200: A=200:" + subscriptionA + " B=200: cx=200: cy=200: dir=200: su=200:" + subscriptionA, ""},
		{"alert_subscriptions", "view", subscriptionA, "", "anon=404 A=200 B=404 cx=404 cy=404 dir=404 su=200", ""},
		{"alert_subscriptions", "create", "", `{"user":"$resident","topic":"` + topicRoads + `"}`, "anon=400 A=200 B=200 cx=400 cy=400 dir=400 su=200", ""},
		{"alert_subscriptions", "update", subscriptionA, `{"topic":"` + topicRoads + `"}`, "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"alert_subscriptions", "delete", subscriptionA, "", "anon=404 A=204 B=404 cx=404 cy=404 dir=404 su=204", ""},

		// address points: administrators only (anyone searches through /api/townhall/public/addresses)
		{"addresses", "list", "", "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200:" + addressA, ""},
		{"addresses", "view", addressA, "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"addresses", "create", "", `{"number":"2","street":"B Street","lat":44.5,"lon":-93.5}`, "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"addresses", "update", addressA, `{"unit":"2"}`, "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=200", ""},
		{"addresses", "delete", addressA, "", "anon=403 A=403 B=403 cx=403 cy=403 dir=403 su=204", ""},
	}

	// every collection of the schema has a row for each of the five operations
	covered := map[string]map[string]bool{}
	for _, r := range rows {
		if covered[r.collection] == nil {
			covered[r.collection] = map[string]bool{}
		}
		covered[r.collection][r.op] = true
	}
	env := newMatrixEnv(t)
	for _, c := range mustCollections(t, env) {
		for _, op := range []string{"list", "view", "create", "update", "delete"} {
			if !covered[c][op] {
				t.Errorf("collection %q has no %s row in the access matrix", c, op)
			}
		}
	}

	// list and view change nothing: they share one database; writes get a fresh clone each
	for _, row := range rows {
		outcomes := parseOutcomes(t, row.outcomes)
		for _, role := range matrixRoles {
			want, ok := outcomes[role]
			if !ok {
				t.Fatalf("%s %s: no outcome for role %s", row.collection, row.op, role)
			}
			t.Run(row.collection+"/"+row.op+"/"+role, func(t *testing.T) {
				t.Parallel()
				e := env
				if row.op != "list" && row.op != "view" {
					e = newMatrixEnv(t)
				}
				res := runMatrixRequest(t, e, row, role)
				if res.Status != want.status {
					t.Fatalf("status %d, want %d; body %s", res.Status, want.status, res.Body)
				}
				if row.notInBody != "" && role != roleSuperuser && strings.Contains(res.Body, row.notInBody) {
					t.Fatalf("answer contains %q: %s", row.notInBody, res.Body)
				}
				if row.op == "list" && want.status == 200 {
					var page struct {
						Items []struct {
							ID string `json:"id"`
						} `json:"items"`
					}
					res.JSON(t, &page)
					got := []string{}
					for _, it := range page.Items {
						got = append(got, it.ID)
					}
					sort.Strings(got)
					if !slices.Equal(got, want.ids) {
						t.Fatalf("list returned %v, want %v", got, want.ids)
					}
				}
			})
		}
	}
}

// The matrix's own fixtures beside the shared ones: resident A's submitted
// application with a document and an event, and a draft clerk X started at
// the counter.
const (
	permitS = "permits00000001"
	permitW = "permitw00000001"
	docS    = "documents000001"
	eventS  = "events000000001"
	// an Open311 client (issue 17)
	open311C = "open311client01"
)

// newMatrixEnv is a test environment with the matrix's fixtures (a clone of
// the matrix template TestMain builds once).
func newMatrixEnv(t *testing.T) *testEnv {
	t.Helper()
	return newEnvFrom(t, matrixDir)
}

// addMatrixFixtures adds the matrix's own fixtures to a clone of the shared ones.
func addMatrixFixtures(app core.App) error {
	raw := app.UnsafeWithoutHooks()
	permits, err := app.FindCollectionByNameOrId("permits")
	if err != nil {
		return err
	}
	for _, p := range []struct {
		id     string
		fields map[string]any
	}{
		{permitS, map[string]any{"owner": resA, "status": "submitted", "site_address": "3 S Street", "data": `{"height":4}`}},
		{permitW, map[string]any{"created_by": clerkX, "applicant_name": "Walk In", "status": "draft", "site_address": "4 W Street", "data": `{}`}},
	} {
		r := core.NewRecord(permits)
		r.Id = p.id
		r.Load(map[string]any{"permit_type": typeX, "department": deptX, "language": "en"})
		r.Load(p.fields)
		if err := raw.SaveNoValidate(r); err != nil {
			return err
		}
	}
	docs, err := app.FindCollectionByNameOrId("documents")
	if err != nil {
		return err
	}
	doc := core.NewRecord(docs)
	doc.Id = docS
	f, err := filesystemFile(tinyPNG(), "plan.png")
	if err != nil {
		return err
	}
	doc.Load(map[string]any{"owner": resA, "permit": permitS, "department": deptX, "kind": "site_plan", "file": f})
	if err := app.Save(doc); err != nil {
		return err
	}
	if _, err := app.DB().NewQuery("DELETE FROM events WHERE action = 'document_added'").Execute(); err != nil {
		return err
	}
	events, err := app.FindCollectionByNameOrId("events")
	if err != nil {
		return err
	}
	ev := core.NewRecord(events)
	ev.Id = eventS
	ev.Load(map[string]any{"permit": permitS, "department": deptX, "actor_kind": "resident", "actor_user": resA,
		"action": "submit", "from_status": "draft", "to_status": "submitted", "public": true})
	if err := raw.SaveNoValidate(ev); err != nil {
		return err
	}
	if err := addTargetFixtures(app); err != nil {
		return err
	}
	clients, err := app.FindCollectionByNameOrId("open311_clients")
	if err != nil {
		return err
	}
	client := core.NewRecord(clients)
	client.Id = open311C
	client.Load(map[string]any{"name": "Matrix app", "enabled": true})
	if err := app.Save(client); err != nil {
		return err
	}
	if err := addPageFeedbackFixture(app); err != nil {
		return err
	}
	if err := addAlertFixtures(app); err != nil {
		return err
	}
	return addAddressFixture(app)
}

type outcome struct {
	status int
	ids    []string
}

func parseOutcomes(t *testing.T, s string) map[string]outcome {
	out := map[string]outcome{}
	for _, part := range strings.Fields(s) {
		role, rest, _ := strings.Cut(part, "=")
		statusStr, idsStr, _ := strings.Cut(rest, ":")
		status, err := strconv.Atoi(statusStr)
		if err != nil {
			t.Fatalf("bad outcome %q", part)
		}
		ids := []string{}
		for _, id := range strings.Split(idsStr, ",") {
			if id == "$settings" {
				id = settingsID
			}
			if id != "" {
				ids = append(ids, id)
			}
		}
		sort.Strings(ids)
		out[role] = outcome{status, ids}
	}
	return out
}

func runMatrixRequest(t *testing.T, e *testEnv, row matrixRow, role string) response {
	base := "/api/collections/" + row.collection + "/records"
	target := row.target
	if target == "$settings" {
		target = settingsID
	}
	resident := roleIDs[role]
	if role == roleSuperuser || role == roleAnon || strings.HasPrefix(role, "c") || role == roleDirector {
		// staff and superusers file on behalf of a resident
		resident = resA
		if row.collection == "feedback" {
			resident = resB
		}
	}
	body := strings.NewReplacer("$resident", resident, "$role", role).Replace(row.body)
	switch row.op {
	case "list":
		return e.do(t, http.MethodGet, base+"?perPage=500", nil, role)
	case "view":
		return e.do(t, http.MethodGet, base+"/"+target, nil, role)
	case "create":
		if row.collection == "documents" {
			fields := map[string]string{}
			for _, kv := range strings.Fields(body) {
				k, v, _ := strings.Cut(kv, "=")
				fields[k] = v
			}
			return e.doMultipart(t, http.MethodPost, base, fields, "file", "plan.png", tinyPNG(), role)
		}
		return e.do(t, http.MethodPost, base, body, role)
	case "update":
		return e.do(t, http.MethodPatch, base+"/"+target, body, role)
	case "delete":
		return e.do(t, http.MethodDelete, base+"/"+target, nil, role)
	}
	t.Fatalf("unknown op %q", row.op)
	return response{}
}

// mustCollections lists the non-system collections of the schema.
func mustCollections(t *testing.T, e *testEnv) []string {
	cols, err := e.app.FindAllCollections()
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, c := range cols {
		if !c.System {
			names = append(names, c.Name)
		}
	}
	return names
}
