package open311

import (
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/townhall-portal/townhall/internal/forms"
	"github.com/townhall-portal/townhall/internal/i18n"
)

// Limits of the arguments of POST requests.
const (
	MaxDescription = 4000 // characters, as the specification says
	maxName        = 100  // first_name, last_name
	maxPhone       = 40
	maxAddress     = 300
	maxID          = 200 // device_id, account_id, address_id
	maxURL         = 2000
	maxAttrValues  = 100 // values of one multivaluelist
)

// NewRequest is what a client sends to file a service request (POST
// requests.{format}), read and checked, but not yet against the service:
// AttributeValues are checked against the service's questions by
// CheckAttributes.
type NewRequest struct {
	APIKey         string
	JurisdictionID string
	ServiceCode    string
	// HasPoint says Lat and Long were sent (and are within range).
	HasPoint      bool
	Lat, Long     float64
	AddressString string
	AddressID     string
	Email         string
	DeviceID      string
	AccountID     string
	FirstName     string
	LastName      string
	Phone         string
	Description   string
	MediaURL      string
	// Attributes are the attribute[code] values, in the order sent; a
	// multivaluelist may have several.
	Attributes map[string][]string
}

// Name is the reporter's full name ("" when none was sent).
func (r NewRequest) Name() string {
	return strings.TrimSpace(r.FirstName + " " + r.LastName)
}

// ParseNewRequest reads the arguments of POST requests.{format}. An empty
// argument is the same as an absent one. Every problem it finds is in the
// errors (400s: the caller's to fix), so a client learns them all at once;
// api_key, jurisdiction and service are checked by the server afterwards.
func ParseNewRequest(form url.Values, lang i18n.Lang) (NewRequest, Errors) {
	var r NewRequest
	var errs Errors
	get := func(name string) string { return strings.TrimSpace(first(form[name])) }
	r.APIKey = get("api_key")
	r.JurisdictionID = get("jurisdiction_id")
	r.ServiceCode = get("service_code")
	if r.ServiceCode == "" {
		errs = append(errs, badRequest(lang.T("open311.service_code_missing")))
	}

	lat, long := get("lat"), get("long")
	switch {
	case lat == "" && long == "":
	case lat == "" || long == "":
		errs = append(errs, badRequest(lang.T("open311.lat_long_pair")))
	default:
		var latOK, longOK bool
		if r.Lat, latOK = coordinate(lat, 90); !latOK {
			errs = append(errs, badRequest(lang.T("open311.lat_invalid")))
		}
		if r.Long, longOK = coordinate(long, 180); !longOK {
			errs = append(errs, badRequest(lang.T("open311.long_invalid")))
		}
		r.HasPoint = latOK && longOK
	}

	text := func(name string, limit int, multiline bool) string {
		v := cleanText(get(name), multiline)
		if n := utf8.RuneCountInString(v); n > limit {
			errs = append(errs, badRequest(lang.T("open311.too_long", name, limit)))
			return ""
		}
		return v
	}
	r.AddressString = text("address_string", maxAddress, false)
	r.AddressID = text("address_id", maxID, false)
	if lat == "" && long == "" && r.AddressString == "" && r.AddressID == "" {
		errs = append(errs, badRequest(lang.T("open311.location_missing")))
	}
	r.DeviceID = text("device_id", maxID, false)
	r.AccountID = text("account_id", maxID, false)
	r.FirstName = text("first_name", maxName, false)
	r.LastName = text("last_name", maxName, false)
	r.Phone = text("phone", maxPhone, false)

	r.Description = cleanText(get("description"), true)
	if n := utf8.RuneCountInString(r.Description); n > MaxDescription {
		errs = append(errs, badRequest(lang.T("open311.description_long", n)))
		r.Description = ""
	}
	if email := get("email"); email != "" {
		if !forms.ValidEmail(email) {
			errs = append(errs, badRequest(lang.T("open311.email_invalid")))
		} else {
			r.Email = email
		}
	}
	if m := get("media_url"); m != "" {
		if u, err := url.Parse(m); err != nil || len(m) > maxURL || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, badRequest(lang.T("open311.media_url_invalid")))
		} else {
			r.MediaURL = m
		}
	}

	attrs, attrErrs := parseAttributes(form, lang)
	r.Attributes = attrs
	errs = append(errs, attrErrs...)
	return r, errs
}

