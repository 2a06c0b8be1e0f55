package addresses

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestLabelAndKeys(t *testing.T) {
	cases := []struct {
		a                      Address
		label, byNum, byStreet string
	}{
		{Address{Number: "12", Street: "Main St", Unit: "3", City: "Pineville", Zip: "55555"},
			"12 Main St, Unit 3, Pineville 55555", "12 main st unit 3 pineville 55555", "main st 12 unit 3 pineville 55555"},
		{Address{Number: "7", Street: "North Oak Avenue", Unit: "Apt 2B", City: "Pineville"},
			"7 North Oak Avenue, Apt 2B, Pineville", "7 n oak ave unit 2b pineville", "n oak ave 7 unit 2b pineville"},
		{Address{Number: "401", Street: "Calle Peñasco", Unit: "#4", Zip: "55556"},
			"401 Calle Peñasco, #4, 55556", "401 calle penasco unit 4 55556", "calle penasco 401 unit 4 55556"},
		{Address{Number: "9", Street: "St. Paul's Rd"}, "9 St. Paul's Rd", "9 st pauls rd", "st pauls rd 9"},
	}
	for _, c := range cases {
		if got := c.a.Label(); got != c.label {
			t.Errorf("Label() = %q, want %q", got, c.label)
		}
		n, s := c.a.SearchKeys()
		if n != c.byNum || s != c.byStreet {
			t.Errorf("SearchKeys() = %q, %q; want %q, %q", n, s, c.byNum, c.byStreet)
		}
	}
	same := []Address{
		{Number: "12", Street: "Main Street", Unit: "Unit 3", Zip: "55555", City: "Pineville"},
		{Number: "12", Street: "MAIN ST.", Unit: "#3", Zip: "55555", City: "PINEVILLE TWP"},
		{Number: "12", Street: "main st", Unit: "apt 3", Zip: "55555"},
	}
	for _, a := range same[1:] {
		if a.Key() != same[0].Key() {
			t.Errorf("%+v: key %q, want %q", a, a.Key(), same[0].Key())
		}
	}
	if (Address{Number: "12", Street: "Main St", Unit: "4", Zip: "55555"}).Key() == same[0].Key() {
		t.Error("another unit has the same key")
	}
}

func TestQueryPrefixes(t *testing.T) {
	cases := []struct {
		q    string
		want []string
	}{
		{"", nil},
		{"1", nil},
		{" , ", nil},
		{"12", []string{"12"}},
		{"12 Main", []string{"12 main"}},
		{"12 North Main Street", []string{"12 n main st"}},
		{"12 main stre", []string{"12 main stre", "12 main st"}},
		{"oak aven", []string{"oak aven", "oak ave"}},
		{"Peñasco", []string{"penasco"}},
	}
	for _, c := range cases {
		if got := QueryPrefixes(c.q); !slices.Equal(got, c.want) {
			t.Errorf("QueryPrefixes(%q) = %q, want %q", c.q, got, c.want)
		}
	}
	if e := PrefixEnd("12 main"); e != "12 maio" || !("12 main st" < e) || !("12 mainz" < e) {
		t.Errorf("PrefixEnd = %q", e)
	}
}

