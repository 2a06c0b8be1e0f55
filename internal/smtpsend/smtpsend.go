// Package smtpsend delivers one email over SMTP with a deadline on every
// step: connecting, each command and its reply, the message data, and the
// whole conversation. A server that accepts the connection and never
// answers (or stops answering after DATA) costs one bounded, failed attempt
// instead of hanging the sender. It builds on the standard library's
// net/smtp; the message itself is composed by the caller (MIME bytes).
package smtpsend

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"strconv"
	"time"
)

// Server is where mail goes: PocketBase's SMTP settings.
type Server struct {
	Host       string
	Port       int
	TLS        bool   // implicit TLS (port 465); otherwise STARTTLS when offered
	Username   string // empty: no authentication
	Password   string
	AuthMethod string // "PLAIN" (default) or "LOGIN"
	LocalName  string // the HELO/EHLO name; "localhost" when empty
}

// Timeouts bound a delivery. The zero value uses the defaults.
type Timeouts struct {
	Connect time.Duration // dialling and the TLS handshake (default 15 s)
	Step    time.Duration // each command and its reply, the data and its reply (default 60 s)
	Total   time.Duration // the whole conversation (default 2 min)
}

// Defaults of Timeouts.
const (
	DefaultConnect = 15 * time.Second
	DefaultStep    = 60 * time.Second
	DefaultTotal   = 2 * time.Minute
)

func (t Timeouts) withDefaults() Timeouts {
	if t.Connect <= 0 {
		t.Connect = DefaultConnect
	}
	if t.Step <= 0 {
		t.Step = DefaultStep
	}
	if t.Total <= 0 {
		t.Total = DefaultTotal
	}
	return t
}

// Longest is the longest a delivery with these timeouts can take.
func (t Timeouts) Longest() time.Duration { return t.withDefaults().Total }

// ErrUnconfirmed wraps a failure after the whole message was sent but
// before the server confirmed it: the server may have accepted it, so a
// later attempt may deliver it a second time (receivers can tell by its
// Message-ID).
var ErrUnconfirmed = errors.New("the message was sent but the server did not confirm it")

// Send delivers msg (the whole MIME message, headers included) from from to
// the recipients, within the timeouts. The error names the step that failed.
func Send(ctx context.Context, s Server, from string, to []string, msg []byte, t Timeouts) error {
	t = t.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, t.Total)
	defer cancel()
	end, _ := ctx.Deadline()
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))

	d := net.Dialer{Timeout: t.Connect}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("connecting to %s: %w", addr, err)
	}
	defer conn.Close()
	// the context's end closes the connection, whatever step is running
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	step := func(d time.Duration) {
		dl := time.Now().Add(d)
		if dl.After(end) {
			dl = end
		}
		_ = conn.SetDeadline(dl)
	}
	tlsConfig := &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
	if s.TLS {
		step(t.Connect)
		tc := tls.Client(conn, tlsConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			return fmt.Errorf("TLS with %s: %w", addr, err)
		}
		conn = tc
	}
	step(t.Step)
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		return fmt.Errorf("greeting from %s: %w", addr, err)
	}
	defer c.Close()
	local := s.LocalName
	if local == "" {
		local = "localhost"
	}
	step(t.Step)
	if err := c.Hello(local); err != nil {
		return fmt.Errorf("EHLO: %w", err)
	}
	if !s.TLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			step(t.Connect)
			if err := c.StartTLS(tlsConfig); err != nil {
				return fmt.Errorf("STARTTLS: %w", err)
			}
		}
	}
	if s.Username != "" || s.Password != "" {
		var auth smtp.Auth
		if s.AuthMethod == "LOGIN" {
			auth = loginAuth{s.Username, s.Password}
		} else {
			auth = smtp.PlainAuth("", s.Username, s.Password, s.Host)
		}
		step(t.Step)
		if err := c.Auth(auth); err != nil {
			return fmt.Errorf("signing in to %s: %w", addr, err)
		}
	}
	step(t.Step)
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	for _, rcpt := range to {
		step(t.Step)
		if err := c.Rcpt(rcpt); err != nil {
			return fmt.Errorf("RCPT TO %s: %w", rcpt, err)
		}
	}
	step(t.Step)
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("sending the message: %w", err)
	}
	step(t.Step)
	if err := w.Close(); err != nil {
		return fmt.Errorf("%w: %v", ErrUnconfirmed, err)
	}
	step(t.Step)
	_ = c.Quit() // delivered: a lost goodbye changes nothing
	return nil
}

// loginAuth is the LOGIN mechanism (username and password, each base64 in
// answer to the server's prompt), which some servers still require.
type loginAuth struct{ username, password string }

func (a loginAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && !isLocal(server.Name) {
		return "", nil, errors.New("refusing to send a password over an unencrypted connection")
	}
	return "LOGIN", nil, nil
}

func (a loginAuth) Next(fromServer []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	switch string(fromServer) {
	case "Username:", "User Name\x00":
		return []byte(a.username), nil
	case "Password:", "Password\x00":
		return []byte(a.password), nil
	}
	return nil, fmt.Errorf("unexpected LOGIN prompt %q", fromServer)
}

func isLocal(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}
