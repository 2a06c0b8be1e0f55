package hooks

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// openDataTTL is how old an open data file may be: what its Cache-Control
// already tells browsers and proxies.
const openDataTTL = 5 * time.Minute

// openDataFile is one open data file as served: compressed, with its
// strong ETag and the license it was written under.
type openDataFile struct {
	gz                  []byte
	etag                string
	license, licenseURL string
}

// openDataCache keeps one file (CSV or JSON).
type openDataCache = memo[openDataFile]

// buildOpenData writes the whole file into memory, compressed. The query
// reads every request once; the connection is released before anyone
// downloads a byte, so slow or stalled downloads cannot take the database
// connections the rest of the portal needs.
func (p *Portal) buildOpenData(format string) (openDataFile, error) {
	f := openDataFile{}
	f.license, f.licenseURL = p.openDataLicense()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err := p.writeOpenData(zw, format, f.license, f.licenseURL); err != nil {
		return f, err
	}
	if err := zw.Close(); err != nil {
		return f, err
	}
	f.gz = buf.Bytes()
	sum := sha256.Sum256(f.gz)
	f.etag = `"` + hex.EncodeToString(sum[:16]) + `"`
	return f, nil
}

// handleOpenData serves an open data file from memory: compressed to
// clients that accept gzip, decompressed on the way to the others, and 304
// to a client that has this version.
func (p *Portal) handleOpenData(e *core.RequestEvent, format string, c *openDataCache) error {
	f, ok := c.get(p.now, openDataTTL, func() (openDataFile, error) { return p.buildOpenData(format) }, func(err error) {
		p.app.Logger().Error("writing the open data file failed", "format", format, "error", err)
	})
	if !ok {
		return e.InternalServerError("", fmt.Errorf("open data %s unavailable", format))
	}
	h := e.Response.Header()
	if f.licenseURL != "" {
		h.Set("Link", fmt.Sprintf(`<%s>; rel="license"`, f.licenseURL))
	}
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Content-Disposition", `inline; filename="requests.`+format+`"`)
	h.Set("ETag", f.etag)
	h.Set("Vary", "Accept-Encoding")
	if format == "csv" {
		h.Set("Content-Type", "text/csv; charset=utf-8")
	} else {
		h.Set("Content-Type", "application/json")
	}
	if strings.Contains(e.Request.Header.Get("If-None-Match"), f.etag) {
		e.Response.WriteHeader(http.StatusNotModified)
		return nil
	}
	if acceptsGzip(e.Request.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", fmt.Sprint(len(f.gz)))
		e.Response.WriteHeader(http.StatusOK)
		_, _ = e.Response.Write(f.gz)
		return nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(f.gz))
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.WriteHeader(http.StatusOK)
	_, _ = io.Copy(e.Response, zr) // an error here is the client going away
	return nil
}

// memo keeps one value computed at most once every ttl: callers wait for
// the first computation; later, a stale value is served while the next one
// is computed in the background, once.
type memo[T any] struct {
	mu       sync.Mutex
	val      T
	ok       bool
	at       time.Time
	building bool
	done     chan struct{} // closed when the current computation ends
}

// get returns the value, computing it with build when it is missing or
// older than ttl (or dated in the future: a clock set back). ok is false
// when there is no value because the first computation failed (logged with
// failed).
func (c *memo[T]) get(now func() time.Time, ttl time.Duration, build func() (T, error), failed func(error)) (T, bool) {
	run := func() {
		v, err := build()
		c.mu.Lock()
		if err == nil {
			c.val, c.ok, c.at = v, true, now()
		} else {
			failed(err)
		}
		c.building = false
		close(c.done)
		c.mu.Unlock()
	}
	c.mu.Lock()
	stale := !c.ok || now().Sub(c.at) >= ttl || now().Before(c.at)
	if stale && !c.building {
		c.building, c.done = true, make(chan struct{})
		if !c.ok {
			c.mu.Unlock()
			run()
			c.mu.Lock()
		} else {
			go run()
		}
	}
	for !c.ok && c.building {
		done := c.done
		c.mu.Unlock()
		<-done
		c.mu.Lock()
	}
	v, ok := c.val, c.ok
	c.mu.Unlock()
	return v, ok
}
