// Package query decides whether a caller's list parameters (filter, sort,
// expand, fields) stay inside one record, on the parsed expression and never
// on its text.
//
// The filter is parsed with github.com/ganigeorgiev/fexpr, the parser
// PocketBase itself runs, so every identifier PocketBase would resolve is
// seen here, however it is disguised (comments, new lines, tabs, quotes,
// parentheses, function arguments). Sort, expand and fields are split the way
// PocketBase splits them. An identifier is accepted only when it names one of
// the fields the caller may use (or a constant: null, true, false, @now …;
// PocketBase itself keeps @request out of callers' filters); relation paths (owner.name), back-relations
// (events_via_permit) and other collections (@collection.users) are refused,
// because PocketBase does not apply the related collection's rules to some
// of those joins and a filter on them answers yes or no about records the
// caller may not read. Whatever cannot be parsed is refused too.
//
// The package imports no framework; hooks adapts it to PocketBase.
package query

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ganigeorgiev/fexpr"
)

// Kind is what a field holds, which decides the paths it allows.
type Kind int

const (
	// Plain fields allow only their name (and a modifier).
	Plain Kind = iota + 1
	// JSON fields also allow paths inside their value (data.height).
	JSON
	// Geo fields also allow their coordinates (location.lat, location.lon).
	Geo
	// Relation fields may also be expanded (one level).
	Relation
)

// Fields are the fields a caller may filter, sort and expand on, by name.
type Fields map[string]Kind

// Refusal says which part of a parameter was refused, and why.
type Refusal struct {
	Param string // filter, sort, expand or fields
	Part  string // the identifier, sort key or path refused ("" when unparsable)
	Err   error  // the parse error, when it could not be parsed
}

func (r *Refusal) Error() string {
	if r.Err != nil {
		return fmt.Sprintf("%s cannot be read: %v", r.Param, r.Err)
	}
	return fmt.Sprintf("%s may not use %q", r.Param, r.Part)
}

// modifiers are the field modifiers PocketBase allows in a filter on a
// record's own field (:isset and :changed exist only for @request.body).
var modifiers = map[string]bool{"lower": true, "length": true, "each": true}

// macros are PocketBase's date macros: constants, not fields.
var macros = map[string]bool{
	"@now": true, "@yesterday": true, "@tomorrow": true, "@second": true, "@minute": true, "@hour": true,
	"@day": true, "@month": true, "@weekday": true, "@year": true, "@todayStart": true, "@todayEnd": true,
	"@monthStart": true, "@monthEnd": true, "@yearStart": true, "@yearEnd": true,
}

// literals are identifiers PocketBase reads as constants.
var literals = map[string]bool{"null": true, "true": true, "false": true}

// functions are the filter functions PocketBase offers; their arguments are
// checked like any operand.
var functions = map[string]bool{"geoDistance": true, "strftime": true}

// Identifiers returns every identifier of a filter, in order: operands and
// function names and arguments, in nested groups and functions too.
func Identifiers(filter string) ([]string, error) {
	groups, err := fexpr.Parse(filter)
	if err != nil {
		return nil, err
	}
	var out []string
	var walkToken func(t fexpr.Token)
	walkToken = func(t fexpr.Token) {
		switch t.Type {
		case fexpr.TokenIdentifier:
			out = append(out, t.Literal)
		case fexpr.TokenFunction:
			out = append(out, t.Literal+"()")
			args, _ := t.Meta.([]fexpr.Token)
			for _, a := range args {
				walkToken(a)
			}
		}
	}
	var walk func(gs []fexpr.ExprGroup)
	walk = func(gs []fexpr.ExprGroup) {
		for _, g := range gs {
			switch item := g.Item.(type) {
			case fexpr.Expr:
				walkToken(item.Left)
				walkToken(item.Right)
			case []fexpr.ExprGroup:
				walk(item)
			}
		}
	}
	walk(groups)
	return out, nil
}

// CheckFilter accepts a filter whose every identifier is one of fields (or a
// constant); an empty filter is accepted.
func (f Fields) CheckFilter(filter string) error {
	if strings.TrimSpace(filter) == "" {
		return nil
	}
	ids, err := Identifiers(filter)
	if err != nil {
		return &Refusal{Param: "filter", Err: err}
	}
	for _, id := range ids {
		if name, ok := strings.CutSuffix(id, "()"); ok {
			if !functions[name] {
				return &Refusal{Param: "filter", Part: name}
			}
			continue
		}
		if !f.operand(id) {
			return &Refusal{Param: "filter", Part: id}
		}
	}
	return nil
}

// operand reports whether a filter identifier stays inside the record.
func (f Fields) operand(id string) bool {
	if literals[id] || macros[id] {
		return true
	}
	path, modifier, hasModifier := strings.Cut(id, ":")
	if hasModifier && !modifiers[modifier] {
		return false
	}
	return f.path(path)
}

