package open311

import (
	"encoding/json"
	"encoding/xml"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/townhall-portal/townhall/internal/forms"
	"github.com/townhall-portal/townhall/internal/i18n"
	"github.com/townhall-portal/townhall/internal/workflow"
)

var chicago = mustLoad("America/Chicago")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func TestEveryStateHasAStatus(t *testing.T) {
	m := workflow.Complaint()
	for _, s := range m.States {
		want := StatusClosed
		if m.IsOpen(s) {
			want = StatusOpen
		}
		if got := Status(s); got != want {
			t.Errorf("state %s: %s, want %s", s, got, want)
		}
		if !slices.Contains(States(want), s) {
			t.Errorf("state %s is not among the %s states %v", s, want, States(want))
		}
	}
	if n := len(States(StatusOpen)) + len(States(StatusClosed)); n != len(m.States) {
		t.Errorf("open and closed cover %d states, the lifecycle has %d", n, len(m.States))
	}
}

func TestSplitFormat(t *testing.T) {
	for _, c := range []struct {
		in, name string
		f        Format
		ok       bool
	}{
		{"services.json", "services", JSON, true},
		{"services.XML", "services", XML, true},
		{"SR-2026-00001.xml", "SR-2026-00001", XML, true},
		{"a.b.json", "a.b", JSON, true},
		{"services.html", "services", "", false},
		{"services", "", "", false},
		{".json", "", "", false},
	} {
		name, f, ok := SplitFormat(c.in)
		if name != c.name || f != c.f || ok != c.ok {
			t.Errorf("%q: %q %q %v, want %q %q %v", c.in, name, f, ok, c.name, c.f, c.ok)
		}
	}
}

func TestTimes(t *testing.T) {
	at := time.Date(2026, 12, 1, 19, 29, 43, 902_000_000, time.UTC)
	if got := FormatTime(at, chicago); got != "2026-12-01T13:29:43-06:00" {
		t.Errorf("Chicago: %s", got)
	}
	if got := FormatTime(at, time.UTC); got != "2026-12-01T19:29:43Z" {
		t.Errorf("UTC: %s", got)
	}
	if got := FormatTime(time.Time{}, chicago); got != "" {
		t.Errorf("zero: %q", got)
	}
	for _, c := range []struct {
		in   string
		want time.Time
		p    dateProblem
	}{
		{"2026-11-01T00:00:00-06:00", time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC), dateOK},
		{"2026-11-01T06:00:00Z", time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC), dateOK},
		{"2026-11-01T06:00Z", time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC), dateOK},
		{"2026-11-01T06:00:00.5Z", time.Date(2026, 11, 1, 6, 0, 0, 500_000_000, time.UTC), dateOK},
		{"2026-11-01T12:00:00 05:00", time.Date(2026, 11, 1, 7, 0, 0, 0, time.UTC), dateOK}, // "+" decoded as a space
		{" 2026-11-01T06:00:00Z ", time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC), dateOK},
		{"2026-11-01T06:00:00", time.Time{}, dateNoZone},
		{"2026-11-01", time.Time{}, dateNoZone},
		{"2026-11", time.Time{}, dateNoZone},
		{"2026", time.Time{}, dateNoZone},
		{"2026-13-01T00:00:00Z", time.Time{}, dateInvalid},
		{"2026-02-30T00:00:00Z", time.Time{}, dateInvalid},
		{"2026-11-01T25:00:00Z", time.Time{}, dateInvalid},
		{"2026-11-01T00:00:00-0600", time.Time{}, dateInvalid},
		{"2026-11-01 00:00:00Z", time.Time{}, dateInvalid},
		{"yesterday", time.Time{}, dateInvalid},
		{"", time.Time{}, dateInvalid},
	} {
		got, p := parseTime(c.in)
		if p != c.p || !got.Equal(c.want) {
			t.Errorf("%q: %v %d, want %v %d", c.in, got, p, c.want, c.p)
		}
	}
}

