package cli

import (
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/archive"
)

// Restoring a backup into a fresh data folder (`townhall restore --from`):
// the zip is unpacked into an empty folder, the database is checked before
// anything writes to it, migrations bring it up to this version, and what
// it holds is printed. A damaged zip or database leaves the folder empty.

// folderIsEmpty reports whether dir is missing or holds nothing.
func folderIsEmpty(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading the data folder %s: %w", dir, err)
	}
	return len(entries) == 0, nil
}

// restoreIntoFreshFolder unpacks backup into the (empty) data folder,
// checks it, applies migrations and prints what was restored.
func restoreIntoFreshFolder(app *pocketbase.PocketBase, backup string, out io.Writer) error {
	dir := app.DataDir()
	info, err := os.Stat(backup)
	if err != nil {
		return fmt.Errorf("no backup file %s: %w", backup, err)
	}
	if info.IsDir() {
		return fmt.Errorf("%s is a folder, not a backup file", backup)
	}
	start := time.Now()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("making the data folder %s: %w", dir, err)
	}
	// on any failure the folder is emptied again (it was empty or new)
	undo := func() {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			_ = os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
	if isSQLite(backup) {
		// a database Litestream restored (`litestream restore -o FILE …`): it becomes the folder's data.db
		if err := copyFile(backup, filepath.Join(dir, "data.db")); err != nil {
			undo()
			return fmt.Errorf("copying %s into %s: %w; nothing was restored", backup, dir, err)
		}
	} else if err := archive.Extract(backup, dir); err != nil {
		undo()
		return fmt.Errorf("%s could not be read as a backup (a damaged or incomplete zip?); nothing was restored: %w", backup, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "data.db")); err != nil {
		undo()
		return fmt.Errorf("%s holds no data.db: it is not a Townhall backup; nothing was restored", backup)
	}
	if err := checkRestoredDatabase(dir); err != nil {
		undo()
		return fmt.Errorf("%w; nothing was restored", err)
	}
	if err := app.Bootstrap(); err != nil {
		undo()
		return fmt.Errorf("opening the restored data folder: %w; nothing was restored", err)
	}
	if err := app.RunAllMigrations(); err != nil {
		return fmt.Errorf("applying migrations to the restored data: %w", err)
	}
	fmt.Fprintf(out, "Restored %s into %s in %s.\n", backup, dir, time.Since(start).Round(time.Millisecond))
	if err := printRestored(app, out); err != nil {
		return err
	}
	fmt.Fprintln(out, "Numbering continues from the backup's counters: if the old data folder still exists, numbers it issued after the backup "+
		"are not known here (restore in place with `townhall restore BACKUP.zip` there to keep them).")
	fmt.Fprintf(out, "Start the server on it with `townhall serve --dir %s`.\n", dir)
	return nil
}

// isSQLite reports whether path is an SQLite database file (by its header).
func isSQLite(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 16)
	_, err = io.ReadFull(f, head)
	return err == nil && string(head) == "SQLite format 3\x00"
}

// copyFile copies a file, synced to disk.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// checkRestoredDatabase runs SQLite's integrity and foreign key checks on
// the restored databases (data.db, and auxiliary.db when present),
// read-only, before anything opens them for writing.
func checkRestoredDatabase(dir string) error {
	for _, name := range []string{"data.db", "auxiliary.db"} {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err != nil {
			if name == "data.db" {
				return fmt.Errorf("the restored folder has no %s", name)
			}
			continue
		}
		if err := checkDatabase(path); err != nil {
			return fmt.Errorf("the restored %s is damaged: %w", name, err)
		}
	}
	return nil
}

// checkDatabase runs PRAGMA integrity_check and foreign_key_check on one file.
func checkDatabase(path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	problems, err := pragmaRows(db, "PRAGMA integrity_check")
	if err != nil {
		return err
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return fmt.Errorf("integrity check: %s", strings.Join(first(problems, 5), "; "))
	}
	broken, err := pragmaRows(db, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	if len(broken) > 0 {
		return fmt.Errorf("foreign key check: %d broken references (%s)", len(broken), strings.Join(first(broken, 5), "; "))
	}
	return nil
}

// pragmaRows returns each row of a PRAGMA as one line of its columns.
func pragmaRows(db *sql.DB, q string) ([]string, error) {
	rows, err := db.Query(q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = v.String
		}
		out = append(out, strings.Join(parts, " "))
	}
	return out, rows.Err()
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }

// restoredCollections are the collections a restore reports on, as a clerk names them.
var restoredCollections = []struct{ name, label string }{
	{"permits", "permit applications"},
	{"complaints", "problem reports"},
	{"documents", "documents"},
	{"events", "history entries"},
	{"feedback", "ratings"},
	{"users", "residents"},
	{"staff", "staff accounts"},
}

// printRestored prints the integrity result, the count of each main
// collection and the newest record's time.
func printRestored(app core.App, out io.Writer) error {
	fmt.Fprintln(out, "Database check: integrity ok, foreign keys ok.")
	var newest, newestIn string
	for _, c := range restoredCollections {
		var n int
		var last sql.NullString
		err := app.DB().NewQuery("SELECT count(*), max(max(created), max(updated)) FROM "+c.name).Row(&n, &last)
		if err != nil {
			return fmt.Errorf("counting %s: %w", c.label, err)
		}
		fmt.Fprintf(out, "  %-22s %d\n", c.label, n)
		if last.String > newest {
			newest, newestIn = last.String, c.label
		}
	}
	if newest == "" {
		fmt.Fprintln(out, "Newest record: none (the backup holds no requests or accounts).")
		return nil
	}
	if t, err := time.Parse("2006-01-02 15:04:05.000Z", newest); err == nil {
		newest = t.UTC().Format(time.RFC3339)
	}
	fmt.Fprintf(out, "Newest record: %s (%s): anything after it is not in this backup.\n", newest, newestIn)
	return nil
}
