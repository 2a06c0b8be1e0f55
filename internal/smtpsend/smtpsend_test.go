package smtpsend

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/townhall-portal/townhall/internal/smtpsend/smtptest"
)

var fast = Timeouts{Connect: time.Second, Step: 300 * time.Millisecond, Total: 2 * time.Second}

func TestSendDeliversAndBoundsEveryStall(t *testing.T) {
	msg := []byte("Message-ID: <m1@county.test>\r\nSubject: Hello\r\n\r\nHi.\r\n")
	for _, c := range []struct {
		mode        smtptest.Mode
		ok          bool
		unconfirmed bool
		says        string
	}{
		{smtptest.Accept, true, false, ""},
		{smtptest.Silent, false, false, "greeting"},
		{smtptest.StallAfterData, false, true, "did not confirm"},
		{smtptest.Refuse, false, false, "RCPT TO"},
	} {
		srv, err := smtptest.Start(c.mode)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		err = Send(context.Background(), Server{Host: srv.Host(), Port: srv.Port()}, "no-reply@county.test", []string{"a@resident.test"}, msg, fast)
		took := time.Since(start)
		srv.Close()
		if (err == nil) != c.ok || (err != nil && !strings.Contains(err.Error(), c.says)) {
			t.Errorf("mode %d: %v", c.mode, err)
		}
		if errors.Is(err, ErrUnconfirmed) != c.unconfirmed {
			t.Errorf("mode %d: unconfirmed %v, want %v", c.mode, errors.Is(err, ErrUnconfirmed), c.unconfirmed)
		}
		if took > fast.Total+500*time.Millisecond {
			t.Errorf("mode %d took %v, more than the total %v", c.mode, took, fast.Total)
		}
		if c.ok && (len(srv.Messages()) != 1 || !strings.Contains(srv.Messages()[0], "Message-ID: <m1@county.test>")) {
			t.Errorf("delivered %q", srv.Messages())
		}
	}
}

func TestSendToNobodyListeningFailsFast(t *testing.T) {
	srv, _ := smtptest.Start(smtptest.Accept)
	port := srv.Port()
	srv.Close()
	if err := Send(context.Background(), Server{Host: "127.0.0.1", Port: port}, "a@b.test", []string{"c@d.test"}, []byte("x"), fast); err == nil || !strings.Contains(err.Error(), "connecting") {
		t.Errorf("%v", err)
	}
}
