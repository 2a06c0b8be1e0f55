// Command load is Townhall's load benchmark at county scale (issue 19).
//
// It builds Townhall and a bare PocketBase of the same version (bench/load/bare:
// the same collections and rules, none of Townhall's hooks), makes a data
// folder with `townhall seed --demo` and fills it by SQL with a county's ten
// years of requests (100,000 problem reports, 40,000 permit applications,
// 500,000 events, 150,000 document rows without files, 30,000 residents),
// then starts each server in turn on that data, pinned to one core, and
// drives every call at a fixed open-loop rate with vegeta from the other
// core. It prints one table: rate, latency, errors, server CPU per request
// (utime+stime from /proc/PID/stat), Townhall's CPU per request against bare
// PocketBase's, memory (VmRSS sampled every 100 ms and VmHWM from
// /proc/PID/status) and how long the server waited for its core (from
// /proc/PID/task/*/schedstat: a large share means other programs ran there
// and the latencies of that row are theirs as much as the server's).
//
//	go run ./bench/load [-scale 1] [-dur 10s] [-rate-scale 1] [-keep]
//	go run ./bench/load -data /tmp/townhall-load-…/townhall_data -servers townhall -only 'public'
//
// Rate limits are switched off in the generated data (all load comes from
// one address). Calls whose aim is "at half the maximum throughput" first
// measure that throughput closed-loop (8 connections) and then run open-loop
// at half of it. Bare PocketBase runs each call at the same rate, or at half
// of what it manages closed-loop (4 connections) when that is less, so that
// it answers instead of piling up requests. Linux only (/proc, taskset).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/townhall-portal/townhall/bench/internal/served"
)

// config is one run of the benchmark.
type config struct {
	size      sizes
	dur       time.Duration  // measured time per call and server
	warm      time.Duration  // unmeasured time before each measurement
	probe     time.Duration  // closed-loop time to find a call's maximum
	rateScale float64        // multiplies every rate
	timeout   time.Duration  // per request
	pin       bool           // servers on core 0, load generator on core 1
	bin, bare string         // prebuilt binaries (default: build them)
	data      string         // a data folder kept from an earlier run (default: generate one)
	only      *regexp.Regexp // the calls to run (default: all)
	servers   []string       // default: townhall and bare
	tmp       string
	logf      func(string, ...any)
}

func main() {
	scale := flag.Float64("scale", 1, "data size as a fraction of the county's (1 = 100,000 reports, 40,000 permits, 500,000 events, 150,000 documents, 30,000 residents)")
	dur := flag.Duration("dur", 10*time.Second, "measured time per call and server")
	warm := flag.Duration("warm", 2*time.Second, "unmeasured warm-up before each measurement")
	probe := flag.Duration("probe", 3*time.Second, "closed-loop time to find the maximum of a call")
	rateScale := flag.Float64("rate-scale", 1, "multiplies every rate")
	timeout := flag.Duration("timeout", 10*time.Second, "request timeout")
	bin := flag.String("bin", "", "townhall binary (default: build the module's main package)")
	bare := flag.String("bare", "", "bare PocketBase binary (default: build ./bench/load/bare)")
	keep := flag.Bool("keep", false, "keep the temporary folder (binaries, data folders, server logs)")
	noPin := flag.Bool("no-pin", false, "do not pin the servers and the load generator to separate cores")
	data := flag.String("data", "", "reuse the data folder (townhall_data) of an earlier -keep run instead of generating one; it is copied, not changed")
	only := flag.String("only", "", "run only the calls whose name matches this regular expression")
	servers := flag.String("servers", "townhall,bare", "the servers to measure, comma-separated")
	flag.Parse()
	var onlyRe *regexp.Regexp
	if *only != "" {
		var err error
		if onlyRe, err = regexp.Compile(*only); err != nil {
			fatal(err)
		}
	}

	tmp, err := os.MkdirTemp("", "townhall-load-")
	if err != nil {
		fatal(err)
	}
	if *keep {
		logf("keeping %s", tmp)
	}
	cfg := config{size: scaled(*scale), dur: *dur, warm: *warm, probe: *probe, rateScale: *rateScale, timeout: *timeout,
		pin: !*noPin && canPin(), bin: *bin, bare: *bare, data: *data, only: onlyRe, servers: strings.Split(*servers, ","),
		tmp: tmp, logf: logf}
	rep, err := run(cfg)
	if !*keep {
		os.RemoveAll(tmp)
	}
	if err != nil {
		fatal(err)
	}
	rep.print(os.Stdout)
}

// canPin reports whether there are two cores and taskset to pin with.
func canPin() bool {
	_, err := exec.LookPath("taskset")
	return err == nil && runtime.NumCPU() >= 2
}

