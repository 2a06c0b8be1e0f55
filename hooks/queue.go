package hooks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"
)

// The staff queue's SQL: how a parsed queueFilter (routes_staff.go) becomes
// one count and one page, fast at county scale.

// How the queue stays fast with 100,000 requests. The count comes first,
// from indexes only. Then:
//
//   - many matches (more than queueSortLimit): the page is the first rows of
//     a merge of two streams (permits, reports) that SQLite reads already in
//     order from an index, so it reads about a page of rows instead of
//     sorting every match. The deadline order walks the indexes of migration
//     1763900010 on (department, sort key, created, status) and (sort key,
//     created, status), whose sort key is the pending deadline, or '~'
//     (after every date) when there is none; requests in a closed state
//     always have '~', so open work with a deadline comes first. The created
//     orders walk the indexes on (department, created) and (created). The
//     status filter is written "+status IN (…)": the unary plus keeps SQLite
//     from seeking by status (and then sorting every match) and makes it
//     check the status on the index entries it walks. A stream without any
//     match is left out: SQLite would walk its whole index for a first row.
//   - few matches: they are found the way the count found them (seeking by
//     status, department, assignee…) and sorted. This is what makes a search
//     (q) fast: its LIKE is read from the indexes on (status, department,
//     reference, address), and a walk in order would read row after row for
//     a rare match.
//
// Listing drafts, the permits stream leaves out residents' drafts, with the
// condition of the partial index of migration 1763900012 (so that a count of
// every state still reads an index only).
//
// The sort keys below must stay exactly the expressions of the migration;
// TestQueuePlansUseTheQueueIndexes checks that SQLite uses those indexes.

// queueSortLimit is the most matches sorted rather than walked in order.
const queueSortLimit = 1000

// noDeadline is the sort key of a request without a pending deadline.
const noDeadline = "~"

// Sort keys of the migration 1763900010_queue_indexes.
const (
	queuePermitKey = "CASE WHEN status IN ('submitted', 'in_review') AND review_due_at != '' THEN review_due_at ELSE '~' END"
	queueReportKey = "CASE WHEN status = 'new' AND ack_due_at != '' THEN ack_due_at " +
		"WHEN status IN ('acknowledged', 'in_progress') AND resolve_due_at != '' THEN resolve_due_at ELSE '~' END"
)

// queueSource is how one table appears in the queue. Its expressions use
// only names and constants we chose; every value from the request is a
// bound parameter.
type queueSource struct {
	kind, table string
	prefix      string // of its parameter names
	// key is the sort key: the deadline the department must meet now, or '~'.
	key        string
	reference  string // column
	number     string // column also searched: the permit number once issued ("" for none)
	service    string // column: permit type / category
	place      string // column: address
	person     string // column: the resident
	personName string // column: the name of a caller without an account
	escalation string // expression
	location   string // expression: the map point as GeoPoint JSON, or ''
	// visible is the condition of what staff may see, when some of the
	// table is hidden from them in state hiddenState (a resident's draft);
	// it is the WHERE of the partial index idx_permits_staff_visible.
	visible, hiddenState string
}

var (
	queuePermits = queueSource{
		kind: "permit", table: "permits", prefix: "p", key: queuePermitKey,
		reference: "reference", number: "number", service: "permit_type", place: "site_address",
		person: "owner", personName: "applicant_name", escalation: "0", location: "''",
		visible: "status != 'draft' OR created_by != ''", hiddenState: "draft",
	}
	queueComplaints = queueSource{
		kind: "complaint", table: "complaints", prefix: "c", key: queueReportKey,
		reference: "reference", service: "category", place: "address",
		person: "reporter", personName: "caller_name", escalation: "escalation_level",
		location: "CASE WHEN has_location THEN location ELSE '' END",
	}
)

// shown is the reference a row shows: the application's reference, or the
// permit number of one issued before applications had references.
func (s queueSource) shown() string {
	if s.number == "" {
		return s.reference
	}
	return fmt.Sprintf("COALESCE(NULLIF(%s, ''), %s)", s.reference, s.number)
}

// queueArm is one stream of the queue: a table with its part of the filter.
type queueArm struct {
	src      queueSource
	statuses []string // nil: any
	service  string
}

