package forms

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// decodeAnswers decodes answers JSON the way a request body is decoded.
func decodeAnswers(t testing.TB, raw string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatalf("bad test answers %s: %v", raw, err)
	}
	return m
}

func TestValidate(t *testing.T) {
	fields := mustFields(t, fenceFields)
	long := strings.Repeat("á", 2001)
	type E = Errors
	type M = map[string]any
	for _, c := range []struct {
		name    string
		answers string
		lang    string
		mode    Mode
		clean   M // nil: expect an empty map
		errs    E // nil: expect no errors
	}{
		// number
		{"number", `{"height_feet": 6}`, "en", Draft, M{"height_feet": 6.0}, nil},
		{"number string", `{"height_feet": " 6.5 "}`, "en", Draft, M{"height_feet": 6.5}, nil},
		{"number thousands", `{"length_feet": "1,200"}`, "en", Draft, M{"length_feet": 1200.0}, nil},
		{"number bounds inclusive", `{"height_feet": 8, "length_feet": 1}`, "en", Draft, M{"height_feet": 8.0, "length_feet": 1.0}, nil},
		{"number above max", `{"height_feet": 9}`, "en", Draft, nil, E{"height_feet": "Fence height must be between 1 and 8 feet"}},
		{"number below min", `{"height_feet": "0.5"}`, "en", Draft, nil, E{"height_feet": "Fence height must be between 1 and 8 feet"}},
		{"number above max es", `{"height_feet": 9}`, "es", Draft, nil, E{"height_feet": "Altura de la cerca debe estar entre 1 y 8 pies"}},
		{"number only min", `{"length_feet": 0}`, "en", Draft, nil, E{"length_feet": "Total length must be at least 1 feet"}},
		{"number only min es", `{"length_feet": -3}`, "es", Draft, nil, E{"length_feet": "Longitud total debe ser al menos 1 pies"}},
		{"number not a number", `{"height_feet": "six"}`, "en", Draft, nil, E{"height_feet": "Fence height must be a number."}},
		{"number not a number es", `{"height_feet": true}`, "es", Draft, nil, E{"height_feet": "Altura de la cerca debe ser un número."}},
		{"number bad grouping", `{"length_feet": "2,5"}`, "en", Draft, nil, E{"length_feet": "Total length must be a number."}},
		{"number NaN string", `{"length_feet": "NaN"}`, "en", Draft, nil, E{"length_feet": "Total length must be a number."}},
		{"number huge string", `{"length_feet": "1` + strings.Repeat("0", 400) + `"}`, "en", Draft, nil, E{"length_feet": "Total length must be a number."}},
		// choice
		{"choice", `{"material": " vinyl "}`, "en", Draft, M{"material": "vinyl"}, nil},
		{"choice unknown", `{"material": "steel"}`, "en", Draft, nil, E{"material": `Choose one of the options for "Material".`}},
		{"choice label is not the value", `{"material": "Wood"}`, "es", Draft, nil, E{"material": `Elija una de las opciones para "Material".`}},
		{"choice list", `{"material": ["wood"]}`, "en", Draft, nil, E{"material": `Choose one of the options for "Material".`}},
		// multi_choice
		{"multi", `{"features": ["privacy_slats", "gate"]}`, "en", Draft, M{"features": []string{"gate", "privacy_slats"}}, nil},
		{"multi empty is missing", `{"features": []}`, "en", Submit, nil,
			E{"height_feet": `Please answer "Fence height".`, "length_feet": `Please answer "Total length".`,
				"material": `Please answer "Material".`, "start_date": `Please answer "Start date".`,
				"site_address": `Please answer "Site address".`}},
		{"multi unknown", `{"features": ["gate", "moat"]}`, "en", Draft, nil, E{"features": `Choose only from the options for "Features".`}},
		{"multi not strings", `{"features": ["gate", 1]}`, "en", Draft, nil, E{"features": `Choose only from the options for "Features".`}},
		{"multi a string", `{"features": "gate"}`, "es", Draft, nil, E{"features": `Elija solo entre las opciones para "Características".`}},
		{"multi twice", `{"features": ["gate", "gate"]}`, "es", Draft, nil, E{"features": `Elija cada opción de "Características" una sola vez.`}},
		{"multi too many", `{"features": ["gate", "lattice_top", "privacy_slats"]}`, "en", Draft, nil,
			E{"features": `Choose at most 2 options for "Features".`}},
		{"multi too many es", `{"features": ["gate", "lattice_top", "privacy_slats"]}`, "es", Draft, nil,
			E{"features": `Elija como máximo 2 opciones para "Características".`}},
		// yes_no
		{"yes_no bool", `{"corner_lot": false}`, "en", Draft, M{"corner_lot": false}, nil},
		{"yes_no yes", `{"corner_lot": " YES "}`, "en", Draft, M{"corner_lot": true}, nil},
		{"yes_no sí", `{"corner_lot": "Sí"}`, "es", Draft, M{"corner_lot": true}, nil},
		{"yes_no si", `{"corner_lot": "si"}`, "es", Draft, M{"corner_lot": true}, nil},
		{"yes_no false string", `{"corner_lot": "False"}`, "en", Draft, M{"corner_lot": false}, nil},
		{"yes_no no", `{"corner_lot": "no"}`, "en", Draft, M{"corner_lot": false}, nil},
		{"yes_no bad", `{"corner_lot": "maybe"}`, "en", Draft, nil, E{"corner_lot": `Answer yes or no for "Is it a corner lot?".`}},
		{"yes_no number", `{"corner_lot": 1}`, "es", Draft, nil, E{"corner_lot": `Responda sí o no a "¿Es un terreno en esquina?".`}},
		// email
		{"email", `{"contractor_email": " ana@example.com "}`, "en", Draft, M{"contractor_email": "ana@example.com"}, nil},
		{"email display name", `{"contractor_email": "Ana <ana@example.com>"}`, "en", Draft, nil,
			E{"contractor_email": `"Contractor's email" must be an email address like name@example.com.`}},
		{"email no at", `{"contractor_email": "ana.example.com"}`, "es", Draft, nil,
			E{"contractor_email": `"Correo del contratista" debe ser un correo electrónico como nombre@ejemplo.com.`}},
		{"email no dot in domain", `{"contractor_email": "ana@example"}`, "en", Draft, nil,
			E{"contractor_email": `"Contractor's email" must be an email address like name@example.com.`}},
		{"email too long", `{"contractor_email": "` + strings.Repeat("a", 64) + "@" + strings.Repeat("b", 190) + `.com"}`, "en", Draft, nil,
			E{"contractor_email": `"Contractor's email" must be an email address like name@example.com.`}},
		// phone
		{"phone", `{"contractor_phone": "(555) 010-2000"}`, "en", Draft, M{"contractor_phone": "(555) 010-2000"}, nil},
		{"phone international", `{"contractor_phone": " +52 55.1234.5678 "}`, "en", Draft, M{"contractor_phone": "+52 55.1234.5678"}, nil},
		{"phone too short", `{"contractor_phone": "555-010"}`, "en", Draft, nil,
			E{"contractor_phone": `"Contractor's phone" must be a phone number with 7 to 15 digits, like (555) 010-2000.`}},
		{"phone letters", `{"contractor_phone": "555-CALL-NOW"}`, "es", Draft, nil,
			E{"contractor_phone": `"Teléfono del contratista" debe ser un número de teléfono de 7 a 15 dígitos, como (555) 010-2000.`}},
		{"phone plus inside", `{"contractor_phone": "555+0102000"}`, "en", Draft, nil,
			E{"contractor_phone": `"Contractor's phone" must be a phone number with 7 to 15 digits, like (555) 010-2000.`}},
		{"phone number type", `{"contractor_phone": 5550102000}`, "en", Draft, nil,
			E{"contractor_phone": `"Contractor's phone" must be a phone number with 7 to 15 digits, like (555) 010-2000.`}},
		// date
		{"date", `{"start_date": " 2026-05-31 "}`, "en", Draft, M{"start_date": "2026-05-31"}, nil},
		{"date leap day", `{"start_date": "2028-02-29"}`, "en", Draft, M{"start_date": "2028-02-29"}, nil},
		{"date not real", `{"start_date": "2026-02-30"}`, "en", Draft, nil, E{"start_date": `"Start date" must be a date like 2026-05-31.`}},
		{"date format", `{"start_date": "05/31/2026"}`, "es", Draft, nil, E{"start_date": `"Fecha de inicio" debe ser una fecha como 2026-05-31.`}},
		{"date with time", `{"start_date": "2026-05-31T10:00:00Z"}`, "en", Draft, nil, E{"start_date": `"Start date" must be a date like 2026-05-31.`}},
		{"date year", `{"start_date": "1899-12-31"}`, "en", Draft, nil,
			E{"start_date": `"Start date" must be a date between the years 1900 and 2200.`}},
		{"date year es", `{"start_date": "2201-01-01"}`, "es", Draft, nil,
			E{"start_date": `"Fecha de inicio" debe ser una fecha entre los años 1900 y 2200.`}},
		// text kinds
		{"long_text", `{"description": "  Six-foot cedar fence along the back line.\n"}`, "en", Draft,
			M{"description": "Six-foot cedar fence along the back line."}, nil},
		{"long_text too short", `{"description": "fence"}`, "en", Draft, nil,
			E{"description": `"Describe the work" must be at least 10 characters.`}},
		{"long_text too short es", `{"description": "cerca"}`, "es", Draft, nil,
			E{"description": `"Describa la obra" debe tener al menos 10 caracteres.`}},
		{"long_text too long counts runes", `{"description": "` + long + `"}`, "en", Draft, nil,
			E{"description": `"Describe the work" must be at most 2000 characters.`}},
		{"long_text too long es", `{"description": "` + long + `"}`, "es", Draft, nil,
			E{"description": `"Describa la obra" debe tener como máximo 2000 caracteres.`}},
		{"long_text at max", `{"description": "` + long[2:] + `"}`, "en", Draft, M{"description": long[2:]}, nil},
		{"text default max", `{"owner_name": "` + strings.Repeat("x", 501) + `"}`, "en", Draft, nil,
			E{"owner_name": `"Owner's name" must be at most 500 characters.`}},
		{"text number", `{"owner_name": 42}`, "en", Draft, nil, E{"owner_name": `"Owner's name" must be text.`}},
		{"text object es (label falls back to English)", `{"owner_name": {"first": "Ana"}}`, "es", Draft, nil,
			E{"owner_name": `"Owner's name" debe ser texto.`}},
		{"address", `{"site_address": "12 Oak St"}`, "en", Draft, M{"site_address": "12 Oak St"}, nil},
		{"address default min", `{"site_address": " 12 "}`, "en", Draft, nil,
			E{"site_address": `"Site address" must be at least 5 characters.`}},
		{"address default max", `{"site_address": "` + strings.Repeat("x", 301) + `"}`, "es", Draft, nil,
			E{"site_address": `"Dirección de la obra" debe tener como máximo 300 caracteres.`}},
		// required, draft and submit
		{"draft may omit required", `{}`, "en", Draft, nil, nil},
		{"submit needs required", `{"height_feet": 4, "length_feet": 40, "material": "wood", "start_date": "2026-06-01",
			"site_address": "   ", "owner_name": null}`, "en", Submit,
			M{"height_feet": 4.0, "length_feet": 40.0, "material": "wood", "start_date": "2026-06-01"},
			E{"site_address": `Please answer "Site address".`}},
		{"submit needs required es", `{"height_feet": 4, "length_feet": 40, "material": "wood", "start_date": "2026-06-01"}`,
			"es", Submit, M{"height_feet": 4.0, "length_feet": 40.0, "material": "wood", "start_date": "2026-06-01"},
			E{"site_address": `Por favor responda "Dirección de la obra".`}},
		{"unknown mode is strict", `{"height_feet": 4, "length_feet": 40, "material": "wood", "start_date": "2026-06-01"}`,
			"en", Mode(7), M{"height_feet": 4.0, "length_feet": 40.0, "material": "wood", "start_date": "2026-06-01"},
			E{"site_address": `Please answer "Site address".`}},
		{"complete application", `{"height_feet": "6", "length_feet": "1,250.5", "material": "wood", "corner_lot": "no",
			"contractor_email": "build@fences.example", "contractor_phone": "555 010 2000", "start_date": "2026-06-01",
			"description": "Replace the old chain link fence.", "features": ["gate"], "site_address": "12 Oak St, Pine",
			"owner_name": " Ana Ruiz "}`, "en", Submit,
			M{"height_feet": 6.0, "length_feet": 1250.5, "material": "wood", "corner_lot": false,
				"contractor_email": "build@fences.example", "contractor_phone": "555 010 2000", "start_date": "2026-06-01",
				"description": "Replace the old chain link fence.", "features": []string{"gate"},
				"site_address": "12 Oak St, Pine", "owner_name": "Ana Ruiz"}, nil},
		// unknown keys
		{"unknown key", `{"height_feet": 6, "colour": "red"}`, "en", Draft, M{"height_feet": 6.0},
			E{"colour": `This form has no question "colour".`}},
		{"unknown key es", `{"Height_feet": 6}`, "es", Draft, nil,
			E{"Height_feet": `Este formulario no tiene la pregunta "Height_feet".`}},
		{"unknown long key", `{"` + strings.Repeat("k", 61) + `": 1}`, "en", Draft, nil,
			E{"_form": `Some answers are for questions this form does not have.`}},
		{"unknown control key", `{"a\u0000b": 1}`, "es", Draft, nil,
			E{"_form": `Algunas respuestas corresponden a preguntas que este formulario no tiene.`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			clean, errs := Validate(fields, decodeAnswers(t, c.answers), c.lang, c.mode)
			if c.mode == Draft {
				// every listed problem is reported on submission …
				_, onSubmit := Validate(fields, decodeAnswers(t, c.answers), c.lang, Submit)
				for k, msg := range c.errs {
					if onSubmit[k] != msg {
						t.Errorf("on submission %s: %q, want %q", k, onSubmit[k], msg)
					}
				}
				// … but a draft keeps an answer of the right type that is out
				// of range, too long or short, or not yet a valid address
				for k := range c.errs {
					if _, refused := errs[k]; !refused {
						if _, kept := clean[k]; !kept {
							t.Errorf("the draft neither refused nor kept %s", k)
						}
						delete(c.errs, k)
						delete(clean, k) // kept for the draft: checked above
					}
				}
				if len(c.errs) == 0 {
					c.errs = nil
				}
			}
			if c.clean == nil {
				c.clean = M{}
			}
			if !reflect.DeepEqual(clean, c.clean) {
				t.Errorf("clean = %#v\nwant    %#v", clean, c.clean)
			}
			if len(errs) != 0 || len(c.errs) != 0 {
				if !reflect.DeepEqual(errs, c.errs) {
					t.Errorf("errors = %#v\nwant     %#v", errs, c.errs)
				}
			} else if errs != nil {
				t.Errorf("errors = %#v, want nil", errs)
			}
		})
	}
}

