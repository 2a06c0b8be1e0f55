package query

import (
	"strings"
	"testing"

	"github.com/ganigeorgiev/fexpr"
)

// FuzzCheckFilter: for any string, the guard accepts it only if fexpr parses
// it and every identifier an independent walk of fexpr's output finds is a
// plain own field or an allowed constant, with no path, back-relation or
// other collection.
func FuzzCheckFilter(f *testing.F) {
	for _, seed := range []string{
		"status = 'draft'",
		"owner.name ~ 'x'",
		"status = 'x' // c\n|| events_via_permit.comment !~ 'a%'",
		"((status = 'x') || (owner.phone != ''))",
		"geoDistance(location.lon, location.lat, 1, 2) < 3",
		"data.height > 1 && site_address:lower ~ 'a'",
		`status = "a\"b" || @collection.users.phone ~ '5'`,
		"strftime('%Y', owner.created) = '1'",
		"created > @now && @request.auth.id != ''",
		"owner = @request.auth.collectionName",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, filter string) {
		err := permits.CheckFilter(filter)
		if strings.TrimSpace(filter) == "" {
			if err != nil {
				t.Fatalf("empty filter refused: %v", err)
			}
			return
		}
		groups, perr := fexpr.Parse(filter)
		if perr != nil {
			if err == nil {
				t.Fatalf("%q accepted but fexpr cannot parse it: %v", filter, perr)
			}
			return
		}
		safe := true
		var visit func(tok fexpr.Token)
		visit = func(tok fexpr.Token) {
			switch tok.Type {
			case fexpr.TokenIdentifier:
				if !independentlyPlain(tok.Literal) {
					safe = false
				}
			case fexpr.TokenFunction:
				if tok.Literal != "geoDistance" && tok.Literal != "strftime" {
					safe = false
				}
				args, _ := tok.Meta.([]fexpr.Token)
				for _, a := range args {
					visit(a)
				}
			}
		}
		var walk func([]fexpr.ExprGroup)
		walk = func(gs []fexpr.ExprGroup) {
			for _, g := range gs {
				if e, ok := g.Item.(fexpr.Expr); ok {
					visit(e.Left)
					visit(e.Right)
				} else if sub, ok := g.Item.([]fexpr.ExprGroup); ok {
					walk(sub)
				}
			}
		}
		walk(groups)
		if safe != (err == nil) {
			t.Fatalf("%q: guard says %v, the independent walk says safe=%v", filter, err, safe)
		}
		if err == nil && (strings.Contains(filter, "_via_") || strings.Contains(filter, "@collection")) {
			// only inside text or a comment may such a name appear
			for _, id := range mustIdentifiers(t, filter) {
				if strings.Contains(id, "_via_") || strings.Contains(id, "@collection") {
					t.Fatalf("%q accepted with identifier %q", filter, id)
				}
			}
		}
	})
}

// independentlyPlain is the rule written a second way: a constant, or one of
// the permits fields optionally followed by an allowed modifier, where only
// the JSON field may have a path and the geo field its coordinates.
func independentlyPlain(id string) bool {
	switch id {
	case "null", "true", "false":
		return true
	}
	if strings.HasPrefix(id, "@") {
		name := strings.TrimPrefix(id, "@")
		for _, m := range []string{"now", "yesterday", "tomorrow", "second", "minute", "hour", "day", "month",
			"weekday", "year", "todayStart", "todayEnd", "monthStart", "monthEnd", "yearStart", "yearEnd"} {
			if name == m {
				return true
			}
		}
		return false
	}
	base := id
	if i := strings.IndexByte(id, ':'); i >= 0 {
		base = id[:i]
		switch id[i+1:] {
		case "lower", "length", "each":
		default:
			return false
		}
	}
	parts := strings.Split(base, ".")
	kind, ok := permits[parts[0]]
	if !ok {
		return false
	}
	if len(parts) == 1 {
		return true
	}
	switch kind {
	case Geo:
		return len(parts) == 2 && (parts[1] == "lat" || parts[1] == "lon")
	case JSON:
		for _, p := range parts[1:] {
			if p == "" || strings.ContainsAny(p, "@#") {
				return false
			}
		}
		return true
	}
	return false
}

func mustIdentifiers(t *testing.T, filter string) []string {
	ids, err := Identifiers(filter)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}
