package hooks

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// Permit numbers and report references come from townhall_counters, one
// gap-free sequence per kind, code and year (nextSequence). Restoring a
// backup puts the backup's counters back, which would hand out again every
// number issued after the backup was taken — numbers already printed on
// certificates and letters. So a restore carries the numbering across:
// PocketBase's restore replaces everything in pb_data except the backups
// folder (and its own temp folder), so just before it runs the live
// counters are written to a file in the backups folder, and the next start
// raises every counter to at least its saved value (never lowering one),
// records what it did in townhall_restores, logs a warning and removes the
// file. Numbers issued between the backup and the restore are skipped, never
// issued twice.

// numberingFileName is the file, in the backups folder, that carries the
// counters across a restore.
const numberingFileName = ".townhall-numbering.json"

// restoresTable records each restore's effect on the numbering (created
// when first needed, like townhall_counters it is not a collection).
const restoresTable = "townhall_restores"

// recentRestore is how long after a restore `townhall check` warns about it.
const recentRestore = 30 * 24 * time.Hour

// savedNumbering is the content of the numbering file.
type savedNumbering struct {
	SavedAt  time.Time        `json:"saved_at"`
	Backup   string           `json:"backup"`
	Counters map[string]int64 `json:"counters"`
}

// NumberingRestore is what the first start after a restore did to the
// numbering.
type NumberingRestore struct {
	AppliedAt time.Time       // when the counters were raised
	SavedAt   time.Time       // when they were saved, just before the restore
	Backup    string          // the backup restored
	Raised    []RaisedCounter // the counters the backup had left behind
}

// RaisedCounter is one counter raised after a restore: the backup had
// reached From, numbers up to To had been issued before the restore, and
// numbering continues at To+1.
type RaisedCounter struct {
	Key  string `json:"key"`
	From int64  `json:"from"`
	To   int64  `json:"to"`
}

// String is the counter in words: "BLD-2026-00043 onward (the backup had
// reached BLD-2026-00040)".
func (c RaisedCounter) String() string {
	return fmt.Sprintf("%s onward (the backup had reached %s)", formatNumber(c.Key, c.To+1), formatNumber(c.Key, c.From))
}

// formatNumber writes the n-th number of a counter as it is printed:
// "permit:BLD:2026" and 42 make BLD-2026-00042.
func formatNumber(key string, n int64) string {
	parts := strings.Split(key, ":")
	if len(parts) != 3 {
		return fmt.Sprintf("%s #%d", key, n)
	}
	return fmt.Sprintf("%s-%s-%05d", parts[1], parts[2], n)
}

// registerNumbering installs the restore side of the numbering: the counters
// are saved before PocketBase's restore runs (the restore does not happen if
// they cannot be), saved again at the restart that ends a restore (what was
// issued while the backup was being extracted), and applied at the next
// start, before any migration, once the database is open.
func (p *Portal) registerNumbering() {
	p.app.OnBackupRestore().Bind(&hook.Handler[*core.BackupEvent]{
		Id: "townhallNumberingBeforeRestore",
		Func: func(e *core.BackupEvent) error {
			path := numberingPath(e.App.DataDir())
			_, statErr := os.Stat(path)
			if err := saveNumbering(e.App, e.Name, p.now()); err != nil {
				return fmt.Errorf("saving the permit and report numbering before the restore (nothing was restored): %w", err)
			}
			err := e.Next()
			if err != nil && errors.Is(statErr, fs.ErrNotExist) {
				// nothing was replaced (PocketBase reverts a failed restore):
				// the live counters are still right
				_ = os.Remove(path)
			}
			return err
		},
	})
	p.app.OnTerminate().Bind(&hook.Handler[*core.TerminateEvent]{
		Id:       "townhallNumberingAtRestart",
		Priority: -10, // before anything that stops the restart
		Func: func(e *core.TerminateEvent) error {
			if e.IsRestart && e.App.Store().Has(core.StoreKeyActiveBackup) {
				if _, err := os.Stat(numberingPath(e.App.DataDir())); err == nil {
					// the connection may still read the replaced database;
					// if it reads the restored one instead, the merge keeps
					// the higher values saved before
					if err := saveNumbering(e.App, "", p.now()); err != nil {
						e.App.Logger().Error("could not save the numbering again at the restore's restart; the values saved before the restore apply", "error", err)
					}
				}
			}
			return e.Next()
		},
	})
	p.app.OnBootstrap().Bind(&hook.Handler[*core.BootstrapEvent]{
		Id: "townhallNumberingAfterRestore",
		Func: func(e *core.BootstrapEvent) error {
			if err := e.Next(); err != nil {
				return err
			}
			if !e.App.HasTable("townhall_counters") {
				return nil // before the migrations: OnServe applies it after them
			}
			_, err := p.applySavedNumbering(e.App)
			return err
		},
	})
}

