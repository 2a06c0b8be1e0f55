package cli

import (
	"testing"

	"github.com/pocketbase/dbx"
)

// The server's connections keep a small page cache each and the pool stays
// small, so that memory does not follow the number of concurrent requests;
// the rest of PocketBase's pragmas stay as they are.
func TestDatabaseConnectionsAreBounded(t *testing.T) {
	app := newApp(t.TempDir())
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	defer app.ResetBootstrapState()

	pragma := func(db dbx.Builder, name string) string {
		var v string
		if err := db.NewQuery("PRAGMA " + name).Row(&v); err != nil {
			t.Fatalf("PRAGMA %s: %v", name, err)
		}
		return v
	}
	for _, c := range []struct {
		db                 dbx.Builder
		name, pragma, want string
	}{
		{app.ConcurrentDB(), "data.db", "cache_size", "-8000"},
		{app.NonconcurrentDB(), "data.db (writes)", "cache_size", "-8000"},
		{app.AuxConcurrentDB(), "auxiliary.db", "cache_size", "-2000"},
		{app.ConcurrentDB(), "data.db", "journal_mode", "wal"},
		{app.ConcurrentDB(), "data.db", "busy_timeout", "10000"},
		{app.ConcurrentDB(), "data.db", "foreign_keys", "1"},
		{app.ConcurrentDB(), "data.db", "synchronous", "1"},
		{app.ConcurrentDB(), "data.db", "temp_store", "2"},
	} {
		if got := pragma(c.db, c.pragma); got != c.want {
			t.Errorf("%s: %s = %s, want %s", c.name, c.pragma, got, c.want)
		}
	}
	if got := app.ConcurrentDB().(*dbx.DB).DB().Stats().MaxOpenConnections; got != dataMaxOpenConns {
		t.Errorf("data.db pool: at most %d connections, want %d", got, dataMaxOpenConns)
	}
}
