// Package i18n holds the server's messages to residents and staff in English
// and Spanish and picks the language of a request.
package i18n

import (
	"fmt"
	"strings"
)

// Lang is a supported language code.
type Lang string

// The supported languages.
const (
	EN Lang = "en"
	ES Lang = "es"
)

// Parse returns the supported language named by s ("es", "es-MX", "en-US" ...),
// English when s names none.
func Parse(s string) Lang {
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(s, "es") {
		return ES
	}
	return EN
}

// FromAcceptLanguage picks the first supported language of an Accept-Language header.
func FromAcceptLanguage(h string) Lang {
	for _, part := range strings.Split(h, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		if strings.HasPrefix(tag, "es") {
			return ES
		}
		if strings.HasPrefix(tag, "en") {
			return EN
		}
	}
	return EN
}

// T returns the message key in the language, formatted with args. An unknown
// key is returned as is, so a missing translation never hides a message.
func (l Lang) T(key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return strings.TrimSpace(key + " " + fmt.Sprint(args...))
	}
	s := m.en
	if l == ES && m.es != "" {
		s = m.es
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Has reports whether key is a known message (used by tests).
func Has(key string) bool {
	_, ok := messages[key]
	return ok
}

// Keys lists every known message key.
func Keys() []string {
	keys := make([]string, 0, len(messages))
	for k := range messages {
		keys = append(keys, k)
	}
	return keys
}

type text struct{ en, es string }
