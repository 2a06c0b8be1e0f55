package query

import (
	"errors"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tools/search"
	"github.com/pocketbase/pocketbase/tools/tokenizer"
)

// permits is a collection's fields as a resident may use them.
var permits = Fields{
	"id": Plain, "status": Plain, "created": Plain, "updated": Plain, "site_address": Plain,
	"data": JSON, "location": Geo, "owner": Relation, "permit_type": Relation, "department": Relation,
}

func TestFiltersOnOwnFieldsAreAccepted(t *testing.T) {
	for _, f := range []string{
		"",
		"   ",
		"status = 'draft'",
		"owner = 'abc' && (status = 'draft' || status = \"changes_requested\")",
		"site_address:lower ~ 'elm'",
		"data.height > 4 && data.fence.material = 'wood'",
		"created >= @todayStart && updated < @now",
		"geoDistance(location.lon, location.lat, -90.1, 38.6) < 5",
		"strftime('%Y', created) = '2026'",
		"department != null && status != true",
		"status ?= 'a' // a comment that names owner.name is only a comment",
		"status = 'owner.phone' && site_address ~ \"events_via_permit.comment\"",
	} {
		if err := permits.CheckFilter(f); err != nil {
			t.Errorf("%q refused: %v", f, err)
		}
	}
}

// TestDisguisedPathsAreRefused: every way of writing a relation path that
// the old regular expression missed, and some it caught.
func TestDisguisedPathsAreRefused(t *testing.T) {
	for _, c := range []struct{ filter, part string }{
		{"owner.name ~ 'Res'", "owner.name"},
		{"events_via_permit.comment !~ 'intern%'", "events_via_permit.comment"},
		{"status = 'x' // comment\n|| events_via_department.comment !~ 'a%'", "events_via_department.comment"},
		{"status='x'//'\n||permits_via_department.owner.phone!=''", "permits_via_department.owner.phone"},
		{"status = 'x'\t||\towner.email ~ 'a'", "owner.email"},
		{"status = \"it's\" || owner.phone = '1'", "owner.phone"},
		{`status = 'a\'b' || owner.phone = '1'`, "owner.phone"},
		{`status = "a\"b" || owner.phone = '1'`, "owner.phone"},
		{"((status = 'x') || ((owner.phone != '')))", "owner.phone"},
		{"owner.department.notify_email != ''", "owner.department.notify_email"},
		{"@collection.users.phone ~ '555'", "@collection.users.phone"},
		{"@request.auth.department.name = 'x'", "@request.auth.department.name"},
		{"owner = @request.auth.id", "@request.auth.id"},
		{"@request.body.x = 1", "@request.body.x"},
		{"geoDistance(owner.location.lon, 1, 2, 3) < 1", "owner.location.lon"},
		{"strftime('%Y', owner.created) = '2026'", "owner.created"},
		{"status:isset = true", "status:isset"},
		{"status:excerpt = 'a'", "status:excerpt"},
		{"owner:length > 0 || owner.name:lower = 'x'", "owner.name:lower"},
		{"location.alt = 1", "location.alt"},
		{"data.x:each.y = 1", "data.x:each.y"},
		{"password = 'x'", "password"},
		{"NULL = status", "NULL"},
		{"#status = 'x'", "#status"},
		{"1 = 1 || _via_.x = 1", "_via_.x"},
	} {
		err := permits.CheckFilter(c.filter)
		var r *Refusal
		if !errors.As(err, &r) || r.Part != c.part {
			t.Errorf("%q: %v, want a refusal of %q", c.filter, err, c.part)
		}
	}
}

func TestUnparsableFiltersAreRefused(t *testing.T) {
	for _, f := range []string{
		"status =",
		"status = 'x",
		"(status = 'x'",
		"status = 'x' &&",
		"status = 'x'\r|| owner.name = 'y'",
		"unknownFn(status) = 1",
		"status = 'x' / owner.name = 'y'",
		"data.@request = 1",
	} {
		if err := permits.CheckFilter(f); err == nil {
			t.Errorf("%q accepted", f)
		}
	}
}

func TestSortExpandAndFields(t *testing.T) {
	ok := []struct{ sort, expand, fields string }{
		{"-created,status", "owner,permit_type", "*,expand.owner.name"},
		{" +created , -@rowid", " permit_type. ", "id,status,site_address:excerpt(20,true)"},
		{"@random", "", "collectionId,expand"},
		{"data.height", "", ""},
		{"site_address:lower", "", ""},
	}
	for _, c := range ok {
		if err := permits.Check("", c.sort, c.expand, c.fields); err != nil {
			t.Errorf("%+v refused: %v", c, err)
		}
	}
	bad := []struct{ sort, expand, fields, part string }{
		{"owner.name", "", "", "owner.name"},
		{"-created,events_via_permit.created", "", "", "events_via_permit.created"},
		{"", "owner.department", "", "owner.department"},
		{"", "events_via_permit", "", "events_via_permit"},
		{"", "status", "", "status"},
		{"", "o wner . na me", "", "owner.name"},
		{"", "", "secret", "secret"},
		{"", "", "expand.events_via_permit.comment", "expand.events_via_permit.comment"},
		{"", "", "a:excerpt(1", ""},
	}
	for _, c := range bad {
		err := permits.Check("", c.sort, c.expand, c.fields)
		var r *Refusal
		if !errors.As(err, &r) || r.Part != c.part {
			t.Errorf("%+v: %v, want a refusal of %q", c, err, c.part)
		}
	}
}

// TestSortKeysSplitLikePocketBase: the sort keys checked are the ones
// PocketBase resolves.
func TestSortKeysSplitLikePocketBase(t *testing.T) {
	for _, s := range []string{"-a,b", " +a , -b ", "a,,b", "--a", "+-a", "-", "a.b,c_via_d.e", "\t-a\n"} {
		got := SortKeys(s)
		want := search.ParseSortFromString(s)
		if len(got) != len(want) {
			t.Fatalf("%q: %v vs %v", s, got, want)
		}
		for i := range got {
			if got[i] != want[i].Name {
				t.Errorf("%q key %d: %q, PocketBase %q", s, i, got[i], want[i].Name)
			}
		}
	}
}

// TestFieldNamesSplitLikePocketBase: fields entries are cut where
// PocketBase's tokenizer cuts them.
func TestFieldNamesSplitLikePocketBase(t *testing.T) {
	for _, s := range []string{"a,b", " a , b:excerpt(10,true) ", "a:excerpt(1,2),expand.x.y", "*", "a,,b"} {
		got, err := FieldNames(s)
		if err != nil {
			t.Fatal(err)
		}
		tokens, err := tokenizer.NewFromString(s).ScanAll()
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, tok := range tokens {
			name, _, _ := strings.Cut(strings.TrimSpace(tok), ":")
			if name = strings.TrimSpace(name); name != "" {
				want = append(want, name)
			}
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%q: %v, PocketBase %v", s, got, want)
		}
	}
}
