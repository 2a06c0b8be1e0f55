package main

import (
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/crypto/bcrypt"
)

// sizes is how many rows of each kind the generator makes.
type sizes struct {
	Reports, Permits, Events, Documents, Residents int
}

// countyScale is the data of issue 19: a county that has used Townhall for
// ten years.
var countyScale = sizes{Reports: 100_000, Permits: 40_000, Events: 500_000, Documents: 150_000, Residents: 30_000}

// scaled is s times the county's sizes (at least a handful of each).
func scaled(s float64) sizes {
	n := func(v int) int { return max(int(float64(v)*s+0.5), 10) }
	return sizes{n(countyScale.Reports), n(countyScale.Permits), n(countyScale.Events), n(countyScale.Documents), n(countyScale.Residents)}
}

// tokenResidents is how many residents the calls sign in as (rotated).
const tokenResidents = 500

// fixture is what the calls need to know about the generated data.
type fixture struct {
	residents   []resident // with a report and an application each, signed in
	clerk       string     // token of a Public Works clerk (most reports)
	director    string     // token of a director (all departments)
	numbers     []string   // issued (and some expired) permit numbers
	categories  []string   // active problem categories
	publicPages int        // pages of 30 in the public list
	generated   time.Duration
}

// resident is one signed-in resident and a request of each kind of theirs.
type resident struct {
	id, token, report, permit string
}

const dateLayout = "2006-01-02 15:04:05.000Z"

func stamp(t time.Time) string { return t.UTC().Format(dateLayout) }

// generate fills a data folder that `townhall seed --demo` made (every
// migration applied, the demo county's departments, services and staff)
// with a county's ten years of requests, by SQL in transactions, then
// switches rate limits off (the load comes from one address) and mints the
// tokens the calls use.
func generate(dir string, n sizes, logf func(string, ...any)) (*fixture, error) {
	started := time.Now()
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir})
	if err := app.Bootstrap(); err != nil {
		return nil, err
	}
	defer app.ResetBootstrapState()
	db, ok := app.NonconcurrentDB().(*dbx.DB)
	if !ok {
		return nil, fmt.Errorf("unexpected database type %T", app.NonconcurrentDB())
	}
	g := &generator{db: db.DB(), n: n, rng: rand.New(rand.NewPCG(19, 2026)), now: time.Now().UTC(), logf: logf}
	if err := g.catalogue(app); err != nil {
		return nil, err
	}
	for _, step := range []struct {
		what string
		fn   func() error
	}{
		{"residents", g.residents}, {"reports", g.reports}, {"permits", g.permits},
		{"events", g.events}, {"documents", g.documents}, {"counters", g.counters},
	} {
		t := time.Now()
		if err := step.fn(); err != nil {
			return nil, fmt.Errorf("generating %s: %w", step.what, err)
		}
		logf("generated %s in %s", step.what, time.Since(t).Round(time.Millisecond))
	}
	// statistics, as PocketBase's daily PRAGMA optimize keeps them on a
	// database that has been in use
	if _, err := g.db.Exec("ANALYZE"); err != nil {
		return nil, err
	}
	s := app.Settings()
	s.RateLimits.Enabled = false
	if err := app.Save(s); err != nil {
		return nil, err
	}
	fx, err := readFixture(app)
	if err != nil {
		return nil, err
	}
	fx.generated = time.Since(started)
	return fx, nil
}

// loadFixture reads what the calls need from a data folder generated before.
func loadFixture(dir string) (*fixture, error) {
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir})
	if err := app.Bootstrap(); err != nil {
		return nil, err
	}
	defer app.ResetBootstrapState()
	return readFixture(app)
}

type generator struct {
	db   *sql.DB
	n    sizes
	rng  *rand.Rand
	now  time.Time
	logf func(string, ...any)

	categories []struct{ id, department string }
	types      []struct{ id, department, code string }

	residentIDs []string
	reportIDs   []string
	reportDept  []string
	reportOwner []string
	permitIDs   []string
	permitDept  []string
	permitOwner []string
	numbering   map[string]int
}

