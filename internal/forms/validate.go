package forms

import (
	"encoding/json"
	"math"
	"net/mail"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Mode says whether required answers must be present.
type Mode int

// The modes of Validate. Any other value is treated as Submit.
const (
	// Draft saves what the resident typed so far: answers must have the
	// field's type (a number, a date, one of the options), but required,
	// range, length and format checks do not stop it (Submit reports them).
	Draft  Mode = iota
	Submit      // every check applies
)

// Errors maps a field key to one plain-language message in the requested language.
// Answers that match no field are reported under their own key, or under
// "_form" when there are too many of them or the key is unfit to show.
type Errors map[string]string

const (
	maxUnknown    = 10 // unknown keys reported one by one
	maxUnknownKey = 60 // longest unknown key reported by name
	formKey       = "_form"
)

// numberPattern matches a decimal number with optional thousands commas.
var numberPattern = regexp.MustCompile(`^[+-]?(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d+)?$`)

// Validate checks answers against fields. It returns the cleaned answers
// (only known keys, normalised values: numbers as float64, yes/no as bool,
// strings trimmed, multi_choice as []string in the order of the options,
// dates as "YYYY-MM-DD"; missing/empty answers omitted) and the errors
// (nil when all is well). lang is "en" or "es" (anything else: English).
func Validate(fields []Field, answers map[string]any, lang string, mode Mode) (map[string]any, Errors) {
	clean := map[string]any{}
	errs := Errors{}
	known := make(map[string]bool, len(fields))
	for _, f := range fields {
		known[f.Key] = true
		v, ok := answers[f.Key]
		if !ok || missing(v) {
			if f.Required && mode != Draft {
				errs[f.Key] = msgRequired.in(lang, label(f, lang))
			}
			continue
		}
		cv, msg := check(f, v, lang)
		switch {
		case msg == "":
			clean[f.Key] = cv
		case mode == Draft && cv != nil:
			// of the right type but out of range or not yet complete: a
			// draft keeps it; submitting will ask for it to be fixed
			clean[f.Key] = cv
		default:
			errs[f.Key] = msg
		}
	}

	var unknown []string
	for k := range answers {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for i, k := range unknown {
		if i < maxUnknown && showable(k) {
			errs[k] = msgUnknown.in(lang, k)
		} else {
			errs[formKey] = msgUnknownMany.in(lang)
		}
	}

	for k := range errs {
		delete(clean, k) // only possible with duplicate field keys
	}
	if len(errs) == 0 {
		return clean, nil
	}
	return clean, errs
}

// missing reports whether an answer counts as not given.
func missing(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case []any:
		return len(x) == 0
	case []string:
		return len(x) == 0
	}
	return false
}

// showable reports whether an unknown key can be quoted in a message.
func showable(k string) bool {
	if k == "" || !utf8.ValidString(k) || utf8.RuneCountInString(k) > maxUnknownKey {
		return false
	}
	for _, r := range k {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// label returns the label of f in lang, or its key when it has none.
func label(f Field, lang string) string {
	if l := f.Label.In(lang); strings.TrimSpace(l) != "" {
		return l
	}
	return f.Key
}

// check validates a given answer v to f and returns its clean value or a message.
func check(f Field, v any, lang string) (any, string) {
	name := label(f, lang)
	s, isString := v.(string)
	s = strings.TrimSpace(s)
	switch f.Kind {
	case KindNumber:
		return checkNumber(f, v, name, lang)
	case KindDate:
		t, err := time.Parse(time.DateOnly, s)
		if !isString || len(s) != len(time.DateOnly) || err != nil {
			return nil, msgDate.in(lang, name)
		}
		if t.Year() < 1900 || t.Year() > 2200 {
			return t.Format(time.DateOnly), msgDateRange.in(lang, name)
		}
		return t.Format(time.DateOnly), ""
	case KindChoice:
		for _, o := range f.Options {
			if isString && s == o.Value {
				return s, ""
			}
		}
		return nil, msgChoice.in(lang, name)
	case KindMultiChoice:
		return checkMulti(f, v, name, lang)
	case KindYesNo:
		if b, ok := v.(bool); ok {
			return b, ""
		}
		if isString {
			switch strings.ToLower(s) {
			case "yes", "true", "sí", "si":
				return true, ""
			case "no", "false":
				return false, ""
			}
		}
		return nil, msgYesNo.in(lang, name)
	case KindEmail:
		if !isString {
			return nil, msgEmail.in(lang, name)
		}
		if !ValidEmail(s) {
			return s, msgEmail.in(lang, name)
		}
		return s, ""
	case KindPhone:
		if !isString {
			return nil, msgPhone.in(lang, name)
		}
		if !validPhone(s) {
			return s, msgPhone.in(lang, name)
		}
		return s, ""
	default: // text, long_text, address (and, defensively, unknown kinds)
		if !isString {
			return nil, msgText.in(lang, name)
		}
		lo, hi := lengthBounds(f)
		if n := utf8.RuneCountInString(s); n < lo {
			return s, msgMinLength.in(lang, name, lo, plural(lo, lang, characters))
		} else if n > hi {
			return s, msgMaxLength.in(lang, name, hi, plural(hi, lang, characters))
		}
		return s, ""
	}
}

// checkNumber validates the answer to a number field.
func checkNumber(f Field, v any, name, lang string) (any, string) {
	x, ok := toNumber(v)
	if !ok {
		return nil, msgNumber.in(lang, name)
	}
	lo, hasLo := finite(f.Min)
	hi, hasHi := finite(f.Max)
	if (!hasLo || x >= lo) && (!hasHi || x <= hi) {
		return x, ""
	}
	unit := ""
	if u := f.Unit.In(lang); strings.TrimSpace(u) != "" {
		unit = " " + u
	}
	switch {
	case hasLo && hasHi:
		return x, msgBetween.in(lang, name, formatNumber(lo), formatNumber(hi), unit)
	case hasLo:
		return x, msgAtLeast.in(lang, name, formatNumber(lo), unit)
	default:
		return x, msgAtMost.in(lang, name, formatNumber(hi), unit)
	}
}

// toNumber reads a finite number from a JSON number, a Go number or a
// numeric string such as " 6.5 " or "1,200".
func toNumber(v any) (float64, bool) {
	var x float64
	switch n := v.(type) {
	case float64:
		x = n
	case float32:
		x = float64(n)
	case int:
		x = float64(n)
	case int64:
		x = float64(n)
	case json.Number:
		return toNumber(string(n))
	case string:
		s := strings.TrimSpace(n)
		if len(s) > 100 || !numberPattern.MatchString(s) {
			return 0, false
		}
		var err error
		if x, err = strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	return x, !math.IsNaN(x) && !math.IsInf(x, 0)
}

// finite returns *p when it is a finite number.
func finite(p *float64) (float64, bool) {
	if p == nil || math.IsNaN(*p) || math.IsInf(*p, 0) {
		return 0, false
	}
	return *p, true
}

// checkMulti validates the answer to a multi_choice field.
func checkMulti(f Field, v any, name, lang string) (any, string) {
	var items []any
	switch x := v.(type) {
	case []any:
		items = x
	case []string:
		for _, s := range x {
			items = append(items, s)
		}
	default:
		return nil, msgMulti.in(lang, name)
	}
	options := make(map[string]bool, len(f.Options))
	for _, o := range f.Options {
		options[o.Value] = true
	}
	picked := make(map[string]bool, len(items))
	for _, it := range items {
		s, ok := it.(string)
		s = strings.TrimSpace(s)
		if !ok || !options[s] {
			return nil, msgMulti.in(lang, name)
		}
		if picked[s] {
			return nil, msgMultiTwice.in(lang, name)
		}
		picked[s] = true
	}
	out := make([]string, 0, len(picked))
	for _, o := range f.Options {
		if picked[o.Value] {
			out = append(out, o.Value)
		}
	}
	lo, hi := whole0(f.Min, 0), whole0(f.Max, math.MaxInt)
	if n := len(picked); n < lo || n > hi {
		switch {
		case f.Min != nil && f.Max != nil && lo == hi:
			return out, msgMultiExactly.in(lang, lo, plural(lo, lang, optionWords), name)
		case f.Min != nil && f.Max != nil:
			return out, msgMultiBetween.in(lang, lo, hi, name)
		case n < lo:
			return out, msgMultiAtLeast.in(lang, lo, plural(lo, lang, optionWords), name)
		default:
			return out, msgMultiAtMost.in(lang, hi, plural(hi, lang, optionWords), name)
		}
	}
	return out, ""
}

// ValidEmail reports whether s is a bare email address with a dotted domain.
func ValidEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	domain := s[strings.LastIndexByte(s, '@')+1:]
	return strings.Contains(domain, ".") && !strings.HasSuffix(domain, ".")
}

// validPhone reports whether s has 7 to 15 digits once spaces, dashes, dots,
// parentheses and a leading + are removed.
func validPhone(s string) bool {
	if len(s) > 40 {
		return false
	}
	digits := 0
	for _, r := range strings.TrimPrefix(s, "+") {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case !strings.ContainsRune(" -.()", r):
			return false
		}
	}
	return digits >= 7 && digits <= 15
}
