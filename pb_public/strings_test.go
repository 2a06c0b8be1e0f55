package pb_public

import (
	"bytes"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The site's texts live in js/strings.js, one entry per line:
//
//	export const strings = {
//	  // comments and blank lines are allowed between entries
//	  "key": { en: "…", es: "…" },
//	};
//
// The tests below read that table with a strict parser (no JavaScript
// runtime needed) and check it against the keys the pages and scripts use.

const stringsFile = "js/strings.js"

// siteText is one entry of the table: its line and its two texts.
type siteText struct {
	line   int
	en, es string
}

var (
	tableStart  = regexp.MustCompile(`^export const strings = \{\s*$`)
	tableEnd    = regexp.MustCompile(`^\};\s*$`)
	blankOrNote = regexp.MustCompile(`^\s*(//.*)?$`)
	tableEntry  = regexp.MustCompile(`^\s*"([^"\\]*)":\s*\{(.*)\},\s*$`)
	entryField  = regexp.MustCompile(`^\s*([A-Za-z_]+):\s*("(?:[^"\\]|\\.)*")\s*(?:,|$)`)
	placeholder = regexp.MustCompile(`\{[A-Za-z_]+\}`)

	htmlKey     = regexp.MustCompile(`data-i18n\s*=\s*(?:"([^"]*)"|'([^']*)')`)
	htmlAttrKey = regexp.MustCompile(`data-i18n-attr\s*=\s*(?:"([^"]*)"|'([^']*)')`)
	jsCall      = regexp.MustCompile(`\bt\(\s*(?:"([^"\\]*)"|'([^'\\]*)')`)
	jsDataKey   = regexp.MustCompile(`"data-i18n":\s*(?:"([^"\\]*)"|'([^'\\]*)')`)
)

// parseStrings reads the table of strings.js. It returns every entry by key
// and one message per problem found: a line that is not one entry, a key
// written twice, a missing, repeated, unknown or empty language, a text that
// cannot be read.
func parseStrings(src string) (map[string]siteText, []string) {
	table := map[string]siteText{}
	var problems []string
	bad := func(line int, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%s:%d: %s", stringsFile, line, fmt.Sprintf(format, args...)))
	}
	const (
		before = iota
		inside
		after
	)
	state := before
	for i, text := range strings.Split(src, "\n") {
		line := i + 1
		switch state {
		case before:
			if tableStart.MatchString(text) {
				state = inside
			} else if !blankOrNote.MatchString(text) {
				bad(line, "only comments may come before `export const strings = {`, found %q", text)
			}
			continue
		case after:
			if !blankOrNote.MatchString(text) {
				bad(line, "only comments may come after the table's closing `};`, found %q", text)
			}
			continue
		}
		if tableEnd.MatchString(text) {
			state = after
			continue
		}
		if blankOrNote.MatchString(text) {
			continue
		}
		m := tableEntry.FindStringSubmatch(text)
		if m == nil {
			bad(line, "not one entry on one line (`\"key\": { en: \"…\", es: \"…\" },`): %q", text)
			continue
		}
		key, rest := m[1], m[2]
		if key == "" {
			bad(line, "empty key")
			continue
		}
		texts := map[string]string{}
		for strings.TrimSpace(rest) != "" {
			f := entryField.FindStringSubmatch(rest)
			if f == nil {
				bad(line, "%q: cannot read %q (expected `en: \"…\", es: \"…\"`)", key, strings.TrimSpace(rest))
				break
			}
			rest = rest[len(f[0]):]
			language := f[1]
			if language != "en" && language != "es" {
				bad(line, "%q: unknown language %q", key, language)
				continue
			}
			if _, twice := texts[language]; twice {
				bad(line, "%q: %s is given twice", key, language)
				continue
			}
			s, err := strconv.Unquote(f[2])
			if err != nil {
				bad(line, "%q: cannot read the %s text %s: %v", key, language, f[2], err)
				s = f[2]
			}
			texts[language] = s
		}
		for _, l := range []struct{ code, name string }{{"en", "English"}, {"es", "Spanish"}} {
			s, ok := texts[l.code]
			switch {
			case !ok:
				bad(line, "%q has no %s text", key, l.name)
			case strings.TrimSpace(s) == "":
				bad(line, "%q has an empty %s text", key, l.name)
			}
		}
		if first, twice := table[key]; twice {
			bad(line, "%q is defined twice (first on line %d)", key, first.line)
			continue
		}
		table[key] = siteText{line: line, en: texts["en"], es: texts["es"]}
	}
	switch state {
	case before:
		problems = append(problems, stringsFile+": no `export const strings = {` line")
	case inside:
		problems = append(problems, stringsFile+": the table is not closed with `};`")
	}
	return table, problems
}

// siteStrings parses the embedded strings.js; the problems found are reported
// by TestStringsTable only.
func siteStrings(t *testing.T) (map[string]siteText, []string) {
	t.Helper()
	src, err := fs.ReadFile(FS, stringsFile)
	if err != nil {
		t.Fatal(err)
	}
	table, problems := parseStrings(string(src))
	if len(table) < 100 {
		t.Fatalf("only %d keys read from %s", len(table), stringsFile)
	}
	return table, problems
}

// siteFiles lists the embedded files whose name ends with ext.
func siteFiles(t *testing.T, ext string) []string {
	t.Helper()
	var out []string
	err := fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ext) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// lineAt is the 1-based line of offset in src.
func lineAt(src []byte, offset int) int {
	return bytes.Count(src[:offset], []byte("\n")) + 1
}

// TestStringsTable: every key is written once, with a non-empty English and
// Spanish text that use the same {placeholders}.
func TestStringsTable(t *testing.T) {
	table, problems := siteStrings(t)
	for _, p := range problems {
		t.Error(p)
	}
	for key, s := range table {
		en := placeholder.FindAllString(s.en, -1)
		es := placeholder.FindAllString(s.es, -1)
		sort.Strings(en)
		sort.Strings(es)
		if strings.Join(en, " ") != strings.Join(es, " ") {
			t.Errorf("%s:%d: %q uses placeholders %v in English but %v in Spanish", stringsFile, s.line, key, en, es)
		}
	}
}

// TestStringsParserCatchesMistakes: the parser behind the tests reports the
// mistakes it is there to catch.
func TestStringsParserCatchesMistakes(t *testing.T) {
	src := strings.Join([]string{
		"// header",
		"export const strings = {",
		`  "ok": { en: "Fine", es: "Bien" },`,
		`  "ok": { en: "Again", es: "Otra vez" },`,
		`  "no.es": { en: "Only English" },`,
		`  "empty.en": { en: " ", es: "Algo" },`,
		`  "two.lines": {`,
		`    en: "A", es: "B" },`,
		`  "twice.en": { en: "A", en: "B", es: "C" },`,
		`  "fr": { en: "A", es: "B", fr: "C" },`,
		"};",
		`strings["late"] = { en: "Late", es: "Tarde" };`,
		"",
	}, "\n")
	table, problems := parseStrings(src)
	all := strings.Join(problems, "\n")
	for _, want := range []string{
		`:4: "ok" is defined twice (first on line 3)`,
		`:5: "no.es" has no Spanish text`,
		`:6: "empty.en" has an empty English text`,
		`:7: not one entry on one line`,
		`:8: not one entry on one line`,
		`:9: "twice.en": en is given twice`,
		`:10: "fr": unknown language "fr"`,
		`:12: only comments may come after`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no problem %q reported; got:\n%s", want, all)
		}
	}
	if got := table["ok"]; got.en != "Fine" || got.es != "Bien" {
		t.Errorf(`"ok" read as %+v`, got)
	}
	if _, problems := parseStrings("const x = 1;\n"); len(problems) == 0 {
		t.Error("a file without the table was accepted")
	}
}

