package hooks

import (
	"bufio"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/townhall-portal/townhall/internal/insights"
	"github.com/townhall-portal/townhall/pb_migrations"
)

// Public statistics and open data, for anyone (no account):
//
//	GET /api/townhall/public/stats                  the last 12 months per problem category and permit type
//	GET /api/townhall/public/open-data/requests.csv one row per request
//	GET /api/townhall/public/open-data/requests.json
//
// The statistics come from the Insights roll-up (townhall_insight_facts);
// cells counting fewer than insights.MinPublicCount requests are hidden.
// They are computed at most once every publicStatsTTL and served from
// memory meanwhile (a stale answer is served while the next one is
// computed), because a year of 100,000 requests takes longer to add up
// than a public page should wait.
//
// The open data files carry no names, contacts, free text or documents,
// and locations rounded to 3 decimals (about 100 m); application drafts are
// left out. Each file is written once every openDataTTL into memory,
// compressed, and served from there (opendata.go): a download, however
// slow, holds no database connection.

// publicStatsTTL is how old the public statistics may be.
const publicStatsTTL = 10 * time.Minute

// publicStatsCache keeps the encoded statistics.
type publicStatsCache = memo[[]byte]

// registerPublicInsights adds what the public sees of the director's
// numbers and how residents feed them without an account: the statistics,
// the open data, the rating links (ratinglinks.go).
func (p *Portal) registerPublicInsights() {
	p.registerPublicStats()
	p.registerRatingLinks()
}

// registerPublicStats adds the statistics and open data routes.
func (p *Portal) registerPublicStats() {
	c := &publicStatsCache{}
	files := map[string]*openDataCache{"csv": {}, "json": {}}
	p.app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "townhallPublicStats",
		Func: func(se *core.ServeEvent) error {
			se.Router.GET("/api/townhall/public/stats", func(e *core.RequestEvent) error { return p.handlePublicStats(e, c) })
			se.Router.GET("/api/townhall/public/open-data/requests.csv", func(e *core.RequestEvent) error { return p.handleOpenData(e, "csv", files["csv"]) })
			se.Router.GET("/api/townhall/public/open-data/requests.json", func(e *core.RequestEvent) error { return p.handleOpenData(e, "json", files["json"]) })
			return se.Next()
		},
	})
}

// publicService is a row of the statistics, with its names.
type publicService struct {
	insights.PublicRow
	Code         string `json:"code"`
	NameEN       string `json:"name_en"`
	NameES       string `json:"name_es"`
	DepartmentNm string `json:"department_name"`
}

// publicStats is the statistics' answer.
type publicStats struct {
	From       string          `json:"from"` // YYYY-MM-DD, the first day counted
	To         string          `json:"to"`   // the last day counted
	ComputedAt time.Time       `json:"computed_at"`
	MinCount   int             `json:"min_count"`
	License    string          `json:"license"`
	LicenseURL string          `json:"license_url"`
	Services   []publicService `json:"services"`
}

// openDataLicense is the license the administrator set, or the default.
func (p *Portal) openDataLicense() (name, url string) {
	var row struct {
		Name string `db:"open_data_license"`
		URL  string `db:"open_data_license_url"`
	}
	_ = p.app.DB().NewQuery("SELECT open_data_license, open_data_license_url FROM town_settings LIMIT 1").One(&row)
	if row.Name == "" {
		return pb_migrations.DefaultOpenDataLicense, pb_migrations.DefaultOpenDataLicenseURL
	}
	return row.Name, row.URL
}

