// Package forms reads the application form of a permit type (its field and
// required-document definitions) and checks a resident's answers against it,
// with one plain-language message per field in English or Spanish.
package forms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Text is a text in English and Spanish.
type Text struct {
	EN string `json:"en"`
	ES string `json:"es,omitempty"`
}

// In returns the Spanish text when lang is "es" and ES is not blank,
// otherwise the English text.
func (t Text) In(lang string) string {
	if lang == "es" && strings.TrimSpace(t.ES) != "" {
		return t.ES
	}
	return t.EN
}

// Option is one answer a resident can pick in a choice or multi_choice field.
type Option struct {
	Value string `json:"value"`
	Label Text   `json:"label"`
}

// Field is the definition of one question of an application form.
type Field struct {
	Key      string   `json:"key"`
	Kind     string   `json:"kind"`
	Label    Text     `json:"label"`
	Help     Text     `json:"help,omitempty"`
	Unit     Text     `json:"unit,omitempty"` // e.g. {"en":"feet","es":"pies"} used in range messages
	Required bool     `json:"required,omitempty"`
	Min      *float64 `json:"min,omitempty"`
	Max      *float64 `json:"max,omitempty"`
	Options  []Option `json:"options,omitempty"`
}

// The kinds of field.
const (
	KindText        = "text"
	KindLongText    = "long_text"
	KindNumber      = "number"
	KindDate        = "date"
	KindChoice      = "choice"
	KindMultiChoice = "multi_choice"
	KindYesNo       = "yes_no"
	KindEmail       = "email"
	KindPhone       = "phone"
	KindAddress     = "address"
)

// kinds lists every kind, in the order shown to administrators.
var kinds = []string{KindText, KindLongText, KindNumber, KindDate, KindChoice,
	KindMultiChoice, KindYesNo, KindEmail, KindPhone, KindAddress}

// Document is the definition of a document an applicant must upload.
type Document struct {
	Key      string   `json:"key"`
	Label    Text     `json:"label"`
	Help     Text     `json:"help,omitempty"`
	Accept   []string `json:"accept,omitempty"` // subset of "pdf", "image"; empty means both
	Optional bool     `json:"optional,omitempty"`
}

// DefinitionError names the broken definition.
type DefinitionError struct {
	Index   int    // 0-based position in the list; -1 when the list as a whole is wrong
	Key     string // may be empty when the key itself is missing; shortened to 60 characters
	Message string // plain English for an administrator, e.g. `field 4 "height": min (10) is greater than max (8)`
}

// Error returns the message.
func (e *DefinitionError) Error() string { return e.Message }

const (
	maxFields    = 100
	maxDocuments = 30
	maxWhole     = 1_000_000 // largest length or count bound
)

var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// ParseFields decodes and validates field definitions. Empty input, "null"
// and "[]" give an empty list. A broken definition gives a *DefinitionError.
func ParseFields(raw []byte) ([]Field, error) {
	return parseList(raw, "field", maxFields, func(f *Field) string { return f.Key }, checkField)
}

// ParseDocuments decodes and validates required-document definitions. Empty
// input, "null" and "[]" give an empty list. A broken definition gives a
// *DefinitionError.
func ParseDocuments(raw []byte) ([]Document, error) {
	return parseList(raw, "document", maxDocuments, func(d *Document) string { return d.Key }, checkDocument)
}

// parseList decodes a JSON list of definitions, checking each one's key
// (present, well formed, unique) and then the definition itself.
func parseList[T any](raw []byte, noun string, limit int, key func(*T) string, check func(*T) string) ([]T, error) {
	items, err := splitList(raw, noun, limit)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(items))
	seen := make(map[string]int, len(items))
	for i, item := range items {
		v := &out[i]
		msg := decodeItem(item, v)
		if msg == "" {
			msg = checkKey(key(v), noun, seen, i)
		}
		if msg == "" {
			msg = check(v)
		}
		if msg != "" {
			return nil, definitionError(noun, i, key(v), msg)
		}
	}
	return out, nil
}

// splitList splits a JSON list into its items, refusing anything else and
// lists longer than limit.
func splitList(raw []byte, noun string, limit int) ([]json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return []json.RawMessage{}, nil
	}
	var items []json.RawMessage
	if raw[0] != '[' {
		return nil, &DefinitionError{Index: -1,
			Message: noun + " definitions must be a JSON list of objects, like [{...}, {...}]"}
	}
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, &DefinitionError{Index: -1,
			Message: noun + " definitions are not valid JSON: " + strings.TrimPrefix(err.Error(), "json: ")}
	}
	if len(items) > limit {
		return nil, &DefinitionError{Index: -1,
			Message: fmt.Sprintf("too many %ss: %d (at most %d)", noun, len(items), limit)}
	}
	return items, nil
}

// decodeItem decodes one list item into v and describes what is wrong with it.
func decodeItem(item json.RawMessage, v any) string {
	item = bytes.TrimSpace(item)
	if len(item) == 0 || item[0] != '{' {
		return "must be a JSON object, like {\"key\": ...}"
	}
	err := json.Unmarshal(item, v)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &te):
		name := te.Field
		if name == "" {
			name = "a property"
		} else {
			name = strconv.Quote(name)
		}
		want := "of another type"
		if te.Type != nil {
			switch te.Type.Kind() {
			case reflect.String:
				want = "text"
			case reflect.Float64, reflect.Pointer:
				want = "a number"
				if strings.HasPrefix(te.Value, "number ") {
					return name + " is out of range"
				}
			case reflect.Bool:
				want = "true or false"
			case reflect.Slice:
				want = "a list"
			case reflect.Struct:
				want = "an object"
			}
		}
		return fmt.Sprintf("%s must be %s, not %s", name, want, te.Value)
	default:
		return "is not valid: " + strings.TrimPrefix(err.Error(), "json: ")
	}
}

