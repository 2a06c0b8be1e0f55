package hooks

import (
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Open311 clients (open311_clients) are the apps allowed to file reports.
// The administrator creates one in the dashboard; the server makes its key,
// keeps only the key's SHA-256 and a short hint, and puts the key itself in
// the answer to that save alone — the dashboard shows it once ("Save and
// continue"). Ticking new_key makes a new one the same way.

// open311KeyPrefix starts every key, so a leaked one is recognisable.
const open311KeyPrefix = "o311_"

// defaultClientRate is how many reports a client may file a minute when its
// record names no limit.
const defaultClientRate = 60

// registerOpen311Clients makes and replaces client keys on every save.
func registerOpen311Clients(app core.App) {
	app.OnRecordCreate("open311_clients").BindFunc(func(e *core.RecordEvent) error {
		return saveWithNewKey(e, true)
	})
	app.OnRecordUpdate("open311_clients").BindFunc(func(e *core.RecordEvent) error {
		return saveWithNewKey(e, e.Record.GetBool("new_key"))
	})
}

// saveWithNewKey saves a client record, with a new key when fresh is set.
// Whatever is typed into the key field is never stored; a new key is set on
// the record only after it is written, so that the answer to this save (and
// nothing else) carries it.
func saveWithNewKey(e *core.RecordEvent, fresh bool) error {
	r := e.Record
	r.Set("key", "")
	r.Set("new_key", false)
	key := ""
	if fresh {
		var err error
		if key, err = newClientKey(); err != nil {
			return err
		}
		r.Set("key_hash", hashClientKey(key))
		r.Set("key_hint", key[:len(open311KeyPrefix)+4]+"…")
	}
	if err := e.Next(); err != nil {
		return err
	}
	if key != "" {
		r.Set("key", key)
	}
	return nil
}

// newClientKey is a fresh random key: the prefix and 192 random bits.
func newClientKey() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return open311KeyPrefix + hex.EncodeToString(b), nil
}

// hashClientKey is what is stored of a key.
func hashClientKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// open311Client is what a request learns of the client whose key it carries.
type open311Client struct {
	ID        string `db:"id"`
	Name      string `db:"name"`
	Enabled   bool   `db:"enabled"`
	RateLimit int    `db:"rate_limit"`
}

// findOpen311Client finds the enabled client holding key (ok false: none).
func findOpen311Client(app core.App, key string) (open311Client, bool, error) {
	var c open311Client
	if key == "" {
		return c, false, nil
	}
	err := app.DB().Select("id", "name", "enabled", "rate_limit").From("open311_clients").
		Where(dbx.HashExp{"key_hash": hashClientKey(key)}).AndWhere(dbx.NewExp("key_hash != ''")).Limit(1).One(&c)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return c, false, nil
		}
		return c, false, err
	}
	return c, c.Enabled, nil
}

// touchOpen311Client records when a client last filed a report (without the
// record's hooks: this is bookkeeping, not an administrator's change).
func touchOpen311Client(app core.App, id string, now time.Time) {
	at, _ := types.ParseDateTime(now.UTC())
	if _, err := app.DB().Update("open311_clients", dbx.Params{"last_used_at": at.String()}, dbx.HashExp{"id": id}).Execute(); err != nil {
		app.Logger().Warn("recording an Open311 client's last use failed", "client", id, "error", err)
	}
}

// windowLimiter counts requests per key in fixed windows (a minute of a
// client's reports, ten seconds of an address's reads).
type windowLimiter struct {
	mu     sync.Mutex
	window time.Duration
	counts map[string]*windowCount
}

type windowCount struct {
	start time.Time
	n     int
}

func newWindowLimiter(window time.Duration) *windowLimiter {
	return &windowLimiter{window: window, counts: map[string]*windowCount{}}
}

// allow counts one request for key at now and reports whether it is within
// limit, and if not, how long until the window ends.
func (l *windowLimiter) allow(key string, limit int, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.counts[key]
	if !ok || now.Sub(c.start) >= l.window || now.Before(c.start) {
		if len(l.counts) >= 10000 { // forget finished windows, bounded memory
			for k, v := range l.counts {
				if now.Sub(v.start) >= l.window {
					delete(l.counts, k)
				}
			}
		}
		c = &windowCount{start: now}
		l.counts[key] = c
	}
	c.n++
	if c.n > limit {
		return false, c.start.Add(l.window).Sub(now)
	}
	return true, 0
}
