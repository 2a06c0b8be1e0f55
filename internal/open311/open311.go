// Package open311 speaks Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2):
// it reads the arguments clients send, checks a report's attributes against
// its category's extra questions (internal/forms definitions), and writes
// every answer — services, service definitions, service requests, errors and
// the discovery document — as JSON and as XML with the specification's
// element names and W3C datetimes. It knows nothing of PocketBase; hooks/
// adapts it to the portal's records.
package open311

import (
	"net/http"
	"strings"
)

// Specification is the token of the specification in the discovery document.
const Specification = "http://wiki.open311.org/GeoReport_v2"

// The two statuses of GeoReport v2.
const (
	StatusOpen   = "open"
	StatusClosed = "closed"
)

// openStates are the states of a problem report that count as open: it has
// been reported and is waiting or being worked on. Every other state
// (resolved, closed, rejected, duplicate) is closed: nothing more will be
// done under this request (a reopened report is open again).
var openStates = []string{"new", "acknowledged", "in_progress"}

// States are the report states of each GeoReport status.
func States(status string) []string {
	switch status {
	case StatusOpen:
		return append([]string(nil), openStates...)
	case StatusClosed:
		return []string{"resolved", "closed", "rejected", "duplicate"}
	}
	return nil
}

// Status is the GeoReport status of a report state.
func Status(state string) string {
	for _, s := range openStates {
		if s == state {
			return StatusOpen
		}
	}
	return StatusClosed
}

// SplitFormat splits a path segment such as "services.json" or
// "SR-2026-00001.xml" into its name and format. ok is false when the
// extension is not .json or .xml (or there is no name).
func SplitFormat(segment string) (name string, f Format, ok bool) {
	i := strings.LastIndexByte(segment, '.')
	if i <= 0 {
		return "", "", false
	}
	switch strings.ToLower(segment[i+1:]) {
	case "json":
		return segment[:i], JSON, true
	case "xml":
		return segment[:i], XML, true
	}
	return segment[:i], "", false
}

// Error is one entry of an error answer.
type Error struct {
	// Code is the HTTP status of the error (400, 403, 404, 429, 500).
	Code        int
	Description string
}

// Errors are the entries of an error answer, all of one HTTP status.
type Errors []Error

func badRequest(description string) Error {
	return Error{Code: http.StatusBadRequest, Description: description}
}

// NotFound is a 404 entry.
func NotFound(description string) Errors {
	return Errors{{Code: http.StatusNotFound, Description: description}}
}

// Forbidden is a 403 entry (a missing or wrong api_key).
func Forbidden(description string) Errors {
	return Errors{{Code: http.StatusForbidden, Description: description}}
}

// BadRequest is a 400 entry.
func BadRequest(description string) Errors { return Errors{badRequest(description)} }

// Status is the HTTP status to answer: the most telling of the entries'
// codes (404 over 403 over the rest), 400 when there are none.
func (es Errors) Status() int {
	status := 0
	rank := func(c int) int {
		switch c {
		case http.StatusNotFound:
			return 4
		case http.StatusForbidden:
			return 3
		case http.StatusTooManyRequests:
			return 2
		case 0:
			return 0
		}
		return 1
	}
	for _, e := range es {
		if rank(e.Code) > rank(status) {
			status = e.Code
		}
	}
	if status == 0 {
		return http.StatusBadRequest
	}
	return status
}

// Document is the error answer: [{code, description}] /
// <errors><error><code/><description/></error></errors>.
func (es Errors) Document() Document {
	items := make([]any, len(es))
	for i, e := range es {
		items[i] = Object{{"code", e.Code}, {"description", e.Description}}
	}
	return Document{Root: "errors", Body: List{Item: "error", Items: items}}
}
