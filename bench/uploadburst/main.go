// Command uploadburst measures the server's memory while residents upload
// many phone photos at the same moment.
//
// It builds (or takes) the townhall binary, seeds a demo county in a temporary
// data folder, starts `townhall serve` as a child process, signs in as a demo
// resident, files problem reports and then sends N photo uploads at once.
// While the burst runs it samples the server's resident memory (VmRSS from
// /proc every 50 ms) and probes /api/health every 200 ms; after the burst it
// waits (60 s by default) and reads the memory again.
//
//	go run ./bench/uploadburst [-n 20] [-mp 12] [-bin path]
//
// The photos are made in memory: a scene with smooth areas, texture and
// sensor noise, encoded at quality 92 with an EXIF segment (orientation 6,
// a portrait photo, plus GPS and a camera serial number), so that their size
// and cost are those of a phone's photos (about 4 MB for 12 megapixels).
//
// Rate limits stay on: 30 creates per 10 s from one address, so the reports
// are filed first (five photos each) and the burst waits for a fresh window
// when reports and photos together would pass the limit. Linux only (/proc).
package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/townhall-portal/townhall/bench/internal/served"
	"github.com/townhall-portal/townhall/internal/demo"
	"github.com/townhall-portal/townhall/internal/media/mediatest"
)

const (
	resident        = "maria@example.com"
	photosPerReport = 5
	createsPerSlot  = 30 // PocketBase rate limit "*:create": 30 per 10 s
	createWindow    = 10 * time.Second
	rssEvery        = 50 * time.Millisecond
	healthEvery     = 200 * time.Millisecond
)

func main() {
	n := flag.Int("n", 20, "photos uploaded at once")
	mp := flag.Float64("mp", 12, "megapixels per photo (4:3)")
	bin := flag.String("bin", "", "townhall binary to run (default: build the module's main package)")
	settle := flag.Duration("settle", time.Minute, "how long to wait after the burst before reading memory again")
	env := flag.String("env", "", "extra environment for the server, comma-separated KEY=VALUE (e.g. GOMEMLIMIT=300MiB)")
	keep := flag.Bool("keep", false, "keep the temporary folder (data folder and server log)")
	flag.Parse()
	if *n < 1 || *n > createsPerSlot || *mp <= 0 || *mp > 40 {
		fatal(fmt.Errorf("need 1 <= -n <= %d (rate limit of creates from one address) and 0 < -mp <= 40", createsPerSlot))
	}

	tmp, err := os.MkdirTemp("", "uploadburst-")
	if err != nil {
		fatal(err)
	}
	if *keep {
		logf("keeping %s", tmp)
	}
	res, err := run(config{n: *n, mp: *mp, bin: *bin, settle: *settle, env: splitEnv(*env), tmp: tmp})
	if !*keep {
		os.RemoveAll(tmp)
	}
	if err != nil {
		fatal(err)
	}
	res.print(os.Stdout)
}

type config struct {
	n      int
	mp     float64
	bin    string
	settle time.Duration
	env    []string
	tmp    string
}

// result is what one run measured.
type result struct {
	cfg                  config
	width, height        int
	photoBytes           int
	successes            int
	failures             []string
	wall                 time.Duration
	idleRSS, peakRSS     int64 // kB; peak sampled every 50 ms
	hwm                  int64 // kB; VmHWM read at the end
	afterRSS             int64 // kB; settle after the burst
	probes, probesFailed int
	slowest              time.Duration
}