// checkKey checks a field or document key and records it in seen.
func checkKey(key, noun string, seen map[string]int, i int) string {
	if key == "" {
		return "key is required"
	}
	if len(key) > 40 || !keyPattern.MatchString(key) {
		return "key must start with a lowercase letter and contain only a-z, 0-9 and _ (at most 40 characters)"
	}
	if j, ok := seen[key]; ok {
		return fmt.Sprintf("key is already used by %s %d", noun, j+1)
	}
	seen[key] = i
	return ""
}

// checkField checks everything of a field but its key.
func checkField(f *Field) string {
	switch {
	case f.Kind == "":
		return "kind is required (one of " + strings.Join(kinds, ", ") + ")"
	case !slices.Contains(kinds, f.Kind):
		return fmt.Sprintf("unknown kind %q (use one of %s)", clip(f.Kind, 40), strings.Join(kinds, ", "))
	case strings.TrimSpace(f.Label.EN) == "":
		return "label.en is required"
	}
	if f.Kind != KindChoice && f.Kind != KindMultiChoice {
		if len(f.Options) > 0 {
			return "options are only allowed for choice and multi_choice"
		}
		return checkBounds(f)
	}
	if len(f.Options) == 0 {
		return f.Kind + " needs at least one option"
	}
	seen := make(map[string]int, len(f.Options))
	for j, o := range f.Options {
		name := fmt.Sprintf("option %d", j+1)
		if o.Value != "" {
			name += " " + strconv.Quote(clip(o.Value, 40))
		}
		switch {
		case strings.TrimSpace(o.Value) == "":
			return name + ": value is required"
		case o.Value != strings.TrimSpace(o.Value):
			return name + ": value must not start or end with spaces"
		case strings.TrimSpace(o.Label.EN) == "":
			return name + ": label.en is required"
		}
		if k, ok := seen[o.Value]; ok {
			return fmt.Sprintf("%s: value is already used by option %d", name, k+1)
		}
		seen[o.Value] = j
	}
	return checkBounds(f)
}

// checkBounds checks the min and max of a field.
func checkBounds(f *Field) string {
	if f.Min == nil && f.Max == nil {
		return ""
	}
	whole := true
	switch f.Kind {
	case KindNumber:
		whole = false
	case KindText, KindLongText, KindAddress, KindMultiChoice:
	default:
		name := "min"
		if f.Min == nil {
			name = "max"
		}
		return fmt.Sprintf("%s is not allowed for kind %s (only for number, text, long_text, address and multi_choice)", name, f.Kind)
	}
	for _, b := range []struct {
		name string
		v    *float64
	}{{"min", f.Min}, {"max", f.Max}} {
		switch {
		case b.v == nil:
		case math.IsNaN(*b.v) || math.IsInf(*b.v, 0):
			return b.name + " must be a finite number"
		case whole && (*b.v < 0 || *b.v > maxWhole || *b.v != math.Trunc(*b.v)):
			return fmt.Sprintf("%s (%s) must be a whole number from 0 to %d", b.name, formatNumber(*b.v), maxWhole)
		}
	}
	if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
		return fmt.Sprintf("min (%s) is greater than max (%s)", formatNumber(*f.Min), formatNumber(*f.Max))
	}
	switch f.Kind {
	case KindText, KindLongText, KindAddress:
		if lo, hi := lengthBounds(*f); lo > hi && f.Max == nil {
			return fmt.Sprintf("min (%d) is greater than the default max length (%d)", lo, hi)
		} else if lo > hi {
			return fmt.Sprintf("max (%d) is less than the default min length (%d)", hi, lo)
		}
	case KindMultiChoice:
		if lo := whole0(f.Min, 0); lo > len(f.Options) {
			return fmt.Sprintf("min (%d) is greater than the number of options (%d)", lo, len(f.Options))
		}
	}
	return ""
}

// checkDocument checks everything of a document but its key.
func checkDocument(d *Document) string {
	if strings.TrimSpace(d.Label.EN) == "" {
		return "label.en is required"
	}
	for j, a := range d.Accept {
		if a != "pdf" && a != "image" {
			return fmt.Sprintf("accept value %q is not \"pdf\" or \"image\"", clip(a, 40))
		}
		if slices.Contains(d.Accept[:j], a) {
			return fmt.Sprintf("accept lists %q twice", a)
		}
	}
	return ""
}

// definitionError builds the error for item i, naming it by position
// (counted from 1 for the administrator) and key.
func definitionError(noun string, i int, key, msg string) *DefinitionError {
	key = clip(key, 60)
	name := fmt.Sprintf("%s %d", noun, i+1)
	if key != "" {
		name += " " + strconv.Quote(key)
	}
	return &DefinitionError{Index: i, Key: key, Message: name + ": " + msg}
}

// lengthBounds returns the smallest and largest number of characters of a
// text, long_text or address answer.
func lengthBounds(f Field) (lo, hi int) {
	switch f.Kind {
	case KindLongText:
		hi = 5000
	case KindAddress:
		lo, hi = 5, 300
	default:
		hi = 500
	}
	return whole0(f.Min, lo), whole0(f.Max, hi)
}

// whole0 returns *p as an int when it is a usable length or count bound,
// otherwise def.
func whole0(p *float64, def int) int {
	if p == nil || !(*p >= 0 && *p <= maxWhole) {
		return def
	}
	return int(*p)
}

// formatNumber formats v without trailing zeros: 8, 2.5, 5000000.
func formatNumber(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// clip shortens s to at most n runes.
func clip(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}
