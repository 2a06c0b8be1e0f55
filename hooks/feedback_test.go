package hooks

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestStaffAnswerARating: staff of the department answer a resident's
// rating once; the answer is kept on the rating, is a public event in the
// resident's history and is emailed to them. Nobody else may answer, and a
// resident cannot write an answer into their own rating.
func TestStaffAnswerARating(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := "/api/townhall/complaints/" + complaintA + "/answer_rating"
	offers := func(role string) bool {
		return strings.Contains(e.do(t, http.MethodGet, "/api/townhall/complaints/"+complaintA+"/actions", nil, role).Body, `"answer_rating"`)
	}
	if !offers(roleClerkX) {
		t.Error("the department's clerk is not offered answer_rating on a rated request")
	}
	if offers(roleResA) {
		t.Error("the resident is offered answer_rating")
	}
	body := `{"comment":"Thank you. We also cleared the drain next to it."}`
	for _, c := range []struct {
		role   string
		status int
	}{{roleAnon, 401}, {roleResA, 403}, {roleResB, 403}, {roleClerkY, 403}} {
		if res := e.do(t, http.MethodPost, u, body, c.role); res.Status != c.status {
			t.Errorf("%s answers: %d %s, want %d", c.role, res.Status, res.Body, c.status)
		}
	}
	if res := e.do(t, http.MethodPost, u, `{"comment":"  "}`, roleClerkX); res.Status != 400 || !strings.Contains(res.Body, "Write your answer") {
		t.Errorf("empty answer: %d %s", res.Status, res.Body)
	}
	if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+complaintB+"/answer_rating", body, roleClerkY); res.Status != 400 || !strings.Contains(res.Body, "no rating") {
		t.Errorf("answering an unrated request: %d %s", res.Status, res.Body)
	}

	if res := e.do(t, http.MethodPost, u, body, roleClerkX); res.Status != 200 {
		t.Fatalf("clerk answers: %d %s", res.Status, res.Body)
	}
	fb := e.record(t, "feedback", feedbackA)
	if fb.GetString("answer") != "Thank you. We also cleared the drain next to it." || fb.GetString("answered_by") != clerkX || fb.GetString("answered_at") == "" {
		t.Errorf("the rating does not keep the answer: %v", fb.FieldsData())
	}
	if n := e.count(t, "events", "complaint = {:c} && action = 'rating_answered' && public = true && actor_staff = {:s}", map[string]any{"c": complaintA, "s": clerkX}); n != 1 {
		t.Errorf("%d public rating_answered events", n)
	}
	if n := e.count(t, "outbox", "complaint = {:c} && to = 'a@resident.test' && kind = 'complaint.comment'", map[string]any{"c": complaintA}); n != 1 {
		t.Errorf("%d answer mails to the resident", n)
	}
	// the resident reads the answer in their history and on their rating
	if res := e.do(t, http.MethodGet, "/api/collections/events/records?filter="+url.QueryEscape("complaint='"+complaintA+"'"), nil, roleResA); !strings.Contains(res.Body, "cleared the drain") {
		t.Errorf("the resident's history lacks the answer: %s", res.Body)
	}
	if res := e.do(t, http.MethodGet, "/api/collections/feedback/records/"+feedbackA, nil, roleResA); !strings.Contains(res.Body, "cleared the drain") {
		t.Errorf("the resident's rating lacks the answer: %s", res.Body)
	}
	if res := e.do(t, http.MethodPost, u, `{"comment":"Again"}`, roleDirector); res.Status != 409 {
		t.Errorf("a second answer: %d %s", res.Status, res.Body)
	}
	if offers(roleClerkX) {
		t.Error("answer_rating still offered once answered")
	}

	// a resident cannot answer their own rating through the records API
	e.setStatus(t, "complaints", complaintB, "resolved", nil)
	res := e.do(t, http.MethodPost, "/api/collections/feedback/records",
		`{"complaint":"`+complaintB+`","author":"`+resB+`","rating":5,"answer":"Answered!","answered_at":"2026-01-01 00:00:00.000Z"}`, roleResB)
	if res.Status != 400 {
		t.Errorf("a resident wrote an answer into a rating: %d %s", res.Status, res.Body)
	}
}

// TestRatingsNewestFirstReadAnIndex: staff's list of ratings, newest first
// (My work), walks idx_feedback_created instead of sorting every rating.
func TestRatingsNewestFirstReadAnIndex(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var plan []struct {
		Detail string `db:"detail"`
	}
	// the shape of the director's list: the rule's branches, then the order
	sql := "EXPLAIN QUERY PLAN SELECT id FROM feedback WHERE (author = {:me} OR ({:director} OR department = {:dept})) ORDER BY created DESC LIMIT 50"
	if err := e.app.DB().NewQuery(sql).Bind(map[string]any{"me": "", "director": true, "dept": deptX}).All(&plan); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range plan {
		got = append(got, row.Detail)
	}
	if s := strings.Join(got, "\n"); !strings.Contains(s, "idx_feedback_created") || strings.Contains(s, "TEMP B-TREE") {
		t.Errorf("plan:\n%s", s)
	}
}
