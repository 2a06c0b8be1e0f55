package hooks

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestOverCapacityIsAFastBusy: when every place is taken, an API request
// waits at most the capacity's wait and is answered 503 with Retry-After
// and the busy message in the caller's language; the health check,
// superusers and the site's files still get through; a place freed while
// a request waits lets it in.
func TestOverCapacityIsAFastBusy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.portal.capacity = newCapacity(2, 20*time.Millisecond)
	fill := func() {
		for range cap(e.portal.capacity.places) {
			e.portal.capacity.places <- struct{}{}
		}
	}
	fill()

	res := e.do(t, http.MethodGet, "/api/townhall/public/reports", nil, roleAnon)
	if res.Status != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != "2" ||
		!strings.Contains(res.Body, "very busy") || !strings.Contains(res.Body, "Nothing you entered was lost") {
		t.Errorf("public list when full: %d %v %s", res.Status, res.Header, res.Body)
	}
	req := httptest.NewRequest(http.MethodGet, "/api/collections/complaints/records", nil)
	req.Header.Set("Accept-Language", "es-US,es;q=0.9")
	if res := e.send(req, roleResB); res.Status != http.StatusServiceUnavailable || !strings.Contains(res.Body, "muy ocupado") {
		t.Errorf("a resident's list when full, in Spanish: %d %s", res.Status, res.Body)
	}
	for _, c := range []struct{ url, role string }{
		{"/api/health", roleAnon},
		{"/api/collections/complaints/records", roleSuperuser},
		{"/js/strings.js", roleAnon},
	} {
		if res := e.do(t, http.MethodGet, c.url, nil, c.role); res.Status != http.StatusOK {
			t.Errorf("%s as %s when full: %d %s", c.url, c.role, res.Status, res.Body)
		}
	}

	// a place freed while a request waits for one
	e.portal.capacity.wait = 30 * time.Second
	go func() {
		time.Sleep(50 * time.Millisecond)
		e.portal.capacity.release()
	}()
	if res := e.do(t, http.MethodGet, "/api/townhall/public/reports", nil, roleAnon); res.Status != http.StatusOK {
		t.Errorf("after a place was freed: %d %s", res.Status, res.Body)
	}
	if n := len(e.portal.capacity.places); n != 1 {
		t.Errorf("%d places taken after the request, want 1 (the one still filled)", n)
	}

	// a caller that goes away while waiting gives up its turn
	e.portal.capacity.places <- struct{}{} // full again
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req = httptest.NewRequestWithContext(ctx, http.MethodGet, "/api/townhall/public/reports", nil)
	if res := e.send(req, roleAnon); res.Status != http.StatusServiceUnavailable {
		t.Errorf("a caller gone: %d", res.Status)
	}
}
