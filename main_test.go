package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tools/archive"

	"github.com/townhall-portal/townhall/internal/smtpsend/smtptest"
)

// binary is the townhall binary built once for these tests, with the flags
// the Dockerfile uses.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "townhall_bin_*")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "townhall")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", binary, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building townhall: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// run executes the binary in a fresh working directory and returns its exit
// code and combined output.
func run(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(out)
		}
		t.Fatalf("running %v: %v", args, err)
	}
	return 0, string(out)
}

func TestFailedCommandsExitNonZero(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()

	cases := []struct {
		name string
		args []string
		say  string
	}{
		{"unknown command", []string{"nonsense"}, "unknown command"},
		{"bad flag", []string{"serve", "--no-such-flag"}, "unknown flag"},
		{"port in use", []string{"serve", "--http", busy.Addr().String()}, "address already in use"},
		{"seed without saying what", []string{"seed"}, "--demo"},
		{"health of a server that is not running", []string{"health", "--url", "http://" + busy.Addr().String() + "/api/health", "--timeout", "1s"}, "not healthy"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out := run(t, t.TempDir(), c.args...)
			if code == 0 {
				t.Fatalf("exit code 0, want non-zero; output:\n%s", out)
			}
			if !strings.Contains(out, c.say) {
				t.Fatalf("output does not say %q:\n%s", c.say, out)
			}
		})
	}
}

func TestHelpExplainsTheDataFolder(t *testing.T) {
	code, out := run(t, t.TempDir(), "--help")
	if code != 0 {
		t.Fatalf("--help exited %d", code)
	}
	for _, want := range []string{"pb_data", "--dir", "seed", "health", "serve"} {
		if !strings.Contains(out, want) {
			t.Errorf("--help does not mention %q", want)
		}
	}
}

// TestHelpAndVersionSpeakPlainly: the help has none of PocketBase's
// leftovers ("aka.", "default to") and --version says which build it is.
func TestHelpAndVersionSpeakPlainly(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}} {
		_, out := run(t, t.TempDir(), args...)
		for _, bad := range []string{"aka.", "default to", "(default none)"} {
			if strings.Contains(out, bad) {
				t.Errorf("%v says %q:\n%s", args, bad, out)
			}
		}
	}
	code, out := run(t, t.TempDir(), "--version")
	if code != 0 || !strings.HasPrefix(out, "townhall ") || strings.Contains(out, "untracked") {
		t.Errorf("--version exited %d: %q", code, out)
	}
}

// TestServeDemo is the README's first command on a fresh folder: the portal
// comes up with demo data, healthy, with the site and the dashboard.
func TestServeDemo(t *testing.T) {
	dir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "serve", "--demo", "--demo-history=false", "--http", addr)
	cmd.Dir = dir
	cmd.Stdout = io.Discard
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()

	base := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(base + "/api/health")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no healthy answer within 30 s: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}

	get := func(path string) (int, string) {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := get("/"); code != 200 || !strings.Contains(body, "<html") {
		t.Errorf("/ answered %d: %.200s", code, body)
	}
	if code, body := get("/_/"); code != 200 || !strings.Contains(strings.ToLower(body), "pocketbase") {
		t.Errorf("/_/ answered %d: %.200s", code, body)
	}
	if code, body := get("/api/collections/permit_types/records"); code != 200 || !strings.Contains(body, "BLD") {
		t.Errorf("the demo catalogue is missing: %d %.300s", code, body)
	}
	if _, err := os.Stat(filepath.Join(dir, "pb_data", "data.db")); err != nil {
		t.Errorf("the data folder is not ./pb_data in the working directory: %v", err)
	}

	code, out := run(t, dir, "health", "--url", base+"/api/health")
	if code != 0 || !strings.Contains(out, "healthy") {
		t.Errorf("health exited %d: %s", code, out)
	}
}

// TestHealthLeavesNoDataFolder checks that the container health check does
// not create or open a data folder where it runs.
func TestHealthLeavesNoDataFolder(t *testing.T) {
	dir := t.TempDir()
	run(t, dir, "health", "--url", "http://127.0.0.1:1/api/health", "--timeout", "200ms")
	if _, err := os.Stat(filepath.Join(dir, "pb_data")); err == nil {
		t.Fatal("health created ./pb_data")
	}
}

