package signedtoken

import (
	"strings"
	"testing"
)

func TestSealAndOpen(t *testing.T) {
	secret := []byte("0123456789abcdef0123")
	tok := Seal(secret, "p\x00", "complaint:abc:123")
	if got, err := Open(secret, "p\x00", tok, 400); err != nil || got != "complaint:abc:123" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	payload, sig, _ := strings.Cut(tok, ".")
	for name, c := range map[string]struct {
		secret       []byte
		purpose, tok string
		max          int
	}{
		"another secret":  {[]byte("another-secret-of-20"), "p\x00", tok, 400},
		"another purpose": {secret, "q\x00", tok, 400},
		"short secret":    {secret[:15], "p\x00", tok, 400},
		"too long":        {secret, "p\x00", tok, len(tok) - 1},
		"no dot":          {secret, "p\x00", payload + sig, 400},
		"payload changed": {secret, "p\x00", Seal(secret, "p\x00", "x")[:2] + tok[2:], 400},
		"signature cut":   {secret, "p\x00", payload + "." + sig[:len(sig)-2], 400},
		"not base64":      {secret, "p\x00", "!!." + sig, 400},
		"empty":           {secret, "p\x00", "", 400},
	} {
		if got, err := Open(c.secret, c.purpose, c.tok, c.max); err != ErrInvalid {
			t.Errorf("%s: %q, %v", name, got, err)
		}
	}
}

func FuzzOpen(f *testing.F) {
	secret := []byte("0123456789abcdef")
	f.Add(Seal(secret, "", "a:b:c"))
	f.Add("x.y")
	f.Fuzz(func(t *testing.T, tok string) {
		text, err := Open(secret, "", tok, 1000)
		if err == nil && Seal(secret, "", text) != tok {
			t.Errorf("%q opened to %q, which seals to another token", tok, text)
		}
	})
}
