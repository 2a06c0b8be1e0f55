package addresses

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/townhall-portal/townhall/internal/geo"
)

// Fields are the parts of an address a CSV column can hold. street may also
// be built from street_name with pre_dir, street_type and post_dir (county
// exports often split it).
var Fields = []string{"number", "street", "pre_dir", "street_name", "street_type", "post_dir", "unit", "city", "zip", "lat", "lon", "parcel"}

// headerNames are the column names of county GIS and OpenAddresses exports
// each field is recognised by (upper case, without spaces, dashes or
// underscores).
var headerNames = map[string][]string{
	"number":      {"NUMBER", "ADDRNUM", "ADDNUM", "ADDNUMBER", "ADDRESSNUMBER", "ADDRESSNUM", "HOUSENUM", "HOUSENUMBER", "HOUSENO", "HSENUM", "STNUM", "STREETNUM", "STREETNUMBER", "NUM"},
	"street":      {"STREET", "FULLSTREET", "FULLSTNAME", "FULLNAME", "STREETFULL", "FULLSTREETNAME", "ROAD", "ROADNAME", "STREETNAME", "STNAME"},
	"pre_dir":     {"PREDIR", "STPREDIR", "PREFIXDIR", "PREDIRECTION", "STPREMOD", "PREFIX"},
	"street_name": {"NAME", "STNAMEONLY", "STREETNAMEONLY", "BASENAME"},
	"street_type": {"STTYPE", "SUFTYPE", "STREETTYPE", "POSTTYPE", "STPOSTYP", "STPOSTTYPE", "SUFFIX", "TYPE"},
	"post_dir":    {"SUFDIR", "POSTDIR", "STPOSDIR", "SUFFIXDIR", "POSTDIRECTION"},
	"unit":        {"UNIT", "UNITNUM", "UNITNUMBER", "APT", "APARTMENT", "SUITE", "SUBADDRESS", "UNITID"},
	"city":        {"CITY", "MUNICIPALITY", "POSTCITY", "POSTALCITY", "POSTCOMM", "MSAGCOMM", "TOWN", "COMMUNITY", "PLACE", "CITYNAME"},
	"zip":         {"POSTCODE", "ZIP", "ZIPCODE", "ZIP5", "POSTALCODE", "POSTCODE5"},
	"lat":         {"LAT", "LATITUDE", "Y", "POINTY", "YCOORD", "YCOORDINATE"},
	"lon":         {"LON", "LONG", "LNG", "LONGITUDE", "X", "POINTX", "XCOORD", "XCOORDINATE"},
	"parcel":      {"PARCEL", "PARCELID", "PARCELNUM", "PARCELNO", "PARCELNUMBER", "PIN", "APN", "PID", "TAXID", "TAXPARCEL"},
}

// squash is a header name as headerNames lists it.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(strings.TrimSpace(s)) {
		if r != ' ' && r != '_' && r != '-' && r != '.' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Row is one address read from the file, with its line.
type Row struct {
	Line    int
	Address Address
}

// Refusal is a line that was not read, and why.
type Refusal struct {
	Line   int
	Reason string
}

// Parsed is what a CSV file held.
type Parsed struct {
	Columns map[string]string // field -> the header it was read from
	Rows    []Row
	Refused []Refusal
}

// FileError is a problem with the whole file: nothing of it is imported.
type FileError struct{ Reason string }

func (e *FileError) Error() string { return e.Reason }

func fileError(format string, args ...any) error {
	return &FileError{Reason: fmt.Sprintf(format, args...)}
}

// ParseColumnFlag reads one --column flag, field=HEADER.
func ParseColumnFlag(s string) (field, header string, err error) {
	field, header, ok := strings.Cut(s, "=")
	field, header = strings.ToLower(strings.TrimSpace(field)), strings.TrimSpace(header)
	if !ok || header == "" {
		return "", "", fmt.Errorf("--column %q: write it as field=HEADER, for example number=ADDR_NUM", s)
	}
	if !slices.Contains(Fields, field) {
		return "", "", fmt.Errorf("--column %q: %q is not a field; the fields are %s", s, field, strings.Join(Fields, ", "))
	}
	return field, header, nil
}

// ParseCSV reads an address export. columns maps fields to header names
// (from --column flags); the other fields are found by their usual names.
// A problem with the whole file (no header, a required column missing, not
// UTF-8 text, a broken quote) is a *FileError and no row is returned; a
// bad row is refused with its line and the reason, and the others are read.
func ParseCSV(r io.Reader, columns map[string]string) (*Parsed, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fileError("the file is empty: it needs a header line naming its columns, then one address a line")
	}
	if err != nil {
		return nil, fileError("line 1: the header cannot be read as CSV: %v", csvReason(err))
	}
	for _, h := range header {
		if !utf8.ValidString(h) {
			return nil, fileError("line 1: the header is not UTF-8 text; save the file as CSV UTF-8 and import it again")
		}
	}
	index, used, err := mapColumns(header, columns)
	if err != nil {
		return nil, err
	}
	out := &Parsed{Columns: used}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if err != nil && !(errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount)) {
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return nil, fileError("line %d: %s; nothing was imported (fix the file and import it again)", line, csvReason(err))
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(header) {
			out.Refused = append(out.Refused, Refusal{line, fmt.Sprintf("it has %d columns, the header has %d", len(rec), len(header))})
			continue
		}
		a, reason := readRow(rec, index)
		if reason != "" {
			out.Refused = append(out.Refused, Refusal{line, reason})
			continue
		}
		out.Rows = append(out.Rows, Row{line, a})
	}
	return out, nil
}

