package hooks

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/media/mediatest"
)

// TestAnUploadThatRacesASubmitIsNotAttachedAfterIt: photos sent while the
// resident submits either land before the submission (and count for it) or
// are refused; none is attached to the submitted application.
func TestAnUploadThatRacesASubmitIsNotAttachedAfterIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.app.Settings().RateLimits.Enabled = false
	photo := mediatest.StdJPEG(t, mediatest.Quadrants(1600, 1200), 85)
	var wg sync.WaitGroup
	codes := make([]int, 12)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = upload(t, e, roleResA, map[string]string{"permit": permitA, "kind": "other"}, "photo.jpg", photo).Status
		}()
		if i == 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/submit", nil, roleResA); res.Status != 200 {
					t.Errorf("submit: %d %s", res.Status, res.Body)
				}
			}()
		}
	}
	wg.Wait()
	var submitRow int
	if err := e.app.DB().NewQuery("SELECT rowid FROM events WHERE permit = {:p} AND action = 'submit'").Bind(map[string]any{"p": permitA}).Row(&submitRow); err != nil {
		t.Fatal(err)
	}
	var late int
	if err := e.app.DB().NewQuery("SELECT COUNT(*) FROM events WHERE permit = {:p} AND action = 'document_added' AND rowid > {:s}").
		Bind(map[string]any{"p": permitA, "s": submitRow}).Row(&late); err != nil {
		t.Fatal(err)
	}
	if late != 0 {
		t.Errorf("%d documents were attached after the submission (answers %v)", late, codes)
	}
	for _, c := range codes {
		if c != 200 && c != 409 {
			t.Errorf("an upload answered %d (answers %v)", c, codes)
		}
	}
}

// TestOurFaultsSayNothingWasLost: a full disk answers 507 and a busy
// database 503, each with Retry-After and a message in the resident's
// language, on our routes and on PocketBase's record API alike; a photo is
// not processed for a disk that cannot store it.
func TestOurFaultsSayNothingWasLost(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	files := storedFiles(t, e)
	e.portal.freeSpace = func(string) (uint64, bool) { return 10 << 20, true }
	res := upload(t, e, roleResB, map[string]string{"permit": permitB, "kind": "other"}, "photo.jpg", mediatest.StdJPEG(t, mediatest.Quadrants(64, 64), 80))
	if res.Status != 507 || res.Header.Get("Retry-After") == "" || !strings.Contains(res.Body, "No se perdió nada") {
		t.Errorf("upload on a full disk: %d %q %s", res.Status, res.Header.Get("Retry-After"), res.Body)
	}
	if n := storedFiles(t, e); n != files {
		t.Errorf("%d files stored on a full disk", n-files)
	}

	fault := errors.New("")
	e.app.OnRecordCreate("complaints").BindFunc(func(ev *core.RecordEvent) error {
		if fault.Error() != "" {
			return fault
		}
		return ev.Next()
	})
	report := `{"category":"` + catX + `","reporter":"` + resA + `","description":"A hole","address":"1 Elm"}`
	for _, c := range []struct {
		err    string
		status int
		says   string
	}{
		{"sqlite: database or disk is full (13)", 507, "Nothing you entered was lost"},
		{"database is locked (5)", 503, "Nothing you entered was lost"},
	} {
		fault = errors.New(c.err)
		res := e.do(t, http.MethodPost, "/api/collections/complaints/records", report, roleResA)
		if res.Status != c.status || !strings.Contains(res.Body, c.says) || strings.Contains(res.Body, c.err) {
			t.Errorf("%q: %d %s", c.err, res.Status, res.Body)
		}
		if res.Header.Get("Retry-After") == "" {
			t.Errorf("%q: no Retry-After", c.err)
		}
	}
	// refusals stay what they were
	fault = errors.New("")
	if res := e.do(t, http.MethodPost, "/api/collections/complaints/records", `{"category":"`+catX+`","reporter":"`+resA+`","description":""}`, roleResA); res.Status != 400 {
		t.Errorf("a refusal answered %d %s", res.Status, res.Body)
	}
}