// BenchmarkStartToHealthy times a server start until /api/health answers 200
// (on a data folder that already exists), and reports the idle resident
// memory of the process once it is up.
func BenchmarkStartToHealthy(b *testing.B) {
	dir := b.TempDir()
	if out, err := exec.Command(binary, "--dir", filepath.Join(dir, "pb_data"), "seed", "--demo", "--history=false").CombinedOutput(); err != nil {
		b.Fatalf("seed: %v\n%s", err, out)
	}
	var rssTotal, msTotal float64
	for i := 0; i < b.N; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		start := time.Now()
		cmd := exec.Command(binary, "--dir", filepath.Join(dir, "pb_data"), "serve", "--http", addr)
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		for {
			res, err := http.Get("http://" + addr + "/api/health")
			if err == nil {
				res.Body.Close()
				if res.StatusCode == 200 {
					break
				}
			}
			if time.Since(start) > 30*time.Second {
				b.Fatal("not healthy within 30 s")
			}
			time.Sleep(2 * time.Millisecond)
		}
		msTotal += float64(time.Since(start).Microseconds()) / 1000
		b.StopTimer()
		time.Sleep(time.Second) // idle
		rssTotal += rssMB(cmd.Process.Pid)
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		b.StartTimer()
	}
	b.ReportMetric(rssTotal/float64(b.N), "MB-idle-RSS")
	b.ReportMetric(msTotal/float64(b.N), "ms-to-healthy")
}

// rssMB reads a process's resident memory from /proc (Linux).
func rssMB(pid int) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmRSS:")), "%f", &kb)
			return kb / 1024
		}
	}
	return 0
}

func TestEscalateCommand(t *testing.T) {
	dir := t.TempDir()
	if code, out := run(t, dir, "seed", "--demo", "--history=false"); code != 0 {
		t.Fatalf("seed: %d %s", code, out)
	}
	code, out := run(t, dir, "escalate", "--dry-run")
	if code != 0 {
		t.Fatalf("escalate --dry-run exited %d: %s", code, out)
	}
	if !strings.Contains(out, "would escalate") && !strings.Contains(out, "No report is due") {
		t.Errorf("unexpected output: %s", out)
	}
	code, out = run(t, dir, "escalate")
	if code != 0 {
		t.Fatalf("escalate exited %d: %s", code, out)
	}
}

// TestCheckCommand reviews a demo folder: no mail server fails the check
// (exit 1), a local address is a warning. Other broken settings are tested
// in hooks/check_test.go.
func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	if code, out := run(t, dir, "seed", "--demo", "--history=false"); code != 0 {
		t.Fatalf("seed: %s", out)
	}
	// no mail server: residents could not confirm their accounts, so it fails
	code, out := run(t, dir, "check")
	if code != 1 || !strings.Contains(out, "FAIL  mail") || !strings.Contains(out, "1 problem,") {
		t.Fatalf("check on the demo exited %d:\n%s", code, out)
	}

	// --send-test goes through the configured server and reports its answer
	for _, c := range []struct {
		mode smtptest.Mode
		code int
		want string
	}{
		{smtptest.Accept, 0, "ok    test email"},
		{smtptest.Refuse, 1, "FAIL  test email"},
	} {
		srv, err := smtptest.Start(c.mode)
		if err != nil {
			t.Fatal(err)
		}
		db := openDB(t, filepath.Join(dir, "pb_data"))
		if _, err := db.Exec(`UPDATE _params SET value = json_set(value, '$.smtp.enabled', json('true'),
			'$.smtp.host', :h, '$.smtp.port', :p, '$.meta.senderAddress', 'clerk@pinecounty.example') WHERE id = 'settings'`,
			sql.Named("h", srv.Host()), sql.Named("p", srv.Port())); err != nil {
			t.Fatal(err)
		}
		db.Close()
		code, out := run(t, dir, "check", "--send-test", "director@pinecounty.example")
		if code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("check --send-test against a server in mode %d exited %d:\n%s", c.mode, code, out)
		}
		if c.mode == smtptest.Accept && (len(srv.Messages()) != 1 || !strings.Contains(srv.Messages()[0], "director@pinecounty.example")) {
			t.Errorf("the server received %d message(s): %q", len(srv.Messages()), srv.Messages())
		}
		srv.Close()
	}
	if code, out := run(t, dir, "check", "--send-test", "not an address"); code != 1 || !strings.Contains(out, "not an email address") {
		t.Errorf("check --send-test with a bad address exited %d:\n%s", code, out)
	}
}

