package hooks

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// registerAccountMail routes PocketBase's own account emails (address
// confirmation, password reset, email change, one-time codes, new sign-in
// alerts) through the outbox, so that they are retried like every other
// email while the mail server is down or not set up yet — a new resident's
// confirmation link is never lost — and are visible to the administrator.
// Delivery starts at once, without waiting for the next minute.
func (p *Portal) registerAccountMail() {
	queue := func(kind string) func(*core.MailerRecordEvent) error {
		return func(e *core.MailerRecordEvent) error {
			m := e.Message
			for _, to := range m.To {
				om := outMail{To: to.Address, Subject: m.Subject, Text: m.Text, HTML: m.HTML, Kind: "account." + kind}
				if err := p.queueMail(e.App, om); err != nil {
					return err
				}
			}
			p.sendSoon()
			return nil // not e.Next(): PocketBase does not send it itself
		}
	}
	for _, h := range []struct {
		kind string
		hook *hook.TaggedHook[*core.MailerRecordEvent]
	}{
		{"verification", p.app.OnMailerRecordVerificationSend()},
		{"password_reset", p.app.OnMailerRecordPasswordResetSend()},
		{"email_change", p.app.OnMailerRecordEmailChangeSend()},
		{"otp", p.app.OnMailerRecordOTPSend()},
		{"sign_in_alert", p.app.OnMailerRecordAuthAlertSend()},
	} {
		h.hook.BindFunc(queue(h.kind))
	}
}
