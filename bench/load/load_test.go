package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestLoadBenchmarkRunsAtTinySize runs the whole benchmark (build, seed,
// generate, both servers, every call) at 200 reports and low rates, one
// second a call: the harness works, every call has its row for each server
// that answers it, and every request got a 2xx answer. No timing is judged.
func TestLoadBenchmarkRunsAtTinySize(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts two servers")
	}
	rep, err := run(config{
		size: sizes{Reports: 200, Permits: 80, Events: 1000, Documents: 300, Residents: 60},
		dur:  time.Second, warm: 200 * time.Millisecond, probe: 300 * time.Millisecond,
		rateScale: 0.05, timeout: 30 * time.Second, tmp: t.TempDir(), logf: t.Logf,
	})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep.print(&out)
	t.Log(out.String())

	got := map[string]row{}
	for _, r := range rep.rows {
		got[r.server+"/"+r.call] = r
	}
	for _, c := range calls {
		servers := []string{"townhall"}
		if c.bare {
			servers = append(servers, "bare")
		}
		for _, s := range servers {
			r, ok := got[s+"/"+c.name]
			if !ok {
				t.Errorf("no row for %s on %s", c.name, s)
				continue
			}
			if r.requests == 0 || r.errors() > 0 {
				t.Errorf("%s on %s: %d requests, %d not answered 2xx (%d 5xx); first: %s", c.name, s, r.requests, r.errors(), r.serverErrors(), r.firstError)
			}
			if !strings.Contains(out.String(), "| "+c.name+" | "+s+" |") {
				t.Errorf("the table has no line for %s on %s", c.name, s)
			}
		}
	}
	if len(rep.rows) != len(got) {
		t.Errorf("%d rows for %d distinct calls", len(rep.rows), len(got))
	}
}