// report is what one run measured.
type report struct {
	cfg       config
	generated time.Duration
	rows      []row
	hwm       map[string]int64 // server -> VmHWM at the end, kB
}

// row is one call on one server.
type row struct {
	call, server string
	rate         int     // open-loop rate driven
	max          float64 // closed-loop throughput, when measured
	throughput   float64 // successful responses a second
	requests     int
	p50, p99     time.Duration
	codes        map[int]int // status -> count; 0 = no response (timeout, refused)
	cpu          time.Duration
	waited       float64 // share of the measured time the server's threads waited for a CPU (others on its core)
	rssKB, hwmKB int64
	firstError   string
}

func (r row) errors() int {
	n := 0
	for code, c := range r.codes {
		if code < 200 || code >= 300 {
			n += c
		}
	}
	return n
}

func (r row) serverErrors() int {
	n := 0
	for code, c := range r.codes {
		if code >= 500 {
			n += c
		}
	}
	return n
}

func run(cfg config) (*report, error) {
	if cfg.logf == nil {
		cfg.logf = func(string, ...any) {}
	}
	if cfg.warm == 0 {
		cfg.warm = cfg.dur / 5
	}
	if cfg.timeout == 0 {
		cfg.timeout = 10 * time.Second
	}
	bins := map[string]*string{"townhall": &cfg.bin, "bare": &cfg.bare}
	for name, pkg := range map[string]string{"townhall": "github.com/townhall-portal/townhall", "bare": "github.com/townhall-portal/townhall/bench/load/bare"} {
		if *bins[name] != "" {
			continue
		}
		out := filepath.Join(cfg.tmp, name)
		cfg.logf("building %s", out)
		build := exec.Command("go", "build", "-o", out, pkg)
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return nil, fmt.Errorf("building %s: %w", pkg, err)
		}
		*bins[name] = out
	}

	dir := filepath.Join(cfg.tmp, "townhall_data")
	var fx *fixture
	var err error
	if cfg.data != "" {
		if err := copyDir(cfg.data, dir); err != nil {
			return nil, err
		}
		if fx, err = loadFixture(dir); err != nil {
			return nil, err
		}
		if err := countRows(dir, &cfg.size); err != nil {
			return nil, err
		}
	} else {
		if out, err := exec.Command(cfg.bin, "--dir", dir, "seed", "--demo", "--history=false").CombinedOutput(); err != nil {
			return nil, fmt.Errorf("seeding the demo county: %w\n%s", err, out)
		}
		cfg.logf("generating %+v", cfg.size)
		if fx, err = generate(dir, cfg.size, cfg.logf); err != nil {
			return nil, err
		}
		cfg.logf("generated in %s", fx.generated.Round(time.Second))
	}
	bareDir := filepath.Join(cfg.tmp, "bare_data")
	if err := copyDir(dir, bareDir); err != nil {
		return nil, err
	}
	if len(cfg.servers) == 0 {
		cfg.servers = []string{"townhall", "bare"}
	}
	// the generated and copied files out to disk first: a gigabyte of dirty
	// pages flushed while the first calls run stalls every write the servers
	// make (their request logs), and the stall would be measured as theirs
	syscall.Sync()

	if cfg.pin {
		// the load generator on core 1, every thread of it
		if out, err := exec.Command("taskset", "-a", "-p", "-c", "1", strconv.Itoa(os.Getpid())).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("pinning the load generator: %w\n%s", err, out)
		}
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	}

	rep := &report{cfg: cfg, generated: fx.generated, hwm: map[string]int64{}}
	for _, server := range []struct{ name, bin, dir string }{{"townhall", cfg.bin, dir}, {"bare", cfg.bare, bareDir}} {
		if !slices.Contains(cfg.servers, server.name) {
			continue
		}
		rows, hwm, err := measureServer(cfg, fx, server.name, server.bin, server.dir)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", server.name, err)
		}
		rep.rows = append(rep.rows, rows...)
		rep.hwm[server.name] = hwm
	}
	return rep, nil
}