// computePublicStats adds up the last 12 months (to today, in the town's zone).
func (p *Portal) computePublicStats() ([]byte, error) {
	loc := p.townSettings(p.app).Calendar.Location()
	now := p.now().In(loc)
	y, m, d := now.Date()
	to := time.Date(y, m, d, 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	w := insights.Window{From: to.AddDate(-1, 0, 0), To: to}
	facts, err := p.loadFacts("", w.From)
	if err != nil {
		return nil, err
	}
	out := publicStats{From: w.From.Format(time.DateOnly), To: to.AddDate(0, 0, -1).Format(time.DateOnly),
		ComputedAt: p.now().UTC().Truncate(time.Second), MinCount: insights.MinPublicCount, Services: []publicService{}}
	out.License, out.LicenseURL = p.openDataLicense()
	var names []struct {
		ID     string `db:"id"`
		Code   string `db:"code"`
		NameEN string `db:"name_en"`
		NameES string `db:"name_es"`
	}
	if err := p.app.DB().NewQuery(`SELECT id, code, name_en, name_es FROM complaint_categories
		UNION ALL SELECT id, code, name_en, name_es FROM permit_types
		UNION ALL SELECT id, code, name AS name_en, '' AS name_es FROM departments`).All(&names); err != nil {
		return nil, err
	}
	byID := map[string]int{}
	for i, n := range names {
		byID[n.ID] = i
	}
	for _, r := range insights.PublicStats(facts, w) {
		s := publicService{PublicRow: r}
		if i, ok := byID[r.Service]; ok {
			s.Code, s.NameEN, s.NameES = names[i].Code, names[i].NameEN, names[i].NameES
		}
		if i, ok := byID[r.Department]; ok {
			s.DepartmentNm = names[i].NameEN
		}
		out.Services = append(out.Services, s)
	}
	return json.Marshal(out)
}

// handlePublicStats answers the statistics from memory, computing them
// when they are missing (callers wait for one computation) or refreshing
// them in the background when they are older than publicStatsTTL.
func (p *Portal) handlePublicStats(e *core.RequestEvent, c *publicStatsCache) error {
	body, ok := c.get(p.now, publicStatsTTL, p.computePublicStats, func(err error) {
		p.app.Logger().Error("computing the public statistics failed", "error", err)
	})
	if !ok {
		return e.InternalServerError("", fmt.Errorf("public statistics unavailable"))
	}
	e.Response.Header().Set("Cache-Control", "public, max-age=300")
	return e.Blob(http.StatusOK, "application/json", body)
}

// openDataFields are the columns of the open data files, in order.
var openDataFields = []string{"reference", "kind", "service_code", "service", "department_code", "department",
	"status", "channel", "filed_at", "acknowledged_at", "resolved_at", "closed_at", "decided_at", "issued_at", "lat", "long"}

// openDataSQL reads one row per request: problem reports, then submitted
// permit applications, oldest first. Nothing personal is selected.
const openDataSQL = `SELECT c.reference AS reference, 'report' AS kind, COALESCE(cc.code, '') AS service_code, COALESCE(cc.name_en, '') AS service,
		COALESCE(d.code, '') AS department_code, COALESCE(d.name, '') AS department, c.status AS status, c.source AS source, '' AS created_by,
		c.created AS filed_at, c.acknowledged_at AS acknowledged_at, c.resolved_at AS resolved_at, c.closed_at AS closed_at,
		'' AS decided_at, '' AS issued_at,
		CASE WHEN c.has_location AND json_valid(c.location) THEN round(json_extract(c.location, '$.lat'), 3) END AS lat,
		CASE WHEN c.has_location AND json_valid(c.location) THEN round(json_extract(c.location, '$.lon'), 3) END AS long
	FROM complaints c LEFT JOIN complaint_categories cc ON cc.id = c.category LEFT JOIN departments d ON d.id = c.department
	UNION ALL
	SELECT pm.reference, 'permit', COALESCE(pt.code, ''), COALESCE(pt.name_en, ''), COALESCE(d.code, ''), COALESCE(d.name, ''),
		pm.status, '', CASE WHEN pm.created_by != '' THEN 'staff' ELSE '' END,
		CASE WHEN pm.submitted_at != '' THEN pm.submitted_at ELSE pm.created END, '', '', '', pm.decided_at, pm.issued_at, NULL, NULL
	FROM permits pm LEFT JOIN permit_types pt ON pt.id = pm.permit_type LEFT JOIN departments d ON d.id = pm.department
	WHERE pm.status != 'draft'`

// writeOpenData writes every request as CSV (UTF-8 with a BOM, for Excel)
// or JSON, under the town's open data license.
func (p *Portal) writeOpenData(out io.Writer, format, license, licenseURL string) error {
	rows, err := p.app.DB().NewQuery(openDataSQL).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	w := bufio.NewWriterSize(out, 32<<10)

	var cw *csv.Writer
	if format == "csv" {
		w.WriteString("\uFEFF")
		cw = csv.NewWriter(w)
		_ = cw.Write(openDataFields)
	} else {
		head, _ := json.Marshal(map[string]any{"license": license, "license_url": licenseURL, "fields": openDataFields})
		w.Write(head[:len(head)-1])
		w.WriteString(`,"requests":[`)
	}
	var (
		r        [17]sql.NullString
		ptrs     [17]any
		record   = make([]string, len(openDataFields))
		obj      = make(map[string]any, len(openDataFields))
		first    = true
		jsonEnc  = json.NewEncoder(w)
		isoDates = map[int]bool{8: true, 9: true, 10: true, 11: true, 12: true, 13: true}
	)
	for i := range ptrs {
		ptrs[i] = &r[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs[:]...); err != nil {
			return fmt.Errorf("open data: reading a row: %w", err)
		}
		// columns: 0-6 as openDataFields, 7 source, 8 created_by, 9… dates, 15 lat, 16 long
		channel := channelOf(factRow{Kind: r[1].String, Source: r[7].String, CreatedBy: r[8].String})
		vals := []string{r[0].String, r[1].String, r[2].String, r[3].String, r[4].String, r[5].String, r[6].String, channel}
		for i := 9; i <= 16; i++ {
			vals = append(vals, r[i].String)
		}
		for i := range vals {
			if isoDates[i] && vals[i] != "" {
				vals[i] = isoDate(vals[i])
			}
			if (i == 14 || i == 15) && vals[i] != "" {
				if f, err := strconv.ParseFloat(vals[i], 64); err == nil {
					vals[i] = strconv.FormatFloat(roundTo(f, 3), 'f', -1, 64)
				}
			}
		}
		if cw != nil {
			copy(record, vals)
			if err := cw.Write(record); err != nil {
				return err
			}
			continue
		}
		for i, k := range openDataFields {
			switch {
			case vals[i] == "":
				obj[k] = nil
			case i == 14 || i == 15:
				obj[k] = json.Number(vals[i])
			default:
				obj[k] = vals[i]
			}
		}
		if !first {
			w.WriteByte(',')
		}
		first = false
		if err := jsonEnc.Encode(obj); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("open data: reading the rows: %w", err)
	}
	if cw != nil {
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	} else {
		w.WriteString("]}\n")
	}
	return w.Flush()
}

// isoDate writes a stored date as ISO 8601 in UTC (2026-05-01T14:03:00Z).
func isoDate(s string) string {
	dt, err := types.ParseDateTime(s)
	if err != nil || dt.IsZero() {
		return ""
	}
	return dt.Time().UTC().Format(time.RFC3339)
}