// parseAttributes reads attribute[code]=value and attribute[code][]=value
// (both may repeat); empty values are dropped.
func parseAttributes(form url.Values, lang i18n.Lang) (map[string][]string, Errors) {
	attrs := map[string][]string{}
	var errs Errors
	names := make([]string, 0)
	for name := range form {
		if strings.HasPrefix(name, "attribute") {
			names = append(names, name)
		}
	}
	sort.Strings(names) // the same errors in the same order for the same form
	for _, name := range names {
		code, ok := attributeCode(name)
		if !ok {
			errs = append(errs, badRequest(lang.T("open311.attribute_arg", clip(name, 60))))
			continue
		}
		for _, v := range form[name] {
			if v = strings.TrimSpace(v); v != "" {
				attrs[code] = append(attrs[code], v)
			}
		}
	}
	for code, vs := range attrs {
		if len(vs) > maxAttrValues {
			errs = append(errs, badRequest(lang.T("open311.attribute_one", clip(code, 60))))
			delete(attrs, code)
		}
	}
	return attrs, errs
}

// attributeCode returns the code of an "attribute[code]" or
// "attribute[code][]" argument name.
func attributeCode(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, "attribute[")
	if !ok {
		return "", false
	}
	code, tail, ok := strings.Cut(rest, "]")
	if !ok || code == "" || (tail != "" && tail != "[]") || !utf8.ValidString(code) || len(code) > 100 {
		return "", false
	}
	return code, true
}

// coordinate reads a decimal degree within ±limit.
func coordinate(s string, limit float64) (float64, bool) {
	if len(s) > 40 {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < -limit || v > limit {
		return 0, false
	}
	return v, true
}

// cleanText drops control characters (keeping line breaks and tabs where
// multiline) and replaces invalid UTF-8.
func cleanText(s string, multiline bool) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			if multiline {
				return r
			}
			return ' '
		case r == '\r':
			if multiline {
				return -1
			}
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s))
}

func first(vs []string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// clip shortens s to n runes for a message, replacing what cannot be shown.
func clip(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) {
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}

// Query is what GET requests.{format} asks for.
type Query struct {
	JurisdictionID string
	// IDs are service_request_id values; when given, they override the rest.
	IDs []string
	// Codes are service codes (none: every service).
	Codes []string
	// Open and Closed say which statuses are wanted (neither: both).
	Open, Closed bool
	// Start and End bound requested_datetime, both included.
	Start, End time.Time
}

// Limits of GET requests.
const (
	MaxWindow  = 90 * 24 * time.Hour
	MaxResults = 1000
)

// ParseQuery reads the arguments of GET requests.{format}: comma lists
// (also repeated), W3C dates at most 90 days apart, by default the 90 days
// up to now.
func ParseQuery(form url.Values, now time.Time, lang i18n.Lang) (Query, Errors) {
	q := Query{JurisdictionID: strings.TrimSpace(first(form["jurisdiction_id"]))}
	var errs Errors
	if ids := commaList(form["service_request_id"]); len(ids) > 0 {
		if len(ids) > MaxResults {
			return q, Errors{badRequest(lang.T("open311.too_many_ids", MaxResults))}
		}
		q.IDs = ids
		return q, nil // overrides all other arguments
	}
	q.Codes = commaList(form["service_code"])
	for _, s := range commaList(form["status"]) {
		switch strings.ToLower(s) {
		case StatusOpen:
			q.Open = true
		case StatusClosed:
			q.Closed = true
		default:
			errs = append(errs, badRequest(lang.T("open311.status_invalid", clip(s, 40))))
		}
	}
	date := func(name string) (time.Time, bool) {
		v := strings.TrimSpace(first(form[name]))
		if v == "" {
			return time.Time{}, false
		}
		t, p := parseTime(v)
		switch p {
		case dateNoZone:
			errs = append(errs, badRequest(lang.T("open311.date_no_zone", name)))
		case dateInvalid:
			errs = append(errs, badRequest(lang.T("open311.date_invalid", name)))
		}
		return t, p == dateOK
	}
	start, hasStart := date("start_date")
	end, hasEnd := date("end_date")
	switch {
	case hasStart && hasEnd:
	case hasStart:
		end = start.Add(MaxWindow)
	case hasEnd:
		start = end.Add(-MaxWindow)
	default:
		end, start = now, now.Add(-MaxWindow)
	}
	if len(errs) == 0 {
		switch {
		case start.After(end):
			errs = append(errs, badRequest(lang.T("open311.date_order")))
		case end.Sub(start) > MaxWindow:
			errs = append(errs, badRequest(lang.T("open311.date_span")))
		}
	}
	q.Start, q.End = start, end
	return q, errs
}

// commaList splits every value at commas, dropping empty items and repeats.
func commaList(values []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			if item = strings.TrimSpace(item); item != "" && !seen[item] {
				seen[item] = true
				out = append(out, item)
			}
		}
	}
	return out
}
