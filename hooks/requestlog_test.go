package hooks

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tools/logger"
)

// TestTheRequestLogKeepsChangesAndFailures: a successful read writes no
// row to the request log; a write and a failed read do.
func TestTheRequestLogKeepsChangesAndFailures(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.app.Settings().RateLimits.Enabled = false
	e.app.Settings().Logs.MaxDays = 14 // the test template keeps no logs
	calls := []struct {
		method, url string
		body        any
		role        string
		status      int
		logged      bool
	}{
		{http.MethodGet, "/api/townhall/public/reports?marker=read-ok", nil, roleAnon, 200, false},
		{http.MethodGet, "/api/collections/complaints/records?marker=list-ok", nil, roleResA, 200, false},
		{http.MethodGet, "/api/collections/complaints/records/nosuchrecord01?marker=read-404", nil, roleResA, 404, true},
		{http.MethodPost, "/api/collections/page_feedback/records?marker=write", map[string]any{"page": "/help.html", "helpful": true}, roleAnon, 200, true},
	}
	for _, c := range calls {
		if res := e.do(t, c.method, c.url, c.body, c.role); res.Status != c.status {
			t.Fatalf("%s %s: %d %s", c.method, c.url, res.Status, res.Body)
		}
	}
	// the activity logger hands each row to the batch in a goroutine
	flush := func() { _ = e.app.Logger().Handler().(*logger.BatchHandler).WriteAll(context.Background()) }
	logged := func(marker string) bool {
		var n int
		_ = e.app.AuxDB().NewQuery("SELECT count(*) FROM _logs WHERE message LIKE {:m}").Bind(map[string]any{"m": "%marker=" + marker + "%"}).Row(&n)
		return n > 0
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		flush()
		if logged("read-404") && logged("write") || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // a read's row, were it logged, would have come with them
	flush()
	for _, c := range []struct {
		marker string
		want   bool
	}{{"read-ok", false}, {"list-ok", false}, {"read-404", true}, {"write", true}} {
		if got := logged(c.marker); got != c.want {
			t.Errorf("%s: logged %v, want %v", c.marker, got, c.want)
		}
	}
}
