// Package smtptest is a small SMTP server for tests: it receives messages,
// or misbehaves on purpose (never greets, never confirms the data, refuses),
// so that senders can be tested against stalled and broken servers.
package smtptest

import (
	"bufio"
	"net"
	"strconv"
	"strings"
	"sync"
)

// Mode is how the server behaves.
type Mode int

// The modes.
const (
	Accept         Mode = iota // a well-behaved server that keeps every message
	Silent                     // accepts the connection and never says a word
	StallAfterData             // reads the whole message, then never confirms it
	Refuse                     // refuses every recipient (550)
)

// Server is a running test server.
type Server struct {
	ln   net.Listener
	mode Mode

	mu       sync.Mutex
	messages []string
	conns    []net.Conn
	wg       sync.WaitGroup
}

// Start runs a server in mode on a free local port.
func Start(mode Mode) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{ln: ln, mode: mode}
	s.wg.Add(1)
	go s.serve()
	return s, nil
}

// Host and Port are where the server listens.
func (s *Server) Host() string { return "127.0.0.1" }

// Port is the server's port.
func (s *Server) Port() int {
	_, p, _ := net.SplitHostPort(s.ln.Addr().String())
	n, _ := strconv.Atoi(p)
	return n
}

// Messages are the messages received so far (the data of each).
func (s *Server) Messages() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.messages...)
}

// Close stops the server and drops its connections.
func (s *Server) Close() {
	s.ln.Close()
	s.mu.Lock()
	for _, c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *Server) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns = append(s.conns, c)
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			s.talk(c)
		}()
	}
}

func (s *Server) talk(c net.Conn) {
	r := bufio.NewReader(c)
	if s.mode == Silent {
		_, _ = r.ReadString(0) // until the client gives up
		return
	}
	say := func(line string) { _, _ = c.Write([]byte(line + "\r\n")) }
	say("220 smtptest ready")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 smtptest")
		case strings.HasPrefix(cmd, "MAIL FROM"):
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO"):
			if s.mode == Refuse {
				say("550 no such user")
				continue
			}
			say("250 ok")
		case cmd == "DATA":
			say("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			if s.mode == StallAfterData {
				_, _ = r.ReadString(0)
				return
			}
			s.mu.Lock()
			s.messages = append(s.messages, b.String())
			s.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		case cmd == "RSET", cmd == "NOOP":
			say("250 ok")
		default:
			say("502 not implemented")
		}
	}
}
