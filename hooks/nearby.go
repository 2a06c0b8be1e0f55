package hooks

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/geo"
	"github.com/townhall-portal/townhall/pb_migrations"
)

// "Is it one of these?": the open reports of a category near a spot, so
// that a resident can follow one instead of filing it again. Only what the
// public list shows: the location rounded to 3 decimals (about 100 m), the
// description unless the reporter kept it private, no names.

const (
	// nearbyMetres is how near a report must be; it is measured to the
	// report's rounded location (never the exact one, which repeated
	// questions could otherwise narrow down), with the rounding's own
	// reach on top
	nearbyMetres   = 150
	roundingMetres = 80
	maxNearby      = 10
)

// nearbyReport is a report as the nearby list shows it.
type nearbyReport struct {
	ID         string  `json:"id"`
	Reference  string  `json:"reference"`
	Title      string  `json:"title"`
	Category   string  `json:"category"`
	CategoryES string  `json:"category_es"`
	Status     string  `json:"status"`
	Lat        float64 `json:"lat"`
	Lon        float64 `json:"lon"`
	Created    string  `json:"created"`
	Distance   int     `json:"distance_m"`
}

// recordID is the shape of a PocketBase record id.
var recordID = regexp.MustCompile(`^[a-z0-9]{1,32}$`)

// handleNearbyReports answers the open reports of ?category= within about
// 150 m of ?lat=&lon=, nearest first.
func (p *Portal) handleNearbyReports(e *core.RequestEvent) error {
	lat, lon, err := parsePoint(e)
	if err != nil {
		return err
	}
	category := e.Request.URL.Query().Get("category")
	if !recordID.MatchString(category) {
		return refusal(requestLang(e).T("nearby.category"))
	}
	items, err := p.NearbyReports(category, lat, lon)
	if err != nil {
		return e.InternalServerError("", err)
	}
	// not kept by the browser: a report filed or followed a moment ago shows at once
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// nearbyRow is what the nearby query reads of a report.
type nearbyRow struct {
	RowID       int64   `db:"rid"`
	ID          string  `db:"id"`
	Reference   string  `db:"reference"`
	Status      string  `db:"status"`
	Created     string  `db:"created"`
	Description string  `db:"description"`
	Private     bool    `db:"description_private"`
	Lat         float64 `db:"rlat"`
	Lon         float64 `db:"rlon"`
}

// NearbyReports finds the open reports of a category near (lat, lon).
func (p *Portal) NearbyReports(category string, lat, lon float64) ([]nearbyReport, error) {
	b := geo.Around(lat, lon, nearbyMetres+roundingMetres)
	sql, params := nearbyQuery(category, b)
	// first the points alone, from the index; then the few nearest reports
	var points []struct {
		RowID int64   `db:"rid"`
		Lat   float64 `db:"rlat"`
		Lon   float64 `db:"rlon"`
	}
	if err := p.app.DB().NewQuery(sql).Bind(params).All(&points); err != nil {
		return nil, err
	}
	items := []nearbyReport{}
	type near struct {
		rowid    int64
		distance float64
	}
	var nearest []near
	for _, pt := range points {
		if d := geo.Distance(lat, lon, pt.Lat, pt.Lon); d <= nearbyMetres+roundingMetres {
			nearest = append(nearest, near{pt.RowID, d})
		}
	}
	if len(nearest) == 0 {
		return items, nil
	}
	slices.SortStableFunc(nearest, func(a, b near) int { return cmp.Compare(a.distance, b.distance) })
	nearest = nearest[:min(len(nearest), maxNearby)]
	in := make([]any, len(nearest))
	for i, n := range nearest {
		in[i] = n.rowid
	}
	var rows []nearbyRow
	err := p.app.DB().Select("rowid AS rid", "id", "reference", "status", "created", "description", "description_private",
		"round(json_extract(location, '$.lat'), 3) AS rlat", "round(json_extract(location, '$.lon'), 3) AS rlon").
		From("complaints").Where(dbx.In("rowid", in...)).All(&rows)
	if err != nil {
		return nil, err
	}
	var cat struct {
		EN string `db:"name_en"`
		ES string `db:"name_es"`
	}
	_ = p.app.DB().Select("name_en", "name_es").From("complaint_categories").Where(dbx.HashExp{"id": category}).One(&cat)
	for _, r := range rows {
		d := geo.Distance(lat, lon, r.Lat, r.Lon)
		title := cat.EN
		if desc := strings.Join(strings.Fields(r.Description), " "); !r.Private && desc != "" {
			title = clipText(desc, 140)
		}
		items = append(items, nearbyReport{ID: r.ID, Reference: r.Reference, Title: title, Category: cat.EN, CategoryES: cat.ES,
			Status: r.Status, Lat: r.Lat, Lon: r.Lon, Created: r.Created, Distance: int(d)})
	}
	slices.SortStableFunc(items, func(a, b nearbyReport) int { return a.Distance - b.Distance })
	return items, nil
}

// nearbyQuery reads the box from idx_complaints_nearby: its WHERE and
// column expressions word for word (the index holds open reports with a
// location). The rounded latitudes in the box are few (one each 0.001°),
// so the query names each: one seek per latitude, each a range of
// longitudes, reads only the box.
func nearbyQuery(category string, b geo.Box) (string, dbx.Params) {
	params := dbx.Params{"category": category, "minLon": geo.Round(b.MinLon, 3), "maxLon": geo.Round(b.MaxLon, 3)}
	var names []string
	for k, last := math.Round(b.MinLat*1000), math.Round(b.MaxLat*1000); k <= last && len(names) < 50; k++ {
		name := fmt.Sprintf("lat%d", len(names))
		params[name] = k / 1000 // the same double as SQLite's round(x, 3)
		names = append(names, "{:"+name+"}")
	}
	return "SELECT rowid AS rid, round(json_extract(location, '$.lat'), 3) AS rlat, round(json_extract(location, '$.lon'), 3) AS rlon " +
		"FROM complaints WHERE " + pb_migrations.NearbyIndexWhere + " AND category = {:category} " +
		"AND round(json_extract(location, '$.lat'), 3) IN (" + strings.Join(names, ", ") + ") " +
		"AND round(json_extract(location, '$.lon'), 3) BETWEEN {:minLon} AND {:maxLon} LIMIT 2000", params
}
