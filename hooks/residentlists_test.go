package hooks

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// TestResidentListsAnswerAsTheRulesDo: for every resident and every
// collection with a fast list, every way the site and the SDK ask gives
// exactly the answer PocketBase gives by the collection's rule.
func TestResidentListsAnswerAsTheRulesDo(t *testing.T) {
	t.Parallel()
	e := newMatrixEnv(t)
	// B follows A's report; A comments on it; staff act on it
	dup := fileReport(t, e, roleResB, `{"category":"`+catX+`","reporter":"`+resB+`","description":"Same","address":"1 A Street"}`)
	for _, s := range []struct{ path, body, role string }{
		{"complaints/" + complaintA + "/comment", `{"comment":"Mine"}`, roleResA},
		{"complaints/" + dup + "/mark_duplicate", `{"duplicate_of":"SR-2026-00001"}`, roleClerkX},
		{"complaints/" + complaintA + "/acknowledge", `{"comment":"On it"}`, roleClerkX},
		{"permits/" + permitB + "/submit", "", roleResB},
	} {
		if res := e.do(t, http.MethodPost, "/api/townhall/"+s.path, s.body, s.role); res.Status != 200 {
			t.Fatalf("%s: %d %s", s.path, res.Status, res.Body)
		}
	}
	queries := []string{
		"", "page=1&perPage=20&sort=-created", "page=1&perPage=20&sort=-created&skipTotal=1", "perPage=200&sort=-updated",
		"page=2&perPage=1&sort=created,id", "sort=-updated&perPage=200&expand=category", "filter=" + url.QueryEscape("status != 'closed'"),
		"fields=id,status", "filter=" + url.QueryEscape("complaint = '"+complaintA+"'") + "&sort=created",
		"filter=" + url.QueryEscape("permit = '"+permitA+"'") + "&sort=created",
	}
	for _, role := range []string{roleResA, roleResB, roleResU} {
		for _, c := range []string{"users", "permits", "complaints", "documents", "events", "feedback"} {
			for _, q := range queries {
				url := "/api/collections/" + c + "/records?" + q
				e.portal.fastLists = true
				fast := e.do(t, http.MethodGet, url, nil, role)
				e.portal.fastLists = false
				slow := e.do(t, http.MethodGet, url, nil, role)
				if fast.Status != slow.Status || !sameItems(t, fast, slow) {
					t.Errorf("%s %s:\n fast %d %s\n rule %d %s", role, url, fast.Status, fast.Body, slow.Status, slow.Body)
				}
			}
		}
	}
	// the follower sees the report and its status changes through the fast path
	e.portal.fastLists = true
	res := e.do(t, http.MethodGet, "/api/collections/complaints/records", nil, roleResB)
	if !strings.Contains(res.Body, complaintA) {
		t.Errorf("the follower does not see the report: %s", res.Body)
	}
}

// TestResidentListPlansUseIndexes: the scopes of residents' lists start
// from indexes; none reads a whole table.
func TestResidentListPlansUseIndexes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, c := range []string{"users", "permits", "complaints", "documents", "events", "feedback"} {
		col, err := e.app.FindCollectionByNameOrId(c)
		if err != nil {
			t.Fatal(err)
		}
		scope, _ := residentScope(c, resA)
		var plan []struct {
			Detail string `db:"detail"`
		}
		q := e.app.RecordQuery(col).AndWhere(scope).OrderBy("created DESC").Limit(20).Build()
		if err := e.app.DB().NewQuery("EXPLAIN QUERY PLAN " + q.SQL()).Bind(q.Params()).All(&plan); err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		var lines []string
		for _, p := range plan {
			lines = append(lines, p.Detail)
		}
		text := strings.Join(lines, "\n")
		for _, l := range lines {
			if strings.HasPrefix(l, "SCAN ") && !strings.Contains(l, "USING") {
				t.Errorf("%s: the resident's list reads a whole table:\n%s", c, text)
			}
		}
	}
}

// sameItems reports whether two list answers hold the same page (counts and
// items; the order of items whose sort keys tie is SQLite's to choose).
func sameItems(t *testing.T, a, b response) bool {
	t.Helper()
	if a.Status != 200 {
		return a.Body == b.Body
	}
	var pa, pb struct {
		Page, PerPage, TotalItems, TotalPages int
		Items                                 []json.RawMessage
	}
	a.JSON(t, &pa)
	b.JSON(t, &pb)
	if pa.Page != pb.Page || pa.PerPage != pb.PerPage || pa.TotalItems != pb.TotalItems || pa.TotalPages != pb.TotalPages || len(pa.Items) != len(pb.Items) {
		return false
	}
	set := map[string]int{}
	for _, it := range pa.Items {
		set[string(it)]++
	}
	for _, it := range pb.Items {
		set[string(it)]--
	}
	for _, n := range set {
		if n != 0 {
			return false
		}
	}
	return true
}

// BenchmarkResidentLists: a resident's lists as the SDK and the site ask for
// them, over 100,000 reports of 30,000 residents, answered by the fast path
// (fast) and by the collection's rule (rule).
func BenchmarkResidentLists(b *testing.B) {
	e := newEnv(b)
	e.app.Settings().RateLimits.Enabled = false
	q := e.app.DB().NewQuery(`INSERT INTO complaints (id, reference, category, department, reporter, status, description, language, created, updated)
		VALUES ({:id}, {:ref}, {:cat}, {:dept}, {:rep}, 'new', 'x', 'en', {:c}, {:c})`).Prepare()
	err := e.app.RunInTransaction(func(tx core.App) error {
		for i := range 100_000 {
			rep := fmt.Sprintf("r%014d", i%30_000)
			if i%33_333 == 0 {
				rep = resB
			}
			if _, err := tx.DB().NewQuery(q.SQL()).Bind(dbx.Params{"id": fmt.Sprintf("c%014d", i), "ref": fmt.Sprintf("SR-2025-%06d", i), "cat": catX,
				"dept": deptX, "rep": rep, "c": fmt.Sprintf("2026-01-01 00:%02d:%02d.000Z", (i/60)%60, i%60)}).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
	q.Close()
	if err != nil {
		b.Fatal(err)
	}
	for _, path := range []struct{ name, url string }{
		{"sdk-getList", "/api/collections/complaints/records?page=1&perPage=20&sort=-created"},
		{"sdk-skipTotal", "/api/collections/complaints/records?page=1&perPage=20&sort=-created&skipTotal=1"},
		{"site-my", "/api/collections/complaints/records?sort=-updated&perPage=200&expand=category"},
	} {
		for _, fast := range []bool{true, false} {
			name := path.name + "/rule"
			if fast {
				name = path.name + "/fast"
			}
			b.Run(name, func(b *testing.B) {
				e.portal.fastLists = fast
				for b.Loop() {
					if res := e.do(b, http.MethodGet, path.url, nil, roleResB); res.Status != 200 {
						b.Fatal(res.Status, res.Body)
					}
				}
			})
		}
	}
}