func (g *generator) catalogue(app core.App) error {
	rows, err := g.db.Query("SELECT id, department FROM complaint_categories WHERE active = TRUE ORDER BY code")
	if err != nil {
		return err
	}
	for rows.Next() {
		var c struct{ id, department string }
		if err := rows.Scan(&c.id, &c.department); err != nil {
			return err
		}
		g.categories = append(g.categories, c)
	}
	rows.Close()
	rows, err = g.db.Query("SELECT id, department, code FROM permit_types WHERE active = TRUE ORDER BY code")
	if err != nil {
		return err
	}
	for rows.Next() {
		var t struct{ id, department, code string }
		if err := rows.Scan(&t.id, &t.department, &t.code); err != nil {
			return err
		}
		g.types = append(g.types, t)
	}
	rows.Close()
	if len(g.categories) == 0 || len(g.types) == 0 {
		return fmt.Errorf("the data folder has no active categories or permit types (seed --demo first)")
	}
	// numbering goes on from what the demo county issued
	g.numbering = map[string]int{}
	rows, err = g.db.Query("SELECT key, value FROM townhall_counters")
	if err != nil {
		return err
	}
	for rows.Next() {
		var k string
		var v int
		if err := rows.Scan(&k, &v); err != nil {
			return err
		}
		g.numbering[k] = v
	}
	rows.Close()
	return nil
}