// TestPagesUseKnownStrings: every key in data-i18n="key" and
// data-i18n-attr="attr:key;attr:key" of every embedded page (resident site and
// staff console) is in strings.js.
func TestPagesUseKnownStrings(t *testing.T) {
	table, _ := siteStrings(t)
	pages := siteFiles(t, ".html")
	if len(pages) < 10 {
		t.Fatalf("only %d pages found", len(pages))
	}
	used := 0
	check := func(page string, line int, key string) {
		used++
		if key == "" {
			t.Errorf("%s:%d: empty data-i18n key", page, line)
		} else if _, ok := table[key]; !ok {
			t.Errorf("%s:%d: key %q is not in %s", page, line, key, stringsFile)
		}
	}
	for _, page := range pages {
		src, err := fs.ReadFile(FS, page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range htmlKey.FindAllSubmatchIndex(src, -1) {
			check(page, lineAt(src, m[0]), submatch(src, m))
		}
		for _, m := range htmlAttrKey.FindAllSubmatchIndex(src, -1) {
			line := lineAt(src, m[0])
			for _, pair := range strings.Split(submatch(src, m), ";") {
				attr, key, ok := strings.Cut(pair, ":")
				if !ok || strings.TrimSpace(attr) == "" {
					t.Errorf("%s:%d: data-i18n-attr part %q is not attr:key", page, line, pair)
					continue
				}
				check(page, line, strings.TrimSpace(key))
			}
		}
	}
	if used < 50 {
		t.Errorf("only %d data-i18n keys found in the pages", used)
	}
}

// TestScriptsUseKnownStrings: every key passed as a literal to t("key") or
// t('key'), or set as "data-i18n": "key", in an embedded script is in
// strings.js. Keys built at run time (t(`x.${y}`)) are not checked.
func TestScriptsUseKnownStrings(t *testing.T) {
	table, _ := siteStrings(t)
	used := 0
	for _, file := range siteFiles(t, ".js") {
		if file == stringsFile || strings.HasPrefix(file, "vendor/") { // libraries have their own t()
			continue
		}
		src, err := fs.ReadFile(FS, file)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range []*regexp.Regexp{jsCall, jsDataKey} {
			for _, m := range re.FindAllSubmatchIndex(src, -1) {
				used++
				if key := submatch(src, m); key == "" {
					t.Errorf("%s:%d: empty key", file, lineAt(src, m[0]))
				} else if _, ok := table[key]; !ok {
					t.Errorf("%s:%d: key %q is not in %s", file, lineAt(src, m[0]), key, stringsFile)
				}
			}
		}
	}
	if used < 100 {
		t.Errorf("only %d literal keys found in the scripts", used)
	}
}

// submatch is the text of whichever of the two alternative groups (double or
// single quotes) matched.
func submatch(src []byte, m []int) string {
	for g := 1; 2*g+1 < len(m); g++ {
		if m[2*g] >= 0 {
			return string(src[m[2*g]:m[2*g+1]])
		}
	}
	return ""
}

// britishSpellings are words a US county writes otherwise.
var britishSpellings = regexp.MustCompile(`(?i)\b(tyres?|licenc(e|es|ed)|colours?|centres?|metres?|organis\w*|recognis\w*|cancell(ed|ing)|favourites?|neighbours?|kerbs?|programmes?|behaviours?|catalogues?)\b`)

// TestEnglishIsAmerican: the site's English is written for a US county
// (tires, licenses, 12-hour times come from the en-US locale).
func TestEnglishIsAmerican(t *testing.T) {
	table, _ := siteStrings(t)
	for key, s := range table {
		if w := britishSpellings.FindString(s.en); w != "" {
			t.Errorf("%s:%d: %q writes %q", stringsFile, s.line, key, w)
		}
	}
}