func TestValidateBoundsWithoutUnit(t *testing.T) {
	fields := mustFields(t, `[
		{"key": "stories", "kind": "number", "max": 2.5, "label": {"en": "Stories", "es": "Pisos"}},
		{"key": "extras", "kind": "multi_choice", "min": 1, "max": 1, "label": {"en": "Extras", "es": "Extras"},
		 "options": [{"value": "a", "label": {"en": "A"}}, {"value": "b", "label": {"en": "B"}}]},
		{"key": "pets", "kind": "multi_choice", "min": 2, "label": {"en": "Pets", "es": "Mascotas"},
		 "options": [{"value": "cat", "label": {"en": "Cat"}}, {"value": "dog", "label": {"en": "Dog"}}]},
		{"key": "rooms", "kind": "multi_choice", "min": 1, "max": 2, "label": {"en": "Rooms"},
		 "options": [{"value": "a", "label": {"en": "A"}}, {"value": "b", "label": {"en": "B"}}, {"value": "c", "label": {"en": "C"}}]},
		{"key": "code", "kind": "text", "min": 1, "max": 1, "label": {"en": "Code", "es": "Código"}}]`)
	answers := map[string]any{"stories": 3, "extras": []string{"a", "b"}, "pets": []any{"dog"},
		"rooms": []any{"a", "b", "c"}, "code": "ab"}
	want := map[string]Errors{
		"en": {"stories": "Stories must be at most 2.5", "extras": `Choose exactly 1 option for "Extras".`,
			"pets": `Choose at least 2 options for "Pets".`, "rooms": `Choose between 1 and 2 options for "Rooms".`,
			"code": `"Code" must be at most 1 character.`},
		"es": {"stories": "Pisos debe ser como máximo 2.5", "extras": `Elija exactamente 1 opción para "Extras".`,
			"pets": `Elija al menos 2 opciones para "Mascotas".`, "rooms": `Elija entre 1 y 2 opciones para "Rooms".`,
			"code": `"Código" debe tener como máximo 1 carácter.`},
	}
	for lang, w := range want {
		clean, errs := Validate(fields, answers, lang, Submit)
		if len(clean) != 0 || !reflect.DeepEqual(errs, w) {
			t.Errorf("%s: clean %v errors %#v\nwant errors %#v", lang, clean, errs, w)
		}
	}
}