// numberingPath is the numbering file of a data folder.
func numberingPath(dataDir string) string {
	return filepath.Join(dataDir, core.LocalBackupsDirName, numberingFileName)
}

// readCounters reads every counter.
func readCounters(db dbx.Builder) (map[string]int64, error) {
	var rows []struct {
		Key   string `db:"key"`
		Value int64  `db:"value"`
	}
	if err := db.NewQuery("SELECT key, value FROM townhall_counters").All(&rows); err != nil {
		return nil, fmt.Errorf("reading townhall_counters: %w", err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Key] = r.Value
	}
	return out, nil
}

// saveNumbering writes the live counters and the time to the numbering file,
// keeping for each counter the higher of its value and the one already in
// the file, and flushes it to disk.
func saveNumbering(app core.App, backup string, now time.Time) error {
	counters := map[string]int64{} // a data folder never migrated has issued nothing
	if app.HasTable("townhall_counters") {
		var err error
		if counters, err = readCounters(app.NonconcurrentDB()); err != nil {
			return err
		}
	}
	path := numberingPath(app.DataDir())
	saved := savedNumbering{SavedAt: now.UTC(), Backup: backup, Counters: counters}
	switch prev, err := readSavedNumbering(path); {
	case err == nil:
		for k, v := range prev.Counters {
			saved.Counters[k] = max(saved.Counters[k], v)
		}
		if saved.Backup == "" {
			saved.Backup = prev.Backup
		}
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	raw, err := json.MarshalIndent(saved, "", "  ")
	if err != nil {
		return err
	}
	return writeFileSynced(path, raw)
}

// readSavedNumbering reads a numbering file.
func readSavedNumbering(path string) (savedNumbering, error) {
	var s savedNumbering
	raw, err := os.ReadFile(path)
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("reading %s: %w", path, err)
	}
	return s, nil
}

// writeFileSynced replaces path with data so that a crash leaves either the
// old or the new file, both on disk: a temporary file in the same folder,
// fsync'd, renamed over path, then the folder fsync'd.
func writeFileSynced(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".townhall-numbering-*.partial")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(f.Name()) // after the rename there is nothing left to remove
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("flushing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return syncDir(dir)
}

// syncDir flushes a folder's entries (a file created, renamed or removed in
// it) to disk. Systems that cannot sync a folder are not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("opening %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("flushing %s: %w", dir, err)
	}
	return nil
}

