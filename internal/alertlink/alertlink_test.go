package alertlink

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

func TestCheck(t *testing.T) {
	now := time.Date(2026, 11, 17, 15, 0, 0, 0, time.UTC)
	c := Claims{User: "residenta000001", Topics: []string{"water0000000001", "roads0000000001"}, Expires: now.Add(Valid)}
	tok := Sign(secret, c)
	payload, sig, _ := strings.Cut(tok, ".")
	other := Sign(secret, Claims{User: "residentb000001", Topics: c.Topics, Expires: c.Expires})
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
		{"expired after a year", tok, now.Add(Valid), ErrExpired},
		{"another resident's claims with this signature", otherPayload + "." + sig, now, ErrInvalid},
		{"signature changed", payload + "." + string(flip), now, ErrInvalid},
		{"another secret", Sign([]byte("fedcba9876543210fedcba9876543210"), c), now, ErrInvalid},
		{"no signature", payload, now, ErrInvalid},
		{"empty", "", now, ErrInvalid},
		{"no topics", Sign(secret, Claims{User: "abc", Expires: c.Expires}), now, ErrInvalid},
		{"a topic that is not an id", Sign(secret, Claims{User: "abc", Topics: []string{"x' OR 1"}, Expires: c.Expires}), now, ErrInvalid},
		{"too long", strings.Repeat("a", 2000), now, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Check(secret, tc.token, tc.at)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if err == nil && (got.User != c.User || strings.Join(got.Topics, ",") != strings.Join(c.Topics, ",") || !got.Expires.Equal(c.Expires)) {
				t.Fatalf("claims %+v, want %+v", got, c)
			}
		})
	}
}

func FuzzCheck(f *testing.F) {
	now := time.Date(2026, 11, 17, 15, 0, 0, 0, time.UTC)
	f.Add(Sign(secret, Claims{User: "abc123", Topics: []string{"t1", "t2"}, Expires: now.Add(Valid)}))
	f.Add("a.b")
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := Check(secret, tok, now)
		if err == nil && Sign(secret, c) != tok {
			t.Errorf("%q accepted but signs as %q", tok, Sign(secret, c))
		}
	})
}