// insert runs one prepared INSERT for rows 0..count-1 in transactions of
// 20,000 rows; row returns the values of row i.
func (g *generator) insert(query string, count int, row func(i int) []any) error {
	const batch = 20_000
	for from := 0; from < count; from += batch {
		tx, err := g.db.Begin()
		if err != nil {
			return err
		}
		stmt, err := tx.Prepare(query)
		if err != nil {
			tx.Rollback()
			return err
		}
		for i := from; i < min(from+batch, count); i++ {
			if _, err := stmt.Exec(row(i)...); err != nil {
				stmt.Close()
				tx.Rollback()
				return fmt.Errorf("row %d: %w", i, err)
			}
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// when is the creation time of the i-th of count rows: ten years ago to
// now, in order, with a little jitter.
func (g *generator) when(i, count int) time.Time {
	span := 10 * 365 * 24 * time.Hour
	t := g.now.Add(-span + time.Duration(float64(span)*float64(i)/float64(count)))
	return t.Add(-time.Duration(g.rng.IntN(3600)) * time.Second)
}

func (g *generator) residents() error {
	hash, err := bcrypt.GenerateFromPassword([]byte("bench-load-not-for-signing-in"), 4)
	if err != nil {
		return err
	}
	g.residentIDs = make([]string, g.n.Residents)
	for i := range g.residentIDs {
		g.residentIDs[i] = fmt.Sprintf("r%014d", i)
	}
	return g.insert(`INSERT INTO users (id, email, emailVisibility, verified, password, tokenKey, name, phone, address, language, created, updated)
		VALUES (?, ?, FALSE, TRUE, ?, ?, ?, ?, ?, ?, ?, ?)`, g.n.Residents, func(i int) []any {
		created := stamp(g.when(i, g.n.Residents))
		lang := "en"
		if i%4 == 0 {
			lang = "es"
		}
		return []any{g.residentIDs[i], fmt.Sprintf("resident%d@bench.example", i), string(hash), g.word(30),
			fmt.Sprintf("Resident %d", i), fmt.Sprintf("(555) %03d-%04d", i%1000, i%10000),
			fmt.Sprintf("%d Elm Street", i%9000+1), lang, created, created}
	})
}

// word is n random letters and digits.
func (g *generator) word(n int) string {
	const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[g.rng.IntN(len(chars))]
	}
	return string(b)
}

var reportStates = []struct {
	status string
	weight int
}{{"new", 15}, {"acknowledged", 10}, {"in_progress", 15}, {"resolved", 25}, {"closed", 25}, {"rejected", 5}, {"duplicate", 5}}

var permitStates = []struct {
	status string
	weight int
}{{"draft", 5}, {"submitted", 10}, {"in_review", 10}, {"changes_requested", 5}, {"approved", 5}, {"denied", 5}, {"issued", 50}, {"withdrawn", 10}}

func pick[T any](rng *rand.Rand, states []T, weight func(T) int) T {
	total := 0
	for _, s := range states {
		total += weight(s)
	}
	r := rng.IntN(total)
	for _, s := range states {
		if r -= weight(s); r < 0 {
			return s
		}
	}
	return states[len(states)-1]
}

// reports: about 40 % open (more than a real county keeps open, to load the
// staff queue and the public list), 10 % taken by phone without an account,
// 1 % followed by a second resident.
func (g *generator) reports() error {
	n := g.n.Reports
	g.reportIDs, g.reportDept, g.reportOwner = make([]string, n), make([]string, n), make([]string, n)
	var follows [][2]string
	err := g.insert(`INSERT INTO complaints (id, reference, category, department, reporter, followers, caller_name, language, source,
		description, description_private, address, location, has_location, status, ack_due_at, resolve_due_at, acknowledged_at,
		resolved_at, closed_at, escalation_level, public_until, created, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`, n, func(i int) []any {
		id := fmt.Sprintf("c%014d", i)
		created := g.when(i, n)
		year := created.Year()
		g.numbering[fmt.Sprintf("complaint:SR:%d", year)]++
		ref := fmt.Sprintf("SR-%d-%05d", year, g.numbering[fmt.Sprintf("complaint:SR:%d", year)])
		cat := g.categories[g.rng.IntN(len(g.categories))]
		reporter, caller, source := g.residentIDs[g.rng.IntN(len(g.residentIDs))], "", "web"
		if i%10 == 9 {
			reporter, caller, source = "", "Caller "+g.word(5), "phone"
		}
		followers := "[]"
		if i%100 == 50 {
			f := g.residentIDs[g.rng.IntN(len(g.residentIDs))]
			if f != reporter {
				followers = `["` + f + `"]`
				follows = append(follows, [2]string{f, id})
			}
		}
		st := pick(g.rng, reportStates, func(s struct {
			status string
			weight int
		}) int {
			return s.weight
		}).status
		ackDue, resolveDue := stamp(created.Add(24*time.Hour)), stamp(created.Add(5*24*time.Hour))
		var acked, resolved, closed, publicUntil string
		if st != "new" {
			acked = stamp(created.Add(6 * time.Hour))
		}
		switch st {
		case "new", "acknowledged", "in_progress":
			publicUntil = "9999-12-31 23:59:59.999Z"
		case "resolved", "closed":
			r := created.Add(time.Duration(1+g.rng.IntN(10)) * 24 * time.Hour)
			resolved = stamp(r)
			if st == "closed" {
				closed = stamp(r.Add(14 * 24 * time.Hour))
			}
			if until := r.Add(30 * 24 * time.Hour); until.After(g.now) {
				publicUntil = stamp(until)
			}
		}
		lat, lon := 45.0+g.rng.Float64()*0.2-0.1, -93.0+g.rng.Float64()*0.2-0.1
		hasLoc := g.rng.IntN(10) < 7
		loc := `{"lon":0,"lat":0}`
		if hasLoc {
			loc = fmt.Sprintf(`{"lon":%.6f,"lat":%.6f}`, lon, lat)
		}
		lang := "en"
		if i%4 == 0 {
			lang = "es"
		}
		g.reportIDs[i], g.reportDept[i], g.reportOwner[i] = id, cat.department, reporter
		upd := stamp(created.Add(time.Hour))
		return []any{id, ref, cat.id, cat.department, reporter, followers, caller, lang, source,
			"A problem at " + g.word(8) + ", reported by a resident with a few words of description.", i%20 == 0,
			fmt.Sprintf("%d Main Street", i%5000+1), loc, hasLoc, st, ackDue, resolveDue, acked, resolved, closed, publicUntil,
			stamp(created), upd}
	})
	if err != nil {
		return err
	}
	return g.insert("INSERT OR IGNORE INTO townhall_follows (user, complaint) VALUES (?, ?)", len(follows), func(i int) []any {
		return []any{follows[i][0], follows[i][1]}
	})
}

// permits: half issued (numbered; expired once a year has passed), the rest
// in every other state.
func (g *generator) permits() error {
	n := g.n.Permits
	g.permitIDs, g.permitDept, g.permitOwner = make([]string, n), make([]string, n), make([]string, n)
	return g.insert(`INSERT INTO permits (id, permit_type, department, owner, applicant_name, applicant_email, language, status, data,
		site_address, number, fee, paid_amount, payment_method, submitted_at, review_due_at, decided_at, issued_at, expires_at, created, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, n, func(i int) []any {
		id := fmt.Sprintf("p%014d", i)
		created := g.when(i, n)
		t := g.types[g.rng.IntN(len(g.types))]
		owner := g.residentIDs[g.rng.IntN(len(g.residentIDs))]
		st := pick(g.rng, permitStates, func(s struct {
			status string
			weight int
		}) int {
			return s.weight
		}).status
		var submitted, due, decided, issuedAt, expires, number, method string
		paid := 0
		if st != "draft" {
			submitted = stamp(created.Add(2 * time.Hour))
			due = stamp(created.Add(10 * 24 * time.Hour))
		}
		if st == "approved" || st == "denied" || st == "issued" {
			decided = stamp(created.Add(7 * 24 * time.Hour))
		}
		if st == "issued" {
			at := created.Add(8 * 24 * time.Hour)
			issuedAt, expires = stamp(at), stamp(at.Add(365*24*time.Hour))
			if at.Add(365 * 24 * time.Hour).Before(g.now) {
				st = "expired"
			}
			key := fmt.Sprintf("permit:%s:%d", t.code, at.Year())
			g.numbering[key]++
			number = fmt.Sprintf("%s-%d-%05d", t.code, at.Year(), g.numbering[key])
			paid, method = 150, "card"
		}
		g.permitIDs[i], g.permitDept[i], g.permitOwner[i] = id, t.department, owner
		return []any{id, t.id, t.department, owner, "Resident " + owner[1:], "applicant@bench.example", "en", st,
			`{"height_feet":6,"material":"wood"}`, fmt.Sprintf("%d Oak Avenue", i%7000+1), number, 150, paid, method,
			submitted, due, decided, issuedAt, expires, stamp(created), stamp(created.Add(time.Hour))}
	})
}

// share is the number of items of total that the j-th of count parents gets
// (spread evenly, all handed out).
func share(j, count, total int) int {
	return (j+1)*total/count - j*total/count
}

// events: the history of every request, spread evenly: the filing, status
// changes, comments and internal notes.
func (g *generator) events() error {
	type ev struct {
		action, from, to string
		public           bool
	}
	reportSteps := []ev{{"file", "", "new", true}, {"acknowledge", "new", "acknowledged", true}, {"note", "", "", false},
		{"start", "acknowledged", "in_progress", true}, {"comment", "", "", true}, {"resolve", "in_progress", "resolved", true}}
	permitSteps := []ev{{"submit", "draft", "submitted", true}, {"start_review", "submitted", "in_review", true},
		{"note", "", "", false}, {"approve", "in_review", "approved", true}, {"issue", "approved", "issued", true}, {"comment", "", "", true}}
	parents := len(g.reportIDs) + len(g.permitIDs)
	type job struct {
		parent int
		step   int
	}
	var jobs []job
	for j := range parents {
		for k := range share(j, parents, g.n.Events) {
			jobs = append(jobs, job{j, k})
		}
	}
	return g.insert(`INSERT INTO events (id, permit, complaint, department, actor_kind, actor_user, actor_name, action, from_status,
		to_status, comment, public, data, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, len(jobs), func(i int) []any {
		jb := jobs[i]
		var permit, complaint, dept, owner string
		var steps []ev
		var created time.Time
		if jb.parent < len(g.reportIDs) {
			complaint, dept, owner, steps = g.reportIDs[jb.parent], g.reportDept[jb.parent], g.reportOwner[jb.parent], reportSteps
			created = g.when(jb.parent, len(g.reportIDs))
		} else {
			k := jb.parent - len(g.reportIDs)
			permit, dept, owner, steps = g.permitIDs[k], g.permitDept[k], g.permitOwner[k], permitSteps
			created = g.when(k, len(g.permitIDs))
		}
		s := steps[jb.step%len(steps)]
		kind, actor := "staff", ""
		if jb.step == 0 && owner != "" {
			kind, actor = "resident", owner
		}
		comment := ""
		if s.action == "comment" || s.action == "note" {
			comment = "Checked on site; " + g.word(12)
		}
		at := stamp(created.Add(time.Duration(jb.step) * 6 * time.Hour))
		return []any{fmt.Sprintf("e%014d", i), permit, complaint, dept, kind, actor, "Someone", s.action, s.from, s.to, comment, s.public,
			"{}", at, at}
	})
}

// documents: 60 % on applications (site plans and the like), 40 % photos of
// reports (one in ten marked public). No files: only the rows.
func (g *generator) documents() error {
	type job struct{ permit, report int }
	var jobs []job
	onPermits := g.n.Documents * 6 / 10
	for j := range g.permitIDs {
		for range share(j, len(g.permitIDs), onPermits) {
			jobs = append(jobs, job{j, -1})
		}
	}
	for j := range g.reportIDs {
		for range share(j, len(g.reportIDs), g.n.Documents-onPermits) {
			jobs = append(jobs, job{-1, j})
		}
	}
	return g.insert(`INSERT INTO documents (id, permit, complaint, department, owner, kind, file, original_name, sha256, size,
		content_type, public, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, len(jobs), func(i int) []any {
		jb := jobs[i]
		id := fmt.Sprintf("d%014d", i)
		if jb.permit >= 0 {
			at := stamp(g.when(jb.permit, len(g.permitIDs)).Add(time.Hour))
			return []any{id, g.permitIDs[jb.permit], "", g.permitDept[jb.permit], g.permitOwner[jb.permit], "site_plan",
				"site_plan_" + strings.ToLower(g.word(10)) + ".pdf", "site plan.pdf", strings.Repeat("ab", 32), 120_000,
				"application/pdf", false, at, at}
		}
		at := stamp(g.when(jb.report, len(g.reportIDs)).Add(time.Hour))
		return []any{id, "", g.reportIDs[jb.report], g.reportDept[jb.report], g.reportOwner[jb.report], "photo",
			"photo_" + strings.ToLower(g.word(10)) + ".jpg", "IMG_0001.jpg", strings.Repeat("cd", 32), 900_000,
			"image/jpeg", jb.report%10 == 0, at, at}
	})
}

// counters continue the numbering after the generated references and
// numbers, so that new reports get fresh ones.
func (g *generator) counters() error {
	var keys []string
	for k := range g.numbering {
		keys = append(keys, k)
	}
	return g.insert(`INSERT INTO townhall_counters (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)`, len(keys), func(i int) []any {
		return []any{keys[i], g.numbering[keys[i]]}
	})
}

// readFixture finds residents with a report and an application, issued
// permit numbers and the public list's length, and mints the tokens of the
// residents and staff the calls use.
func readFixture(app core.App) (*fixture, error) {
	fx := &fixture{}
	var rows []struct {
		ID     string `db:"id"`
		Report string `db:"report"`
		Permit string `db:"permit"`
	}
	err := app.DB().NewQuery(`SELECT u.id AS id,
			(SELECT c.id FROM complaints c WHERE c.reporter = u.id ORDER BY c.created LIMIT 1) AS report,
			(SELECT p.id FROM permits p WHERE p.owner = u.id ORDER BY p.created LIMIT 1) AS permit
		FROM users u WHERE u.id LIKE 'r%' AND report IS NOT NULL AND permit IS NOT NULL
		ORDER BY u.id LIMIT {:n}`).Bind(dbx.Params{"n": tokenResidents}).All(&rows)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		u, err := app.FindRecordById("users", r.ID)
		if err != nil {
			return nil, err
		}
		token, err := u.NewAuthToken()
		if err != nil {
			return nil, err
		}
		fx.residents = append(fx.residents, resident{id: r.ID, token: token, report: r.Report, permit: r.Permit})
	}
	if len(fx.residents) == 0 {
		return nil, fmt.Errorf("no resident has both a report and an application: generate more rows")
	}
	// issued permits, and one in twenty of the expired ones
	err = app.DB().NewQuery(`SELECT number FROM permits WHERE number != '' AND (status = 'issued' OR (status = 'expired' AND rowid % 20 = 0))
		ORDER BY rowid LIMIT 5000`).Column(&fx.numbers)
	if err != nil {
		return nil, err
	}
	if len(fx.numbers) == 0 {
		return nil, fmt.Errorf("no permit was issued: generate more rows")
	}
	if err := app.DB().NewQuery("SELECT id FROM complaint_categories WHERE active = TRUE ORDER BY code").Column(&fx.categories); err != nil {
		return nil, err
	}
	var listed int
	if err := app.DB().NewQuery("SELECT COUNT(*) FROM complaints WHERE public_until != '' AND public_until >= {:now}").
		Bind(dbx.Params{"now": stamp(time.Now())}).Row(&listed); err != nil {
		return nil, err
	}
	fx.publicPages = (listed + 29) / 30
	for _, s := range []struct {
		email string
		to    *string
	}{{"works@pinecounty.example", &fx.clerk}, {"director@pinecounty.example", &fx.director}} {
		r, err := app.FindAuthRecordByEmail("staff", s.email)
		if err != nil {
			return nil, fmt.Errorf("the demo staff member %s: %w", s.email, err)
		}
		if *s.to, err = r.NewAuthToken(); err != nil {
			return nil, err
		}
	}
	return fx, nil
}

// countRows reads the sizes of a data folder generated before.
func countRows(dir string, n *sizes) error {
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir})
	if err := app.Bootstrap(); err != nil {
		return err
	}
	defer app.ResetBootstrapState()
	for table, to := range map[string]*int{"complaints": &n.Reports, "permits": &n.Permits, "events": &n.Events,
		"documents": &n.Documents, "users": &n.Residents} {
		if err := app.DB().NewQuery("SELECT COUNT(*) FROM " + table).Row(to); err != nil {
			return err
		}
	}
	return nil
}

// copyDir copies a data folder (closed) for the second server.
func copyDir(from, to string) error {
	return filepath.Walk(from, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, info.Mode())
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}