// arms lists the filter's streams.
func (f queueFilter) arms() []queueArm {
	var arms []queueArm
	if f.permits {
		arms = append(arms, queueArm{queuePermits, f.permitStatus, f.permitType})
	}
	if f.complaints {
		arms = append(arms, queueArm{queueComplaints, f.complaintStatus, f.category})
	}
	return arms
}

// where is the stream's filter. walk says the stream is read in order from
// an index (the status is then checked, not sought); otherwise SQLite seeks
// by status, unless the overdue or escalated range is the better seek.
func (a queueArm) where(f queueFilter, walk bool, params dbx.Params) string {
	s := a.src
	var exps []dbx.Expression
	if a.statuses != nil {
		names := make([]string, len(a.statuses))
		for i, st := range a.statuses {
			name := fmt.Sprintf("%s_status%d", s.prefix, i)
			names[i] = "{:" + name + "}"
			params[name] = st
		}
		status := "status IN (" + strings.Join(names, ", ") + ")"
		if walk || f.overdue || f.escalated {
			status = "+" + status
		}
		exps = append(exps, dbx.NewExp(status))
	}
	if s.visible != "" && (a.statuses == nil || slices.Contains(a.statuses, s.hiddenState)) {
		exps = append(exps, dbx.NewExp(s.visible))
	}
	if f.department != "" {
		exps = append(exps, dbx.NewExp("department = {:department}", dbx.Params{"department": f.department}))
	}
	if a.service != "" {
		name := s.prefix + "_service"
		exps = append(exps, dbx.NewExp(s.service+" = {:"+name+"}", dbx.Params{name: a.service}))
	}
	if f.assigneeSet {
		exps = append(exps, dbx.NewExp("assignee = {:assignee}", dbx.Params{"assignee": f.assignee}))
	}
	if f.overdue {
		exps = append(exps, dbx.NewExp(s.key+" < {:now}")) // '~' sorts after every date
	}
	if f.escalated {
		// walking, the plus keeps SQLite on the walked index rather than the
		// partial index of escalated reports (which it would have to sort)
		escalated := s.escalation + " > 0"
		if walk {
			escalated = "+" + escalated
		}
		exps = append(exps, dbx.NewExp(escalated))
	}
	if f.q != "" {
		cols := []string{s.reference, s.place}
		if s.number != "" {
			cols = append(cols, s.number)
		}
		like := make([]string, len(cols))
		for i, c := range cols {
			like[i] = c + ` LIKE {:q} ESCAPE '\'`
		}
		exps = append(exps, dbx.NewExp("("+strings.Join(like, " OR ")+")", dbx.Params{"q": "%" + likeEscape(f.q) + "%"}))
	}
	if len(exps) == 0 {
		return "1"
	}
	return dbx.And(exps...).Build(nil, params)
}

// likeEscape makes % and _ (and the escape character) match themselves.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// selectSQL is the stream's SELECT in the queue's common shape. Not
// walking, the matches are found by the count's query, reading indexes
// only, and then their rows.
func (a queueArm) selectSQL(f queueFilter, walk bool, params dbx.Params) string {
	s := a.src
	where := a.where(f, walk, params)
	if !walk {
		where = fmt.Sprintf("rowid IN (SELECT rowid FROM %s WHERE %s)", s.table, where)
	}
	return fmt.Sprintf(`SELECT '%s' AS kind, id, %s AS reference, %s AS service, %s AS place, status, department, assignee,
		created, %s AS dkey, %s AS escalation_level, %s AS person, %s AS person_name, %s AS location
		FROM %s WHERE %s`,
		s.kind, s.shown(), s.service, s.place, s.key, s.escalation, s.person, s.personName, s.location,
		s.table, where)
}

// queueOrder is the ORDER BY of a sort, over the streams' columns.
func queueOrder(sort string) []string {
	switch sort {
	case "created":
		return []string{"created", "id", "kind"}
	case "-created":
		return []string{"created DESC", "id DESC", "kind DESC"}
	}
	// soonest deadline first, then those without one, older first
	return []string{"dkey", "created", "id", "kind"}
}

