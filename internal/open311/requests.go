package open311

import (
	"regexp"
	"time"
)

// ServiceRequest is what anyone may read of a problem report: no names or
// contact details, the description only when the resident did not keep it
// private, the location rounded as on the public list, a photo only when
// staff marked it public.
type ServiceRequest struct {
	ID          string // our reference, SR-2026-00042
	State       string // our state; Status maps it to open/closed
	StatusNotes string // the latest public staff comment
	ServiceName string
	ServiceCode string
	Description string // "" when private or none
	Agency      string // the department's name
	Notice      string
	Requested   time.Time
	Updated     time.Time
	Expected    time.Time // the resolve deadline (zero: none)
	Address     string    // "" when withheld
	ZipCode     string
	HasPoint    bool
	Lat, Long   float64 // already rounded
	MediaURL    string
}

// ServiceRequests is the answer of GET requests.{format} and GET
// requests/{id}.{format}, datetimes in loc.
func ServiceRequests(list []ServiceRequest, loc *time.Location) Document {
	items := make([]any, len(list))
	for i, r := range list {
		var lat, long any
		if r.HasPoint {
			lat, long = r.Lat, r.Long
		}
		items[i] = Object{
			{"service_request_id", r.ID},
			{"status", Status(r.State)},
			{"status_notes", orNull(r.StatusNotes)},
			{"service_name", r.ServiceName},
			{"service_code", r.ServiceCode},
			{"description", orNull(r.Description)},
			{"agency_responsible", orNull(r.Agency)},
			{"service_notice", orNull(r.Notice)},
			{"requested_datetime", orNull(FormatTime(r.Requested, loc))},
			{"updated_datetime", orNull(FormatTime(r.Updated, loc))},
			{"expected_datetime", orNull(FormatTime(r.Expected, loc))},
			{"address", orNull(r.Address)},
			{"address_id", nil},
			{"zipcode", orNull(r.ZipCode)},
			{"lat", lat},
			{"long", long},
			{"media_url", orNull(r.MediaURL)},
		}
	}
	return Document{Root: "service_requests", Body: List{Item: "request", Items: items}}
}

// Created is the answer of POST requests.{format}: the new request's id, what
// will happen, and the client's account_id echoed (null when none was sent).
func Created(id, notice, accountID string) Document {
	return Document{Root: "service_requests", Body: List{Item: "request", Items: []any{Object{
		{"service_request_id", id},
		{"service_notice", orNull(notice)},
		{"account_id", orNull(accountID)},
	}}}}
}

// Endpoint is this server's GeoReport v2 endpoint in the discovery document.
type Endpoint struct {
	URL       string
	Changeset time.Time
	Test      bool
}

// Discovery is the discovery document (wiki.open311.org/Service_Discovery).
func Discovery(changeset time.Time, contact, keyService string, endpoints []Endpoint, loc *time.Location) Document {
	items := make([]any, len(endpoints))
	for i, ep := range endpoints {
		kind := "production"
		if ep.Test {
			kind = "test"
		}
		items[i] = Object{
			{"specification", Specification},
			{"url", ep.URL},
			{"changeset", FormatTime(ep.Changeset, loc)},
			{"type", kind},
			{"formats", List{Item: "format", Items: []any{XML.ContentTypeBare(), JSON.ContentTypeBare()}}},
		}
	}
	return Document{Root: "discovery", Body: Object{
		{"changeset", FormatTime(changeset, loc)},
		{"contact", contact},
		{"key_service", keyService},
		{"endpoints", List{Item: "endpoint", Items: items}},
	}}
}

// ContentTypeBare is the MIME type of a format without its charset.
func (f Format) ContentTypeBare() string {
	if f == XML {
		return "text/xml"
	}
	return "application/json"
}

func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// zipPattern is a US ZIP code ending an address: "…, Pine, MN 56001",
// "… 56001-1234", optionally followed by the country.
var zipPattern = regexp.MustCompile(`[\s,](\d{5})(?:-\d{4})?\s*(?:,?\s*(?:USA|US|United States))?\s*$`)

// ZipCode is the ZIP code at the end of an address ("" when there is none).
// It names an area of thousands of homes, so it may be shown where the
// address itself is not.
func ZipCode(address string) string {
	if m := zipPattern.FindStringSubmatch(address); m != nil {
		return m[1]
	}
	return ""
}
