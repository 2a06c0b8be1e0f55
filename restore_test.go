package main

import (
	"archive/zip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tools/archive"
)

// TestRestoreIntoAFreshFolder restores a backup with `restore --from` into
// a new data folder: it checks the database, prints the counts and the
// newest record's time, and the folder serves. A folder that is not empty
// is refused unless --replace; a damaged zip and a damaged database are
// plain errors (exit 1) that leave the folder empty.
func TestRestoreIntoAFreshFolder(t *testing.T) {
	dir := t.TempDir()
	if code, out := run(t, dir, "seed", "--demo", "--history=false"); code != 0 {
		t.Fatalf("seed: %d %s", code, out)
	}
	backups := t.TempDir()
	backup := filepath.Join(backups, "nightly.zip")
	if err := archive.Create(filepath.Join(dir, "pb_data"), backup, "backups", ".pb_temp_to_delete"); err != nil {
		t.Fatal(err)
	}

	fresh := t.TempDir()
	target := filepath.Join(fresh, "pb_data")
	code, out := run(t, fresh, "restore", "--from", backup, "--dir", target)
	if code != 0 {
		t.Fatalf("restore --from exited %d:\n%s", code, out)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`Restored .*nightly\.zip into .*pb_data in \d`),
		regexp.MustCompile(`integrity ok, foreign keys ok`),
		regexp.MustCompile(`problem reports\s+[1-9]\d*`),
		regexp.MustCompile(`permit applications\s+[1-9]\d*`),
		regexp.MustCompile(`documents\s+\d+`),
		regexp.MustCompile(`history entries\s+[1-9]\d*`),
		regexp.MustCompile(`residents\s+[1-9]\d*`),
		regexp.MustCompile(`Newest record: 20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ`),
	} {
		if !want.MatchString(out) {
			t.Errorf("the summary lacks %s:\n%s", want, out)
		}
	}
	startServer(t, fresh)()

	// not into a folder that holds data, unless told
	code, out = run(t, fresh, "restore", "--from", backup, "--dir", target)
	if code != 1 || !strings.Contains(out, "is not empty") {
		t.Errorf("into a folder with data: exit %d\n%s", code, out)
	}
	code, out = run(t, fresh, "restore", "--from", backup, "--dir", target, "--replace")
	if code != 0 || !strings.Contains(out, "Restored nightly.zip") || !strings.Contains(out, "integrity ok") {
		t.Errorf("--replace: exit %d\n%s", code, out)
	}

	// a database Litestream restored
	litestreamed := t.TempDir()
	code, out = run(t, litestreamed, "restore", "--from", filepath.Join(dir, "pb_data", "data.db"), "--dir", "pb_data")
	if code != 0 || !strings.Contains(out, "integrity ok") || !regexp.MustCompile(`problem reports\s+[1-9]`).MatchString(out) {
		t.Errorf("restore --from a database: exit %d\n%s", code, out)
	}

	// a damaged zip: the first half of the backup
	raw, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(backups, "cut.zip")
	if err := os.WriteFile(cut, raw[:len(raw)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	// a zip whose database is damaged: its pages scrambled past the header
	db, err := os.ReadFile(filepath.Join(dir, "pb_data", "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 8192; i < len(db); i += 4096 {
		for j := i; j < i+64 && j < len(db); j++ {
			db[j] ^= 0x5a
		}
	}
	broken := filepath.Join(backups, "broken-db.zip")
	writeZip(t, broken, map[string][]byte{"data.db": db})
	brokenDB := filepath.Join(backups, "litestream-broken.db")
	if err := os.WriteFile(brokenDB, db, 0o644); err != nil {
		t.Fatal(err)
	}
	notOurs := filepath.Join(backups, "photos.zip")
	writeZip(t, notOurs, map[string][]byte{"photo.jpg": []byte("not a database")})
	for _, c := range []struct{ file, says string }{
		{cut, "could not be read as a backup"},
		{broken, "the restored data.db is damaged"},
		{notOurs, "not a Townhall backup"},
		{brokenDB, "the restored data.db is damaged"},
		{filepath.Join(backups, "missing.zip"), "no backup file"},
	} {
		target := filepath.Join(t.TempDir(), "restored")
		code, out := run(t, fresh, "restore", "--from", c.file, "--dir", target)
		if code != 1 || !strings.Contains(out, c.says) || strings.Contains(out, "goroutine") {
			t.Errorf("%s: exit %d, want 1 saying %q:\n%s", filepath.Base(c.file), code, c.says, out)
		}
		if entries, _ := os.ReadDir(target); len(entries) != 0 {
			t.Errorf("%s: the folder is left with %d entries", filepath.Base(c.file), len(entries))
		}
	}
}

// writeZip writes a zip of the given files.
func writeZip(t *testing.T, path string, files map[string][]byte) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z := zip.NewWriter(f)
	for name, b := range files {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
}
