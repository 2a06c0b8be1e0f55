package ratinglink

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

func TestCheck(t *testing.T) {
	now := time.Date(2026, 11, 17, 15, 0, 0, 0, time.UTC)
	c := Claims{Kind: "complaint", Request: "abc123", Expires: now.Add(Valid), Nonce: "n0nceN0nceN0nce12"}
	tok := Sign(secret, c)
	payload, sig, _ := strings.Cut(tok, ".")
	other := Sign(secret, Claims{Kind: "complaint", Request: "zzz999", Expires: now.Add(Valid), Nonce: "n0nceN0nceN0nce12"})
	otherPayload, _, _ := strings.Cut(other, ".")
	flip := []byte(sig)
	flip[0] ^= 1
	cases := []struct {
		name  string
		token string
		at    time.Time
		want  error
	}{
		{"valid", tok, now, nil},
		{"valid on its last second", tok, now.Add(Valid - time.Second), nil},
		{"expired after 30 days", tok, now.Add(Valid), ErrExpired},
		{"another request's claims with this signature", otherPayload + "." + sig, now, ErrInvalid},
		{"signature changed", payload + "." + string(flip), now, ErrInvalid},
		{"another secret", Sign([]byte("fedcba9876543210fedcba9876543210"), c), now, ErrInvalid},
		{"no signature", payload, now, ErrInvalid},
		{"empty", "", now, ErrInvalid},
		{"garbage", "%%%.%%%", now, ErrInvalid},
		{"bad kind", Sign(secret, Claims{Kind: "user", Request: "abc", Expires: now.Add(time.Hour), Nonce: "n0nceN0nceN0nce12"}), now, ErrInvalid},
		{"short nonce", Sign(secret, Claims{Kind: "permit", Request: "abc", Expires: now.Add(time.Hour), Nonce: "x"}), now, ErrInvalid},
	}
	for _, tc := range cases {
		got, err := Check(secret, tc.token, tc.at)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
		if err == nil && (got.Request != c.Request || got.Kind != c.Kind || got.Nonce != c.Nonce || !got.Expires.Equal(c.Expires)) {
			t.Errorf("%s: claims %+v", tc.name, got)
		}
	}
}

func FuzzCheck(f *testing.F) {
	now := time.Date(2026, 11, 17, 15, 0, 0, 0, time.UTC)
	f.Add(Sign(secret, Claims{Kind: "complaint", Request: "abc123", Expires: now.Add(Valid), Nonce: "n0nceN0nceN0nce12"}))
	f.Add("a.b")
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := Check(secret, tok, now)
		if err == nil && Sign(secret, c) != tok {
			t.Errorf("%q accepted but signs as %q", tok, Sign(secret, c))
		}
	})
}
