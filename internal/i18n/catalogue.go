package i18n

import (
	"errors"
	"fmt"
	"sort"
)

// messages is the catalogue of server messages, built once from the maps of
// messages.go and mail.go. A key defined in two of them stops the program
// when the package is initialised, naming the key and both maps.
var messages = mustMerge(catalogue())

// part is one map of the catalogue with the name it is reported by.
type part struct {
	name  string
	texts map[string]text
}

// catalogue lists every map the server's messages come from. A new map of
// messages is added here and nowhere else.
func catalogue() []part {
	return []part{
		{"commonMessages", commonMessages},
		{"workflowMessages", workflowMessages},
		{"reportMessages", reportMessages},
		{"documentMessages", documentMessages},
		{"reviewMessages", reviewMessages},
		{"mailMessages", mailMessages},
		{"complaintMail", complaintMail},
		{"accountMessages", accountMessages},
		{"open311Messages", open311Messages},
		{"feedbackMail", feedbackMail},
		{"outageMessages", outageMessages},
	}
}

// merge joins the parts into one catalogue. It fails, naming every key
// defined in more than one part, instead of letting one text silently win.
func merge(parts []part) (map[string]text, error) {
	n := 0
	for _, p := range parts {
		n += len(p.texts)
	}
	out := make(map[string]text, n)
	from := make(map[string]string, n)
	var dups []error
	for _, p := range parts {
		keys := make([]string, 0, len(p.texts))
		for k := range p.texts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if first, dup := from[k]; dup {
				dups = append(dups, fmt.Errorf("i18n: message %q is defined twice, in %s and in %s", k, first, p.name))
				continue
			}
			from[k] = p.name
			out[k] = p.texts[k]
		}
	}
	if len(dups) > 0 {
		return nil, errors.Join(dups...)
	}
	return out, nil
}

// mustMerge is merge for package initialisation: a duplicate is a
// programming error, so it panics.
func mustMerge(parts []part) map[string]text {
	m, err := merge(parts)
	if err != nil {
		panic(err)
	}
	return m
}