func TestEncodings(t *testing.T) {
	doc := Document{Root: "service_requests", Body: List{Item: "request", Items: []any{
		Object{{"service_request_id", "SR-1"}, {"lat", 45.123}, {"ok", true}, {"n", 3}, {"none", nil},
			{"text", `a "b" <c> & d` + "\n"}, {"bad", "\xff"}, {"empty", ""},
			{"values", List{Item: "value", Items: []any{Object{{"key", "k"}}}}}, {"nolist", List{Item: "x"}}},
	}}}
	wantJSON := `[{"service_request_id":"SR-1","lat":45.123,"ok":true,"n":3,"none":null,` +
		`"text":"a \"b\" \u003cc\u003e \u0026 d\n","bad":"\ufffd","empty":"","values":[{"key":"k"}],"nolist":[]}]` + "\n"
	if got := string(doc.JSON()); got != wantJSON {
		t.Errorf("JSON:\n%s\nwant\n%s", got, wantJSON)
	}
	wantXML := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<service_requests><request><service_request_id>SR-1</service_request_id><lat>45.123</lat><ok>true</ok><n>3</n><none/>` +
		`<text>a &#34;b&#34; &lt;c&gt; &amp; d&#xA;</text><bad>` + "\uFFFD" + `</bad><empty/><values><value><key>k</key></value></values><nolist/></request></service_requests>` + "\n"
	if got := string(doc.XML()); got != wantXML {
		t.Errorf("XML:\n%s\nwant\n%s", got, wantXML)
	}
	var anyJSON any
	if err := json.Unmarshal(doc.JSON(), &anyJSON); err != nil {
		t.Errorf("JSON does not parse: %v", err)
	}
	if err := xml.Unmarshal(doc.XML(), new(struct{})); err != nil {
		t.Errorf("XML does not parse: %v", err)
	}
	errs := Errors{{404, "no such service"}}
	if got := string(errs.Document().XML()); !strings.Contains(got, "<errors><error><code>404</code><description>no such service</description></error></errors>") {
		t.Errorf("error XML: %s", got)
	}
	if got := string(errs.Document().JSON()); got != `[{"code":404,"description":"no such service"}]`+"\n" {
		t.Errorf("error JSON: %s", got)
	}
	if JSON.ContentType() != "application/json; charset=utf-8" || XML.ContentType() != "text/xml; charset=utf-8" {
		t.Error("content types")
	}
}

func TestErrorStatus(t *testing.T) {
	for _, c := range []struct {
		errs Errors
		want int
	}{
		{nil, 400},
		{Errors{{400, "a"}, {400, "b"}}, 400},
		{Errors{{400, "a"}, {404, "b"}}, 404},
		{Errors{{403, "a"}, {400, "b"}}, 403},
		{Errors{{429, "a"}}, 429},
	} {
		if got := c.errs.Status(); got != c.want {
			t.Errorf("%v: %d, want %d", c.errs, got, c.want)
		}
	}
}

func form(s string) url.Values {
	v, err := url.ParseQuery(s)
	if err != nil {
		panic(err)
	}
	return v
}

func descriptions(errs Errors) string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Description)
	}
	return strings.Join(out, " | ")
}