// measureServer starts one server and drives every call it answers.
func measureServer(cfg config, fx *fixture, name, bin, dir string) ([]row, int64, error) {
	addr, err := served.FreeAddr()
	if err != nil {
		return nil, 0, err
	}
	args := []string{bin, "--dir", dir, "serve", "--http", addr}
	if cfg.pin {
		args = append([]string{"taskset", "-c", "0"}, args...)
	}
	srv, err := served.Start(args, nil, addr, filepath.Join(cfg.tmp, name+".log"), 2*time.Minute)
	if err != nil {
		return nil, 0, err
	}
	defer srv.Stop()
	base, pid, withLog := srv.Base, srv.Pid, srv.WithLog
	var rows []row
	for _, c := range calls {
		if name == "bare" && !c.bare || cfg.only != nil && !cfg.only.MatchString(c.name) {
			continue
		}
		if err := srv.Stopped(); err != nil {
			return nil, 0, withLog(err)
		}
		r, err := measureCall(cfg, fx, c, name, base, pid)
		if err != nil {
			return nil, 0, withLog(fmt.Errorf("%s: %w", c.name, err))
		}
		cfg.logf("%-9s %-52s rate %5d  p50 %7.2f ms  p99 %8.2f ms  errors %d  cpu %6.3f ms  waited %3.0f %%", name, c.name, r.rate,
			ms(r.p50), ms(r.p99), r.errors(), ms(r.cpu), 100*r.waited)
		rows = append(rows, r)
	}
	_, hwm, err := memory(pid)
	return rows, hwm, err
}

// measureCall finds the call's rate, warms up at it, then measures.
func measureCall(cfg config, fx *fixture, c call, server, base string, pid int) (row, error) {
	targets := c.targets(fx, base, server == "bare")
	if len(targets) == 0 {
		return row{}, errors.New("no targets")
	}
	r := row{call: c.name, server: server, rate: int(float64(c.rate)*cfg.rateScale + 0.5)}
	probeWorkers := uint64(0)
	switch {
	case c.halfMax:
		probeWorkers = 8
	case server == "bare":
		probeWorkers = 4
	}
	if probeWorkers > 0 {
		res := attack(targets, 0, cfg.probe, probeWorkers, cfg.timeout, nil)
		r.max = float64(res.ok) / cfg.probe.Seconds()
		if c.halfMax {
			r.rate = int(r.max / 2 * cfg.rateScale)
		} else {
			r.rate = min(r.rate, int(r.max/2))
		}
	}
	r.rate = max(r.rate, 1)
	if cfg.warm > 0 {
		attack(targets, r.rate, cfg.warm, 0, cfg.timeout, nil)
	}
	before, err := cpuTime(pid)
	if err != nil {
		return r, err
	}
	waitBefore := runQueueWait(pid)
	began := time.Now()
	var peak int64
	res := attack(targets, r.rate, cfg.dur, 0, cfg.timeout, func() {
		if rss, _, err := memory(pid); err == nil {
			peak = max(peak, rss)
		}
	})
	after, err := cpuTime(pid)
	if err != nil {
		return r, err
	}
	r.waited = float64(runQueueWait(pid)-waitBefore) / float64(time.Since(began))
	rss, hwm, err := memory(pid)
	if err != nil {
		return r, err
	}
	r.requests, r.codes, r.firstError = len(res.latencies), res.codes, res.firstError
	r.throughput = float64(res.ok) / cfg.dur.Seconds()
	r.p50, r.p99 = quantile(res.latencies, 0.50), quantile(res.latencies, 0.99)
	if r.requests > 0 {
		r.cpu = (after - before) / time.Duration(r.requests)
	}
	r.rssKB, r.hwmKB = max(peak, rss), hwm
	return r, nil
}

// attackResult is what one attack saw.
type attackResult struct {
	latencies  []time.Duration
	codes      map[int]int
	ok         int
	firstError string
}

// attack drives targets, rotated, at rate a second for dur (open loop:
// vegeta adds workers as needed), or as fast as workers connections allow
// (closed loop) when rate is 0. sample is called every 100 ms meanwhile.
func attack(targets []vegeta.Target, rate int, dur time.Duration, workers uint64, timeout time.Duration, sample func()) attackResult {
	opts := []func(*vegeta.Attacker){vegeta.Timeout(timeout), vegeta.KeepAlive(true), vegeta.MaxBody(1 << 20)}
	if workers > 0 {
		opts = append(opts, vegeta.Workers(workers), vegeta.MaxWorkers(workers))
	} else {
		opts = append(opts, vegeta.MaxWorkers(2000))
	}
	a := vegeta.NewAttacker(opts...)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	if sample != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					sample()
				}
			}
		}()
	}
	out := attackResult{codes: map[int]int{}}
	for res := range a.Attack(vegeta.NewStaticTargeter(targets...), vegeta.Rate{Freq: rate, Per: time.Second}, dur, "") {
		out.latencies = append(out.latencies, res.Latency)
		out.codes[int(res.Code)]++
		if res.Code >= 200 && res.Code < 300 {
			out.ok++
		} else if out.firstError == "" {
			out.firstError = fmt.Sprintf("%s %s: %d %s %.200s", res.Method, res.URL, res.Code, res.Error, res.Body)
		}
	}
	close(stop)
	wg.Wait()
	if os.Getenv("LOAD_DEBUG") != "" {
		debugSeconds(out.latencies, rate)
	}
	return out
}

