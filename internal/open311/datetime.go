package open311

import (
	"regexp"
	"strings"
	"time"
)

// W3C datetimes (https://www.w3.org/TR/NOTE-datetime) are the only dates of
// GeoReport v2, and the specification requires a time zone on every one.

// w3cLayout writes a datetime with its offset ("2026-12-01T13:29:43-06:00";
// "Z" in UTC).
const w3cLayout = "2006-01-02T15:04:05Z07:00"

// FormatTime writes t in loc as a W3C datetime to the second. The zero time
// is "" (no date).
func FormatTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(w3cLayout)
}

var (
	// w3cPattern is a complete date with hours and minutes, optional
	// seconds and fraction, and a zone.
	w3cPattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$`)
	// zoneless are the W3C shapes without a zone: a date, or a date and time.
	zoneless = regexp.MustCompile(`^\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?)?)?$`)
	// plusAsSpace is a "+hh:mm" zone whose plus a form decoder read as a space.
	plusAsSpace = regexp.MustCompile(`T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)? \d{2}:\d{2}$`)
)

// dateProblem says what is wrong with a datetime argument.
type dateProblem int

const (
	dateOK dateProblem = iota
	dateNoZone
	dateInvalid
)

// ParseTime reads a W3C datetime with a zone: "2026-11-01T00:00:00-06:00",
// "2026-11-01T06:00Z", with seconds and fractions optional. A "+" sent
// unencoded in a query string (and so read as a space) is taken as "+".
func ParseTime(s string) (time.Time, bool) {
	t, p := parseTime(s)
	return t, p == dateOK
}

func parseTime(s string) (time.Time, dateProblem) {
	s = strings.TrimSpace(s)
	if len(s) > 40 {
		return time.Time{}, dateInvalid
	}
	if plusAsSpace.MatchString(s) {
		i := strings.LastIndexByte(s, ' ')
		s = s[:i] + "+" + s[i+1:]
	}
	if !w3cPattern.MatchString(s) {
		if zoneless.MatchString(s) {
			return time.Time{}, dateNoZone
		}
		return time.Time{}, dateInvalid
	}
	for _, layout := range []string{"2006-01-02T15:04Z07:00", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, dateOK
		}
	}
	return time.Time{}, dateInvalid
}
