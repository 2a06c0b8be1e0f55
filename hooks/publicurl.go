package hooks

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// The public address is where residents reach the portal: every link in an
// email and the certificate's QR code start with it. PocketBase keeps it as
// the Application URL (Settings → Application); `serve <domain>` and
// `serve --public-url` set it, and `check` fails while it is a loopback
// address and the server listens elsewhere.

// ParsePublicURL checks a public address and writes it the one way links
// are built from: scheme and host, an optional path, no trailing slash.
func ParsePublicURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case err != nil:
		return "", fmt.Errorf("%q is not an address: %w", raw, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("%q must start with https:// (or http://)", raw)
	case u.Hostname() == "":
		return "", fmt.Errorf("%q has no host name", raw)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return "", fmt.Errorf("%q must be only the site's address, such as https://permits.pinecounty.gov", raw)
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), nil
}

// SetPublicURL saves the public address, when it differs from the one saved.
func (p *Portal) SetPublicURL(raw string) (string, error) {
	clean, err := ParsePublicURL(raw)
	if err != nil {
		return "", err
	}
	s := p.app.Settings()
	if s.Meta.AppURL == clean {
		return clean, nil
	}
	s.Meta.AppURL = clean
	if err := p.app.Save(s); err != nil {
		return "", fmt.Errorf("saving the public address: %w", err)
	}
	return clean, nil
}

// PublicURLIsLoopback reports whether the saved public address only works
// on this machine (localhost, 127.x, ::1) or is not an address at all.
func (p *Portal) PublicURLIsLoopback() bool {
	u, err := url.Parse(p.app.Settings().Meta.AppURL)
	return err != nil || u.Hostname() == "" || isLoopbackHost(u.Hostname())
}

// isLoopbackHost reports whether host names this machine only.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ListensBeyondLoopback reports whether a server address (as given to
// `serve --http`/`--https`, or a domain) is reachable from other machines.
func ListensBeyondLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		var aerr *net.AddrError
		if !errors.As(err, &aerr) {
			return true
		}
		host = addr
	}
	return host == "" || !isLoopbackHost(host)
}

// servedAt is the address a server serves this data folder on: this
// process's own (when the check runs inside the server) or another live one's.
func servedAt(dataDir string) (string, bool) {
	if m, err := readServerMarker(filepath.Join(dataDir, serverMarkerName)); err == nil && m.PID == os.Getpid() {
		return m.Addr, true
	}
	_, addr, _, running := RunningServer(dataDir)
	return addr, running
}
