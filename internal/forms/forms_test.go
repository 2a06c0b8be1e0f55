package forms

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// fenceFields is a realistic fence permit form.
const fenceFields = `[
 {"key": "height_feet", "kind": "number", "required": true, "min": 1, "max": 8,
  "label": {"en": "Fence height", "es": "Altura de la cerca"}, "unit": {"en": "feet", "es": "pies"},
  "help": {"en": "Measured from the ground", "es": "Medida desde el suelo"}},
 {"key": "length_feet", "kind": "number", "required": true, "min": 1,
  "label": {"en": "Total length", "es": "Longitud total"}, "unit": {"en": "feet", "es": "pies"}},
 {"key": "material", "kind": "choice", "required": true, "label": {"en": "Material", "es": "Material"},
  "options": [{"value": "wood", "label": {"en": "Wood", "es": "Madera"}},
              {"value": "vinyl", "label": {"en": "Vinyl", "es": "Vinilo"}},
              {"value": "chain_link", "label": {"en": "Chain link", "es": "Malla metálica"}}]},
 {"key": "corner_lot", "kind": "yes_no", "label": {"en": "Is it a corner lot?", "es": "¿Es un terreno en esquina?"}},
 {"key": "contractor_email", "kind": "email", "label": {"en": "Contractor's email", "es": "Correo del contratista"}},
 {"key": "contractor_phone", "kind": "phone", "label": {"en": "Contractor's phone", "es": "Teléfono del contratista"}},
 {"key": "start_date", "kind": "date", "required": true, "label": {"en": "Start date", "es": "Fecha de inicio"}},
 {"key": "description", "kind": "long_text", "min": 10, "max": 2000,
  "label": {"en": "Describe the work", "es": "Describa la obra"}},
 {"key": "features", "kind": "multi_choice", "max": 2, "label": {"en": "Features", "es": "Características"},
  "options": [{"value": "gate", "label": {"en": "Gate", "es": "Portón"}},
              {"value": "lattice_top", "label": {"en": "Lattice top", "es": "Celosía superior"}},
              {"value": "privacy_slats", "label": {"en": "Privacy slats", "es": "Listones de privacidad"}}]},
 {"key": "site_address", "kind": "address", "required": true, "label": {"en": "Site address", "es": "Dirección de la obra"}},
 {"key": "owner_name", "kind": "text", "label": {"en": "Owner's name"}, "unknown_property": 1}
]`

// mustFields parses raw field definitions, failing the test on error.
func mustFields(t testing.TB, raw string) []Field {
	t.Helper()
	fields, err := ParseFields([]byte(raw))
	if err != nil {
		t.Fatalf("ParseFields: %v", err)
	}
	return fields
}

func TestTextIn(t *testing.T) {
	both, enOnly := Text{EN: "Fence", ES: "Cerca"}, Text{EN: "Fence", ES: " "}
	for _, c := range []struct {
		t    Text
		lang string
		want string
	}{
		{both, "en", "Fence"}, {both, "es", "Cerca"}, {both, "fr", "Fence"}, {both, "", "Fence"},
		{enOnly, "es", "Fence"},
	} {
		if got := c.t.In(c.lang); got != c.want {
			t.Errorf("%+v.In(%q) = %q, want %q", c.t, c.lang, got, c.want)
		}
	}
}

func TestParseFieldsFence(t *testing.T) {
	fields := mustFields(t, fenceFields)
	if len(fields) != 11 {
		t.Fatalf("got %d fields, want 11", len(fields))
	}
	h := fields[0]
	if h.Key != "height_feet" || h.Kind != KindNumber || !h.Required || *h.Min != 1 || *h.Max != 8 ||
		h.Unit.In("es") != "pies" || h.Label.In("es") != "Altura de la cerca" {
		t.Errorf("height field decoded as %+v", h)
	}
	if m := fields[2]; len(m.Options) != 3 || m.Options[2].Label.ES != "Malla metálica" {
		t.Errorf("material options decoded as %+v", m.Options)
	}
}

func TestParseFieldsEmpty(t *testing.T) {
	for _, raw := range []string{"", "  ", "null", "[]", " [ ] \n"} {
		fields, err := ParseFields([]byte(raw))
		if err != nil || fields == nil || len(fields) != 0 {
			t.Errorf("ParseFields(%q) = %v, %v; want an empty list", raw, fields, err)
		}
	}
}

