package cli

import (
	"path/filepath"
	"strconv"

	"github.com/pocketbase/dbx"
)

// How Townhall opens its SQLite databases.
//
// PocketBase opens every connection with a page cache of 32 MB
// (cache_size(-32000)) and lets the pool of data.db grow to 120
// connections. The cache belongs to the connection: under concurrent
// requests the pool grows and each new connection fills a cache of its own
// with the same pages, so the server's memory follows the concurrency and
// not the data (BENCHMARKS.md, "Load benchmark at county scale": 11
// connections open at 303 MB, 807 MB when requests piled up). The pages a
// connection does not keep are read again from the operating system's file
// cache, which all connections share, at the cost of a system call.
//
// Townhall keeps the same pragmas with a smaller cache per connection and a
// smaller pool: at most dataMaxOpenConns statements run at once (SQLite in
// pure Go does its work on the request's goroutine, so a small server gains
// nothing from more of them than it has cores several times over; requests
// beyond wait for a free connection instead of opening another cache).
const (
	dataCacheKiB     = 8000 // per connection to data.db
	auxCacheKiB      = 2000 // per connection to auxiliary.db (request logs)
	dataMaxOpenConns = 24
	dataMaxIdleConns = 8
)

// pragmasOf are the connection settings for the database file at path:
// PocketBase's own (busy_timeout first, so that a connection waits for a
// lock before it switches the journal to WAL) with our cache size.
func pragmasOf(path string) string {
	cache := dataCacheKiB
	if filepath.Base(path) == "auxiliary.db" {
		cache = auxCacheKiB
	}
	return "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=journal_size_limit(200000000)" +
		"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)" +
		"&_pragma=cache_size(-" + strconv.Itoa(cache) + ")"
}

// connectDB opens the database at path (pocketbase.Config.DBConnect), with
// the pure-Go driver PocketBase registers as "sqlite".
func connectDB(path string) (*dbx.DB, error) {
	return dbx.Open("sqlite", path+pragmasOf(path))
}