func TestParseNewRequest(t *testing.T) {
	long := strings.Repeat("x", MaxDescription)
	for _, c := range []struct {
		name, form string
		check      func(NewRequest) bool
		errs       []string // parts of the error descriptions, in order; none: no errors
	}{
		{"the spec's example", "api_key=xyz&jurisdiction_id=city.gov&service_code=001&lat=37.76524078&long=-122.4212043&address_string=1234+5th+street" +
			"&email=smit333%40sfgov.edu&device_id=tt222111&account_id=123456&first_name=john&last_name=smith&phone=111111111" +
			"&description=A+large+sinkhole+is+destroying+the+street&media_url=http%3A%2F%2Ffarm3.static.flickr.com%2F2002%2F2212426634_5ed477a060.jpg" +
			"&attribute[WHISPAWN]=123456&attribute[WHISDORN]=COISL001",
			func(r NewRequest) bool {
				return r.APIKey == "xyz" && r.JurisdictionID == "city.gov" && r.ServiceCode == "001" && r.HasPoint &&
					r.Lat == 37.76524078 && r.Long == -122.4212043 && r.AddressString == "1234 5th street" && r.Email == "smit333@sfgov.edu" &&
					r.Name() == "john smith" && r.AccountID == "123456" && r.MediaURL != "" &&
					reflect.DeepEqual(r.Attributes, map[string][]string{"WHISPAWN": {"123456"}, "WHISDORN": {"COISL001"}})
			}, nil},
		{"an address alone", "service_code=pothole&address_string=5+Elm", func(r NewRequest) bool { return !r.HasPoint && r.AddressString == "5 Elm" }, nil},
		{"an address id alone", "service_code=pothole&address_id=A-17", func(r NewRequest) bool { return r.AddressID == "A-17" }, nil},
		{"empty arguments are absent", "service_code=pothole&lat=&long=&address_string=5+Elm&email=&media_url=&attribute[a]=",
			func(r NewRequest) bool { return !r.HasPoint && r.Email == "" && len(r.Attributes) == 0 }, nil},
		{"multivaluelist with []", "service_code=p&lat=1&long=2&attribute[kinds][]=a&attribute[kinds][]=b",
			func(r NewRequest) bool { return slices.Equal(r.Attributes["kinds"], []string{"a", "b"}) }, nil},
		{"multivaluelist repeated", "service_code=p&lat=1&long=2&attribute[kinds]=a&attribute[kinds]=b",
			func(r NewRequest) bool { return slices.Equal(r.Attributes["kinds"], []string{"a", "b"}) }, nil},
		{"a description of exactly 4,000 characters", "service_code=p&lat=1&long=2&description=" + long,
			func(r NewRequest) bool { return len(r.Description) == MaxDescription }, nil},
		{"control characters are dropped", "service_code=p&lat=1&long=2&description=a%00b%0D%0Ac&first_name=x%0Ay",
			func(r NewRequest) bool { return r.Description == "ab\nc" && r.FirstName == "x y" }, nil},

		{"no service code", "lat=1&long=2", nil, []string{"service_code is required"}},
		{"no location", "service_code=p", nil, []string{"A location is required"}},
		{"lat without long", "service_code=p&lat=45", nil, []string{"lat and long must be sent together"}},
		{"long without lat", "service_code=p&long=45", nil, []string{"lat and long must be sent together"}},
		{"latitude out of range", "service_code=p&lat=91&long=0", nil, []string{"lat must be a number from -90 to 90"}},
		{"longitude out of range", "service_code=p&lat=0&long=-180.5", nil, []string{"long must be a number from -180 to 180"}},
		{"not a number", "service_code=p&lat=north&long=NaN", nil, []string{"lat must be", "long must be"}},
		{"a 4,001-character description", "service_code=p&lat=1&long=2&description=" + long + "y", nil, []string{"at most 4,000 characters; this one has 4001"}},
		{"a bad email", "service_code=p&lat=1&long=2&email=nobody", nil, []string{"email must be an address"}},
		{"a media url that is not http", "service_code=p&lat=1&long=2&media_url=javascript:alert(1)", nil, []string{"media_url must be an http or https address"}},
		{"a broken attribute argument", "service_code=p&lat=1&long=2&attribute[a][b]=1&attributes=2", nil,
			[]string{`"attribute[a][b]" is not an attribute argument`, `"attributes" is not an attribute argument`}},
		{"everything wrong at once", "lat=100", nil, []string{"service_code is required", "lat and long must be sent together"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, errs := ParseNewRequest(form(c.form), i18n.EN)
			if len(c.errs) == 0 {
				if len(errs) > 0 {
					t.Fatalf("errors: %s", descriptions(errs))
				}
				if !c.check(r) {
					t.Fatalf("parsed %+v", r)
				}
				return
			}
			got := descriptions(errs)
			if len(errs) != len(c.errs) {
				t.Fatalf("errors %q, want %d of them: %q", got, len(c.errs), c.errs)
			}
			for i, want := range c.errs {
				if errs[i].Code != 400 || !strings.Contains(errs[i].Description, want) {
					t.Errorf("error %d: %d %q, want 400 %q", i, errs[i].Code, errs[i].Description, want)
				}
			}
		})
	}
	_, errs := ParseNewRequest(form("lat=1"), i18n.ES)
	if !strings.Contains(descriptions(errs), "Se necesita service_code") {
		t.Errorf("Spanish: %s", descriptions(errs))
	}
}

