package hooks

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/mail"
	"os/exec"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/domodwyer/mailyak/v3"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/townhall-portal/townhall/internal/smtpsend"
)

// The outbox: every email is queued in the transaction of the change it
// announces, then sent by a job, retried with backoff while the mail server
// is down. What each email says is in notify.go.

// outMail is one email to queue. parentField and parentID name the request
// it is about, if any (see mailAbout).
type outMail struct {
	To, Subject, Text, Kind, DedupeKey string
	HTML                               string            // "": made from Text
	Headers                            map[string]string // extra headers (List-Unsubscribe …)
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
	if p.backfilling {
		return nil // a past history is written without telling anyone
	}
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
	text, body := m.Text, m.HTML
	if body == "" {
		body = textToHTML(truncateRunes(text, 40000))
	} else if text == "" {
		text = htmlToText(body)
	}
	r.Set("text", truncateRunes(text, 50000))
	r.Set("html", truncateRunes(body, 200000))
	r.Set("kind", m.Kind)
	r.Set("dedupe_key", m.DedupeKey)
	r.Set("status", "pending")
	r.Set("next_attempt_at", p.now().UTC())
	if len(m.Headers) > 0 {
		r.Set("headers", m.Headers)
	}
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

// outboxSlack is how early a message is picked up: the job runs at each
// minute, a retry falls due a few milliseconds after the minute it was
// computed from, and without the slack it would wait a whole extra minute.
const outboxSlack = 10 * time.Second

// outboxLease is how long a message is claimed by the attempt sending it:
// longer than the longest attempt can take, so no second attempt starts
// while one is still in flight.
func (p *Portal) outboxLease() time.Duration { return 3*p.smtp.Longest() + time.Minute }

// errNoMailServer says that nothing can send mail yet: no SMTP server is set
// up and no sendmail program is installed. Messages wait without using up
// their attempts.
var errNoMailServer = errors.New("no mail server is set up yet (dashboard → Settings → Mail settings)")

// SendOutbox delivers due messages. Each message is claimed first (only one
// runner wins, and the claim outlives the longest attempt), sent with a
// stable Message-ID, and its result recorded: sent, or retried later with a
// growing delay and the reason.
func (p *Portal) SendOutbox() (sent, failed int, err error) {
	due, err := p.dueMail()
	if err != nil {
		return 0, 0, err
	}
	settings := p.app.Settings()
	from := mail.Address{Name: settings.Meta.SenderName, Address: settings.Meta.SenderAddress}
	for _, d := range due {
		// claim: push the next attempt out; only one runner wins
		lease, _ := types.ParseDateTime(p.now().UTC().Add(p.outboxLease()))
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
		headers := map[string]string{}
		_ = msg.UnmarshalJSONField("headers", &headers) // none, or as queued
		headers["Message-ID"] = messageID(msg.Id, from.Address)
		sendErr := p.deliver(&mailer.Message{
			From:    from,
			To:      []mail.Address{{Address: msg.GetString("to")}},
			Subject: msg.GetString("subject"),
			Text:    msg.GetString("text"),
			HTML:    msg.GetString("html"),
			Headers: headers,
		})
		done := p.now().UTC()
		if errors.Is(sendErr, errNoMailServer) {
			// nothing can send: the message waits, its attempts kept
			msg.Set("next_attempt_at", done.Add(time.Minute))
			msg.Set("last_error", sendErr.Error())
			if err := p.app.Save(msg); err != nil {
				return sent, failed, fmt.Errorf("recording outbox %s: %w", msg.Id, err)
			}
			break
		}
		attempts := msg.GetInt("attempts") + 1
		msg.Set("attempts", attempts)
		if sendErr == nil {
			msg.Set("status", "sent")
			msg.Set("sent_at", done)
			msg.Set("last_error", "")
			sent++
		} else {
			failed++
			msg.Set("last_error", truncate(sendErr.Error(), 2000))
			if attempts >= outboxMaxAttempts {
				msg.Set("status", "failed")
			} else {
				msg.Set("next_attempt_at", done.Add(outboxRetry(attempts)))
			}
			p.app.Logger().Warn("sending an email failed; it will be retried",
				"outbox", msg.Id, "attempt", attempts, "error", sendErr)
		}
		if err := p.app.Save(msg); err != nil {
			return sent, failed, fmt.Errorf("recording outbox %s: %w", msg.Id, err)
		}
	}
	return sent, failed, nil
}

// dueMessage is an outbox message due for an attempt.
type dueMessage struct {
	ID   string `db:"id"`
	Next string `db:"next_attempt_at"`
}

// dueMail lists the messages to attempt now: every other email first (up
// to 100), then topic alerts up to what is left of the minute's alert rate
// (town_settings.alert_rate_per_minute, counted over the last minute's sent
// alerts), so that a large alert never holds up a password reset and the
// mail server is handed no more alerts than it accepts.
func (p *Portal) dueMail() ([]dueMessage, error) {
	now := p.now().UTC()
	dueBy, _ := types.ParseDateTime(now.Add(outboxSlack))
	pending := func(kind dbx.Expression, limit int64) ([]dueMessage, error) {
		var out []dueMessage
		err := p.app.DB().Select("id", "next_attempt_at").From("outbox").
			Where(dbx.HashExp{"status": "pending"}).
			AndWhere(dbx.NewExp("next_attempt_at <= {:due}", dbx.Params{"due": dueBy.String()})).
			AndWhere(kind).
			OrderBy("next_attempt_at ASC").Limit(limit).All(&out)
		return out, err
	}
	due, err := pending(dbx.NewExp("kind != {:alert}", dbx.Params{"alert": alertKind}), 100)
	if err != nil {
		return nil, err
	}
	since, _ := types.ParseDateTime(now.Add(-time.Minute))
	var sent int
	if err := p.app.DB().Select("count(*)").From("outbox").
		Where(dbx.HashExp{"kind": alertKind, "status": "sent"}).
		AndWhere(dbx.NewExp("sent_at > {:since}", dbx.Params{"since": since.String()})).Row(&sent); err != nil {
		return nil, err
	}
	if budget := alertRate(p.app) - sent; budget > 0 {
		alerts, err := pending(dbx.HashExp{"kind": alertKind}, int64(min(budget, 1000)))
		if err != nil {
			return nil, err
		}
		due = append(due, alerts...)
	}
	return due, nil
}

// messageID is the Message-ID of an outbox message: the same on every
// attempt, so that a receiver can drop the rare second copy.
func messageID(id, sender string) string {
	domain := "townhall.invalid"
	if _, d, ok := strings.Cut(sender, "@"); ok && d != "" {
		domain = d
	}
	return "<" + id + "@" + domain + ">"
}

// deliver sends one message: over SMTP with a deadline on every step when a
// server is set up, otherwise through PocketBase's mail client (sendmail, or
// the test mailer).
func (p *Portal) deliver(m *mailer.Message) error {
	s := p.app.Settings().SMTP
	if !s.Enabled {
		err := p.app.NewMailClient().Send(m)
		if errors.Is(err, exec.ErrNotFound) {
			return errNoMailServer
		}
		return err
	}
	var to []string
	for _, a := range m.To {
		to = append(to, a.Address)
	}
	raw, err := mimeMessage(m)
	if err != nil {
		return err
	}
	return smtpsend.Send(context.Background(), smtpsend.Server{
		Host: s.Host, Port: s.Port, TLS: s.TLS, Username: s.Username, Password: s.Password,
		AuthMethod: s.AuthMethod, LocalName: s.LocalName,
	}, m.From.Address, to, raw, p.smtp)
}

// mimeMessage composes a message's MIME bytes (plain text and HTML).
func mimeMessage(m *mailer.Message) ([]byte, error) {
	yak := mailyak.New("", nil)
	if m.From.Name != "" {
		yak.FromName(m.From.Name)
	}
	yak.From(m.From.Address)
	for _, a := range m.To {
		yak.To(a.Address)
	}
	yak.Subject(m.Subject)
	yak.HTML().Set(m.HTML)
	text := m.Text
	if text == "" {
		text = htmlToText(m.HTML)
	}
	yak.Plain().Set(text)
	for k, v := range m.Headers {
		yak.AddHeader(k, v)
	}
	buf, err := yak.MimeBuf()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// htmlToText is a plain version of an HTML email: tags dropped, links kept
// as their address, entities decoded.
func htmlToText(s string) string {
	s = htmlLink.ReplaceAllString(s, "$2 ($1)")
	s = htmlBreak.ReplaceAllString(s, "\n")
	s = htmlTag.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.TrimSpace(blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}

var (
	htmlLink   = regexp.MustCompile(`(?is)<a\s[^>]*href="([^"]*)"[^>]*>(.*?)</a>`)
	htmlBreak  = regexp.MustCompile(`(?i)<br\s*/?>|</p>|</div>|</h\d>|</li>`)
	htmlTag    = regexp.MustCompile(`(?s)<[^>]*>`)
	blankLines = regexp.MustCompile(`\n{3,}`)
)

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