// applySavedNumbering is the start-up step after a restore: if the
// numbering file exists, every counter is raised to at least its saved
// value (none is lowered), the restore is recorded, a warning logged and the
// file removed. Without a file it does nothing and returns nil. An error
// means the numbering could not be carried over and the portal must not
// issue numbers.
func (p *Portal) applySavedNumbering(app core.App) (*NumberingRestore, error) {
	path := numberingPath(app.DataDir())
	saved, err := readSavedNumbering(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("carrying the numbering over a backup restore: %w", err)
	}
	out := &NumberingRestore{AppliedAt: p.now().UTC(), SavedAt: saved.SavedAt, Backup: saved.Backup}
	err = app.RunInTransaction(func(tx core.App) error {
		for _, key := range slices.Sorted(maps.Keys(saved.Counters)) {
			want := saved.Counters[key]
			var current int64
			err := tx.DB().NewQuery("SELECT value FROM townhall_counters WHERE key = {:key}").
				Bind(dbx.Params{"key": key}).Row(&current)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("reading counter %s: %w", key, err)
			}
			if current >= want {
				continue
			}
			_, err = tx.DB().NewQuery(`INSERT INTO townhall_counters (key, value) VALUES ({:key}, {:value})
				ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)`).
				Bind(dbx.Params{"key": key, "value": want}).Execute()
			if err != nil {
				return fmt.Errorf("raising counter %s to %d: %w", key, want, err)
			}
			out.Raised = append(out.Raised, RaisedCounter{Key: key, From: current, To: want})
		}
		if err := createRestoresTable(tx); err != nil {
			return err
		}
		raised, err := json.Marshal(out.Raised)
		if err != nil {
			return err
		}
		_, err = tx.DB().NewQuery(`INSERT INTO ` + restoresTable + ` (applied_at, saved_at, backup, raised)
			VALUES ({:applied}, {:saved}, {:backup}, {:raised})`).Bind(dbx.Params{
			"applied": out.AppliedAt.Format(time.RFC3339Nano), "saved": out.SavedAt.UTC().Format(time.RFC3339Nano),
			"backup": out.Backup, "raised": string(raised),
		}).Execute()
		if err != nil {
			return fmt.Errorf("recording the restore: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("carrying the numbering over a backup restore (from %s): %w", path, err)
	}
	continued := make([]string, len(out.Raised))
	for i, c := range out.Raised {
		continued[i] = c.String()
	}
	app.Logger().Warn("a backup was restored: numbering continues after the numbers issued before the restore, so none is issued twice; "+
		"permits and reports numbered in between are not in the restored data",
		"backup", out.Backup, "savedAt", out.SavedAt, "continues", strings.Join(continued, "; "))
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		// harmless: the next start raises the counters again (to the same values)
		app.Logger().Error("could not remove the numbering file of a restore", "file", path, "error", err)
	} else if err := syncDir(filepath.Dir(path)); err != nil {
		app.Logger().Warn("could not flush the backups folder", "error", err)
	}
	return out, nil
}

// ApplyRestoredNumbering is the start-up step after a restore for commands
// that restore and go on without a restart (`townhall restore`): run it after
// the migrations. It returns nil when there was nothing to apply.
func (p *Portal) ApplyRestoredNumbering() (*NumberingRestore, error) {
	return p.applySavedNumbering(p.app)
}

// createRestoresTable creates the table of restores if it is missing.
func createRestoresTable(app core.App) error {
	_, err := app.DB().NewQuery(`CREATE TABLE IF NOT EXISTS ` + restoresTable + ` (
		id         INTEGER PRIMARY KEY AUTOINCREMENT,
		applied_at TEXT NOT NULL,
		saved_at   TEXT NOT NULL,
		backup     TEXT NOT NULL DEFAULT '',
		raised     TEXT NOT NULL DEFAULT '[]'
	)`).Execute()
	if err != nil {
		return fmt.Errorf("creating %s: %w", restoresTable, err)
	}
	return nil
}

// LastRestore is the most recent restore's effect on the numbering, or nil
// when no restore was recorded.
func (p *Portal) LastRestore() (*NumberingRestore, error) {
	if !p.app.HasTable(restoresTable) {
		return nil, nil
	}
	var row struct {
		AppliedAt string `db:"applied_at"`
		SavedAt   string `db:"saved_at"`
		Backup    string `db:"backup"`
		Raised    string `db:"raised"`
	}
	err := p.app.DB().NewQuery("SELECT applied_at, saved_at, backup, raised FROM " + restoresTable + " ORDER BY id DESC LIMIT 1").One(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", restoresTable, err)
	}
	out := &NumberingRestore{Backup: row.Backup}
	out.AppliedAt, _ = time.Parse(time.RFC3339Nano, row.AppliedAt)
	out.SavedAt, _ = time.Parse(time.RFC3339Nano, row.SavedAt)
	if err := json.Unmarshal([]byte(row.Raised), &out.Raised); err != nil {
		return nil, fmt.Errorf("reading %s: %w", restoresTable, err)
	}
	return out, nil
}

// Summary is the restore in a sentence, for `townhall restore` and
// `townhall check`.
func (r NumberingRestore) Summary() string {
	backup := r.Backup
	if backup == "" {
		backup = "a backup"
	}
	when := r.AppliedAt.UTC().Format("2006-01-02 15:04 UTC")
	if len(r.Raised) == 0 {
		return fmt.Sprintf("%s was restored %s; its numbering was already ahead, no number was skipped", backup, when)
	}
	continued := make([]string, len(r.Raised))
	for i, c := range r.Raised {
		continued[i] = c.String()
	}
	return fmt.Sprintf("%s was restored %s; numbering continues at %s. The numbers in between were issued after the backup: "+
		"those permits and reports are not in the restored data and must be entered again",
		backup, when, strings.Join(continued, ", "))
}

// numberingFindings reports on the numbering for `townhall check`: a restore's
// saved numbering still waiting to be applied (fail), the last restore and
// from which numbers numbering continued (a warning for 30 days after a
// restore that skipped numbers), or that no restore was recorded.
func (p *Portal) numberingFindings() []Finding {
	if _, err := os.Stat(numberingPath(p.app.DataDir())); err == nil {
		return []Finding{{"fail", "numbering", "a restore's numbering is waiting in " + numberingPath(p.app.DataDir()) +
			": start the server (or run this check again) so it is applied before any permit is issued"}}
	}
	last, err := p.LastRestore()
	switch {
	case err != nil:
		return []Finding{{"warn", "numbering", err.Error()}}
	case last == nil:
		return []Finding{{"ok", "numbering", "no backup restore recorded; numbers are gap-free"}}
	case len(last.Raised) > 0 && p.now().Sub(last.AppliedAt) < recentRestore:
		return []Finding{{"warn", "numbering", last.Summary()}}
	default:
		return []Finding{{"ok", "numbering", last.Summary()}}
	}
}
