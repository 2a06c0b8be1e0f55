package hooks

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/townhall-portal/townhall/internal/smtpsend"
	"github.com/townhall-portal/townhall/internal/smtpsend/smtptest"
)

// useMailServer points the app at a test SMTP server in mode and makes the
// portal's deadlines short.
func useMailServer(t *testing.T, e *testEnv, mode smtptest.Mode) *smtptest.Server {
	t.Helper()
	srv, err := smtptest.Start(mode)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	s := e.app.Settings()
	s.SMTP.Enabled, s.SMTP.Host, s.SMTP.Port = true, srv.Host(), srv.Port()
	s.Meta.SenderAddress = "no-reply@county.test"
	e.portal.smtp = smtpsend.Timeouts{Connect: time.Second, Step: 300 * time.Millisecond, Total: 2 * time.Second}
	return srv
}

func queueTestMails(t *testing.T, e *testEnv, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		if err := e.portal.queueMail(e.app, outMail{To: fmt.Sprintf("r%d@resident.test", i), Subject: "s", Text: "t", Kind: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := e.app.FindRecordsByFilter("outbox", "kind = 'test'", "created", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		ids = append(ids, r.Id)
	}
	return ids
}

// TestAStalledMailServerDoesNotStopTheQueue: a server that accepts the
// connection and never answers, or never confirms the data, costs each
// message one bounded attempt with its reason recorded; the queue goes on,
// and once the server works every message leaves, each with the same
// Message-ID it had on its failed attempt.
func TestAStalledMailServerDoesNotStopTheQueue(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		mode   smtptest.Mode
		reason string
	}{
		{smtptest.Silent, "greeting"},
		{smtptest.StallAfterData, "did not confirm"},
	} {
		e := newEnv(t)
		useMailServer(t, e, c.mode)
		ids := queueTestMails(t, e, 3)
		start := time.Now()
		sent, failed, err := e.portal.SendOutbox()
		if err != nil || sent != 0 || failed != 3 {
			t.Fatalf("mode %d: sent %d failed %d %v", c.mode, sent, failed, err)
		}
		if took := time.Since(start); took > 3*(2*time.Second)+time.Second {
			t.Errorf("mode %d: three stalled attempts took %v", c.mode, took)
		}
		for _, id := range ids {
			m := e.record(t, "outbox", id)
			if m.GetInt("attempts") != 1 || m.GetString("status") != "pending" || !strings.Contains(m.GetString("last_error"), c.reason) {
				t.Errorf("mode %d: %s attempts %d status %s error %q", c.mode, id, m.GetInt("attempts"), m.GetString("status"), m.GetString("last_error"))
			}
		}
		// the server recovers; a minute later everything leaves
		good := useMailServer(t, e, smtptest.Accept)
		e.clock.Advance(time.Minute)
		if sent, _, err := e.portal.SendOutbox(); err != nil || sent != 3 {
			t.Fatalf("mode %d after recovery: sent %d %v", c.mode, sent, err)
		}
		for i, msg := range good.Messages() {
			if want := "Message-ID: " + messageID(ids[i], "no-reply@county.test"); !strings.Contains(msg, want) {
				t.Errorf("message %d lacks %q:\n%.400s", i, want, msg)
			}
		}
	}
}

// TestRetriesKeepToTheSchedule: a message that failed a few milliseconds
// after a minute's tick is retried at the tick one minute later (not two),
// then two minutes later, as documented.
func TestRetriesKeepToTheSchedule(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	useMailServer(t, e, smtptest.Refuse)
	ids := queueTestMails(t, e, 1)
	tick := time.Date(2026, 11, 17, 15, 0, 0, 0, time.UTC)
	// the first attempt ends just after the minute; later ticks start a little earlier after theirs
	for i, at := range []time.Duration{50 * time.Millisecond, time.Minute + 10*time.Millisecond, 3*time.Minute + 10*time.Millisecond} {
		e.clock.Set(tick.Add(at))
		if _, _, err := e.portal.SendOutbox(); err != nil {
			t.Fatal(err)
		}
		if got := e.record(t, "outbox", ids[0]).GetInt("attempts"); got != i+1 {
			t.Fatalf("at +%v: %d attempts, want %d", at, got, i+1)
		}
	}
}

// TestAccountEmailsGoThroughTheOutbox: the confirmation link and the
// password reset are queued, not sent directly, so a mail server that is
// down (or not set up yet) delays them instead of losing them.
func TestAccountEmailsGoThroughTheOutbox(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	useMailServer(t, e, smtptest.Silent)
	if res := e.do(t, http.MethodPost, "/api/collections/users/request-verification", `{"email":"u@resident.test"}`, roleAnon); res.Status != 204 {
		t.Fatalf("verification: %d %s", res.Status, res.Body)
	}
	if res := e.do(t, http.MethodPost, "/api/collections/users/request-password-reset", `{"email":"a@resident.test"}`, roleAnon); res.Status != 204 {
		t.Fatalf("reset: %d %s", res.Status, res.Body)
	}
	// PocketBase composes them in the background after answering
	for deadline := time.Now().Add(5 * time.Second); e.count(t, "outbox", "kind ~ 'account.'", nil) < 2; {
		if time.Now().After(deadline) {
			t.Fatalf("%d account emails queued, want 2", e.count(t, "outbox", "kind ~ 'account.'", nil))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := e.app.TestMailer.TotalSend(); n != 0 {
		t.Errorf("%d account emails bypassed the outbox", n)
	}
	if _, failed, _ := e.portal.SendOutbox(); failed != 2 {
		t.Errorf("%d failed attempts while the server is down, want 2", failed)
	}
	good := useMailServer(t, e, smtptest.Accept)
	e.clock.Advance(time.Minute)
	if sent, _, _ := e.portal.SendOutbox(); sent != 2 {
		t.Fatalf("sent %d after recovery", sent)
	}
	all := strings.Join(good.Messages(), "\n")
	for _, want := range []string{"verify-email.html?token=", "reset-password.html?token=", "u@resident.test", "a@resident.test"} {
		if !strings.Contains(all, want) {
			t.Errorf("the delivered account emails lack %q", want)
		}
	}
}
