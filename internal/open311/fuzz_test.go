package open311

import (
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/townhall-portal/townhall/internal/i18n"
)

// FuzzParseNewRequest: whatever a client posts, the parser never panics, and
// what it accepts is a request the portal can file: a service code, a
// location, coordinates in range, a description within the limit; every
// refusal is a 400 with a message.
func FuzzParseNewRequest(f *testing.F) {
	for _, s := range []string{
		"api_key=xyz&service_code=001&lat=37.7&long=-122.4&description=hole",
		"service_code=p&address_string=5+Elm&attribute[a][]=1&attribute[a][]=2&attribute[b]=x",
		"service_code=p&lat=91&long=181&email=bad&media_url=ftp://x",
		"attribute[=1&attribute[]]=2&attribute[a]b=3&lat=1e400&long=-0",
		"service_code=%ff%fe&description=%00%0d%0a&first_name=" + strings.Repeat("n", 200),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		r, errs := ParseNewRequest(form, i18n.EN)
		for _, e := range errs {
			if e.Code != 400 || e.Description == "" {
				t.Fatalf("refusal %+v", e)
			}
		}
		if len(errs) > 0 {
			return
		}
		if r.ServiceCode == "" || (!r.HasPoint && r.AddressString == "" && r.AddressID == "") {
			t.Fatalf("accepted without service or location: %+v", r)
		}
		if r.HasPoint && (r.Lat < -90 || r.Lat > 90 || r.Long < -180 || r.Long > 180) {
			t.Fatalf("accepted coordinates %v %v", r.Lat, r.Long)
		}
		if n := utf8.RuneCountInString(r.Description); n > MaxDescription || !utf8.ValidString(r.Description) {
			t.Fatalf("accepted a description of %d characters", n)
		}
		for code, vs := range r.Attributes {
			if code == "" || len(vs) == 0 {
				t.Fatalf("attribute %q = %q", code, vs)
			}
		}
		if r.Email != "" && !strings.Contains(r.Email, "@") {
			t.Fatalf("accepted email %q", r.Email)
		}
	})
}

// FuzzParseQuery: GET requests' arguments never panic the parser, and an
// accepted window is at most 90 days and in order.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		"start_date=2010-05-24T00:00:00Z&end_date=2010-06-24T00:00:00Z&status=open",
		"service_request_id=SR-1,SR-2&status=pending",
		"start_date=2026-11-01T00:00:00 05:00&end_date=2026-11-01",
		"status=open,,closed&service_code=a,b,,c",
	} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 17, 15, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, errs := ParseQuery(form, now, i18n.EN)
		if len(errs) > 0 || len(q.IDs) > 0 {
			return
		}
		if q.Start.After(q.End) || q.End.Sub(q.Start) > MaxWindow {
			t.Fatalf("accepted window %v – %v", q.Start, q.End)
		}
	})
}
