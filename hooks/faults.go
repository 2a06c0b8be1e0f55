package hooks

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"syscall"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
)

// Faults of ours that are not the resident's to fix: the disk is full, the
// database is busy. Whatever route they happen on (ours or PocketBase's
// record API), they answer 507 or 503 with Retry-After and a message in the
// resident's language that says nothing they entered was lost. A plain
// error that no handler turned into an answer is a logged 500, never the
// 400 PocketBase would make of it.

// minFreeSpace is what must stay free on the data folder's disk beyond an
// upload's own size: the database, its journal and thumbnails need room.
const minFreeSpace = 64 << 20

// errDiskFull and errBusy classify our faults.
var (
	errDiskFull = errors.New("the disk of the data folder is full")
	errBusy     = errors.New("the database is busy")
)

// faultOf classifies err: errDiskFull, errBusy, or nil.
func faultOf(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, errDiskFull) || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return errDiskFull
	}
	if errors.Is(err, errBusy) {
		return errBusy
	}
	msg := err.Error()
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) {
		if raw, ok := apiErr.RawData().(error); ok {
			msg = raw.Error()
		}
	}
	switch {
	case strings.Contains(msg, "database or disk is full"), strings.Contains(msg, "SQLITE_FULL"),
		strings.Contains(msg, "no space left on device"):
		return errDiskFull
	case strings.Contains(msg, "database is locked"), strings.Contains(msg, "SQLITE_BUSY"),
		strings.Contains(msg, "database table is locked"):
		return errBusy
	}
	return nil
}

// registerFaults installs the answer to our faults on every route.
func (p *Portal) registerFaults() {
	p.app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "townhallFaults",
		Func: func(se *core.ServeEvent) error {
			se.Router.Bind(&hook.Handler[*core.RequestEvent]{
				Id:       "townhallFaults",
				Priority: -1500, // around everything else, the rate limiter included
				Func:     answerFaults,
			})
			return se.Next()
		},
	})
}

// answerFaults turns our faults into the answers above.
func answerFaults(e *core.RequestEvent) error {
	err := e.Next()
	if err == nil {
		return nil
	}
	lang := requestLang(e)
	switch faultOf(err) {
	case errDiskFull:
		e.App.Logger().Error("the data folder's disk is full", "path", e.Request.URL.Path, "error", err)
		e.Response.Header().Set("Retry-After", strconv.Itoa(300))
		return router.NewApiError(http.StatusInsufficientStorage, lang.T("errors.disk_full"), nil)
	case errBusy:
		e.Response.Header().Set("Retry-After", strconv.Itoa(5))
		return router.NewApiError(http.StatusServiceUnavailable, lang.T("errors.busy"), nil)
	}
	var apiErr *router.ApiError
	var fields validation.Errors
	if errors.As(err, &fields) {
		return err
	}
	if errors.As(err, &apiErr) {
		return err // a refusal, or an answer PocketBase chose
	}
	// a plain error reaching here is ours: PocketBase would answer 400
	e.App.Logger().Error("a request failed on our side", "path", e.Request.URL.Path, "error", err)
	return router.NewInternalServerError(lang.T("errors.ours"), err)
}

// checkFreeSpace refuses an upload of size bytes, before it is processed,
// when the data folder's disk cannot hold it.
func (p *Portal) checkFreeSpace(app core.App, size int64) error {
	free, ok := p.freeSpace(app.DataDir())
	if ok && free < uint64(size)*2+minFreeSpace {
		return errDiskFull
	}
	return nil
}