func TestParseQuery(t *testing.T) {
	now := time.Date(2026, 11, 17, 15, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, c := range []struct {
		name, form string
		want       Query
		err        string
	}{
		{"the default window", "", Query{Start: now.Add(-90 * day), End: now}, ""},
		{"the spec's example", "start_date=2010-05-24T00:00:00Z&end_date=2010-06-24T00:00:00Z&status=open&jurisdiction_id=city.gov",
			Query{JurisdictionID: "city.gov", Open: true, Start: time.Date(2010, 5, 24, 0, 0, 0, 0, time.UTC), End: time.Date(2010, 6, 24, 0, 0, 0, 0, time.UTC)}, ""},
		{"ids override the rest", "service_request_id=SR-1,SR-2&service_request_id=SR-3,SR-1&status=pending&start_date=bad",
			Query{IDs: []string{"SR-1", "SR-2", "SR-3"}}, ""},
		{"codes and statuses as lists", "service_code=a,b&service_code=c&status=open,closed",
			Query{Codes: []string{"a", "b", "c"}, Open: true, Closed: true, Start: now.Add(-90 * day), End: now}, ""},
		{"empty arguments are absent", "service_code=&status=&start_date=&end_date=&service_request_id=",
			Query{Start: now.Add(-90 * day), End: now}, ""},
		{"a start alone runs 90 days", "start_date=2026-01-01T00:00:00Z",
			Query{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(90 * day)}, ""},
		{"an end alone runs back 90 days", "end_date=2026-06-01T00:00:00-05:00",
			Query{Start: time.Date(2026, 6, 1, 5, 0, 0, 0, time.UTC).Add(-90 * day), End: time.Date(2026, 6, 1, 5, 0, 0, 0, time.UTC)}, ""},
		{"exactly 90 days", "start_date=2026-01-01T00:00:00Z&end_date=2026-04-01T00:00:00Z",
			Query{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}, ""},

		{"status pending", "status=pending", Query{}, `status may be open or closed (comma separated), not "pending"`},
		{"a bad date", "start_date=2026-13-01T00:00:00Z", Query{}, "start_date must be a W3C datetime"},
		{"a date without zone", "end_date=2026-11-01T00:00:00", Query{}, "end_date needs a time and a time zone"},
		{"a date alone", "start_date=2026-11-01", Query{}, "start_date needs a time and a time zone"},
		{"over 90 days", "start_date=2026-01-01T00:00:00Z&end_date=2026-04-01T00:00:01Z", Query{}, "at most 90 days apart"},
		{"backwards", "start_date=2026-04-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", Query{}, "must not be after end_date"},
		{"too many ids", "service_request_id=" + manyIDs(1001), Query{}, "at most 1000"},
	} {
		t.Run(c.name, func(t *testing.T) {
			q, errs := ParseQuery(form(c.form), now, i18n.EN)
			if c.err != "" {
				if len(errs) != 1 || errs[0].Code != 400 || !strings.Contains(errs[0].Description, c.err) {
					t.Fatalf("errors %+v, want one 400 with %q", errs, c.err)
				}
				return
			}
			if len(errs) > 0 {
				t.Fatalf("errors: %s", descriptions(errs))
			}
			if q.JurisdictionID != c.want.JurisdictionID || !slices.Equal(q.IDs, c.want.IDs) || !slices.Equal(q.Codes, c.want.Codes) ||
				q.Open != c.want.Open || q.Closed != c.want.Closed || !q.Start.Equal(c.want.Start) || !q.End.Equal(c.want.End) {
				t.Fatalf("got %+v\nwant %+v", q, c.want)
			}
		})
	}
}

func manyIDs(n int) string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "SR-" + strconv.Itoa(i)
	}
	return strings.Join(ids, ",")
}

