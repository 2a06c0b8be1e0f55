// Package spool keeps uploaded files on disk, not in memory, while their
// requests wait to be processed.
//
// PocketBase holds every multipart upload to a record endpoint in memory
// twice until the request ends: its router wraps each request body in a
// rereadable copy (up to 16 MB in memory), and the record endpoints parse
// the form keeping up to 16 MB of each file in memory. A 4 MB phone photo so
// costs about 10 MB of heap for as long as its upload waits for a free
// normalisation slot; twenty of them 200 MB, twenty 8 MB photos 400 MB.
//
// [Bind] adds two middlewares to the record create and update routes (POST
// /api/collections/{collection}/records, PATCH …/records/{id}) of collections
// with a file field, for multipart bodies only:
//
//   - before the body limit, it removes the rereadable copy: a multipart form
//     is parsed once (the parsed form is kept on the request), so the copy is
//     never read again;
//   - after the body limit, it parses the form itself, keeping at most
//     [MemoryPerFile] of each file in memory and the rest in a temporary
//     file (in os.TempDir: set TMPDIR to a folder on disk where /tmp is a
//     RAM disk). PocketBase then finds the form already parsed. The
//     temporary files are removed when the request ends.
//
// The form is parsed before PocketBase checks the collection's rate limit,
// so an upload refused with 429 has been read (to disk, within the body
// limit) first.
package spool

import (
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
)

// MemoryPerFile is how much of each uploaded file is kept in memory; larger
// files are written to a temporary file as they arrive.
const MemoryPerFile = 256 << 10

// Middleware ids.
const (
	UnwrapMiddlewareId = "townhallSpoolUnwrap"
	ParseMiddlewareId  = "townhallSpoolParse"
)

// The record routes whose multipart bodies are spooled (http.Request.Pattern).
var patterns = []string{
	http.MethodPost + " /api/collections/{collection}/records",
	http.MethodPatch + " /api/collections/{collection}/records/{id}",
}

// Bind adds the spooling middlewares to r (all routes; they act on the
// record create and update routes only).
func Bind(r *router.Router[*core.RequestEvent]) {
	r.Bind(Unwrap(), Parse())
}

// Unwrap returns the middleware that drops PocketBase's rereadable copy of a
// multipart body. It runs just before the body limit.
func Unwrap() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       UnwrapMiddlewareId,
		Priority: apis.DefaultBodyLimitMiddlewarePriority - 1,
		Func: func(e *core.RequestEvent) error {
			if applies(e) {
				// The router closes the wrapper when the request ends, which
				// closes the body it wraps.
				if rr, ok := e.Request.Body.(*router.RereadableReadCloser); ok {
					e.Request.Body = rr.ReadCloser
				}
			}
			return e.Next()
		},
	}
}

// Parse returns the middleware that parses a multipart body with files kept
// on disk. It runs just after the body limit, so a body over the limit is
// refused with 413 as before.
func Parse() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       ParseMiddlewareId,
		Priority: apis.DefaultBodyLimitMiddlewarePriority + 1,
		Func: func(e *core.RequestEvent) error {
			if !applies(e) || e.Request.MultipartForm != nil {
				return e.Next()
			}
			if err := e.Request.ParseMultipartForm(MemoryPerFile); err != nil {
				var apiErr *router.ApiError
				if errors.As(err, &apiErr) {
					return apiErr // 413 from the body limit
				}
				return e.BadRequestError("Failed to read the submitted data.", err)
			}
			// net/http removes them too, but only for the request it
			// received; tests and wrappers may pass another
			defer e.Request.MultipartForm.RemoveAll()
			return e.Next()
		},
	}
}

// applies reports whether e is a multipart create or update of records of a
// collection with a file field.
func applies(e *core.RequestEvent) bool {
	r := e.Request
	if r.Pattern != patterns[0] && r.Pattern != patterns[1] {
		return false
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return false
	}
	c, err := e.App.FindCachedCollectionByNameOrId(r.PathValue("collection"))
	if err != nil || c.IsView() {
		return false
	}
	for _, f := range c.Fields {
		if f.Type() == core.FieldTypeFile {
			return true
		}
	}
	return false
}
