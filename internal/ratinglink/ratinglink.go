// Package ratinglink signs and checks the one-click rating links of the
// "request resolved/closed" emails: a token names one request, expires, and
// carries a random nonce by which the portal spends it once. It is an
// HMAC-SHA256 of its claims under the portal's own secret (kept in the
// database), so nobody can forge one for another request or a later date.
package ratinglink

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"
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
	b64          = base64.RawURLEncoding.Strict()
)

// Sign makes a token for c under secret.
func Sign(secret []byte, c Claims) string {
	payload := b64.EncodeToString([]byte(c.Kind + ":" + c.Request + ":" + strconv.FormatInt(c.Expires.Unix(), 10) + ":" + c.Nonce))
	return payload + "." + b64.EncodeToString(mac(secret, payload))
}

func mac(secret []byte, payload string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// Check reads a token signed under secret: ErrInvalid when it is malformed
// or its signature does not match, ErrExpired (with the claims) after its
// expiry at now.
func Check(secret []byte, token string, now time.Time) (Claims, error) {
	var c Claims
	if len(secret) < 16 || len(token) > 400 {
		return c, ErrInvalid
	}
	payload, sig, ok := strings.Cut(token, ".")
	if !ok {
		return c, ErrInvalid
	}
	got, err := b64.DecodeString(sig)
	if err != nil || !hmac.Equal(got, mac(secret, payload)) {
		return c, ErrInvalid
	}
	raw, err := b64.DecodeString(payload)
	if err != nil {
		return c, ErrInvalid
	}
	parts := strings.Split(string(raw), ":")
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
