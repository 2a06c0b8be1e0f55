package demo_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/townhall-portal/townhall/hooks"
	"github.com/townhall-portal/townhall/internal/demo"
	"github.com/townhall-portal/townhall/internal/testkit"
)

// TestOpenDataNamesNoDemoResident scans the open data files of the demo
// county for everything personal the demo holds: residents' and callers'
// names, emails, phones and addresses, descriptions, comments, form answers
// and exact positions.
func TestOpenDataNamesNoDemoResident(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	portal := hooks.Register(app)
	if err := demo.Seed(app, portal, io.Discard); err != nil {
		t.Fatal(err)
	}
	var secrets []string
	for _, q := range []string{
		"SELECT name FROM users", "SELECT email FROM users", "SELECT phone FROM users", "SELECT address FROM users",
		"SELECT description FROM complaints", "SELECT address FROM complaints", "SELECT caller_name FROM complaints",
		"SELECT caller_email FROM complaints", "SELECT caller_phone FROM complaints", "SELECT resolution_note FROM complaints",
		"SELECT applicant_name FROM permits", "SELECT applicant_email FROM permits", "SELECT applicant_phone FROM permits",
		"SELECT site_address FROM permits", "SELECT comment FROM events", "SELECT comment FROM feedback",
	} {
		var vals []string
		if err := app.DB().NewQuery(q).Column(&vals); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for _, v := range vals {
			if len(strings.TrimSpace(v)) >= 4 {
				secrets = append(secrets, v)
			}
		}
	}
	var points []struct {
		Lat float64 `db:"lat"`
		Lon float64 `db:"lon"`
	}
	if err := app.DB().NewQuery(`SELECT json_extract(location, '$.lat') AS lat, json_extract(location, '$.lon') AS lon
		FROM complaints WHERE has_location`).All(&points); err != nil {
		t.Fatal(err)
	}
	for _, p := range points {
		for _, v := range []float64{p.Lat, p.Lon} {
			if s := strconv.FormatFloat(v, 'f', -1, 64); len(s) > strings.Index(s, ".")+4 && strings.Contains(s, ".") {
				secrets = append(secrets, s[:strings.Index(s, ".")+5]) // 4 decimals: more than the files give
			}
		}
	}
	// (the demo's reports have no map points today; hooks' TestOpenDataHasNoPersonalData checks rounding)
	if len(secrets) < 10 {
		t.Fatalf("the demo holds only %d personal values: the scan would prove nothing", len(secrets))
	}
	// the few values of the residents themselves are looked for anywhere in the files
	var people []string
	for _, q := range []string{"SELECT name FROM users", "SELECT email FROM users", "SELECT phone FROM users", "SELECT address FROM users"} {
		var vals []string
		if err := app.DB().NewQuery(q).Column(&vals); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if len(strings.TrimSpace(v)) >= 4 {
				people = append(people, v)
			}
		}
	}
	h, err := testkit.Handler(app)
	if err != nil {
		t.Fatal(err)
	}
	// every cell has the shape of its column; the cells of free-form
	// shape (names of services and departments, states) hold no secret
	shapes := map[string]*regexp.Regexp{
		"reference": regexp.MustCompile(`^([A-Z]{2,6}-[0-9]{4}-[0-9]{4,}|)$`),
		"lat":       regexp.MustCompile(`^(-?[0-9]{1,3}(\.[0-9]{1,3})?|)$`),
		"long":      regexp.MustCompile(`^(-?[0-9]{1,3}(\.[0-9]{1,3})?|)$`),
		"kind":      regexp.MustCompile(`^(report|permit)$`),
		"channel":   regexp.MustCompile(`^(online|phone|counter|email)$`),
	}
	date := regexp.MustCompile(`^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z|)$`)
	for _, f := range []string{"csv", "json"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/townhall/public/open-data/requests."+f, nil))
		body := rec.Body.Bytes()
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", f, rec.Code, body)
		}
		for _, s := range people {
			if bytes.Contains(body, []byte(s)) {
				t.Errorf("requests.%s contains %q", f, s)
			}
		}
		var rows []map[string]string
		if f == "csv" {
			recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF")))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range recs[1:] {
				row := map[string]string{}
				for i, k := range recs[0] {
					row[k] = r[i]
				}
				rows = append(rows, row)
			}
		} else {
			var doc struct {
				Requests []map[string]any `json:"requests"`
			}
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatal(err)
			}
			for _, r := range doc.Requests {
				row := map[string]string{}
				for k, v := range r {
					if v != nil {
						row[k] = fmt.Sprint(v)
					}
				}
				rows = append(rows, row)
			}
		}
		if len(rows) < 5000 {
			t.Fatalf("requests.%s has %d rows: the demo history is missing", f, len(rows))
		}
		free := map[string]bool{}
		for _, row := range rows {
			for k, v := range row {
				switch {
				case strings.HasSuffix(k, "_at"):
					if !date.MatchString(v) {
						t.Fatalf("%s %s = %q is not a date", f, k, v)
					}
				case shapes[k] != nil:
					if !shapes[k].MatchString(v) {
						t.Fatalf("%s %s = %q has not the shape of its column", f, k, v)
					}
				default:
					free[v] = true
				}
			}
		}
		if len(free) > 200 {
			t.Errorf("%s: %d different free-form values: more than services, departments and states", f, len(free))
		}
		for v := range free {
			for _, s := range secrets {
				if strings.Contains(v, s) {
					t.Errorf("requests.%s carries %q (from %q)", f, v, s)
				}
			}
		}
	}
}