// queueParams are the parameters every queue query binds.
func (p *Portal) queueParams() dbx.Params {
	now, err := types.ParseDateTime(p.now().UTC())
	if err != nil {
		now = types.NowDateTime()
	}
	return dbx.Params{"now": now.String()}
}

// countSQL counts each stream's matches: one row (arm, n) per stream.
func (f queueFilter) countSQL(arms []queueArm, params dbx.Params) string {
	parts := make([]string, len(arms))
	for i, a := range arms {
		parts[i] = fmt.Sprintf("SELECT %d AS arm, COUNT(*) AS n FROM %s WHERE %s", i, a.src.table, a.where(f, false, params))
	}
	return strings.Join(parts, " UNION ALL ")
}

// pageSQL reads one page of the streams, merged in order, and names its rows.
func (f queueFilter) pageSQL(arms []queueArm, walk bool, params dbx.Params) string {
	parts := make([]string, len(arms))
	for i, a := range arms {
		parts[i] = a.selectSQL(f, walk, params)
	}
	order := queueOrder(f.sort)
	params["limit"] = f.perPage
	params["offset"] = (f.page - 1) * f.perPage
	return `SELECT q.kind, q.id, q.reference, q.status, q.department, q.assignee, q.created,
		CASE WHEN q.dkey = '` + noDeadline + `' THEN '' ELSE q.dkey END AS deadline,
		q.dkey < {:now} AS overdue, q.escalation_level, q.place, q.location,
		COALESCE(d.name, '') AS department_name, COALESCE(s.name, '') AS assignee_name,
		COALESCE(pt.name_en, cc.name_en, '') AS service_name,
		COALESCE(NULLIF(u.name, ''), q.person_name, '') AS applicant
	FROM (` + strings.Join(parts, "\n UNION ALL \n") + `
		ORDER BY ` + strings.Join(order, ", ") + ` LIMIT {:limit} OFFSET {:offset}) q
	LEFT JOIN departments d ON d.id = q.department
	LEFT JOIN staff s ON q.assignee != '' AND s.id = q.assignee
	LEFT JOIN permit_types pt ON q.kind = 'permit' AND pt.id = q.service
	LEFT JOIN complaint_categories cc ON q.kind = 'complaint' AND cc.id = q.service
	LEFT JOIN users u ON q.person != '' AND u.id = q.person
	ORDER BY q.` + strings.Join(order, ", q.")
}

// queue runs the queue: the total and one page.
func (p *Portal) queue(f queueFilter) (int, []queueRow, error) {
	rows := []queueRow{}
	total, busy, err := p.countQueue(f)
	if err != nil || total <= (f.page-1)*f.perPage {
		return total, rows, err
	}
	params := p.queueParams()
	page := f.pageSQL(busy, total > queueSortLimit, params)
	if err := p.app.DB().NewQuery(page).Bind(params).All(&rows); err != nil {
		return 0, nil, err
	}
	for i := range rows {
		rows[i].Title = rows[i].ServiceName
		if rows[i].Place != "" {
			rows[i].Title += " — " + rows[i].Place
		}
		var pt types.GeoPoint
		if rows[i].Location != "" && pt.Scan(rows[i].Location) == nil {
			rows[i].Lat, rows[i].Lon = &pt.Lat, &pt.Lon // staff see the exact point
		}
	}
	return total, rows, nil
}

// countQueue counts the filter's matches: the total and the streams that
// have any, in order.
func (p *Portal) countQueue(f queueFilter) (int, []queueArm, error) {
	arms := f.arms()
	if len(arms) == 0 {
		return 0, nil, nil
	}
	params := p.queueParams()
	var counts []struct {
		Arm int `db:"arm"`
		N   int `db:"n"`
	}
	if err := p.app.DB().NewQuery(f.countSQL(arms, params)).Bind(params).All(&counts); err != nil {
		return 0, nil, err
	}
	total := 0
	var busy []queueArm
	for i := range arms {
		for _, c := range counts {
			if c.Arm == i && c.N > 0 {
				total += c.N
				busy = append(busy, arms[i])
			}
		}
	}
	return total, busy, nil
}