func TestParseFieldsBroken(t *testing.T) {
	text := func(key string) string {
		return fmt.Sprintf(`{"key": %q, "kind": "text", "label": {"en": "Name"}}`, key)
	}
	var many []string
	for i := range 101 {
		many = append(many, text(fmt.Sprintf("f%d", i)))
	}
	for _, c := range []struct {
		name  string
		raw   string
		index int
		key   string
		want  string // exact message
	}{
		{"missing key", `[` + text("a") + `, {"kind": "text", "label": {"en": "Name"}}]`, 1, "",
			`field 2: key is required`},
		{"bad key pattern", `[{"key": "Fence Height", "kind": "number", "label": {"en": "Height"}}]`, 0, "Fence Height",
			`field 1 "Fence Height": key must start with a lowercase letter and contain only a-z, 0-9 and _ (at most 40 characters)`},
		{"key too long", `[` + text(strings.Repeat("a", 41)) + `]`, 0, strings.Repeat("a", 41),
			`field 1 "` + strings.Repeat("a", 41) + `": key must start with a lowercase letter and contain only a-z, 0-9 and _ (at most 40 characters)`},
		{"duplicate key", `[` + text("name") + `,` + text("other") + `,` + text("name") + `]`, 2, "name",
			`field 3 "name": key is already used by field 1`},
		{"unknown kind", `[{"key": "size", "kind": "integer", "label": {"en": "Size"}}]`, 0, "size",
			`field 1 "size": unknown kind "integer" (use one of text, long_text, number, date, choice, multi_choice, yes_no, email, phone, address)`},
		{"missing kind", `[{"key": "size", "label": {"en": "Size"}}]`, 0, "size",
			`field 1 "size": kind is required (one of text, long_text, number, date, choice, multi_choice, yes_no, email, phone, address)`},
		{"missing label", `[{"key": "size", "kind": "number", "label": {"es": "Tamaño"}}]`, 0, "size",
			`field 1 "size": label.en is required`},
		{"blank label", `[{"key": "size", "kind": "number", "label": {"en": "  "}}]`, 0, "size",
			`field 1 "size": label.en is required`},
		{"choice without options", `[{"key": "material", "kind": "choice", "label": {"en": "Material"}}]`, 0, "material",
			`field 1 "material": choice needs at least one option`},
		{"multi_choice without options", `[{"key": "extras", "kind": "multi_choice", "label": {"en": "Extras"}, "options": []}]`, 0, "extras",
			`field 1 "extras": multi_choice needs at least one option`},
		{"duplicate option values", `[{"key": "material", "kind": "choice", "label": {"en": "Material"}, "options": [
			{"value": "wood", "label": {"en": "Wood"}}, {"value": "wood", "label": {"en": "Timber"}}]}]`, 0, "material",
			`field 1 "material": option 2 "wood": value is already used by option 1`},
		{"empty option value", `[{"key": "material", "kind": "choice", "label": {"en": "Material"}, "options": [
			{"value": "", "label": {"en": "Wood"}}]}]`, 0, "material",
			`field 1 "material": option 1: value is required`},
		{"option value with spaces", `[{"key": "material", "kind": "choice", "label": {"en": "Material"}, "options": [
			{"value": "wood ", "label": {"en": "Wood"}}]}]`, 0, "material",
			`field 1 "material": option 1 "wood ": value must not start or end with spaces`},
		{"option without label", `[{"key": "material", "kind": "choice", "label": {"en": "Material"}, "options": [
			{"value": "wood", "label": {"es": "Madera"}}]}]`, 0, "material",
			`field 1 "material": option 1 "wood": label.en is required`},
		{"options on text", `[{"key": "name", "kind": "text", "label": {"en": "Name"}, "options": [
			{"value": "a", "label": {"en": "A"}}]}]`, 0, "name",
			`field 1 "name": options are only allowed for choice and multi_choice`},
		{"min greater than max", `[` + text("a") + `,` + text("b") + `,` + text("c") +
			`, {"key": "height", "kind": "number", "label": {"en": "Height"}, "min": 10, "max": 8}]`, 3, "height",
			`field 4 "height": min (10) is greater than max (8)`},
		{"min on yes_no", `[{"key": "corner_lot", "kind": "yes_no", "label": {"en": "Corner lot?"}, "min": 0}]`, 0, "corner_lot",
			`field 1 "corner_lot": min is not allowed for kind yes_no (only for number, text, long_text, address and multi_choice)`},
		{"max on date", `[{"key": "start", "kind": "date", "label": {"en": "Start"}, "max": 3}]`, 0, "start",
			`field 1 "start": max is not allowed for kind date (only for number, text, long_text, address and multi_choice)`},
		{"fractional length", `[{"key": "name", "kind": "text", "label": {"en": "Name"}, "max": 2.5}]`, 0, "name",
			`field 1 "name": max (2.5) must be a whole number from 0 to 1000000`},
		{"negative length", `[{"key": "name", "kind": "long_text", "label": {"en": "Name"}, "min": -1}]`, 0, "name",
			`field 1 "name": min (-1) must be a whole number from 0 to 1000000`},
		{"text min above default max", `[{"key": "name", "kind": "text", "label": {"en": "Name"}, "min": 600}]`, 0, "name",
			`field 1 "name": min (600) is greater than the default max length (500)`},
		{"address max below default min", `[{"key": "addr", "kind": "address", "label": {"en": "Address"}, "max": 3}]`, 0, "addr",
			`field 1 "addr": max (3) is less than the default min length (5)`},
		{"multi min above options", `[{"key": "extras", "kind": "multi_choice", "label": {"en": "Extras"}, "min": 2,
			"options": [{"value": "gate", "label": {"en": "Gate"}}]}]`, 0, "extras",
			`field 1 "extras": min (2) is greater than the number of options (1)`},
		{"number out of range", `[{"key": "height", "kind": "number", "label": {"en": "Height"}, "max": 1e400}]`, 0, "height",
			`field 1 "height": "max" is out of range`},
		{"wrong property type", `[{"key": "height", "kind": "number", "label": "Height"}]`, 0, "height",
			`field 1 "height": "label" must be an object, not string`},
		{"key not a string", `[{"key": 7, "kind": "number", "label": {"en": "Height"}}]`, 0, "",
			`field 1: "key" must be text, not number`},
		{"item not an object", `[` + text("a") + `, "b"]`, 1, "",
			`field 2: must be a JSON object, like {"key": ...}`},
		{"too many fields", `[` + strings.Join(many, ",") + `]`, -1, "",
			`too many fields: 101 (at most 100)`},
		{"not a list", `{"key": "height"}`, -1, "",
			`field definitions must be a JSON list of objects, like [{...}, {...}]`},
		{"not JSON", `[{"key": "height",]`, -1, "",
			`field definitions are not valid JSON: invalid character ']' looking for beginning of object key string`},
	} {
		t.Run(c.name, func(t *testing.T) {
			fields, err := ParseFields([]byte(c.raw))
			var de *DefinitionError
			if !errors.As(err, &de) {
				t.Fatalf("got %v, %v; want a *DefinitionError", fields, err)
			}
			if fields != nil {
				t.Errorf("got fields %v with the error", fields)
			}
			if de.Index != c.index || de.Key != c.key || de.Message != c.want || de.Error() != c.want {
				t.Errorf("got Index %d Key %q Message\n  %s\nwant Index %d Key %q Message\n  %s",
					de.Index, de.Key, de.Message, c.index, c.key, c.want)
			}
		})
	}
}

