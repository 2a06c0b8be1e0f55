// Package served starts a server binary for a benchmark (bench/load,
// bench/uploadburst), waits until it answers /api/health, and stops it.
package served

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"time"
)

// Server is a started server process.
type Server struct {
	Base    string // http://127.0.0.1:PORT
	Pid     int
	cmd     *exec.Cmd
	exited  chan error
	logPath string
	logFile *os.File
}

// FreeAddr is a loopback address with a port nobody listens on now.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// Start runs argv (which serves on addr) with env added to this process's
// environment and its output in logPath, and waits up to startup for it to
// answer /api/health. On failure the server is stopped and the error ends
// with its log.
func Start(argv, env []string, addr, logPath string, startup time.Duration) (*Server, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	s := &Server{Base: "http://" + addr, cmd: exec.Command(argv[0], argv[1:]...), exited: make(chan error, 1), logPath: logPath, logFile: logFile}
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	s.cmd.Env = append(os.Environ(), env...)
	if err := s.cmd.Start(); err != nil {
		logFile.Close()
		return nil, err
	}
	s.Pid = s.cmd.Process.Pid // taskset execs the server in its own process
	go func() { s.exited <- s.cmd.Wait() }()
	if err := s.waitHealthy(startup); err != nil {
		s.Stop()
		return nil, s.WithLog(err)
	}
	return s, nil
}

// Exited is told the process's end.
func (s *Server) Exited() <-chan error { return s.exited }

// Stopped reports an error when the server has stopped by itself.
func (s *Server) Stopped() error {
	select {
	case err := <-s.exited:
		s.exited <- err // for Stop
		return fmt.Errorf("the server stopped: %v", err)
	default:
		return nil
	}
}

// WithLog adds the end of the server's log to err.
func (s *Server) WithLog(err error) error {
	tail, _ := os.ReadFile(s.logPath)
	if len(tail) > 4000 {
		tail = tail[len(tail)-4000:]
	}
	return fmt.Errorf("%w\nserver log (end):\n%s", err, tail)
}

// Stop interrupts the server and kills it if it has not ended in 15 s.
func (s *Server) Stop() {
	defer s.logFile.Close()
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
	}
}

func (s *Server) waitHealthy(within time.Duration) error {
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if err := s.Stopped(); err != nil {
			return fmt.Errorf("at start: %w", err)
		}
		if res, err := http.Get(s.Base + "/api/health"); err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return errors.New("the server did not become healthy in " + within.String())
}
