package hooks

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/townhall-portal/townhall/internal/testkit"
)

// plant creates a file (and its folders) last modified age ago.
func plant(t *testing.T, path string, age time.Duration) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	when := time.Now().Add(-age)
	if err := os.Chtimes(path, when, when); err != nil {
		t.Fatal(err)
	}
	return path
}

// remaining lists the files left under dir, relative to it.
func remaining(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	_ = filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && path != dir {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, rel)
		}
		return nil
	})
	slices.Sort(out)
	return out
}

// TestRemoveStorageLeftovers: only the storage's own temporary files
// ("<name>.<hex>.tmp") older than the cut-off go, at any depth; stored
// files, a resident's file that merely ends in .tmp, folders and links stay.
func TestRemoveStorageLeftovers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	outside := plant(t, filepath.Join(t.TempDir(), "target.18a2b3c4d5e6f700.tmp"), 3*time.Hour)
	old := []string{
		plant(t, filepath.Join(dir, "pbc_1", "rec1", "photo_ab12cd34ef.png.18a2b3c4d5e6f708.tmp"), 2*time.Hour),
		plant(t, filepath.Join(dir, "pbc_1", "rec1", "thumbs_photo_ab12cd34ef.png", "100x100_photo_ab12cd34ef.png.18a2b3c4d5e6f7a0.tmp"), 25*time.Hour),
		plant(t, filepath.Join(dir, "top.18a2b3c4d5.tmp"), 61*time.Minute),
	}
	plant(t, filepath.Join(dir, "pbc_1", "rec1", "photo_ab12cd34ef.png.18a2b3c4d5e6f709.tmp"), 10*time.Minute) // an upload under way
	plant(t, filepath.Join(dir, "pbc_1", "rec1", "photo_ab12cd34ef.png"), 48*time.Hour)
	plant(t, filepath.Join(dir, "pbc_1", "rec1", "photo_ab12cd34ef.png.attrs"), 48*time.Hour)
	plant(t, filepath.Join(dir, "pbc_1", "rec2", "minutes_0123456789.tmp"), 48*time.Hour) // a resident's own .tmp file
	plant(t, filepath.Join(dir, "pbc_1", "rec2", "notes.18a2b3c4d5e6f708.tmp.bak"), 48*time.Hour)
	if err := os.MkdirAll(filepath.Join(dir, "pbc_1", "folder.18a2b3c4d5e6f708.tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "pbc_1", "link.18a2b3c4d5e6f701.tmp")); err != nil {
		t.Fatal(err)
	}
	slices.Sort(old)

	removed, err := removeStorageLeftovers(dir, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	if !slices.Equal(removed, old) {
		t.Errorf("removed %v, want %v", removed, old)
	}
	want := []string{
		"pbc_1", "pbc_1/folder.18a2b3c4d5e6f708.tmp", "pbc_1/link.18a2b3c4d5e6f701.tmp", "pbc_1/rec1",
		"pbc_1/rec1/photo_ab12cd34ef.png", "pbc_1/rec1/photo_ab12cd34ef.png.18a2b3c4d5e6f709.tmp", "pbc_1/rec1/photo_ab12cd34ef.png.attrs",
		"pbc_1/rec1/thumbs_photo_ab12cd34ef.png", "pbc_1/rec2", "pbc_1/rec2/minutes_0123456789.tmp", "pbc_1/rec2/notes.18a2b3c4d5e6f708.tmp.bak",
	}
	if got := remaining(t, dir); !slices.Equal(got, want) {
		t.Errorf("left %v,\nwant %v", got, want)
	}
	if _, err := os.Stat(outside); err != nil {
		t.Errorf("the link's target was removed: %v", err)
	}

	// no local storage (files on S3): nothing to do
	if removed, err := removeStorageLeftovers(filepath.Join(dir, "missing"), time.Now()); err != nil || len(removed) != 0 {
		t.Errorf("missing folder: %v %v", removed, err)
	}
}

// TestRemoveMultipartLeftovers: only "multipart-<digits>" files directly in
// the temp folder and older than the cut-off go.
func TestRemoveMultipartLeftovers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	old := plant(t, filepath.Join(dir, "multipart-2718281828"), 2*time.Hour)
	plant(t, filepath.Join(dir, "multipart-3141592653"), 5*time.Minute) // an upload under way
	plant(t, filepath.Join(dir, "multipart-notdigits"), 2*time.Hour)
	plant(t, filepath.Join(dir, "multipart-12.tmp"), 2*time.Hour)
	plant(t, filepath.Join(dir, "other-1234"), 2*time.Hour)
	plant(t, filepath.Join(dir, "go-build123", "multipart-1234"), 2*time.Hour) // not directly in the folder
	if err := os.Mkdir(filepath.Join(dir, "multipart-999"), 0o755); err != nil {
		t.Fatal(err)
	}

	removed, err := removeMultipartLeftovers(dir, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(removed, []string{old}) {
		t.Errorf("removed %v, want only %s", removed, old)
	}
	want := []string{"go-build123", "go-build123/multipart-1234", "multipart-12.tmp", "multipart-3141592653", "multipart-999", "multipart-notdigits", "other-1234"}
	if got := remaining(t, dir); !slices.Equal(got, want) {
		t.Errorf("left %v,\nwant %v", got, want)
	}
}

// TestServeRemovesStorageLeftovers: the start-up hook cleans the app's own
// storage folder when the server starts.
func TestServeRemovesStorageLeftovers(t *testing.T) {
	t.Parallel()
	app, err := tests.NewTestApp(templateDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	p := RegisterWith(app, Options{Now: testkit.NewClock(testStart).Now})
	p.sendSoon = func() {}
	p.registerHousekeeping()
	storage := filepath.Join(app.DataDir(), core.LocalStorageDirName)
	leftover := plant(t, filepath.Join(storage, "pbc_x", "recx", "scan_0123456789.pdf.18a2b3c4d5e6f708.tmp"), 3*time.Hour)
	fresh := plant(t, filepath.Join(storage, "pbc_x", "recx", "scan_0123456789.pdf.18a2b3c4d5e6f709.tmp"), time.Minute)
	if _, err := testkit.Handler(app); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Errorf("the hour-old leftover is still there: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a fresh temp file was removed: %v", err)
	}
}

// TestRunningServer: a marker names a live process (a server), a dead one
// (a crash) or this very process (a stale marker with a reused id).
func TestRunningServer(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, _, _, running := RunningServer(dir); running {
		t.Fatal("no marker, yet running")
	}
	write := func(pid int) {
		t.Helper()
		raw := []byte(`{"pid":` + itoa(pid) + `,"addr":"127.0.0.1:8090"}`)
		if err := os.WriteFile(filepath.Join(dir, serverMarkerName), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(os.Getppid()) // alive: the go command running this test
	if pid, addr, _, running := RunningServer(dir); !running || pid != os.Getppid() || addr != "127.0.0.1:8090" {
		t.Errorf("a live server: %d %s %v", pid, addr, running)
	}
	write(os.Getpid())
	if _, _, _, running := RunningServer(dir); running {
		t.Error("this process's own id counts as a running server")
	}
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip("no `true` command:", err)
	}
	write(dead.Process.Pid)
	if _, _, _, running := RunningServer(dir); running {
		t.Error("a dead process counts as a running server")
	}

	if err := writeServerMarker(dir, "127.0.0.1:9999"); err != nil {
		t.Fatal(err)
	}
	removeServerMarker(dir)
	if _, err := os.Stat(filepath.Join(dir, serverMarkerName)); !os.IsNotExist(err) {
		t.Errorf("the server's own marker is not removed at stop: %v", err)
	}
	write(os.Getppid())
	removeServerMarker(dir)
	if _, err := os.Stat(filepath.Join(dir, serverMarkerName)); err != nil {
		t.Errorf("another server's marker was removed: %v", err)
	}
}
