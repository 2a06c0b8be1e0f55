package i18n

import (
	"strings"
	"testing"
)

// enOnly and esOnly are the keys that exist in one language by design: the
// Spanish forms of these sentences depend on the noun's gender and have their
// own keys.
var (
	enOnly = map[string]bool{"refused.past": true, "refused.state": true}
	esOnly = map[string]bool{"refused.past.permit": true, "refused.state.permit": true,
		"refused.past.complaint": true, "refused.state.complaint": true}
)

func TestEveryMessageHasBothLanguages(t *testing.T) {
	for key, m := range messages {
		if m.en == "" && !esOnly[key] {
			t.Errorf("%s has no English", key)
		}
		if m.es == "" && !enOnly[key] {
			t.Errorf("%s has no Spanish", key)
		}
		if strings.Count(m.en, "%") != strings.Count(m.es, "%") && !enOnly[key] && !esOnly[key] {
			t.Errorf("%s: English and Spanish take different arguments", key)
		}
	}
}

func TestRefusals(t *testing.T) {
	cases := []struct {
		lang                   Lang
		machine, state, action string
		want                   string
	}{
		{EN, "permit", "approved", "withdraw", "This application is already approved and can no longer be withdrawn."},
		{ES, "permit", "approved", "withdraw", "Esta solicitud ya está aprobada y ya no se puede retirar."},
		{EN, "permit", "draft", "approve", "This application is still a draft, so it can't be approved now."},
		{EN, "complaint", "closed", "reopen", "This report is already closed and can no longer be reopened."},
		{ES, "complaint", "new", "resolve", "Este reporte está nuevo, así que ahora no se puede resolver."},
	}
	for _, c := range cases {
		if got := c.lang.WrongState(c.machine, c.state, c.action); got != c.want {
			t.Errorf("%s %s/%s/%s: %q, want %q", c.lang, c.machine, c.state, c.action, got, c.want)
		}
	}
}

func TestLanguagePicking(t *testing.T) {
	for in, want := range map[string]Lang{"es": ES, "es-MX": ES, "EN": EN, "": EN, "fr": EN} {
		if got := Parse(in); got != want {
			t.Errorf("Parse(%q) = %s", in, got)
		}
	}
	for in, want := range map[string]Lang{"es-419,es;q=0.9,en;q=0.8": ES, "en-US,en;q=0.9": EN, "fr-FR,es;q=0.5": ES, "": EN} {
		if got := FromAcceptLanguage(in); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %s", in, got)
		}
	}
	if got := EN.Fill("mail.permit.issue.subject", map[string]string{"number": "BLD-2026-00042"}); got != "Your permit BLD-2026-00042 is issued" {
		t.Errorf("Fill: %q", got)
	}
	if got := EN.Fill("mail.permit.issue.subject", nil); strings.Contains(got, "{") {
		t.Errorf("unfilled placeholder left: %q", got)
	}
}
