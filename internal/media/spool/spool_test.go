package spool

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/router"
)

// seen is what a record request hook saw of an upload.
type seen struct {
	fileOnDisk     bool // the parsed file part is a temporary file
	bodyRereadable bool // the body is still PocketBase's rereadable copy
	tmpFiles       int  // multipart temporary files in TMPDIR during the request
}

// server starts the PocketBase router of a test app with a collection
// "docs" (a file field of at most 8 MB, anyone may create and update) and a
// collection "notes" without files, optionally with the spool middlewares.
func server(t *testing.T, spool bool) (*httptest.Server, *tests.TestApp, *seen) {
	t.Helper()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	docs := core.NewBaseCollection("docs")
	docs.CreateRule, docs.UpdateRule, docs.ViewRule = new(string), new(string), new(string)
	docs.Fields.Add(&core.TextField{Name: "title"}, &core.FileField{Name: "file", MaxSelect: 1, MaxSize: 8 << 20})
	notes := core.NewBaseCollection("notes")
	notes.CreateRule = new(string)
	notes.Fields.Add(&core.TextField{Name: "title"})
	for _, c := range []*core.Collection{docs, notes} {
		if err := app.Save(c); err != nil {
			t.Fatal(err)
		}
	}
	s := new(seen)
	look := func(e *core.RecordRequestEvent) error {
		s.bodyRereadable = rereadable(e.Request.Body)
		if e.Request.MultipartForm != nil {
			if fhs := e.Request.MultipartForm.File["file"]; len(fhs) == 1 {
				f, err := fhs[0].Open()
				if err != nil {
					return err
				}
				_, s.fileOnDisk = f.(*os.File)
				f.Close()
			}
		}
		s.tmpFiles = countTmp(t, tmp)
		return e.Next()
	}
	app.OnRecordCreateRequest().BindFunc(look)
	app.OnRecordUpdateRequest().BindFunc(look)

	r, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	if spool {
		Bind(r)
	}
	mux, err := r.BuildMux()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, app, s
}

// rereadable reports whether body is, or wraps, PocketBase's rereadable copy
// (the body limit wraps it in an unexported type with a ReadCloser field).
func rereadable(body io.ReadCloser) bool {
	for {
		if _, ok := body.(*router.RereadableReadCloser); ok {
			return true
		}
		v := reflect.ValueOf(body)
		if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
			return false
		}
		f := v.Elem().FieldByName("ReadCloser")
		if !f.IsValid() {
			return false
		}
		inner, ok := f.Interface().(io.ReadCloser)
		if !ok {
			return false
		}
		body = inner
	}
}

func countTmp(t *testing.T, dir string) int {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "multipart-*"))
	if err != nil {
		t.Fatal(err)
	}
	return len(m)
}

// form returns a multipart body with a title and a file of n bytes.
func form(t *testing.T, n int) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("title", "a photo")
	w, err := mw.CreateFormFile("file", "photo.txt")
	if err != nil {
		t.Fatal(err)
	}
	w.Write(bytes.Repeat([]byte("0123456789abcdef"), n/16))
	w.Write([]byte(strings.Repeat("x", n%16)))
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