func run(cfg config) (*result, error) {
	bin := cfg.bin
	if bin == "" {
		bin = filepath.Join(cfg.tmp, "townhall")
		logf("building %s", bin)
		build := exec.Command("go", "build", "-o", bin, "github.com/townhall-portal/townhall")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return nil, fmt.Errorf("building townhall: %w", err)
		}
	}
	dir := filepath.Join(cfg.tmp, "pb_data")
	seed := exec.Command(bin, "--dir", dir, "seed", "--demo", "--history=false")
	if out, err := seed.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("seeding: %w\n%s", err, out)
	}

	w, h := photoSize(cfg.mp)
	logf("making a %d×%d photo", w, h)
	photo := makePhoto(w, h)
	logf("photo: %.1f MB", float64(len(photo))/1e6)

	addr, err := served.FreeAddr()
	if err != nil {
		return nil, err
	}
	srv, err := served.Start([]string{bin, "--dir", dir, "serve", "--http", addr}, cfg.env, addr, filepath.Join(cfg.tmp, "server.log"), 30*time.Second)
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	base, serverErr := srv.Base, srv.WithLog

	c := &client{base: base, http: &http.Client{Timeout: 10 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: cfg.n}}}
	if err := c.signIn(resident, demo.Password); err != nil {
		return nil, serverErr(err)
	}
	category, err := c.firstID("complaint_categories")
	if err != nil {
		return nil, serverErr(err)
	}
	reports := (cfg.n + photosPerReport - 1) / photosPerReport
	firstCreate := time.Now()
	ids := make([]string, reports)
	for i := range ids {
		if ids[i], err = c.fileReport(category, i); err != nil {
			return nil, serverErr(err)
		}
	}
	bodies := make([]upload, cfg.n)
	for i := range bodies {
		bodies[i] = newUpload(ids[i/photosPerReport], photo, i)
	}
	if reports+cfg.n > createsPerSlot {
		time.Sleep(time.Until(firstCreate.Add(createWindow + 500*time.Millisecond)))
	}

	pid := srv.Pid
	r := &result{cfg: cfg, width: w, height: h, photoBytes: len(photo)}
	time.Sleep(time.Second) // let the set-up's garbage settle
	r.idleRSS, _ = readStatus(pid)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { r.peakRSS = sampleRSS(pid, stop) })
	wg.Go(func() { r.probes, r.probesFailed, r.slowest = probeHealth(base, stop) })

	logf("sending %d photos at once", cfg.n)
	statuses := make([]string, cfg.n)
	start := time.Now()
	var burst sync.WaitGroup
	release := make(chan struct{})
	for i, u := range bodies {
		burst.Go(func() {
			<-release
			statuses[i] = c.upload(u)
		})
	}
	close(release)
	burst.Wait()
	r.wall = time.Since(start)
	for i, s := range statuses {
		if s == "" {
			r.successes++
		} else {
			r.failures = append(r.failures, fmt.Sprintf("photo %d: %s", i+1, s))
		}
	}
	logf("burst done in %s (%d of %d stored); waiting %s", r.wall.Round(time.Millisecond), r.successes, cfg.n, cfg.settle)
	time.Sleep(cfg.settle)
	r.afterRSS, r.hwm = readStatus(pid)
	close(stop)
	wg.Wait()
	select {
	case err := <-srv.Exited():
		return nil, serverErr(fmt.Errorf("the server exited: %v", err))
	default:
	}
	return r, nil
}

func (r *result) print(out io.Writer) {
	mb := func(kB int64) string { return fmt.Sprintf("%.0f MB", float64(kB)/1024) }
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(tw, "%s\t%s\n", k, v) }
	row("photos at once", strconv.Itoa(r.cfg.n))
	row("photo", fmt.Sprintf("%d×%d (%.1f MP), %.1f MB, EXIF orientation 6", r.width, r.height, float64(r.width*r.height)/1e6, float64(r.photoBytes)/1e6))
	if len(r.cfg.env) > 0 {
		row("server environment", strings.Join(r.cfg.env, " "))
	}
	row("successes", fmt.Sprintf("%d of %d", r.successes, r.cfg.n))
	row("wall time", r.wall.Round(10*time.Millisecond).String())
	row("RSS before the burst", mb(r.idleRSS))
	row("peak RSS", fmt.Sprintf("%s (sampled every 50 ms), VmHWM %s", mb(r.peakRSS), mb(r.hwm)))
	row(fmt.Sprintf("RSS %s after the burst", r.cfg.settle), mb(r.afterRSS))
	row("health probes failed", fmt.Sprintf("%d of %d, slowest %s", r.probesFailed, r.probes, r.slowest.Round(time.Millisecond)))
	tw.Flush()
	for _, f := range r.failures {
		fmt.Fprintln(out, "  failed:", f)
	}
}

// Photos
// -------------------------------------------------------------------

