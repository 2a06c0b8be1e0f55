package main

import (
	"context"
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
	cmd := exec.CommandContext(ctx, binary, "serve", "--demo", "--http", addr)
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
	if out, err := exec.Command(binary, "--dir", filepath.Join(dir, "pb_data"), "seed", "--demo").CombinedOutput(); err != nil {
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
	if code, out := run(t, dir, "seed", "--demo"); code != 0 {
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
	if code, out := run(t, dir, "seed", "--demo"); code != 0 {
		t.Fatalf("seed: %s", out)
	}
	// no mail server: residents could not confirm their accounts, so it fails
	code, out := run(t, dir, "check")
	if code != 1 || !strings.Contains(out, "FAIL  mail") || !strings.Contains(out, "1 problem(s)") {
		t.Fatalf("check on the demo exited %d:\n%s", code, out)
	}
}
