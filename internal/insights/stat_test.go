package insights

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// sortedStat is stat by sorting every value: what stat must equal.
func sortedStat(values []float64) (median, p90 float64) {
	v := slices.Sorted(slices.Values(values))
	n := len(v)
	median = v[n/2]
	if n%2 == 0 {
		median = (v[n/2-1] + v[n/2]) / 2
	}
	return median, v[int(math.Ceil(0.9*float64(n)))-1]
}

// TestStatPicksWhatASortGives: median and 90th percentile equal those of
// a full sort, for every length from 1 to 200 and values with many
// repeats, all equal, sorted and reversed; the input is left as it was.
func TestStatPicksWhatASortGives(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= 200; n++ {
		for kind := range 5 {
			v := make([]float64, n)
			for i := range v {
				switch kind {
				case 0:
					v[i] = math.Round(rnd.Float64()*1000) / 10
				case 1:
					v[i] = float64(rnd.IntN(3)) // mostly repeats
				case 2:
					v[i] = 7
				case 3:
					v[i] = float64(i)
				case 4:
					v[i] = float64(n - i)
				}
			}
			before := slices.Clone(v)
			st := stat(v, 6)
			med, p90 := sortedStat(v)
			if *st.Median != *round(med, 6) || *st.P90 != *round(p90, 6) || st.N != n {
				t.Fatalf("n=%d kind=%d: stat %v/%v, a sort gives %v/%v", n, kind, *st.Median, *st.P90, med, p90)
			}
			if !slices.Equal(v, before) {
				t.Fatalf("n=%d kind=%d: stat changed its input", n, kind)
			}
		}
	}
}

// BenchmarkStat: 10,000 values (a year of one figure).
func BenchmarkStat(b *testing.B) {
	rnd := rand.New(rand.NewPCG(1, 2))
	v := make([]float64, 10000)
	for i := range v {
		v[i] = rnd.Float64() * 300
	}
	for b.Loop() {
		stat(v, 1)
	}
}
