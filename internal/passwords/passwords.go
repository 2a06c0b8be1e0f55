// Package passwords decides whether a new password is strong enough, after
// NIST SP 800-63B: at least 10 characters, and not a common, predictable or
// context-derived one (the person's name or email, the county's name, the
// portal's). Strength is estimated by zxcvbn (github.com/trustelem/zxcvbn),
// which knows common passwords, words, names, keyboard patterns, repeats,
// sequences and dates; no list is written by hand here.
package passwords

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"github.com/trustelem/zxcvbn/match"
)

// MinLength is the fewest characters a password may have.
const MinLength = 10

// MinScore is the lowest zxcvbn score accepted: 3 means about 10^8 guesses,
// "safely unguessable" for an online attack with rate limits.
const MinScore = 3

// Reason says why a password was refused, so the message can say what to do.
type Reason string

// The reasons.
const (
	OK      Reason = ""
	Short   Reason = "short"   // fewer than MinLength characters
	Context Reason = "context" // built from the person's name or email, or the county's or portal's name
	Common  Reason = "common"  // a common password or word
	Pattern Reason = "pattern" // repeats, sequences, keyboard rows or dates
	Weak    Reason = "weak"    // guessed too quickly for another reason
)

// Check judges password for a person described by context (their name, email
// address, the county's name, the portal's name: any strings; they are split
// into words here).
func Check(password string, context ...string) Reason {
	if utf8.RuneCountInString(password) < MinLength {
		return Short
	}
	inputs := Words(context...)
	res := zxcvbn.PasswordStrength(password, inputs)
	fromContext := 0
	for _, m := range res.Sequence {
		if m.Pattern == "dictionary" && m.DictionaryName == "user_inputs" {
			fromContext += utf8.RuneCountInString(m.Token)
		}
	}
	// half or more of it is the person's or the county's own words
	if fromContext > 0 && 2*fromContext >= utf8.RuneCountInString(password) {
		return Context
	}
	if res.Score >= MinScore {
		return OK
	}
	if fromContext > 0 {
		return Context
	}
	return weakest(res.Sequence)
}

// weakest names what made a password guessable: the part of it that is
// guessed fastest decides.
func weakest(seq []*match.Match) Reason {
	reason, best := Weak, -1.0
	for _, m := range seq {
		var r Reason
		switch m.Pattern {
		case "dictionary":
			r = Common
		case "repeat", "sequence", "spatial", "date", "regex":
			r = Pattern
		default:
			continue
		}
		if best < 0 || m.Guesses < best {
			reason, best = r, m.Guesses
		}
	}
	return reason
}

// Words splits context strings into the words a guesser would try, each of
// three characters or more: an email address whole, every word, and the
// words before the @ joined ("Pine County" gives pine, county and
// pinecounty; "rosa.alvarez@example.net" gives the address, rosa, alvarez,
// example, net and rosaalvarez).
func Words(context ...string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(w string) {
		w = strings.ToLower(w)
		if utf8.RuneCountInString(w) >= 3 && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, c := range context {
		local := c
		if at := strings.LastIndexByte(c, '@'); at >= 0 {
			local = c[:at]
			add(c) // the whole address
		}
		parts := strings.FieldsFunc(c, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		for _, p := range parts {
			add(p)
		}
		add(strings.Join(strings.FieldsFunc(local, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), ""))
	}
	return out
}