// debugSeconds prints the latencies second by second (LOAD_DEBUG=1), in
// the order the requests were answered.
func debugSeconds(lat []time.Duration, rate int) {
	if rate == 0 {
		return
	}
	for from := 0; from < len(lat); from += rate {
		s := lat[from:min(from+rate, len(lat))]
		fmt.Fprintf(os.Stderr, "  answers %5d-%5d: p50 %8.2f ms  p99 %8.2f ms  max %8.2f ms\n", from, from+len(s), ms(quantile(s, 0.5)), ms(quantile(s, 0.99)), ms(quantile(s, 1)))
	}
}

func quantile(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(int(q*float64(len(s))), len(s)-1)]
}

// clockTick is the unit of utime and stime in /proc/PID/stat (USER_HZ,
// 100 on Linux).
const clockTick = 10 * time.Millisecond

// cpuTime is the CPU the process has used so far (user + system).
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("unexpected /proc/%d/stat: %q", pid, s)
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(utime+stime) * clockTick, nil
}

// runQueueWait is how long the process's threads have waited, runnable,
// for a CPU (the second field of each /proc/PID/task/TID/schedstat): on a
// core of its own the server waits only for itself, so a large share means
// other programs ran on its core.
func runQueueWait(pid int) time.Duration {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	var sum time.Duration
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		if f := strings.Fields(string(b)); len(f) >= 2 {
			ns, _ := strconv.ParseInt(f[1], 10, 64)
			sum += time.Duration(ns)
		}
	}
	return sum
}

// memory is the process's resident memory now and at its peak (kB).
func memory(pid int) (rss, hwm int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "VmRSS:":
			rss, _ = strconv.ParseInt(f[1], 10, 64)
		case "VmHWM:":
			hwm, _ = strconv.ParseInt(f[1], 10, 64)
		}
	}
	return rss, hwm, nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// print writes the table (Markdown) and the run's conditions.
func (rep *report) print(w io.Writer) {
	c := rep.cfg
	fmt.Fprintf(w, "\nData: %d reports, %d permits, %d events, %d documents, %d residents; generated in %s.\n",
		c.size.Reports, c.size.Permits, c.size.Events, c.size.Documents, c.size.Residents, rep.generated.Round(time.Second))
	pin := "servers pinned to core 0, load generator to core 1"
	if !c.pin {
		pin = "not pinned"
	}
	fmt.Fprintf(w, "Each call %s open-loop after %s of warm-up; %s; Go %s, %d CPUs.\n\n", c.dur, c.warm, pin, runtime.Version(), runtime.NumCPU())
	fmt.Fprintln(w, "| call | server | rate/s | answered/s | p50 ms | p99 ms | errors | CPU/req ms | CPU ×bare | RSS MB (peak) | run-queue wait |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|")
	bare := map[string]row{}
	for _, r := range rep.rows {
		if r.server == "bare" {
			bare[r.call] = r
		}
	}
	for _, r := range rep.rows {
		rate := strconv.Itoa(r.rate)
		if r.max > 0 {
			rate += fmt.Sprintf(" (max %.0f)", r.max)
		}
		ratio := ""
		if b, ok := bare[r.call]; ok && r.server == "townhall" && b.cpu > 0 {
			ratio = fmt.Sprintf("%.2f", float64(r.cpu)/float64(b.cpu))
		}
		fmt.Fprintf(w, "| %s | %s | %s | %.0f | %.2f | %.2f | %s | %.3f | %s | %d (%d) | %.0f %% |\n", r.call, r.server, rate, r.throughput,
			ms(r.p50), ms(r.p99), errorCell(r), ms(r.cpu), ratio, r.rssKB/1024, r.hwmKB/1024, 100*r.waited)
	}
	fmt.Fprintf(w, "\nPeak RSS (VmHWM) over the whole run: townhall %d MB, bare %d MB.\n", rep.hwm["townhall"]/1024, rep.hwm["bare"]/1024)
	for _, r := range rep.rows {
		if r.firstError != "" {
			fmt.Fprintf(w, "first error, %s / %s: %s\n", r.server, r.call, r.firstError)
		}
	}
}

func errorCell(r row) string {
	n := r.errors()
	if n == 0 {
		return "0"
	}
	var parts []string
	var codes []int
	for code := range r.codes {
		if code < 200 || code >= 300 {
			codes = append(codes, code)
		}
	}
	sort.Ints(codes)
	for _, code := range codes {
		label := strconv.Itoa(code)
		if code == 0 {
			label = "no answer"
		}
		parts = append(parts, fmt.Sprintf("%d×%s", r.codes[code], label))
	}
	return fmt.Sprintf("%d (%s)", n, strings.Join(parts, ", "))
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "load: "+format+"\n", args...)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "load:", err)
	os.Exit(1)
}