func TestParseDocuments(t *testing.T) {
	docs, err := ParseDocuments([]byte(`[
		{"key": "site_plan", "label": {"en": "Site plan", "es": "Plano del sitio"}, "accept": ["pdf", "image"],
		 "help": {"en": "Mark where the fence goes.", "es": "Marque dónde irá la cerca."}},
		{"key": "hoa_letter", "label": {"en": "HOA approval"}, "accept": ["pdf"], "optional": true},
		{"key": "photo", "label": {"en": "Photo of the lot"}}]`))
	if err != nil || len(docs) != 3 || !docs[1].Optional || docs[0].Help.In("es") != "Marque dónde irá la cerca." {
		t.Fatalf("ParseDocuments = %+v, %v", docs, err)
	}
	if docs, err := ParseDocuments(nil); err != nil || docs == nil || len(docs) != 0 {
		t.Errorf("ParseDocuments(nil) = %v, %v; want an empty list", docs, err)
	}

	doc := func(key string) string { return fmt.Sprintf(`{"key": %q, "label": {"en": "Plan"}}`, key) }
	var many []string
	for i := range 31 {
		many = append(many, doc(fmt.Sprintf("d%d", i)))
	}
	for _, c := range []struct {
		raw   string
		index int
		want  string
	}{
		{`[{"label": {"en": "Plan"}}]`, 0, `document 1: key is required`},
		{`[{"key": "Site-Plan", "label": {"en": "Plan"}}]`, 0,
			`document 1 "Site-Plan": key must start with a lowercase letter and contain only a-z, 0-9 and _ (at most 40 characters)`},
		{`[` + doc("plan") + `,` + doc("plan") + `]`, 1, `document 2 "plan": key is already used by document 1`},
		{`[{"key": "plan", "label": {"es": "Plano"}}]`, 0, `document 1 "plan": label.en is required`},
		{`[{"key": "plan", "label": {"en": "Plan"}, "accept": ["docx"]}]`, 0,
			`document 1 "plan": accept value "docx" is not "pdf" or "image"`},
		{`[{"key": "plan", "label": {"en": "Plan"}, "accept": ["pdf", "pdf"]}]`, 0, `document 1 "plan": accept lists "pdf" twice`},
		{`[` + strings.Join(many, ",") + `]`, -1, `too many documents: 31 (at most 30)`},
		{`"site_plan"`, -1, `document definitions must be a JSON list of objects, like [{...}, {...}]`},
	} {
		_, err := ParseDocuments([]byte(c.raw))
		var de *DefinitionError
		if !errors.As(err, &de) || de.Index != c.index || de.Message != c.want {
			t.Errorf("ParseDocuments(%.40q) = %v; want index %d: %s", c.raw, err, c.index, c.want)
		}
	}
}