func send(t *testing.T, method, url, contentType string, body io.Reader) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// TestLargeUploadWaitsOnDisk creates and updates a record with a 2 MB file:
// during the request hooks the file is a temporary file and the body is no
// longer copied; the record is stored as without the middlewares and the
// temporary file is gone afterwards.
func TestLargeUploadWaitsOnDisk(t *testing.T) {
	for _, spool := range []bool{false, true} {
		t.Run(fmt.Sprintf("spool=%v", spool), func(t *testing.T) {
			srv, app, s := server(t, spool)
			ct, body := form(t, 2<<20)
			status, out := send(t, http.MethodPost, srv.URL+"/api/collections/docs/records", ct, bytes.NewReader(body))
			if status != 200 {
				t.Fatalf("create: %d %v", status, out)
			}
			if s.fileOnDisk != spool || s.bodyRereadable == spool {
				t.Errorf("create: file on disk %v, body rereadable %v", s.fileOnDisk, s.bodyRereadable)
			}
			if spool && s.tmpFiles != 1 {
				t.Errorf("%d temporary files during the request", s.tmpFiles)
			}
			id, _ := out["id"].(string)
			rec, err := app.FindRecordById("docs", id)
			if err != nil || rec.GetString("title") != "a photo" || rec.GetString("file") == "" {
				t.Fatalf("stored record %v (%v)", rec, err)
			}
			fsys, err := app.NewFilesystem()
			if err != nil {
				t.Fatal(err)
			}
			defer fsys.Close()
			stored, err := fsys.GetReader(rec.BaseFilesPath() + "/" + rec.GetString("file"))
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(stored)
			stored.Close()
			if want := body[bytes.Index(body, []byte("0123")):]; !bytes.HasPrefix(want, got) || len(got) != 2<<20 {
				t.Errorf("stored %d bytes, not the upload", len(got))
			}

			ct, body = form(t, 3<<20)
			status, out = send(t, http.MethodPatch, srv.URL+"/api/collections/docs/records/"+id, ct, bytes.NewReader(body))
			if status != 200 {
				t.Fatalf("update: %d %v", status, out)
			}
			if s.fileOnDisk != spool || s.bodyRereadable == spool {
				t.Errorf("update: file on disk %v, body rereadable %v", s.fileOnDisk, s.bodyRereadable)
			}
			if n := countTmp(t, os.Getenv("TMPDIR")); n != 0 {
				t.Errorf("%d temporary files left", n)
			}
		})
	}
}

// TestOtherRequestsUntouched: JSON bodies, collections without files and
// small files are handled by PocketBase as before.
func TestOtherRequestsUntouched(t *testing.T) {
	srv, _, s := server(t, true)
	status, out := send(t, http.MethodPost, srv.URL+"/api/collections/docs/records", "application/json", strings.NewReader(`{"title":"json"}`))
	if status != 200 || out["title"] != "json" || !s.bodyRereadable {
		t.Errorf("JSON create: %d %v, rereadable %v", status, out, s.bodyRereadable)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("title", "note")
	mw.Close()
	status, out = send(t, http.MethodPost, srv.URL+"/api/collections/notes/records", mw.FormDataContentType(), &buf)
	if status != 200 || out["title"] != "note" || !s.bodyRereadable {
		t.Errorf("multipart create without files: %d %v, rereadable %v", status, out, s.bodyRereadable)
	}
	ct, body := form(t, 100<<10)
	status, out = send(t, http.MethodPost, srv.URL+"/api/collections/docs/records", ct, bytes.NewReader(body))
	if status != 200 || s.fileOnDisk {
		t.Errorf("small file: %d %v, on disk %v", status, out, s.fileOnDisk)
	}
}

// TestBodyLimitStillApplies streams a body over the collection's limit
// (32 MB + the 8 MB of the file field) without a Content-Length: 413, and
// no temporary file is left.
func TestBodyLimitStillApplies(t *testing.T) {
	srv, _, _ := server(t, true)
	ct, body := form(t, 41<<20)
	status, out := send(t, http.MethodPost, srv.URL+"/api/collections/docs/records", ct, io.MultiReader(bytes.NewReader(body)))
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("%d %v, want 413", status, out)
	}
	if n := countTmp(t, os.Getenv("TMPDIR")); n != 0 {
		t.Errorf("%d temporary files left", n)
	}
	status, out = send(t, http.MethodPost, srv.URL+"/api/collections/docs/records", "multipart/form-data; boundary=nope", strings.NewReader("garbage"))
	if status != http.StatusBadRequest {
		t.Errorf("broken form: %d %v, want 400", status, out)
	}
}