func TestValidateUnknownKeysBounded(t *testing.T) {
	answers := map[string]any{}
	for i := range 1000 {
		answers[fmt.Sprintf("extra_%04d", i)] = i
	}
	clean, errs := Validate(mustFields(t, fenceFields), answers, "en", Draft)
	if len(clean) != 0 || len(errs) != maxUnknown+1 {
		t.Fatalf("got %d clean, %d errors, want 0 and %d", len(clean), len(errs), maxUnknown+1)
	}
	if errs["extra_0000"] != `This form has no question "extra_0000".` || errs["_form"] == "" || errs["extra_0010"] != "" {
		t.Errorf("errors = %v", errs)
	}
}

func TestValidateWrongTypesAndOddDefinitions(t *testing.T) {
	nan := 0.0
	nan /= nan
	// Definitions built in Go skip ParseFields: Validate must cope with anything.
	fields := []Field{
		{Key: "a", Kind: "mystery"}, {Key: "a", Kind: KindNumber, Min: &nan},
		{Key: "b", Kind: KindMultiChoice}, {Key: "_form", Kind: KindYesNo, Required: true},
	}
	answers := map[string]any{"a": map[string]any{"x": []any{[]any{}}}, "b": []any{nil, map[string]any{}}, "c": nil}
	clean, errs := Validate(fields, answers, "es", Submit)
	for k := range clean {
		if _, ok := errs[k]; ok {
			t.Errorf("%q both clean and in error", k)
		}
	}
	if errs["a"] != `a debe ser un número.` || errs["b"] != `Elija solo entre las opciones para "b".` || errs["c"] == "" {
		t.Errorf("errors = %#v", errs)
	}
	if clean, errs := Validate(nil, nil, "en", Submit); len(clean) != 0 || errs != nil {
		t.Errorf("Validate(nil, nil) = %v, %v", clean, errs)
	}
}

// TestDraftsKeepWhatWasTyped: a draft saves out-of-range, too long or not
// yet valid answers of the right type, and refuses only wrong types.
func TestDraftsKeepWhatWasTyped(t *testing.T) {
	answers := map[string]any{"height_feet": 20.0, "contractor_email": "build@", "site_address": "12", "material": "wood"}
	clean, errs := Validate(mustFields(t, fenceFields), answers, "en", Draft)
	if errs != nil {
		t.Fatalf("the draft was refused: %v", errs)
	}
	for k, v := range map[string]any{"height_feet": 20.0, "contractor_email": "build@", "site_address": "12"} {
		if !reflect.DeepEqual(clean[k], v) {
			t.Errorf("%s kept as %#v, want %#v", k, clean[k], v)
		}
	}
	_, errs = Validate(mustFields(t, fenceFields), answers, "en", Submit)
	for _, k := range []string{"height_feet", "contractor_email", "site_address"} {
		if errs[k] == "" {
			t.Errorf("submitting does not refuse %s: %v", k, errs)
		}
	}
	if _, errs := Validate(mustFields(t, fenceFields), map[string]any{"height_feet": "six"}, "en", Draft); errs["height_feet"] == "" {
		t.Error("a draft kept a number field that is no number")
	}
}
