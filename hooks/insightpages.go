package hooks

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/townhall-portal/townhall/internal/insights"
)

// "Was this page helpful?" in Insights: the site's own satisfaction, per
// page, in the period and the filters the caller chose. Every staff member
// reads it (it is about the website, not a department's work, and the
// answers are anonymous): a clerk or supervisor sees every page's answers
// unless they narrow them to their department, category or permit type;
// the records themselves stay readable by directors only.

// pageFeedback counts the answers for r.
func (p *Portal) pageFeedback(r insightsRequest) (*insights.PageFeedback, error) {
	from, _ := types.ParseDateTime(r.period.Previous.From) // the previous period comes just before
	to, _ := types.ParseDateTime(r.period.Current.To)
	var rows []struct {
		Page     string `db:"page"`
		Helpful  bool   `db:"helpful"`
		Comment  string `db:"comment"`
		Language string `db:"language"`
		Created  string `db:"created"`
	}
	if err := p.app.DB().Select("page", "helpful", "comment", "language", "created").From("page_feedback").
		Where(dbx.NewExp("created >= {:from} AND created < {:to}", dbx.Params{"from": from.String(), "to": to.String()})).
		All(&rows); err != nil {
		return nil, err
	}
	type service struct{ id, dept string }
	services := map[string]service{} // "permit:BLD", "report:pothole"
	if len(rows) > 0 {
		var list []struct {
			Kind string `db:"kind"`
			Code string `db:"code"`
			ID   string `db:"id"`
			Dept string `db:"department"`
		}
		if err := p.app.DB().NewQuery(`SELECT 'permit' AS kind, code, id, department FROM permit_types
			UNION ALL SELECT 'report' AS kind, code, id, department FROM complaint_categories`).All(&list); err != nil {
			return nil, err
		}
		for _, s := range list {
			services[s.Kind+":"+s.Code] = service{s.ID, s.Dept}
		}
	}
	answers := make([]insights.PageAnswer, 0, len(rows))
	for _, row := range rows {
		a := insights.PageAnswer{Page: row.Page, Helpful: row.Helpful, Comment: row.Comment, Language: row.Language, At: pbTime(row.Created)}
		if kind, code, ok := insights.ParsePage(row.Page); ok {
			a.Kind = kind
			if s, ok := services[kind+":"+code]; ok {
				a.Service, a.Department = s.id, s.dept
			}
		}
		answers = append(answers, a)
	}
	pf := insights.SummarizePages(answers, r.chosen, r.period)
	return &pf, nil
}