// openDB opens a data folder's database from this test process, as a second
// process next to the binary.
func openDB(t *testing.T, dataDir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dataDir, "data.db")+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestEscalateWhileAnotherProcessWrites runs `townhall escalate` while
// another process (here the test, as the server would) holds a write
// transaction on the same database for a moment. The command's first write
// then meets SQLITE_BUSY_SNAPSHOT, which busy_timeout does not wait out; it
// must retry and escalate every overdue report, exit 0, once each.
func TestEscalateWhileAnotherProcessWrites(t *testing.T) {
	dir := t.TempDir()
	if code, out := run(t, dir, "seed", "--demo", "--history=false"); code != 0 {
		t.Fatalf("seed: %d %s", code, out)
	}
	db := openDB(t, filepath.Join(dir, "pb_data"))
	ctx := context.Background()
	res, err := db.ExecContext(ctx, `UPDATE complaints SET ack_due_at = '2020-01-01 00:00:00.000Z',
		resolve_due_at = '2020-01-02 00:00:00.000Z', next_escalation_at = '2020-01-01 00:00:00.000Z',
		escalation_level = 0, escalated_at = '' WHERE status IN ('new', 'acknowledged', 'in_progress')`)
	if err != nil {
		t.Fatal(err)
	}
	due, _ := res.RowsAffected()
	if due == 0 {
		t.Fatal("the demo has no open report to make overdue")
	}
	var eventsBefore int64
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE action = 'escalated'`).Scan(&eventsBefore); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS test_writer (n INTEGER)`); err != nil {
		t.Fatal(err)
	}

	// the other process takes the write lock and keeps it for a moment
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "INSERT INTO test_writer (n) VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "escalate")
	cmd.Dir = dir
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second) // the command starts and reads its first report meanwhile
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	if err != nil {
		t.Fatalf("escalate next to a writer: %v\n%s", err, out.String())
	}
	if n := strings.Count(out.String(), "level 0 -> 1"); int64(n) != due {
		t.Errorf("escalated %d of %d overdue reports:\n%s", n, due, out.String())
	}
	var level1, events int64
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM complaints WHERE escalation_level = 1`).Scan(&level1); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE action = 'escalated'`).Scan(&events); err != nil {
		t.Fatal(err)
	}
	if level1 != due || events-eventsBefore != due {
		t.Errorf("%d reports at level 1 and %d escalation events, want %d of each", level1, events-eventsBefore, due)
	}
}

// startServer runs `townhall serve` on dir until the test ends (or stop is
// called) and waits until it answers.
func startServer(t *testing.T, dir string) (stop func()) {
	stop, _ = startServerAt(t, dir)
	return stop
}