// photoSize returns the 4:3 size of mp megapixels (4000×3000 for 12).
func photoSize(mp float64) (int, int) {
	w := int(math.Round(math.Sqrt(mp * 1e6 * 4 / 3)))
	return w, int(math.Round(float64(w) * 3 / 4))
}

// grid is value noise: random values on a grid of cells, read with bilinear
// interpolation, so that it varies smoothly at the scale of one cell.
type grid struct {
	cell int
	cols int
	v    []float32
}

// newGrid returns a grid that can be read at 0 <= x < w+cell, 0 <= y < h+cell.
func newGrid(rng *rand.Rand, w, h, cell int) *grid {
	g := &grid{cell: cell, cols: w/cell + 3}
	g.v = make([]float32, g.cols*(h/cell+3))
	for i := range g.v {
		g.v[i] = rng.Float32()*2 - 1
	}
	return g
}

func (g *grid) at(x, y int) float32 {
	cx, cy := x/g.cell, y/g.cell
	fx := float32(x%g.cell) / float32(g.cell)
	fy := float32(y%g.cell) / float32(g.cell)
	i := cy*g.cols + cx
	top := g.v[i] + (g.v[i+1]-g.v[i])*fx
	bottom := g.v[i+g.cols] + (g.v[i+g.cols+1]-g.v[i+g.cols])*fx
	return top + (bottom-top)*fy
}

// makePhoto returns a w×h JPEG like a phone's: a sky over textured ground,
// structure at several scales and sensor noise, 4:2:0 chroma, quality 92,
// with an EXIF segment (orientation 6, GPS, camera serial number).
func makePhoto(w, h int) []byte {
	rng := rand.New(rand.NewPCG(2024, 13))
	m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	large := newGrid(rng, w, h, max(w/12, 16))
	mid := newGrid(rng, w, h, 48)
	fine := newGrid(rng, w, h, 6)
	clamp := func(v float32) uint8 { return uint8(max(0, min(255, v+0.5))) }
	horizon := make([]float32, w) // a line of hills
	for x := range w {
		horizon[x] = float32(h) * (0.4 + 0.08*large.at(x, h/2) + 0.01*mid.at(x, 0))
	}
	for y := range h {
		for x := range w {
			var v float32
			if float32(y) < horizon[x] { // sky: a gradient with soft clouds
				v = 205 - 60*float32(y)/float32(h) + 20*large.at(x, y) + 6*mid.at(x, y) + 3*fine.at(x, y)
			} else { // ground: light and shade, foliage, grain
				v = 90 + 40*large.at(x, y) + 30*mid.at(x, y) + 22*fine.at(x, y)
			}
			v += float32(rng.IntN(17) - 8) // sensor noise
			m.Y[y*m.YStride+x] = clamp(v)
		}
	}
	for y := range (h + 1) / 2 {
		for x := range (w + 1) / 2 {
			px, py := 2*x, 2*y
			cb, cr := float32(150), float32(112) // blue sky
			if float32(py) >= horizon[px] {
				cb, cr = 108+10*large.at(px, py+9), 124+14*mid.at(px+5, py) // greens and browns
			}
			i := y*m.CStride + x
			m.Cb[i] = clamp(cb + 6*mid.at(px, py+5) + 3*fine.at(px+3, py) + float32(rng.IntN(5)-2))
			m.Cr[i] = clamp(cr + 5*large.at(px+7, py) + 3*fine.at(px, py+3) + float32(rng.IntN(5)-2))
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 92}); err != nil {
		fatal(err)
	}
	return mediatest.InsertAfterSOI(buf.Bytes(), mediatest.ExifSegment(binary.LittleEndian, 6))
}

// HTTP
// -------------------------------------------------------------------

type client struct {
	base  string
	http  *http.Client
	token string
	user  string
}