func ptr(v float64) *float64 { return &v }

var potholeQuestions = []forms.Field{
	{Key: "depth", Kind: forms.KindNumber, Required: true, Min: ptr(1), Max: ptr(100), Label: forms.Text{EN: "Depth", ES: "Profundidad"},
		Unit: forms.Text{EN: "cm", ES: "cm"}, Help: forms.Text{EN: "Roughly", ES: "Aproximada"}},
	{Key: "lane", Kind: forms.KindChoice, Required: true, Label: forms.Text{EN: "Which lane"},
		Options: []forms.Option{{Value: "left", Label: forms.Text{EN: "Left"}}, {Value: "right", Label: forms.Text{EN: "Right"}}}},
	{Key: "hazards", Kind: forms.KindMultiChoice, Label: forms.Text{EN: "Hazards"},
		Options: []forms.Option{{Value: "water", Label: forms.Text{EN: "Water"}}, {Value: "glass", Label: forms.Text{EN: "Glass"}}}},
	{Key: "seen", Kind: forms.KindDate, Label: forms.Text{EN: "First seen"}},
	{Key: "urgent", Kind: forms.KindYesNo, Label: forms.Text{EN: "Urgent"}},
	{Key: "notes", Kind: forms.KindLongText, Label: forms.Text{EN: "Notes"}},
}

var pothole = Service{Code: "pothole", Name: "Pothole", Description: "Holes in the road", Keywords: "road, hole", Group: "Public Works",
	Questions: potholeQuestions}

func TestServiceDocuments(t *testing.T) {
	list := string(ServiceList([]Service{pothole, {Code: "graffiti", Name: "Graffiti", Group: "Parks"}}).JSON())
	want := `[{"service_code":"pothole","service_name":"Pothole","description":"Holes in the road","metadata":true,"type":"realtime",` +
		`"keywords":"road, hole","group":"Public Works"},{"service_code":"graffiti","service_name":"Graffiti","description":"","metadata":false,` +
		`"type":"realtime","keywords":"","group":"Parks"}]` + "\n"
	if list != want {
		t.Errorf("services:\n%s\nwant\n%s", list, want)
	}
	def := string(ServiceDefinition(pothole, i18n.EN).XML())
	for _, part := range []string{
		"<service_definition><service_code>pothole</service_code><attributes><attribute><variable>true</variable><code>depth</code>" +
			"<datatype>number</datatype><required>true</required><datatype_description>Roughly (cm)</datatype_description><order>1</order>" +
			"<description>Depth</description></attribute>",
		"<code>lane</code><datatype>singlevaluelist</datatype><required>true</required><datatype_description/><order>2</order>" +
			"<description>Which lane</description><values><value><key>left</key><name>Left</name></value><value><key>right</key><name>Right</name></value></values>",
		"<code>hazards</code><datatype>multivaluelist</datatype><required>false</required>",
		"<code>seen</code><datatype>datetime</datatype><required>false</required><datatype_description>A date like 2026-05-31.</datatype_description>",
		"<code>urgent</code><datatype>singlevaluelist</datatype>",
		"<values><value><key>yes</key><name>Yes</name></value><value><key>no</key><name>No</name></value></values>",
		"<code>notes</code><datatype>text</datatype>",
	} {
		if !strings.Contains(def, part) {
			t.Errorf("definition lacks %s:\n%s", part, def)
		}
	}
	es := string(ServiceDefinition(pothole, i18n.ES).JSON())
	if !strings.Contains(es, `"description":"Profundidad"`) || !strings.Contains(es, `"datatype_description":"Aproximada (cm)"`) {
		t.Errorf("Spanish definition: %s", es)
	}
	empty := string(ServiceDefinition(Service{Code: "graffiti"}, i18n.EN).XML())
	if !strings.Contains(empty, "<service_definition><service_code>graffiti</service_code><attributes/></service_definition>") {
		t.Errorf("no questions: %s", empty)
	}
	for kind, want := range map[string]string{forms.KindText: "string", forms.KindEmail: "string", forms.KindPhone: "string",
		forms.KindAddress: "string", forms.KindLongText: "text", forms.KindNumber: "number", forms.KindDate: "datetime",
		forms.KindChoice: "singlevaluelist", forms.KindYesNo: "singlevaluelist", forms.KindMultiChoice: "multivaluelist"} {
		if got := Datatype(kind); got != want {
			t.Errorf("%s: %s, want %s", kind, got, want)
		}
	}
}