// startServerAt is startServer that also gives the server's base URL.
func startServerAt(t *testing.T, dir string, extra ...string) (stop func(), base string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	base = "http://" + addr
	l.Close()
	cmd := exec.Command(binary, append([]string{"serve", "--http", addr}, extra...)...)
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			_ = cmd.Process.Signal(os.Interrupt)
			_ = cmd.Wait()
		}
	}
	t.Cleanup(stop)
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(base + "/api/health")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return stop, base
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no healthy answer within 30 s: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestRestoreCommand restores a backup from the command line: it refuses
// while a server runs on the folder, then restores, exits 0 (without
// restarting itself into a restore loop) and carries the numbering across:
// the counters stay at the numbers issued after the backup was taken.
func TestRestoreCommand(t *testing.T) {
	dir := t.TempDir()
	if code, out := run(t, dir, "seed", "--demo", "--history=false"); code != 0 {
		t.Fatalf("seed: %d %s", code, out)
	}
	dataDir := filepath.Join(dir, "pb_data")
	backup := filepath.Join(t.TempDir(), "nightly.zip")
	if err := archive.Create(dataDir, backup, "backups", ".pb_temp_to_delete"); err != nil {
		t.Fatal(err)
	}

	// after the backup: numbers are issued (and printed), and something else changes
	db := openDB(t, dataDir)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `UPDATE townhall_counters SET value = value + 5`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO townhall_counters (key, value) VALUES ('permit:NEW:2026', 3)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE after_backup (n INTEGER)`); err != nil {
		t.Fatal(err)
	}
	issued := readCounters(t, db)
	db.Close()

	// not next to a running server
	stop := startServer(t, dir)
	code, out := run(t, dir, "restore", backup)
	if code == 0 || !strings.Contains(out, "is running") {
		t.Fatalf("restore next to a running server exited %d:\n%s", code, out)
	}
	stop()

	code, out = run(t, dir, "restore", backup)
	if code != 0 || !strings.Contains(out, "Restored nightly.zip") || !strings.Contains(out, "numbering continues at") {
		t.Fatalf("restore exited %d:\n%s", code, out)
	}
	db = openDB(t, dataDir)
	var tables int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'after_backup'`).Scan(&tables); err != nil || tables != 0 {
		t.Fatalf("the database was not restored (%d, %v)", tables, err)
	}
	restored := readCounters(t, db)
	for key, n := range issued {
		if restored[key] < n {
			t.Errorf("counter %s is back at %d after the restore: numbers up to %d are on certificates", key, restored[key], n)
		}
	}
	if _, err := os.Stat(filepath.Join(dataDir, "backups", ".townhall-numbering.json")); !os.IsNotExist(err) {
		t.Errorf("the numbering file outlived the restore's start-up: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "backups", "nightly.zip")); err != nil {
		t.Errorf("the backup was not kept in the backups folder: %v", err)
	}
	db.Close()

	// the restored folder serves
	startServer(t, dir)()
}

// readCounters reads townhall_counters.
func readCounters(t *testing.T, db *sql.DB) map[string]int64 {
	t.Helper()
	rows, err := db.Query(`SELECT key, value FROM townhall_counters`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var v int64
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		out[k] = v
	}
	if len(out) == 0 {
		t.Fatal("no counters")
	}
	return out
}