// path reports whether a field path names one of the fields: the field
// itself, a path inside a JSON field, or a coordinate of a geo point.
func (f Fields) path(p string) bool {
	name, rest, deep := strings.Cut(p, ".")
	kind, ok := f[name]
	if !ok {
		return false
	}
	if !deep {
		return true
	}
	switch kind {
	case JSON:
		for _, seg := range strings.Split(rest, ".") {
			if !plainName(seg) {
				return false
			}
		}
		return true
	case Geo:
		return rest == "lat" || rest == "lon"
	}
	return false
}

// plainName reports whether s is a bare name (letters, digits, _), as a
// segment of a JSON path; never @-names or modifiers.
func plainName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// SortKeys splits a sort parameter exactly as PocketBase's
// search.ParseSortFromString does: by commas, trimmed, without the leading
// - or +.
func SortKeys(sort string) []string {
	var keys []string
	for _, part := range strings.Split(sort, ",") {
		part = strings.TrimSpace(part)
		if strings.HasPrefix(part, "-") {
			part = strings.TrimPrefix(part, "-")
		} else {
			part = strings.TrimPrefix(part, "+")
		}
		keys = append(keys, part)
	}
	return keys
}

// CheckSort accepts a sort on the fields (with an allowed modifier) and
// PocketBase's @random and @rowid.
func (f Fields) CheckSort(sort string) error {
	if strings.TrimSpace(sort) == "" {
		return nil
	}
	for _, key := range SortKeys(sort) {
		if key == "@random" || key == "@rowid" {
			continue
		}
		path, modifier, hasModifier := strings.Cut(key, ":")
		if (hasModifier && !modifiers[modifier]) || !f.path(path) {
			return &Refusal{Param: "sort", Part: key}
		}
	}
	return nil
}

// ExpandPaths normalises an expand parameter as PocketBase does: split by
// commas, spaces removed, dots trimmed from the ends, empty paths dropped.
func ExpandPaths(expand string) []string {
	var paths []string
	for _, p := range strings.Split(expand, ",") {
		p = strings.Trim(strings.ReplaceAll(p, " ", ""), ".")
		if p != "" {
			paths = append(paths, p)
		}
	}
	return paths
}

// CheckExpand accepts only the relation fields themselves, one level deep:
// expanding goes through the related collection's view rule, but a path of
// several levels or a back-relation is not needed by the sites.
func (f Fields) CheckExpand(expand string) error {
	for _, p := range ExpandPaths(expand) {
		if f[p] != Relation {
			return &Refusal{Param: "expand", Part: p}
		}
	}
	return nil
}

// FieldNames splits a fields parameter as PocketBase's tokenizer does (by
// commas outside parentheses and quotes) and returns each entry's name,
// without its modifier.
func FieldNames(fields string) ([]string, error) {
	var names []string
	var depth int
	var quote rune
	start := 0
	add := func(end int) {
		entry := strings.TrimSpace(fields[start:end])
		if entry != "" {
			name, _, _ := strings.Cut(entry, ":")
			names = append(names, strings.TrimSpace(name))
		}
	}
	for i, c := range fields {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth < 0 {
				return nil, errors.New("unbalanced parentheses")
			}
		case c == ',' && depth == 0:
			add(i)
			start = i + 1
		}
	}
	if depth != 0 || quote != 0 {
		return nil, errors.New("unbalanced parentheses or quotes")
	}
	add(len(fields))
	return names, nil
}

// CheckFields accepts a fields parameter that picks *, the fields, or parts
// of what was expanded (expand.<relation>…). It only selects from the
// answer, which holds nothing hidden, but a name outside the record is
// still a mistake worth refusing.
func (f Fields) CheckFields(fields string) error {
	names, err := FieldNames(fields)
	if err != nil {
		return &Refusal{Param: "fields", Err: err}
	}
	for _, n := range names {
		switch {
		case n == "*":
		case n == "expand" || strings.HasPrefix(n, "expand."):
			rel, _, _ := strings.Cut(strings.TrimPrefix(n, "expand."), ".")
			if n != "expand" && rel != "*" && f[rel] != Relation {
				return &Refusal{Param: "fields", Part: n}
			}
		default:
			if _, ok := f[n]; !ok && n != "id" && n != "collectionId" && n != "collectionName" {
				return &Refusal{Param: "fields", Part: n}
			}
		}
	}
	return nil
}

// Check runs every check on a set of list parameters (absent ones are "").
func (f Fields) Check(filter, sort, expand, fields string) error {
	if err := f.CheckFilter(filter); err != nil {
		return err
	}
	if err := f.CheckSort(sort); err != nil {
		return err
	}
	if err := f.CheckExpand(expand); err != nil {
		return err
	}
	return f.CheckFields(fields)
}
