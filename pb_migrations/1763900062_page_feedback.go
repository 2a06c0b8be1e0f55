package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// "Was this page helpful?" on the help and service pages: anyone may answer
// yes or no, with an optional comment, without an account and without
// anything that names them (no author, no address); at most 5 answers a
// minute from one address (page_feedback:create). Directors and
// administrators read them.
func init() {
	m.Register(func(app core.App) error {
		c := core.NewBaseCollection("page_feedback")
		c.Fields.Add(
			&core.TextField{Name: "page", Required: true, Max: 120, Presentable: true,
				Pattern: `^/(help|service)\.html(\?(permit|category)=[A-Za-z0-9_-]{1,40})?$`,
				Help:    "The page answered about: /help.html, /service.html?permit=BLD, /service.html?category=pothole"},
			&core.BoolField{Name: "helpful"},
			&core.TextField{Name: "comment", Max: 1000},
			&core.SelectField{Name: "language", MaxSelect: 1, Values: []string{"en", "es"}},
		)
		autodates(c)
		c.AddIndex("idx_page_feedback_page", false, "page, created", "")
		if err := app.Save(c); err != nil {
			return err
		}
		if err := applyRules(app, map[string]Rules{"page_feedback": AccessRules()["page_feedback"]}); err != nil {
			return err
		}
		s := app.Settings()
		s.RateLimits.Rules = append([]core.RateLimitRule{{Label: "page_feedback:create", MaxRequests: 5, Duration: 60}}, s.RateLimits.Rules...)
		return app.Save(s)
	}, func(app core.App) error {
		s := app.Settings()
		rules := s.RateLimits.Rules[:0]
		for _, r := range s.RateLimits.Rules {
			if r.Label != "page_feedback:create" {
				rules = append(rules, r)
			}
		}
		s.RateLimits.Rules = rules
		if err := app.Save(s); err != nil {
			return err
		}
		return deleteCollections(app, "page_feedback")
	})
}
