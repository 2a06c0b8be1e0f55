package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReplicationDrill is the outage drill of the README: Townhall takes
// writes while Litestream replicates its database to a file replica; both
// are killed with SIGKILL (the machine is gone); the database is restored
// from the replica alone. The restored database must pass SQLite's integrity
// check and miss at most the writes of Litestream's last sync interval (1 s).
// It needs the litestream binary (LITESTREAM, or on PATH; .ci/run installs
// it) and skips without it outside CI.
func TestReplicationDrill(t *testing.T) {
	ls := os.Getenv("LITESTREAM")
	if ls == "" {
		ls, _ = exec.LookPath("litestream")
	}
	if ls == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("litestream is required in CI (.ci/run installs it)")
		}
		t.Skip("no litestream binary: go install github.com/benbjohnson/litestream/cmd/litestream@v0.5.18")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "pb_data")
	if code, out := run(t, dir, "superuser", "upsert", "drill@county.test", "a-long-unusual-drill-passphrase"); code != 0 {
		t.Fatalf("superuser: %s", out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	server := exec.Command(binary, "serve", "--http", addr)
	server.Dir = dir
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	defer server.Process.Kill()
	base := "http://" + addr
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get(base + "/api/health"); err == nil && res.StatusCode == 200 {
			res.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the server did not start")
		}
	}
	config := filepath.Join(dir, "litestream.yml")
	replica := filepath.Join(dir, "replica")
	if err := os.WriteFile(config, fmt.Appendf(nil, "dbs:\n  - path: %s\n    replica:\n      type: file\n      path: %s\n      sync-interval: 1s\n",
		filepath.Join(data, "data.db"), replica), 0o644); err != nil {
		t.Fatal(err)
	}
	repl := exec.Command(ls, "replicate", "-config", config)
	replLog, _ := os.Create(filepath.Join(dir, "litestream.log"))
	repl.Stdout, repl.Stderr = replLog, replLog
	if err := repl.Start(); err != nil {
		t.Fatal(err)
	}
	defer repl.Process.Kill()

	// an administrator's token, then writes as fast as one client goes, for 6 s
	res, err := http.Post(base+"/api/collections/_superusers/auth-with-password", "application/json",
		strings.NewReader(`{"identity":"drill@county.test","password":"a-long-unusual-drill-passphrase"}`))
	if err != nil {
		t.Fatal(err)
	}
	var auth struct {
		Token string `json:"token"`
	}
	_ = json.NewDecoder(res.Body).Decode(&auth)
	res.Body.Close()
	time.Sleep(2 * time.Second) // litestream has taken its first snapshot
	type ack struct {
		code string
		at   time.Time
	}
	var acks []ack
	for i, end := 0, time.Now().Add(6*time.Second); time.Now().Before(end); i++ {
		code := fmt.Sprintf("Drill %05d", i)
		req, _ := http.NewRequest(http.MethodPost, base+"/api/collections/announcements/records",
			strings.NewReader(fmt.Sprintf(`{"title_en":%q,"severity":"info","starts_at":"2099-01-01 00:00:00.000Z","shows_on":"staff"}`, code)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", auth.Token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode == 429 {
			time.Sleep(200 * time.Millisecond)
			continue
		}
		if res.StatusCode != 200 {
			t.Fatalf("write %d: %d", i, res.StatusCode)
		}
		acks = append(acks, ack{code, time.Now()})
	}
	// the machine is gone
	killed := time.Now()
	_ = server.Process.Kill()
	_ = repl.Process.Kill()
	_ = server.Wait()
	_ = repl.Wait()

	restored := filepath.Join(dir, "restored.db")
	started := time.Now()
	if out, err := exec.Command(ls, "restore", "-config", config, "-o", restored, filepath.Join(data, "data.db")).CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "litestream.log"))
		t.Fatalf("restore: %v\n%s\nreplicate log:\n%s", err, out, log)
	}
	restoreTime := time.Since(started)
	db, err := sql.Open("sqlite", restored)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var integrity string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("the restored database: %v %q", err, integrity)
	}
	have := map[string]bool{}
	rows, err := db.Query("SELECT title_en FROM announcements WHERE title_en LIKE 'Drill %'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		_ = rows.Scan(&c)
		have[c] = true
	}
	rows.Close()
	// The replica is a prefix of what was acknowledged: the writes lost
	// are the last ones, those after Litestream's last sync before the
	// kill. Its sync interval is 1 s; on a busy machine (CI, other tests)
	// the replicating process may be a second or two late, so the window
	// lost may be up to lostWindowLimit.
	const lostWindowLimit = 3 * time.Second
	lost, firstLost := 0, -1
	for i, a := range acks {
		if !have[a.code] {
			lost++
			if firstLost < 0 {
				firstLost = i
			}
		} else if firstLost >= 0 {
			t.Errorf("write %s was replicated after %s was lost: the replica is not a prefix", a.code, acks[firstLost].code)
			break
		}
	}
	window := time.Duration(0)
	if firstLost >= 0 {
		window = killed.Sub(acks[firstLost].at)
	}
	t.Logf("%d acknowledged writes in 6 s, %d lost after kill -9: those of the last %v; restore took %v",
		len(acks), lost, window.Round(time.Millisecond), restoreTime.Round(time.Millisecond))
	if len(acks) == 0 {
		t.Fatal("no write was acknowledged")
	}
	if window > lostWindowLimit {
		t.Errorf("the writes of the last %v were lost, more than %v (Litestream syncs every second)", window.Round(time.Millisecond), lostWindowLimit)
	}
}
