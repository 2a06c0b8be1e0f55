package hooks

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"syscall"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// Housekeeping at start: what a crash (kill -9, a power cut) leaves behind
// is removed, the numbering is carried across a backup restore (see
// numbering.go), and a running server says so in the data folder so that
// `townhall restore` does not pull the database from under it.

// leftoverAge is how old a temporary file must be before the start-up
// cleanup treats it as a crash's leftover: nothing uploads for an hour.
const leftoverAge = time.Hour

// storageTempName matches the temporary files PocketBase's local file
// storage writes next to the final file before renaming it:
// "<name>.<hex nanoseconds>.tmp". Stored files never look like this (their
// names end with "_<random>.<ext>").
var storageTempName = regexp.MustCompile(`\.[0-9a-f]{8,16}\.tmp$`)

// multipartTempName matches the files Go's mime/multipart spills large
// upload parts to in os.TempDir(): "multipart-<random digits>".
var multipartTempName = regexp.MustCompile(`^multipart-[0-9]+$`)

// serverMarkerName is the file in the data folder that says a server is
// running on it: its process id and address.
const serverMarkerName = ".townhall-server.json"

// registerHousekeeping installs the start-up housekeeping: when the server
// starts (after the migrations), the numbering saved by a backup restore is
// applied (the server does not start if it cannot be: it would re-issue
// numbers), crash leftovers older than an hour are removed from the storage
// folder and the temp folder, and the server marks the data folder as in use
// until it stops. It also installs the numbering's own restore hooks. Every
// handler has an id, so installing twice replaces rather than doubles them.
func (p *Portal) registerHousekeeping() {
	p.registerNumbering()

	p.app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "townhallHousekeeping",
		Func: func(se *core.ServeEvent) error {
			if _, err := p.applySavedNumbering(se.App); err != nil {
				return err
			}
			p.removeCrashLeftovers(se.App)
			if err := se.Next(); err != nil {
				return err
			}
			if se.Server != nil { // a real server, not a test's router
				if err := writeServerMarker(se.App.DataDir(), se.Server.Addr); err != nil {
					se.App.Logger().Warn("could not mark the data folder as served; `townhall restore` will not notice this server", "error", err)
				}
			}
			return nil
		},
	})
	p.app.OnTerminate().Bind(&hook.Handler[*core.TerminateEvent]{
		Id: "townhallServerMarker",
		Func: func(e *core.TerminateEvent) error {
			removeServerMarker(e.App.DataDir())
			return e.Next()
		},
	})
}

// removeCrashLeftovers removes the temporary files a crash left in the
// storage folder and in os.TempDir() and logs how many and where. File ages
// are measured on the wall clock (time.Now, not the portal's clock), since
// modification times come from the operating system.
func (p *Portal) removeCrashLeftovers(app core.App) {
	cutoff := time.Now().Add(-leftoverAge)
	log := app.Logger()
	report := func(what, dir string, removed []string, err error) {
		if len(removed) > 0 {
			log.Info("removed leftovers of interrupted uploads", "what", what, "dir", dir, "count", len(removed))
		}
		if err != nil {
			log.Warn("could not remove every leftover of interrupted uploads", "what", what, "dir", dir, "removed", len(removed), "error", err)
		}
	}
	storage := filepath.Join(app.DataDir(), core.LocalStorageDirName)
	removed, err := removeStorageLeftovers(storage, cutoff)
	report("storage temp files (*.tmp)", storage, removed, err)
	removed, err = removeMultipartLeftovers(os.TempDir(), cutoff)
	report("multipart upload parts (multipart-*)", os.TempDir(), removed, err)
}

// removeStorageLeftovers removes, anywhere under dir, the storage's
// temporary files ("<name>.<hex>.tmp") last modified before cutoff, and
// returns their paths. It follows no symbolic link and touches nothing else.
// A missing dir (files stored on S3) is not an error.
func removeStorageLeftovers(dir string, cutoff time.Time) ([]string, error) {
	var removed []string
	var errs []error
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // gone meanwhile, or no local storage at all
			}
			errs = append(errs, err)
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !storageTempName.MatchString(d.Name()) {
			return nil
		}
		ok, err := removeIfOlder(path, d, cutoff)
		if err != nil {
			errs = append(errs, err)
		} else if ok {
			removed = append(removed, path)
		}
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	return removed, errors.Join(errs...)
}

// removeMultipartLeftovers removes the "multipart-<digits>" files directly
// in dir (not in its subfolders) last modified before cutoff, and returns
// their paths.
func removeMultipartLeftovers(dir string, cutoff time.Time) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("listing %s: %w", dir, err)
	}
	var removed []string
	var errs []error
	for _, d := range entries {
		if !d.Type().IsRegular() || !multipartTempName.MatchString(d.Name()) {
			continue
		}
		path := filepath.Join(dir, d.Name())
		ok, err := removeIfOlder(path, d, cutoff)
		if err != nil {
			errs = append(errs, err)
		} else if ok {
			removed = append(removed, path)
		}
	}
	return removed, errors.Join(errs...)
}

// removeIfOlder removes a file last modified before cutoff; a file someone
// else removed meanwhile is not an error.
func removeIfOlder(path string, d fs.DirEntry, cutoff time.Time) (bool, error) {
	info, err := d.Info()
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading %s: %w", path, err)
	}
	if !info.ModTime().Before(cutoff) {
		return false, nil
	}
	if err := os.Remove(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		return false, fmt.Errorf("removing %s: %w", path, err)
	}
	return true, nil
}

// serverMarker is what a running server writes in its data folder.
type serverMarker struct {
	PID     int       `json:"pid"`
	Addr    string    `json:"addr"`
	Started time.Time `json:"started"`
}

// writeServerMarker says in dataDir that this process serves it on addr.
func writeServerMarker(dataDir, addr string) error {
	raw, err := json.Marshal(serverMarker{PID: os.Getpid(), Addr: addr, Started: time.Now().UTC()})
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dataDir, serverMarkerName), raw, 0o644); err != nil {
		return fmt.Errorf("writing the server marker: %w", err)
	}
	return nil
}

// removeServerMarker removes this process's marker from dataDir (not another
// server's).
func removeServerMarker(dataDir string) {
	path := filepath.Join(dataDir, serverMarkerName)
	if m, err := readServerMarker(path); err == nil && m.PID == os.Getpid() {
		_ = os.Remove(path)
	}
}

func readServerMarker(path string) (serverMarker, error) {
	var m serverMarker
	raw, err := os.ReadFile(path)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return m, fmt.Errorf("reading %s: %w", path, err)
	}
	return m, nil
}

// RunningServer reports whether a Townhall server is serving dataDir now:
// the marker it writes at start names a live process other than this one.
// A marker left by a crash names a dead process and is ignored. It returns
// the server's process id and address and the marker's path.
func RunningServer(dataDir string) (pid int, addr, marker string, running bool) {
	marker = filepath.Join(dataDir, serverMarkerName)
	m, err := readServerMarker(marker)
	if err != nil || m.PID <= 0 || m.PID == os.Getpid() {
		return 0, "", marker, false
	}
	proc, err := os.FindProcess(m.PID)
	if err != nil {
		return 0, "", marker, false
	}
	// signal 0 checks that the process exists without touching it; EPERM
	// means it exists but belongs to another user
	if err := proc.Signal(syscall.Signal(0)); err != nil && !errors.Is(err, syscall.EPERM) {
		return 0, "", marker, false
	}
	return m.PID, m.Addr, marker, true
}
