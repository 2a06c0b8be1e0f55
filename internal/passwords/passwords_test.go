package passwords

import (
	"slices"
	"testing"
)

func TestCheck(t *testing.T) {
	context := []string{"Rosa Alvarez", "rosa.alvarez@example.net", "Pine County", "Townhall"}
	for _, c := range []struct {
		password string
		want     Reason
	}{
		{"short1", Short},
		{"aaaaaaaaaa", Pattern},
		{"abcdefghij", Pattern},
		{"1234567890", Common},
		{"qwertyuiop", Common},
		{"Password123!", Common},
		{"PineCounty2026", Context},
		{"pinecountyrocks", Context},
		{"Townhall2026!", Context},
		{"rosa.alvarez1", Context},
		{"rosa.alvarez@example.net", Context},
		{"correct-horse-battery", OK},
		{"a long fence password", OK},
		{"maple-harbor-lantern", OK},
		{"kj4#Lm9!qz", OK},
		{"ñandú-jardín-lámpara", OK},
	} {
		if got := Check(c.password, context...); got != c.want {
			t.Errorf("%q: %q, want %q", c.password, got, c.want)
		}
	}
}

func TestWords(t *testing.T) {
	got := Words("Pine County", "rosa.alvarez@example.net", "Al")
	want := []string{"pine", "county", "pinecounty", "rosa.alvarez@example.net", "rosa", "alvarez", "example", "net", "rosaalvarez"}
	if !slices.Equal(got, want) {
		t.Errorf("%v, want %v", got, want)
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{"correct-horse-battery", "aaaaaaaaaa", "\xff\xfe", "PineCounty2026"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		r := Check(p, "Pine County", "a@b.example")
		if len([]rune(p)) < MinLength && r != Short {
			t.Fatalf("%q accepted as %q", p, r)
		}
	})
}
