package hooks

import (
	"errors"
	"fmt"
	"html"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"
	"github.com/pocketbase/pocketbase/tools/types"
)

// The outbox: every email is queued in the transaction of the change it
// announces, then sent by a job, retried with backoff while the mail server
// is down. What each email says is in notify.go.

// outMail is one email to queue. parentField and parentID name the request
// it is about, if any (see mailAbout).
type outMail struct {
	To, Subject, Text, Kind, DedupeKey string
	parentField, parentID              string
}

// mailAbout is an email about request r of kind k.
func mailAbout(k requestKind, r *core.Record, to, subject, text, kind string) outMail {
	return outMail{To: to, Subject: subject, Text: text, Kind: kind, parentField: k.parentField, parentID: r.Id}
}

// queueMail puts an email in the outbox, in the caller's transaction, so it
// is sent only if the change it announces is saved — and never lost when the
// mail server is down. A message with a dedupe key already queued is skipped.
func (p *Portal) queueMail(tx core.App, m outMail) error {
	if _, err := mail.ParseAddress(m.To); err != nil || m.To == "" {
		return nil // nobody to tell (e.g. a phone caller without email)
	}
	if m.DedupeKey != "" {
		n, err := tx.CountRecords("outbox", dbx.HashExp{"dedupe_key": m.DedupeKey})
		if err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
	}
	col, err := tx.FindCachedCollectionByNameOrId("outbox")
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Set("to", m.To)
	// long addresses or comments must never stop the action the email announces
	r.Set("subject", truncateRunes(m.Subject, 300))
	r.Set("text", truncateRunes(m.Text, 50000))
	r.Set("html", truncateRunes(textToHTML(truncateRunes(m.Text, 40000)), 200000))
	r.Set("kind", m.Kind)
	r.Set("dedupe_key", m.DedupeKey)
	r.Set("status", "pending")
	r.Set("next_attempt_at", p.now().UTC())
	if m.parentField != "" {
		r.Set(m.parentField, m.parentID)
	}
	return tx.Save(r)
}

// textToHTML renders a plain-text email as simple, escaped HTML paragraphs.
func textToHTML(s string) string {
	var b strings.Builder
	b.WriteString(`<div style="font-family:sans-serif;font-size:16px;line-height:1.5">`)
	for _, para := range strings.Split(s, "\n\n") {
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(para), "\n", "<br>"))
		b.WriteString("</p>")
	}
	b.WriteString("</div>")
	return b.String()
}

// outboxRetry is how long to wait before the next attempt after n failures.
func outboxRetry(n int) time.Duration {
	d := time.Minute << min(n-1, 10) // 1, 2, 4 … minutes
	return min(d, 6*time.Hour)
}

// outboxMaxAttempts is when a message is given up (about two days of retries).
const outboxMaxAttempts = 16

// SendOutbox delivers due messages through PocketBase's mailer. Each message
// is claimed first, so two runs at once never send the same message; a
// failure is retried later with a growing delay and recorded on the message.
func (p *Portal) SendOutbox() (sent, failed int, err error) {
	now := p.now().UTC()
	nowDT, _ := types.ParseDateTime(now)
	var due []struct {
		ID       string `db:"id"`
		Next     string `db:"next_attempt_at"`
		Attempts int    `db:"attempts"`
	}
	err = p.app.DB().Select("id", "next_attempt_at", "attempts").From("outbox").
		Where(dbx.HashExp{"status": "pending"}).
		AndWhere(dbx.NewExp("next_attempt_at <= {:now}", dbx.Params{"now": nowDT.String()})).
		OrderBy("next_attempt_at ASC").Limit(100).All(&due)
	if err != nil {
		return 0, 0, err
	}
	settings := p.app.Settings()
	from := mail.Address{Name: settings.Meta.SenderName, Address: settings.Meta.SenderAddress}
	for _, d := range due {
		// claim: push the next attempt out; only one runner wins
		lease, _ := types.ParseDateTime(now.Add(10 * time.Minute))
		res, err := p.app.DB().NewQuery(`UPDATE outbox SET next_attempt_at = {:lease}
			WHERE id = {:id} AND status = 'pending' AND next_attempt_at = {:seen}`).
			Bind(dbx.Params{"lease": lease.String(), "id": d.ID, "seen": d.Next}).Execute()
		if err != nil {
			return sent, failed, err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			continue
		}
		msg, err := p.app.FindRecordById("outbox", d.ID)
		if err != nil {
			continue
		}
		sendErr := p.app.NewMailClient().Send(&mailer.Message{
			From:    from,
			To:      []mail.Address{{Address: msg.GetString("to")}},
			Subject: msg.GetString("subject"),
			Text:    msg.GetString("text"),
			HTML:    msg.GetString("html"),
		})
		attempts := msg.GetInt("attempts") + 1
		msg.Set("attempts", attempts)
		if sendErr == nil {
			msg.Set("status", "sent")
			msg.Set("sent_at", p.now().UTC())
			msg.Set("last_error", "")
			sent++
		} else {
			failed++
			msg.Set("last_error", truncate(sendErr.Error(), 2000))
			if attempts >= outboxMaxAttempts {
				msg.Set("status", "failed")
			} else {
				msg.Set("next_attempt_at", now.Add(outboxRetry(attempts)))
			}
			p.app.Logger().Warn("sending an email failed; it will be retried",
				"outbox", msg.Id, "attempt", attempts, "error", sendErr)
		}
		if err := p.app.Save(msg); err != nil {
			return sent, failed, errors.Join(fmt.Errorf("recording outbox %s: %w", msg.Id, err))
		}
	}
	return sent, failed, nil
}

// truncateRunes cuts s to at most n characters, on a character boundary.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
