// Package signedtoken seals a short text for a link in an email that needs
// no sign-in: "payload.signature", both URL-safe base64, the signature an
// HMAC-SHA256 of a purpose and the payload under the portal's own secret.
// What the text says, and when it expires, is the caller's (ratinglink,
// alertlink); the purpose keeps a token made for one kind of link from
// opening another.
package signedtoken

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// ErrInvalid is a token that is malformed, too long, or not sealed under
// the secret for the purpose.
var ErrInvalid = errors.New("signedtoken: not a valid token")

// MinSecret is the shortest secret Open accepts.
const MinSecret = 16

var b64 = base64.RawURLEncoding.Strict()

// Seal makes a token holding text.
func Seal(secret []byte, purpose, text string) string {
	payload := b64.EncodeToString([]byte(text))
	return payload + "." + b64.EncodeToString(mac(secret, purpose, payload))
}

// Open returns the text of a token sealed by Seal with the same secret and
// purpose, refusing tokens longer than maxLen before any work.
func Open(secret []byte, purpose, token string, maxLen int) (string, error) {
	if len(secret) < MinSecret || len(token) > maxLen {
		return "", ErrInvalid
	}
	payload, sig, ok := strings.Cut(token, ".")
	if !ok {
		return "", ErrInvalid
	}
	got, err := b64.DecodeString(sig)
	if err != nil || !hmac.Equal(got, mac(secret, purpose, payload)) {
		return "", ErrInvalid
	}
	raw, err := b64.DecodeString(payload)
	if err != nil {
		return "", ErrInvalid
	}
	return string(raw), nil
}

func mac(secret []byte, purpose, payload string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(purpose + payload))
	return m.Sum(nil)
}
