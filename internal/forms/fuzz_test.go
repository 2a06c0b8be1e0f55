package forms

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// fuzzDefinitions seeds the fuzzers with good and broken definitions.
var fuzzDefinitions = []string{
	fenceFields,
	``, `null`, `[]`, `{}`, `[null]`, `[1, "a", []]`, `[{}]`,
	`[{"key": "a", "kind": "text", "label": {"en": "A"}, "min": 3, "max": 2}]`,
	`[{"key": "a", "kind": "address", "label": {"en": "A"}, "min": 0, "max": 1000000}]`,
	`[{"key": "a", "kind": "multi_choice", "label": {"en": "A"}, "min": 1, "max": 1,
	  "options": [{"value": "x", "label": {"en": "X"}}, {"value": "y", "label": {"en": "Y"}}]}]`,
	`[{"key": "n", "kind": "number", "label": {"en": "N"}, "min": -1e308, "max": 1e308}]`,
	`[{"key": "a", "label": {"en": "A"}, "accept": ["pdf", "image"], "optional": true}]`,
	`[{"key": "a", "kind": "choice", "label": {"en": "A"}, "options": [{"value": "x", "label": "X"}]}]`,
}

// fuzzAnswers seeds FuzzValidate with good and bad answers.
var fuzzAnswers = []string{
	`{}`, `null`, `[]`, `"x"`, `12`,
	`{"height_feet": 6, "length_feet": "1,200", "material": "wood", "corner_lot": "sí",
	  "contractor_email": "a@b.example", "contractor_phone": "+1 (555) 010-2000", "start_date": "2026-05-31",
	  "description": "A new cedar fence.", "features": ["gate", "lattice_top"], "site_address": "12 Oak St"}`,
	`{"height_feet": 9, "material": "steel", "features": ["gate", "gate"], "start_date": "2026-02-30",
	  "contractor_email": "Ana <a@b.example>", "owner_name": {"x": [[[]]]}, "unknown": 1}`,
	`{"height_feet": "NaN", "length_feet": "1e999", "corner_lot": 1, "features": "gate", "site_address": ["12"]}`,
	`{"n": " -0 ", "a": ["x"], "A": "x"}`,
}

// FuzzParseFields checks that no input panics and that accepted definitions
// survive a JSON round trip.
func FuzzParseFields(f *testing.F) {
	for _, d := range fuzzDefinitions {
		f.Add([]byte(d))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		fields, err := ParseFields(raw)
		if err != nil {
			var de *DefinitionError
			if !errors.As(err, &de) || de.Message == "" || fields != nil || de.Index < -1 || de.Index >= maxFields {
				t.Fatalf("bad error %#v with fields %v", err, fields)
			}
		} else {
			// Accepted definitions survive a round trip through JSON unchanged.
			out, err := json.Marshal(fields)
			if err != nil {
				t.Fatalf("marshal: %v", err)
			}
			again, err := ParseFields(out)
			if err != nil {
				t.Fatalf("re-parse of %s: %v", out, err)
			}
			if out2, _ := json.Marshal(again); !bytes.Equal(out, out2) {
				t.Fatalf("round trip changed\n%s\n%s", out, out2)
			}
		}
		if _, err := ParseDocuments(raw); err != nil {
			if _, ok := err.(*DefinitionError); !ok {
				t.Fatalf("ParseDocuments error %T", err)
			}
		}
	})
}

// FuzzValidate checks that no definition or answers panic, that clean answers
// only hold field keys not in error, and that cleaning is idempotent.
func FuzzValidate(f *testing.F) {
	for i, d := range fuzzDefinitions {
		for j, a := range fuzzAnswers {
			f.Add([]byte(d), []byte(a), byte(i+j))
		}
	}
	f.Fuzz(func(t *testing.T, defs, raw []byte, mode byte) {
		fields, err := ParseFields(defs)
		parsed := err == nil
		if !parsed {
			_ = json.Unmarshal(defs, &fields) // unchecked definitions must not panic either
		}
		var v any
		_ = json.Unmarshal(raw, &v)
		answers, ok := v.(map[string]any)
		if !ok { // put the odd value under every key
			answers = map[string]any{"": v}
			for _, fd := range fields {
				answers[fd.Key] = v
			}
		}
		lang := "en"
		if mode&4 != 0 {
			lang = "es"
		}
		m := Mode(mode % 3)

		clean, errs := Validate(fields, answers, lang, m)
		keys := map[string]bool{}
		for _, fd := range fields {
			keys[fd.Key] = true
		}
		for k, cv := range clean {
			if !keys[k] {
				t.Fatalf("clean has key %q that is not a field", k)
			}
			if _, both := errs[k]; both {
				t.Fatalf("key %q is both clean and in error", k)
			}
			switch cv.(type) {
			case string, float64, bool, []string:
			default:
				t.Fatalf("clean[%q] is a %T", k, cv)
			}
		}
		for k, msg := range errs {
			if msg == "" {
				t.Fatalf("empty message for %q", k)
			}
		}
		if len(errs) > len(fields)+maxUnknown+1 {
			t.Fatalf("%d errors for %d fields", len(errs), len(fields))
		}
		if _, err := json.Marshal(clean); err != nil {
			t.Fatalf("clean does not marshal: %v", err)
		}
		if parsed {
			// Clean answers are valid answers, and cleaning them again changes nothing.
			again, errs2 := Validate(fields, clean, lang, Draft)
			if errs2 != nil || !reflect.DeepEqual(again, clean) {
				t.Fatalf("re-validating %#v gave %#v, %v", clean, again, errs2)
			}
		}
	})
}
