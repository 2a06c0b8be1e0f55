package hooks

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
)

// pageFeedbackA is the access matrix's "was this page helpful?" answer.
const pageFeedbackA = "pagefeedback001"

func addPageFeedbackFixture(app core.App) error {
	col, err := app.FindCollectionByNameOrId("page_feedback")
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Id = pageFeedbackA
	r.Load(map[string]any{"page": "/service.html?permit=TX", "helpful": false, "comment": "Needs more about fees", "language": "en"})
	return app.Save(r)
}

// TestPageFeedback: anyone answers about the help and service pages, at
// most 5 times a minute from one address; other pages and long comments
// are refused with a reason.
func TestPageFeedback(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	post := func(body string, ip string) response {
		req := httptest.NewRequest(http.MethodPost, "/api/collections/page_feedback/records", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = ip + ":40000"
		return e.send(req, roleAnon)
	}
	for _, c := range []struct {
		name, body string
		status     int
	}{
		{"another page", `{"page":"/my.html","helpful":true}`, 400},
		{"a page with more", `{"page":"/service.html?permit=TX&x=1","helpful":true}`, 400},
		{"comment too long", `{"page":"/help.html","helpful":false,"comment":"` + strings.Repeat("a", 1001) + `"}`, 400},
	} {
		if res := post(c.body, "198.51.100.9"); res.Status != c.status {
			t.Errorf("%s: %d %s", c.name, res.Status, res.Body)
		}
	}
	for i := range 5 {
		if res := post(`{"page":"/service.html?category=cat-x","helpful":true,"comment":"Clear"}`, "198.51.100.7"); res.Status != 200 {
			t.Fatalf("answer %d: %d %s", i+1, res.Status, res.Body)
		}
	}
	if res := post(`{"page":"/help.html","helpful":true}`, "198.51.100.7"); res.Status != http.StatusTooManyRequests {
		t.Errorf("sixth answer in a minute: %d %s", res.Status, res.Body)
	}
	if res := post(`{"page":"/help.html","helpful":true}`, "198.51.100.8"); res.Status != 200 {
		t.Errorf("another address: %d %s", res.Status, res.Body)
	}
	if n := e.count(t, "page_feedback", "page = '/service.html?category=cat-x' && helpful = true", nil); n != 5 {
		t.Errorf("%d answers stored", n)
	}
}
