// Package addresses holds the county's address points as the portal reads
// them: the parts of an address, the label residents see, the keys search
// walks, and the reading of a county GIS or OpenAddresses CSV export. It
// imports nothing of PocketBase.
package addresses

import (
	"slices"
	"strings"
	"unicode"
)

// Address is one address point.
type Address struct {
	Number string // house number: 12, 12A, N1234
	Street string // street with its prefix and type: N Main St
	Unit   string // apartment, suite or unit: 3, Apt 3
	City   string
	Zip    string
	Lat    float64
	Lon    float64
	Parcel string // the assessor's parcel id, when the export has one
}

// Label is the address as residents read it: "12 Main St, Unit 3, Pineville 55555".
func (a Address) Label() string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(a.Number + " " + a.Street))
	if u := unitLabel(a.Unit); u != "" {
		b.WriteString(", " + u)
	}
	if place := strings.TrimSpace(a.City + " " + a.Zip); place != "" {
		b.WriteString(", " + place)
	}
	return b.String()
}

// unitLabel writes a bare unit number as "Unit 3" and keeps "Apt 3" or "#3".
func unitLabel(u string) string {
	u = strings.TrimSpace(u)
	if u == "" {
		return ""
	}
	first, _, _ := strings.Cut(Normalize(u), " ")
	if unitWords[first] || strings.HasPrefix(u, "#") {
		return u
	}
	return "Unit " + u
}

// Key is what makes two rows the same address: the same number, street,
// unit and ZIP (or city, without a ZIP). A second import of the same
// address updates the first.
func (a Address) Key() string {
	place := Normalize(a.Zip)
	if place == "" {
		place = Normalize(a.City)
	}
	return Normalize(a.Number) + "|" + Normalize(a.Street) + "|" + normalizeUnit(a.Unit) + "|" + place
}

// SearchKeys are the two keys a search matches by prefix: one that starts
// with the house number ("12 main st unit 3 pineville 55555") and one that
// starts with the street ("main st 12 unit 3 pineville 55555").
func (a Address) SearchKeys() (byNumber, byStreet string) {
	unit := normalizeUnit(a.Unit)
	rest := join(unit, Normalize(a.City), Normalize(a.Zip))
	num, street := Normalize(a.Number), Normalize(a.Street)
	return join(num, street, rest), join(street, num, rest)
}

func join(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

// normalizeUnit writes a unit as "unit 3" whatever it was called ("Apt 3", "#3", "3").
func normalizeUnit(u string) string {
	n := Normalize(u)
	if n == "" {
		return ""
	}
	words := strings.Fields(n)
	if unitWords[words[0]] {
		words = words[1:]
	}
	if len(words) == 0 {
		return ""
	}
	return "unit " + strings.Join(words, " ")
}

// unitWords are the words that introduce a unit.
var unitWords = map[string]bool{"unit": true, "apt": true, "apartment": true, "ste": true, "suite": true, "lot": true, "rm": true, "room": true, "bldg": true, "fl": true}

// abbreviations are the USPS short forms of street types and directions,
// so that "12 North Main Street" finds "12 N Main St".
var abbreviations = map[string]string{
	"street": "st", "avenue": "ave", "av": "ave", "road": "rd", "drive": "dr", "lane": "ln", "boulevard": "blvd",
	"court": "ct", "place": "pl", "highway": "hwy", "parkway": "pkwy", "circle": "cir", "terrace": "ter",
	"trail": "trl", "square": "sq", "crossing": "xing", "expressway": "expy", "freeway": "fwy", "point": "pt",
	"north": "n", "south": "s", "east": "e", "west": "w", "northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw",
	"apartment": "apt", "suite": "ste", "route": "rte", "county": "co", "mount": "mt", "saint": "st",
}

// Normalize folds text for matching: lower case, accents off, punctuation
// as spaces, street types and directions abbreviated, single spaces.
func Normalize(s string) string {
	return strings.Join(normalizeWords(s), " ")
}

func normalizeWords(s string) []string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if f, ok := folded[r]; ok {
			r = f
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		case r == '\'' || r == '’' || r == '.':
			// O'Brien, St. Paul: the mark goes, the word stays whole
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	for i, w := range words {
		if a, ok := abbreviations[w]; ok {
			words[i] = a
		}
	}
	return words
}

// folded takes the accents off the letters of Spanish and French street names.
var folded = map[rune]rune{'á': 'a', 'à': 'a', 'â': 'a', 'ä': 'a', 'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e', 'í': 'i', 'ì': 'i', 'î': 'i', 'ï': 'i',
	'ó': 'o', 'ò': 'o', 'ô': 'o', 'ö': 'o', 'ú': 'u', 'ù': 'u', 'û': 'u', 'ü': 'u', 'ñ': 'n', 'ç': 'c'}

// QueryPrefixes turns what a resident typed into the key prefixes to look
// for. The last word may be unfinished: "12 main stre" also looks for
// "12 main st", since "stre" begins "street". An empty list: nothing to
// look for (fewer than 2 characters).
func QueryPrefixes(q string) []string {
	words := normalizeWords(q)
	joined := strings.Join(words, " ")
	if len([]rune(joined)) < 2 {
		return nil
	}
	out := []string{joined}
	last := words[len(words)-1]
	if len(last) >= 2 {
		var shorts []string
		for long, short := range abbreviations {
			if strings.HasPrefix(long, last) && !strings.HasPrefix(short, last) && !slices.Contains(shorts, short) {
				shorts = append(shorts, short)
			}
		}
		slices.Sort(shorts)
		for _, short := range shorts {
			out = append(out, strings.Join(append(slices.Clone(words[:len(words)-1]), short), " "))
		}
	}
	if len(out) > 4 {
		out = out[:4]
	}
	return out
}

// PrefixEnd is the smallest string greater than every string starting with
// prefix, for an indexed range: key >= prefix AND key < PrefixEnd(prefix).
func PrefixEnd(prefix string) string {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1])
		}
	}
	return "" // no upper bound
}
