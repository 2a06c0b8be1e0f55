package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Account creation is limited for every caller, not only guests: any token
// (even an unconfirmed account's) used to bypass the 10-a-minute limit.
func init() {
	setAudience := func(app core.App, audience string) error {
		s := app.Settings()
		for i, r := range s.RateLimits.Rules {
			if r.Label == "users:create" {
				s.RateLimits.Rules[i].Audience = audience
			}
		}
		return app.Save(s)
	}
	m.Register(func(app core.App) error {
		return setAudience(app, core.RateLimitRuleAudienceAll)
	}, func(app core.App) error {
		return setAudience(app, core.RateLimitRuleAudienceGuest)
	})
}
