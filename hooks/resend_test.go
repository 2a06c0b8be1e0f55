package hooks

import (
	"net/http"
	"strings"
	"testing"
)

// TestACommentSentTwiceIsAddedOnce: a comment sent again with the id its
// page chose (the first answer lost) is added once and answered alike; an
// id that is not an id, or another comment's, is refused.
func TestACommentSentTwiceIsAddedOnce(t *testing.T) {
	e := newEnv(t)
	url := "/api/townhall/complaints/" + complaintA + "/comment"
	body := map[string]any{"id": "keptcomment0001", "comment": "The hole is getting deeper."}
	for i := 0; i < 2; i++ {
		if res := e.do(t, http.MethodPost, url, body, roleResA); res.Status != 200 {
			t.Fatalf("sending %d: %d %s", i+1, res.Status, res.Body)
		}
	}
	if n := e.count(t, "events", "complaint = {:c} && comment = {:m}", map[string]any{"c": complaintA, "m": body["comment"]}); n != 1 {
		t.Fatalf("%d comments in the history, want 1", n)
	}
	for name, b := range map[string]map[string]any{
		"not an id":          {"id": "Not An Id!", "comment": "x"},
		"the same id, other": {"id": "keptcomment0001", "comment": "Something else"},
	} {
		if res := e.do(t, http.MethodPost, url, b, roleResA); res.Status != 400 || !strings.Contains(res.Body, "could not be matched") {
			t.Errorf("%s: %d %s", name, res.Status, res.Body)
		}
	}
	// staff of the department cannot claim a resident's comment id either
	if res := e.do(t, http.MethodPost, url, body, roleClerkX); res.Status != 400 {
		t.Errorf("clerk with the resident's id: %d %s", res.Status, res.Body)
	}
}