func TestCheckAttributes(t *testing.T) {
	for _, c := range []struct {
		name   string
		values map[string][]string
		want   map[string]any
		errs   []string
	}{
		{"all answered", map[string][]string{"depth": {"12.5"}, "lane": {"left"}, "hazards": {"glass", "water"},
			"seen": {"2026-11-02T01:00:00Z"}, "urgent": {"yes"}, "notes": {"by the school"}},
			map[string]any{"depth": 12.5, "lane": "left", "hazards": []string{"water", "glass"}, "seen": "2026-11-01", "urgent": true, "notes": "by the school"}, nil},
		{"a plain date", map[string][]string{"depth": {"3"}, "lane": {"right"}, "seen": {"2026-10-30"}},
			map[string]any{"depth": 3.0, "lane": "right", "seen": "2026-10-30"}, nil},
		{"a missing required attribute", map[string][]string{"depth": {"3"}},
			nil, []string{`attribute[lane]: Please answer "Which lane".`}},
		{"a value outside the list", map[string][]string{"depth": {"3"}, "lane": {"middle"}},
			nil, []string{`attribute[lane]: Choose one of the options for "Which lane".`}},
		{"values outside a multivaluelist", map[string][]string{"depth": {"3"}, "lane": {"left"}, "hazards": {"water", "fire"}},
			nil, []string{`attribute[hazards]: Choose only from the options for "Hazards".`}},
		{"two values for one", map[string][]string{"depth": {"3", "4"}, "lane": {"left"}},
			nil, []string{"attribute[depth] takes one value.", `attribute[depth]: Please answer "Depth".`}},
		{"out of range", map[string][]string{"depth": {"300"}, "lane": {"left"}},
			nil, []string{"attribute[depth]: Depth must be between 1 and 100 cm"}},
		{"an unknown attribute", map[string][]string{"depth": {"3"}, "lane": {"left"}, "colour": {"red"}},
			nil, []string{`Service "pothole" has no attribute "colour".`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, errs := CheckAttributes(pothole, c.values, chicago, i18n.EN)
			if len(c.errs) > 0 {
				if len(errs) != len(c.errs) {
					t.Fatalf("errors %q, want %q", descriptions(errs), c.errs)
				}
				for i, want := range c.errs {
					if errs[i].Code != 400 || errs[i].Description != want {
						t.Errorf("error %d: %q, want %q", i, errs[i].Description, want)
					}
				}
				return
			}
			if len(errs) > 0 {
				t.Fatalf("errors: %s", descriptions(errs))
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("answers %#v, want %#v", got, c.want)
			}
		})
	}
	if _, errs := CheckAttributes(Service{Code: "graffiti"}, nil, chicago, i18n.EN); errs != nil {
		t.Errorf("no questions, no answers: %v", errs)
	}
}

