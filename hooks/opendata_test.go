package hooks

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
)

// stalledWriter is a client that reads the first bytes of an answer and
// then stops reading: its Write blocks until released.
type stalledWriter struct {
	header  http.Header
	wrote   chan struct{}
	release chan struct{}
	first   bool
}

func (w *stalledWriter) Header() http.Header { return w.header }
func (w *stalledWriter) WriteHeader(int)     {}
func (w *stalledWriter) Write(b []byte) (int, error) {
	if !w.first {
		w.first = true
		close(w.wrote)
	}
	<-w.release
	return len(b), nil
}

// TestOpenDataDownloadsHoldNoConnection: a download that stalls holds no
// database connection (a handful of stalled downloads must not be able to
// take the connections every other request needs), the file comes
// compressed to clients that accept it and the same when decompressed, a
// client that has it gets 304, and a new request shows within openDataTTL.
func TestOpenDataDownloadsHoldNoConnection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	insertInsightHistory(t, e.app, 1500, 500, testStart) // files of several hundred KB: written in many pieces
	pool := e.app.ConcurrentDB().(*dbx.DB).DB()

	for _, format := range []string{"csv", "json"} {
		url := "/api/townhall/public/open-data/requests." + format
		w := &stalledWriter{header: http.Header{}, wrote: make(chan struct{}), release: make(chan struct{})}
		served := make(chan struct{})
		go func() {
			defer close(served)
			e.handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, url, nil))
		}()
		select {
		case <-w.wrote:
		case <-time.After(30 * time.Second):
			t.Fatalf("%s: nothing written", format)
		}
		if inUse := pool.Stats().InUse; inUse != 0 {
			t.Errorf("%s: a stalled download holds %d database connections", format, inUse)
		}
		close(w.release)
		<-served

		plain := e.do(t, http.MethodGet, url, nil, roleAnon)
		if plain.Status != http.StatusOK || !strings.Contains(plain.Body, "SR-2026-00001") || plain.Header.Get("Content-Encoding") != "" {
			t.Fatalf("%s plain: %d %v %.200s", format, plain.Status, plain.Header, plain.Body)
		}
		req := httptest.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Accept-Encoding", "gzip, br")
		zipped := e.send(req, roleAnon)
		if zipped.Header.Get("Content-Encoding") != "gzip" || zipped.Header.Get("ETag") == "" {
			t.Fatalf("%s: %v", format, zipped.Header)
		}
		zr, err := gzip.NewReader(strings.NewReader(zipped.Body))
		if err != nil {
			t.Fatal(err)
		}
		unzipped, _ := io.ReadAll(zr)
		if !bytes.Equal(unzipped, []byte(plain.Body)) {
			t.Errorf("%s: the compressed file differs from the plain one", format)
		}
		req = httptest.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("If-None-Match", zipped.Header.Get("ETag"))
		if res := e.send(req, roleAnon); res.Status != http.StatusNotModified || res.Body != "" {
			t.Errorf("%s with its ETag: %d %q", format, res.Status, res.Body)
		}
	}

	// a new report: the kept file is served until it is openDataTTL old,
	// then rebuilt once in the background while the old one is served
	if _, err := e.app.DB().NewQuery("UPDATE complaints SET reference = 'SR-2026-00777' WHERE id = {:id}").
		Bind(dbx.Params{"id": complaintB}).Execute(); err != nil {
		t.Fatal(err)
	}
	url := "/api/townhall/public/open-data/requests.csv"
	if res := e.do(t, http.MethodGet, url, nil, roleAnon); strings.Contains(res.Body, "SR-2026-00777") {
		t.Errorf("rebuilt before openDataTTL")
	}
	e.clock.Advance(openDataTTL)
	deadline := time.Now().Add(30 * time.Second)
	for {
		res := e.do(t, http.MethodGet, url, nil, roleAnon)
		if res.Status != http.StatusOK {
			t.Fatalf("%d %s", res.Status, res.Body)
		}
		if strings.Contains(res.Body, "SR-2026-00777") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the file was not rebuilt after openDataTTL")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
