package i18n

import (
	"strings"
	"testing"
)

func TestMergeRefusesADuplicateKey(t *testing.T) {
	a := map[string]text{"shared.key": {"One", "Uno"}, "only.a": {"A", "A"}}
	b := map[string]text{"only.b": {"B", "B"}, "shared.key": {"Two", "Dos"}}
	m, err := merge([]part{{"firstMap", a}, {"secondMap", b}})
	if err == nil {
		t.Fatalf("a key in two maps was accepted: %v", m)
	}
	for _, want := range []string{`"shared.key"`, "firstMap", "secondMap"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error %q does not name %s", err, want)
		}
	}
	if m != nil {
		t.Errorf("a catalogue was returned with the error: %v", m)
	}

	defer func() {
		if recover() == nil {
			t.Error("mustMerge did not panic on a duplicate key")
		}
	}()
	mustMerge([]part{{"firstMap", a}, {"secondMap", b}})
}

func TestMergeKeepsEveryText(t *testing.T) {
	a := map[string]text{"a": {"A", "Á"}}
	b := map[string]text{"b": {"B", "Bé"}}
	m, err := merge([]part{{"a", a}, {"b", b}})
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 2 || m["a"] != a["a"] || m["b"] != b["b"] {
		t.Errorf("merged: %v", m)
	}
}

func TestCatalogueBuilds(t *testing.T) {
	parts := catalogue()
	m, err := merge(parts)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, p := range parts {
		if len(p.texts) == 0 {
			t.Errorf("%s is empty", p.name)
		}
		total += len(p.texts)
		for k, v := range p.texts {
			if messages[k] != v {
				t.Errorf("%s from %s is not in the catalogue as written", k, p.name)
			}
		}
	}
	if len(m) != total || len(messages) != total {
		t.Errorf("catalogue has %d messages (built now: %d), the maps hold %d", len(messages), len(m), total)
	}
	for _, key := range []string{"not_found", "refused.past", "report.description_required", "document.too_large", "permit.staff_submit", "mail.greeting", "mail.complaint.close.body", "password.weak"} {
		if !Has(key) {
			t.Errorf("%s is missing", key)
		}
	}
}
