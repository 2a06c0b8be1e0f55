package demo

import (
	"encoding/json"
	"regexp"
	"testing"
)

// TestDemoCountyWritesAmerican: Pine County is a US county: tires, licenses.
func TestDemoCountyWritesAmerican(t *testing.T) {
	british := regexp.MustCompile(`(?i)\b(tyres?|licenc(e|es|ed)|colours?|centres?|metres?|organis\w*|neighbours?|kerbs?|programmes?)\b`)
	for name, rows := range map[string][]m{"departments": departments, "permit types": permitTypes, "categories": categories} {
		raw, err := json.Marshal(rows)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range british.FindAllString(string(raw), -1) {
			t.Errorf("the demo %s write %q", name, w)
		}
	}
}
