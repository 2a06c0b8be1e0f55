package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Safe settings on first start: the portal's name, rate limits on (strict on
// sign-in, sign-up and mail-sending endpoints), daily backups kept for a week
// and two weeks of request logs.
func init() {
	m.Register(func(app core.App) error {
		s := app.Settings()
		s.Meta.AppName = "Townhall"
		s.Meta.SenderName = "Townhall"
		s.Meta.SenderAddress = "no-reply@townhall.invalid"

		s.RateLimits.Enabled = true
		s.RateLimits.Rules = []core.RateLimitRule{
			{Label: "*:auth", MaxRequests: 10, Duration: 60},
			{Label: "*:requestPasswordReset", MaxRequests: 3, Duration: 60},
			{Label: "*:confirmPasswordReset", MaxRequests: 5, Duration: 60},
			{Label: "*:requestVerification", MaxRequests: 3, Duration: 60},
			{Label: "*:requestOTP", MaxRequests: 3, Duration: 60},
			{Label: "*:requestEmailChange", MaxRequests: 3, Duration: 60},
			{Label: "users:create", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 10, Duration: 60},
			{Label: "*:create", MaxRequests: 30, Duration: 10},
			{Label: "/api/batch", MaxRequests: 3, Duration: 1},
			{Label: "/api/", MaxRequests: 300, Duration: 10},
		}

		s.Backups.Cron = "0 3 * * *"
		s.Backups.CronMaxKeep = 7

		s.Logs.MaxDays = 14

		return app.Save(s)
	}, func(app core.App) error {
		s := app.Settings()
		s.RateLimits.Enabled = false
		s.Backups.Cron = ""
		s.Logs.MaxDays = 5
		return app.Save(s)
	})
}