func TestParseCSV(t *testing.T) {
	openAddresses := "LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,POSTCODE,ID,HASH\n" +
		"-93.1,44.9,12,Main St,,Pineville,,MN,55555,,abc\n" +
		"-93.2,44.8,14,Main St,3,Pineville,,MN,55555,,abd\n" +
		"-93.2,NaN,16,Main St,,Pineville,,MN,55555,,abe\n" +
		"\n" +
		"-93.2,95,18,Main St,,Pineville,,MN,55555,,abf\n" +
		"44.8,-93.2,20,Main St,,Pineville,,MN,55555,,abg\n" +
		"-93.2,44.8,,Main St,,Pineville,,MN,55555,,abh\n" +
		"-93.2,44.8,22,Main St,,Pineville,,MN\n" +
		"0,0,24,Main St,,Pineville,,MN,55555,,abi\n" +
		"-93.2,44.8,26,Main St,,Pine\xe9ville,,MN,55555,,abj\n" +
		"512000,4970000,28,Main St,,Pineville,,MN,55555,,abk\n" +
		"west,north,30,Main St,,Pineville,,MN,55555,,abl\n"
	p, err := ParseCSV(strings.NewReader(openAddresses), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rows) != 2 || p.Rows[0].Line != 2 || p.Rows[1].Address.Label() != "14 Main St, Unit 3, Pineville 55555" ||
		p.Rows[0].Address.Lat != 44.9 || p.Rows[0].Address.Lon != -93.1 {
		t.Fatalf("rows %+v", p.Rows)
	}
	want := []struct {
		line int
		says string
	}{
		{4, "must be numbers"}, {6, "latitude must be between"}, {7, "look swapped"}, {8, "no house number"},
		{9, "it has 8 columns, the header has 11"}, {10, "0, 0"}, {11, "not UTF-8"}, {12, "look projected"}, {13, "are not numbers"},
	}
	if len(p.Refused) != len(want) {
		t.Fatalf("refused %+v", p.Refused)
	}
	for i, w := range want {
		if r := p.Refused[i]; r.Line != w.line || !strings.Contains(r.Reason, w.says) {
			t.Errorf("refusal %d = %+v, want line %d saying %q", i, r, w.line, w.says)
		}
	}

	// a county export: street parts in their own columns, a BOM, a parcel id
	county := "\ufeffADD_NUMBER,ST_PREDIR,ST_NAME,ST_POSTYP,UNIT_NUM,POST_COMM,ZIP_CODE,POINT_Y,POINT_X,PIN\r\n" +
		"101,N,Oak,Ave,,Pineville,55555,44.91,-93.11,27-118-22-0001\r\n"
	p, err = ParseCSV(strings.NewReader(county), nil)
	if err != nil || len(p.Rows) != 1 {
		t.Fatalf("%v %+v", err, p)
	}
	if a := p.Rows[0].Address; a.Label() != "101 N Oak Ave, Pineville 55555" || a.Parcel != "27-118-22-0001" || a.Lat != 44.91 {
		t.Errorf("county row %+v", a)
	}
	if p.Columns["lat"] != "POINT_Y" || p.Columns["street"] != "ST_NAME" {
		t.Errorf("columns %v", p.Columns)
	}

	// columns named by flag
	odd := "HN,RD,NORTHING,EASTING\n5,Elm St,44.9,-93.1\n"
	if _, err := ParseCSV(strings.NewReader(odd), nil); err == nil || !strings.Contains(err.Error(), "no column for number, street, lat, lon") {
		t.Errorf("unmapped: %v", err)
	}
	p, err = ParseCSV(strings.NewReader(odd), map[string]string{"number": "HN", "street": "rd", "lat": "NORTHING", "lon": "EASTING"})
	if err != nil || len(p.Rows) != 1 || p.Rows[0].Address.Label() != "5 Elm St" {
		t.Errorf("flags: %v %+v", err, p)
	}
}

func TestParseCSVFileErrors(t *testing.T) {
	cases := []struct {
		name, csv string
		flags     map[string]string
		says      string
	}{
		{"empty", "", nil, "the file is empty"},
		{"wrong columns", "A,B,C\n1,2,3\n", nil, "no column for number, street, lat, lon"},
		{"header not UTF-8", "NUMBER,STR\xe9ET,LAT,LON\n", nil, "not UTF-8"},
		{"open quote", "NUMBER,STREET,LAT,LON\n1,Main,44,-93\n2,\"Main,44,-93\n", nil, "line 3: a quoted value has no closing quote"},
		{"bare quote", "NUMBER,STREET,LAT,LON\n1,Ma\"in,44,-93\n", nil, "line 2: a quote"},
		{"flag names no column", "NUMBER,STREET,LAT,LON\n", map[string]string{"parcel": "PIN"}, `no column "PIN"`},
		{"flag names no field", "NUMBER,STREET,LAT,LON\n", map[string]string{"colour": "PIN"}, "not a field"},
	}
	for _, c := range cases {
		p, err := ParseCSV(strings.NewReader(c.csv), c.flags)
		var fe *FileError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), c.says) || p != nil {
			t.Errorf("%s: %v, want a file error saying %q", c.name, err, c.says)
		}
	}
	if _, _, err := ParseColumnFlag("number"); err == nil {
		t.Error("a flag without = was taken")
	}
	if f, h, err := ParseColumnFlag(" Number = ADDR_NUM "); err != nil || f != "number" || h != "ADDR_NUM" {
		t.Errorf("ParseColumnFlag = %q %q %v", f, h, err)
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add("NUMBER,STREET,UNIT,CITY,POSTCODE,LAT,LON\n12,Main St,3,Pineville,55555,44.9,-93.1\n")
	f.Add("ADD_NUMBER,ST_PREDIR,ST_NAME,ST_POSTYP,POINT_Y,POINT_X\n1,N,Oak,Ave,44,-93\n2,,,,x,y\n")
	f.Add("NUMBER,STREET,LAT,LON\n\"1\",\"a\"\"b\",NaN,Inf\n")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseCSV(strings.NewReader(s), nil)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		for _, r := range p.Rows {
			a := r.Address
			if a.Number == "" || a.Street == "" || a.Lat < -90 || a.Lat > 90 || a.Lon < -180 || a.Lon > 180 || a.Lat != a.Lat {
				t.Fatalf("line %d taken: %+v", r.Line, a)
			}
			_ = a.Label()
			_, _ = a.SearchKeys()
		}
		for _, q := range []string{s, a(s)} {
			for _, pre := range QueryPrefixes(q) {
				if end := PrefixEnd(pre); end != "" && !(pre < end) {
					t.Fatalf("PrefixEnd(%q) = %q", pre, end)
				}
			}
		}
	})
}

// a is the first 40 bytes of s, for a query.
func a(s string) string {
	if len(s) > 40 {
		return s[:40]
	}
	return s
}
