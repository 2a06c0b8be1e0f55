package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// call is one kind of request the benchmark drives at a fixed open-loop rate.
type call struct {
	name string
	// rate is the open-loop rate in requests a second (the aim
	// where it names one), before -rate-scale
	rate int
	// halfMax: the rate is half the throughput measured closed-loop just
	// before (the aim "p99 ≤ 3 × p50 at half the maximum throughput")
	halfMax bool
	// bare: bare PocketBase answers it too (same collections and rules);
	// Townhall's own routes have no bare counterpart
	bare bool
	// targets are the requests, rotated; bare is true for bare PocketBase
	targets func(fx *fixture, base string, bare bool) []vegeta.Target
}

// residentsMade is how many residents file reports in the create call (the
// issue's 50 concurrent residents).
const residentsMade = 50

// calls is every call of the table, in the order they run. Reports are
// created near the end so that the lists before see the generated data only.
var calls = []call{
	{name: "health", rate: 1000, bare: true, targets: func(fx *fixture, base string, _ bool) []vegeta.Target {
		return []vegeta.Target{{Method: http.MethodGet, URL: base + "/api/health"}}
	}},
	{name: "resident: SDK getList(1, 20, {sort: '-created'})", rate: 300, bare: true, targets: residentGet(
		func(r resident) string { return "/api/collections/complaints/records?page=1&perPage=20&sort=-created" })},
	{name: "resident: same with skipTotal", rate: 300, bare: true, targets: residentGet(
		func(r resident) string {
			return "/api/collections/complaints/records?page=1&perPage=20&sort=-created&skipTotal=1"
		})},
	{name: "resident: site's My requests (perPage 200, expand)", rate: 300, bare: true, targets: residentGet(
		func(r resident) string {
			return "/api/collections/complaints/records?sort=-updated&perPage=200&expand=category"
		})},
	{name: "resident: events of one request", rate: 300, bare: true, targets: residentGet(
		func(r resident) string { return oneRequest("events", "complaint", r.report, "200") },
		func(r resident) string { return oneRequest("events", "permit", r.permit, "200") })},
	{name: "resident: documents of one request", rate: 300, bare: true, targets: residentGet(
		func(r resident) string { return oneRequest("documents", "permit", r.permit, "100") },
		func(r resident) string { return oneRequest("documents", "complaint", r.report, "100") })},
	{name: "public reports: first page", halfMax: true, targets: func(fx *fixture, base string, _ bool) []vegeta.Target {
		return []vegeta.Target{{Method: http.MethodGet, URL: base + "/api/townhall/public/reports?page=1"}}
	}},
	{name: "public reports: pages 2…last, filtered", halfMax: true, targets: func(fx *fixture, base string, _ bool) []vegeta.Target {
		var out []vegeta.Target
		last := max(fx.publicPages, 1)
		for _, q := range []string{
			"page=2", "page=" + strconv.Itoa(max(last/2, 1)), "page=" + strconv.Itoa(last),
			"status=open&page=3", "status=resolved&page=1", "status=open&category=pothole&page=2",
		} {
			out = append(out, vegeta.Target{Method: http.MethodGet, URL: base + "/api/townhall/public/reports?" + q})
		}
		return out
	}},
	{name: "permit verification", halfMax: true, targets: func(fx *fixture, base string, _ bool) []vegeta.Target {
		var out []vegeta.Target
		for _, n := range fx.numbers {
			out = append(out, vegeta.Target{Method: http.MethodGet, URL: base + "/api/townhall/verify/" + n})
		}
		return out
	}},
	{name: "staff queue: clerk (Public Works)", halfMax: true, targets: staffQueue(func(fx *fixture) string { return fx.clerk })},
	{name: "staff queue: director (all)", halfMax: true, targets: staffQueue(func(fx *fixture) string { return fx.director })},
	{name: "report create, 50 residents", rate: 150, bare: true, targets: func(fx *fixture, base string, bare bool) []vegeta.Target {
		var out []vegeta.Target
		for i, r := range fx.residents[:min(residentsMade, len(fx.residents))] {
			body := fmt.Sprintf(`{"category":%q,"reporter":%q,"description":"A pothole in front of number %d","address":"%d Main Street"`,
				fx.categories[i%len(fx.categories)], r.id, i, i+1)
			if bare {
				body += `,"status":"new"` // bare PocketBase has no hook to set it
			}
			out = append(out, vegeta.Target{Method: http.MethodPost, URL: base + "/api/collections/complaints/records",
				Body: []byte(body + "}"), Header: http.Header{"Authorization": {r.token}, "Content-Type": {"application/json"}}})
		}
		return out
	}},
	{name: "/js/strings.js, gzip", rate: 5000, bare: true, targets: func(fx *fixture, base string, _ bool) []vegeta.Target {
		return []vegeta.Target{{Method: http.MethodGet, URL: base + "/js/strings.js", Header: http.Header{"Accept-Encoding": {"gzip"}}}}
	}},
}

// residentGet is a call of signed-in residents, rotated; each path is asked
// by every resident.
func residentGet(paths ...func(resident) string) func(*fixture, string, bool) []vegeta.Target {
	return func(fx *fixture, base string, _ bool) []vegeta.Target {
		var out []vegeta.Target
		for _, r := range fx.residents {
			for _, p := range paths {
				out = append(out, vegeta.Target{Method: http.MethodGet, URL: base + p(r), Header: http.Header{"Authorization": {r.token}}})
			}
		}
		return out
	}
}

// oneRequest is the site's list of a request's events or documents
// (pb_public/js/pages/request.js).
func oneRequest(collection, field, id, perPage string) string {
	q := url.Values{"filter": {field + " = '" + id + "'"}, "sort": {"created"}, "perPage": {perPage}}
	return "/api/collections/" + collection + "/records?" + q.Encode()
}

// staffQueue is the console's default view (pb_public/js/staff/queue.js).
func staffQueue(token func(*fixture) string) func(*fixture, string, bool) []vegeta.Target {
	return func(fx *fixture, base string, _ bool) []vegeta.Target {
		return []vegeta.Target{{Method: http.MethodGet, URL: base + "/api/townhall/staff/queue?page=1&perPage=25",
			Header: http.Header{"Authorization": {token(fx)}}}}
	}
}
