// Package ratinglink signs and checks the one-click rating links of the
// "request resolved/closed" emails: a token names one request, expires, and
// carries a random nonce by which the portal spends it once. It is an
// HMAC-SHA256 of its claims under the portal's own secret (kept in the
// database), so nobody can forge one for another request or a later date.
package ratinglink

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/townhall-portal/townhall/internal/signedtoken"
)

// Valid is how long a link works.
const Valid = 30 * 24 * time.Hour

// Errors of Check.
var (
	ErrInvalid = errors.New("ratinglink: not a valid link") // malformed or tampered with
	ErrExpired = errors.New("ratinglink: expired")
)

// Claims are what a token says.
type Claims struct {
	Kind    string // "complaint" or "permit"
	Request string // the request's id
	Expires time.Time
	Nonce   string // spent once by the portal
}

var (
	idPattern    = regexp.MustCompile(`^[a-z0-9]{1,40}$`)
	noncePattern = regexp.MustCompile(`^[A-Za-z0-9]{16,64}$`)
)

// Sign makes a token for c under secret.
func Sign(secret []byte, c Claims) string {
	return signedtoken.Seal(secret, purpose, c.Kind+":"+c.Request+":"+strconv.FormatInt(c.Expires.Unix(), 10)+":"+c.Nonce)
}

// purpose is empty: the links already sent were signed without one.
const purpose = ""

// Check reads a token signed under secret: ErrInvalid when it is malformed
// or its signature does not match, ErrExpired (with the claims) after its
// expiry at now.
func Check(secret []byte, token string, now time.Time) (Claims, error) {
	var c Claims
	raw, err := signedtoken.Open(secret, purpose, token, 400)
	if err != nil {
		return c, ErrInvalid
	}
	parts := strings.Split(raw, ":")
	if len(parts) != 4 || (parts[0] != "complaint" && parts[0] != "permit") || !idPattern.MatchString(parts[1]) || !noncePattern.MatchString(parts[3]) {
		return c, ErrInvalid
	}
	exp, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || exp <= 0 {
		return c, ErrInvalid
	}
	c = Claims{Kind: parts[0], Request: parts[1], Expires: time.Unix(exp, 0).UTC(), Nonce: parts[3]}
	if !now.Before(c.Expires) {
		return c, ErrExpired
	}
	return c, nil
}