func TestServiceRequestDocuments(t *testing.T) {
	r := ServiceRequest{ID: "SR-2026-00042", State: "in_progress", StatusNotes: "Crew booked", ServiceName: "Pothole", ServiceCode: "pothole",
		Agency: "Public Works", Requested: time.Date(2026, 12, 1, 19, 29, 43, 902_000_000, time.UTC),
		Updated: time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC), HasPoint: true, Lat: 45.123, Long: -93.5, ZipCode: "56001"}
	got := string(ServiceRequests([]ServiceRequest{r, {ID: "SR-2026-00043", State: "duplicate"}}, chicago).JSON())
	want := `[{"service_request_id":"SR-2026-00042","status":"open","status_notes":"Crew booked","service_name":"Pothole","service_code":"pothole",` +
		`"description":null,"agency_responsible":"Public Works","service_notice":null,"requested_datetime":"2026-12-01T13:29:43-06:00",` +
		`"updated_datetime":"2026-12-02T09:00:00-06:00","expected_datetime":null,"address":null,"address_id":null,"zipcode":"56001",` +
		`"lat":45.123,"long":-93.5,"media_url":null},` +
		`{"service_request_id":"SR-2026-00043","status":"closed","status_notes":null,"service_name":"","service_code":"","description":null,` +
		`"agency_responsible":null,"service_notice":null,"requested_datetime":null,"updated_datetime":null,"expected_datetime":null,` +
		`"address":null,"address_id":null,"zipcode":null,"lat":null,"long":null,"media_url":null}]` + "\n"
	if got != want {
		t.Errorf("JSON:\n%s\nwant\n%s", got, want)
	}
	x := string(ServiceRequests([]ServiceRequest{r}, chicago).XML())
	if !strings.HasPrefix(x, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<service_requests><request><service_request_id>SR-2026-00042</service_request_id><status>open</status>") ||
		!strings.Contains(x, "<requested_datetime>2026-12-01T13:29:43-06:00</requested_datetime>") || !strings.Contains(x, "<lat>45.123</lat><long>-93.5</long><media_url/>") {
		t.Errorf("XML: %s", x)
	}
	if got := string(Created("SR-1", "", "").JSON()); got != `[{"service_request_id":"SR-1","service_notice":null,"account_id":null}]`+"\n" {
		t.Errorf("created: %s", got)
	}
	if got := string(Created("SR-1", "Soon", "acc-9").XML()); !strings.Contains(got,
		"<service_requests><request><service_request_id>SR-1</service_request_id><service_notice>Soon</service_notice><account_id>acc-9</account_id></request></service_requests>") {
		t.Errorf("created XML: %s", got)
	}
	d := string(Discovery(time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC), "Pine County: help@pine.gov", "Ask us",
		[]Endpoint{{URL: "https://pine.gov/open311/v2", Changeset: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}}, chicago).XML())
	if !strings.Contains(d, "<discovery><changeset>2026-11-01T06:00:00-06:00</changeset><contact>Pine County: help@pine.gov</contact><key_service>Ask us</key_service>"+
		"<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification><url>https://pine.gov/open311/v2</url>"+
		"<changeset>2026-11-01T06:00:00-06:00</changeset><type>production</type><formats><format>text/xml</format><format>application/json</format></formats>"+
		"</endpoint></endpoints></discovery>") {
		t.Errorf("discovery: %s", d)
	}
}

func TestZipCode(t *testing.T) {
	for in, want := range map[string]string{
		"12 Elm Street, Pine, MN 56001":       "56001",
		"12 Elm Street, Pine, MN 56001-1234":  "56001",
		"12 Elm Street, Pine, MN 56001, USA":  "56001",
		"12345 Main Street":                   "",
		"12 Elm Street":                       "",
		"56001":                               "",
		"Corner of 5th and Main, Pine 560011": "",
	} {
		if got := ZipCode(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