// TestRestoreFromTheDashboardKeepsNumbering restores a backup the way an
// administrator does in the dashboard (Settings → Backups → Restore), on a
// running server: PocketBase replaces the data folder and re-executes the
// process; the numbers issued after the backup are not issued again.
func TestRestoreFromTheDashboardKeepsNumbering(t *testing.T) {
	dir := t.TempDir()
	if code, out := run(t, dir, "seed", "--demo", "--history=false"); code != 0 {
		t.Fatalf("seed: %d %s", code, out)
	}
	if code, out := run(t, dir, "superuser", "upsert", "admin@county.test", "correct-horse-battery-1"); code != 0 {
		t.Fatalf("superuser: %d %s", code, out)
	}
	_, base := startServerAt(t, dir)
	call := func(method, path, token, body string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	code, body := call("POST", "/api/collections/_superusers/auth-with-password", "", `{"identity":"admin@county.test","password":"correct-horse-battery-1"}`)
	var auth struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal([]byte(body), &auth); code != 200 || err != nil {
		t.Fatalf("sign-in: %d %s", code, body)
	}
	if code, body := call("POST", "/api/backups", auth.Token, `{"name":"snapshot.zip"}`); code != 204 {
		t.Fatalf("backup: %d %s", code, body)
	}

	// after the backup, numbers are issued (as another process would write)
	dataDir := filepath.Join(dir, "pb_data")
	db := openDB(t, dataDir)
	if _, err := db.Exec(`UPDATE townhall_counters SET value = value + 7`); err != nil {
		t.Fatal(err)
	}
	issued := readCounters(t, db)
	db.Close()

	if code, body := call("POST", "/api/backups/snapshot.zip/restore", auth.Token, ""); code != 204 {
		t.Fatalf("restore: %d %s", code, body)
	}
	// the server restarts itself on the restored folder
	deadline := time.Now().Add(30 * time.Second)
	var restored map[string]int64
	for {
		time.Sleep(200 * time.Millisecond)
		if res, err := http.Get(base + "/api/health"); err == nil {
			res.Body.Close()
			if _, err := os.Stat(filepath.Join(dataDir, "backups", ".townhall-numbering.json")); os.IsNotExist(err) {
				db = openDB(t, dataDir)
				var n int
				_ = db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'townhall_restores'`).Scan(&n)
				if n == 1 {
					restored = readCounters(t, db)
					break
				}
				db.Close()
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the server did not come back with the restore applied within 30 s")
		}
	}
	for key, n := range issued {
		if restored[key] < n {
			t.Errorf("counter %s is back at %d after the restore: numbers up to %d are on certificates", key, restored[key], n)
		}
	}
}

// TestServeSetsThePublicAddress: `serve --public-url` saves the address links
// and QR codes start with (check then says so); a bad one stops the start.
func TestServeSetsThePublicAddress(t *testing.T) {
	dir := t.TempDir()
	if code, out := run(t, dir, "serve", "--http", "127.0.0.1:1", "--public-url", "permits.pinecounty.gov"); code == 0 || !strings.Contains(out, "must start with https://") {
		t.Fatalf("serve with a bad --public-url exited %d:\n%s", code, out)
	}
	stop, _ := startServerAt(t, dir, "--public-url", "https://permits.pinecounty.gov/")
	stop()
	if _, out := run(t, dir, "check"); !strings.Contains(out, "ok    public address") || !strings.Contains(out, "https://permits.pinecounty.gov") {
		t.Errorf("check after serve --public-url:\n%s", out)
	}
}

// TestMaintenanceCommand: `townhall maintenance on` next to a running server
// makes it refuse changes (503, Retry-After, the message) within seconds while
// reads go on; `off` ends it.
func TestMaintenanceCommand(t *testing.T) {
	dir := t.TempDir()
	_, base := startServerAt(t, dir)
	signUp := func(n int) *http.Response {
		body := fmt.Sprintf(`{"email":"new%d@example.com","password":"a-long-unusual-passphrase","passwordConfirm":"a-long-unusual-passphrase"}`, n)
		res, err := http.Post(base+"/api/collections/users/records", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	if code, out := run(t, dir, "maintenance", "on", "--message", "Moving to a new server"); code != 0 || !strings.Contains(out, "on") {
		t.Fatalf("maintenance on exited %d:\n%s", code, out)
	}
	deadline := time.Now().Add(10 * time.Second)
	for n := 1; ; n++ {
		res := signUp(n)
		if res.StatusCode == http.StatusServiceUnavailable {
			if res.Header.Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server still takes changes 10 s after maintenance on (%d)", res.StatusCode)
		}
		time.Sleep(500 * time.Millisecond)
	}
	if res, err := http.Get(base + "/api/collections/departments/records"); err != nil || res.StatusCode != 200 {
		t.Errorf("reading in maintenance: %v %v", res, err)
	}
	if code, out := run(t, dir, "maintenance", "status"); code != 0 || !strings.Contains(out, "Moving to a new server") {
		t.Errorf("maintenance status exited %d:\n%s", code, out)
	}
	if code, out := run(t, dir, "maintenance", "off"); code != 0 {
		t.Fatalf("maintenance off exited %d:\n%s", code, out)
	}
	// the server reads the switch at most every 2 s
	for n, deadline := 100, time.Now().Add(10*time.Second); ; n++ {
		res := signUp(n)
		if res.StatusCode == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a sign-up 10 s after maintenance off: %d", res.StatusCode)
		}
		time.Sleep(500 * time.Millisecond)
	}
	if code, _ := run(t, dir, "maintenance", "sideways"); code == 0 {
		t.Error("maintenance with a wrong word exited 0")
	}
}