func (c *client) do(method, path, contentType string, body io.Reader, out any) error {
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		return err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.token != "" {
		req.Header.Set("Authorization", c.token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s %s", method, path, res.Status, bytes.TrimSpace(raw))
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

func (c *client) postJSON(path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return c.do(http.MethodPost, path, "application/json", bytes.NewReader(body), out)
}

func (c *client) signIn(email, password string) error {
	var out struct {
		Token  string `json:"token"`
		Record struct {
			ID string `json:"id"`
		} `json:"record"`
	}
	err := c.postJSON("/api/collections/users/auth-with-password", map[string]string{"identity": email, "password": password}, &out)
	if err != nil {
		return fmt.Errorf("signing in as %s: %w", email, err)
	}
	c.token, c.user = out.Token, out.Record.ID
	return nil
}

func (c *client) firstID(collection string) (string, error) {
	var out struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := c.do(http.MethodGet, "/api/collections/"+collection+"/records?perPage=1", "", nil, &out); err != nil {
		return "", err
	}
	if len(out.Items) == 0 {
		return "", fmt.Errorf("no %s", collection)
	}
	return out.Items[0].ID, nil
}

func (c *client) fileReport(category string, i int) (string, error) {
	var out struct {
		ID string `json:"id"`
	}
	err := c.postJSON("/api/collections/complaints/records", map[string]any{
		"category":    category,
		"reporter":    c.user,
		"description": fmt.Sprintf("Pothole in front of number %d, photos attached (upload burst %d).", 10+i, i+1),
		"address":     fmt.Sprintf("%d Oak Street, Pine Falls", 10+i),
		"language":    "en",
	}, &out)
	if err != nil {
		return "", fmt.Errorf("filing a report: %w", err)
	}
	return out.ID, nil
}

// upload is a prepared multipart body.
type upload struct {
	contentType string
	body        []byte
}

func newUpload(complaint string, photo []byte, i int) upload {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("complaint", complaint)
	mw.WriteField("kind", "photo")
	fw, _ := mw.CreateFormFile("file", fmt.Sprintf("IMG_%04d.jpg", 4100+i))
	fw.Write(photo)
	mw.Close()
	return upload{contentType: mw.FormDataContentType(), body: buf.Bytes()}
}

// upload sends one photo and returns "" when it was stored, else the reason.
func (c *client) upload(u upload) string {
	var out struct {
		ID string `json:"id"`
	}
	err := c.do(http.MethodPost, "/api/collections/documents/records", u.contentType, bytes.NewReader(u.body), &out)
	switch {
	case err != nil:
		return err.Error()
	case out.ID == "":
		return "no id in the answer"
	}
	return ""
}

// probeHealth asks /api/health every 200 ms (on its own connections) until
// stop is closed. A probe fails on an error, a status other than 200 or no
// answer within 5 s.
func probeHealth(base string, stop <-chan struct{}) (probes, failed int, slowest time.Duration) {
	hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{}}
	t := time.NewTicker(healthEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		start := time.Now()
		res, err := hc.Get(base + "/api/health")
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		d := time.Since(start)
		probes++
		slowest = max(slowest, d)
		if err != nil || res.StatusCode != http.StatusOK {
			failed++
		}
	}
}

// Process memory
// -------------------------------------------------------------------

// sampleRSS reads the VmRSS of pid every 50 ms until stop is closed and
// returns the largest value (kB).
func sampleRSS(pid int, stop <-chan struct{}) int64 {
	var peak int64
	t := time.NewTicker(rssEvery)
	defer t.Stop()
	for {
		rss, _ := readStatus(pid)
		peak = max(peak, rss)
		select {
		case <-stop:
			return peak
		case <-t.C:
		}
	}
}

// readStatus returns VmRSS and VmHWM of pid in kB (0 when unreadable).
func readStatus(pid int) (rss, hwm int64) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for line := range strings.Lines(string(raw)) {
		k, v, ok := strings.Cut(line, ":")
		if !ok || !slices.Contains([]string{"VmRSS", "VmHWM"}, k) {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if k == "VmRSS" {
			rss = n
		} else {
			hwm = n
		}
	}
	return rss, hwm
}

// Helpers
// -------------------------------------------------------------------

func splitEnv(s string) []string {
	var out []string
	for kv := range strings.SplitSeq(s, ",") {
		if kv = strings.TrimSpace(kv); kv != "" {
			out = append(out, kv)
		}
	}
	return out
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "uploadburst: "+format+"\n", args...)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "uploadburst:", err)
	os.Exit(1)
}