// csvReason says in words what was wrong with the CSV.
func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrQuote):
			return `a quoted value has no closing quote (")`
		case errors.Is(pe.Err, csv.ErrBareQuote):
			return `a quote (") appears inside a value that is not quoted`
		}
		return pe.Err.Error()
	}
	return err.Error()
}

// mapColumns finds each field's column: the --column flags first, then the
// usual names. number, the street and both coordinates are required.
func mapColumns(header []string, flags map[string]string) (map[string]int, map[string]string, error) {
	index, used := map[string]int{}, map[string]string{}
	bySquash := map[string]int{}
	for i, h := range header {
		if _, dup := bySquash[squash(h)]; !dup {
			bySquash[squash(h)] = i
		}
	}
	for field, name := range flags {
		if !slices.Contains(Fields, field) {
			return nil, nil, fileError("%q is not a field; the fields are %s", field, strings.Join(Fields, ", "))
		}
		i, ok := bySquash[squash(name)]
		if !ok {
			return nil, nil, fileError("--column %s=%s: the file has no column %q (its columns: %s)", field, name, name, strings.Join(header, ", "))
		}
		index[field], used[field] = i, header[i]
	}
	taken := map[int]bool{}
	for _, i := range index {
		taken[i] = true
	}
	for _, field := range Fields {
		if _, ok := index[field]; ok {
			continue
		}
		for _, name := range headerNames[field] {
			if i, ok := bySquash[name]; ok && !taken[i] {
				index[field], used[field], taken[i] = i, header[i], true
				break
			}
		}
	}
	var missing []string
	if _, ok := index["number"]; !ok {
		missing = append(missing, "number")
	}
	_, street := index["street"]
	_, name := index["street_name"]
	if !street && !name {
		missing = append(missing, "street")
	}
	for _, f := range []string{"lat", "lon"} {
		if _, ok := index[f]; !ok {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, nil, fileError("no column for %s among the file's columns (%s); name them with --column, for example --column number=ADDR_NUM",
			strings.Join(missing, ", "), strings.Join(header, ", "))
	}
	return index, used, nil
}

// readRow reads one address, or says why it cannot.
func readRow(rec []string, index map[string]int) (Address, string) {
	for _, v := range rec {
		if !utf8.ValidString(v) {
			return Address{}, "not UTF-8 text (was the file saved as Latin-1 or Windows-1252? save it as CSV UTF-8)"
		}
	}
	get := func(field string) string {
		if i, ok := index[field]; ok {
			return strings.Join(strings.Fields(rec[i]), " ")
		}
		return ""
	}
	a := Address{Number: get("number"), Unit: get("unit"), City: get("city"), Zip: get("zip"), Parcel: get("parcel")}
	a.Street = get("street")
	if n := get("street_name"); n != "" {
		a.Street = n
	}
	if a.Street == "" {
		return a, "no street"
	}
	// the street's parts in columns of their own (a county export)
	if pre := get("pre_dir"); pre != "" && !strings.HasPrefix(Normalize(a.Street)+" ", Normalize(pre)+" ") {
		a.Street = join(pre, a.Street)
	}
	for _, part := range []string{get("street_type"), get("post_dir")} {
		if part != "" && !strings.HasSuffix(" "+Normalize(a.Street), " "+Normalize(part)) {
			a.Street = join(a.Street, part)
		}
	}
	switch {
	case a.Number == "":
		return a, "no house number"
	case a.Street == "":
		return a, "no street"
	case len(a.Number) > 20:
		return a, "the house number is longer than 20 characters"
	case len(a.Street) > 120 || len(a.Unit) > 40 || len(a.City) > 80 || len(a.Zip) > 20 || len(a.Parcel) > 60:
		return a, "a value is too long (street 120, unit 40, city 80, ZIP 20, parcel 60 characters at most)"
	}
	latText, lonText := get("lat"), get("lon")
	if latText == "" || lonText == "" {
		return a, "no latitude or longitude"
	}
	lat, err1 := strconv.ParseFloat(latText, 64)
	lon, err2 := strconv.ParseFloat(lonText, 64)
	if err1 != nil || err2 != nil {
		return a, fmt.Sprintf("the coordinates %q, %q are not numbers (write decimal degrees like 44.9537, -93.0900)", latText, lonText)
	}
	if err := geo.CheckPoint(lat, lon); err != nil {
		if math.Abs(lat) > 90 && math.Abs(lat) <= 180 && math.Abs(lon) <= 90 {
			return a, "the latitude and longitude look swapped (latitude is between -90 and 90)"
		}
		if math.Abs(lat) > 180 || math.Abs(lon) > 180 {
			return a, fmt.Sprintf("%v: the coordinates look projected (feet or metres); export them in decimal degrees (WGS 84)", err)
		}
		return a, err.Error()
	}
	if lat == 0 && lon == 0 {
		return a, "the point is 0, 0 (no location in the export)"
	}
	a.Lat, a.Lon = lat, lon
	return a, ""
}
