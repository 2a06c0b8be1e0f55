package hooks

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/townhall-portal/townhall/internal/mapview"
	"github.com/townhall-portal/townhall/internal/workflow"
	"github.com/townhall-portal/townhall/pb_migrations"
)

// Maps: the public map of problems reads the public reports inside the part
// of the county on screen, with their rounded locations only:
//
//	GET /api/townhall/public/reports/map?bbox=west,south,east,north&category=&status=
//	GET /api/townhall/public/reports/map/{reference}   (one report's public summary, for its popup)
//
// bbox is optional (the whole county); status is open, resolved or any;
// category a category code. The answer is {"items": [{ref, lat, lon,
// status, category}], "truncated": bool, "cap": n}: at most mapPointCap
// points, so that a view of the whole county at 100,000 reports stays a
// small answer; truncated says there were more (zoom in to see them all).
// The tile server (town_settings.map_tile_url) must be a tile address the
// site's Content-Security-Policy can allow (see mapview.TileSource).

// mapPointCap is the most points one map answer holds.
const mapPointCap = 2000

// registerMaps adds the map endpoints and checks the tile setting on save.
func (p *Portal) registerMaps() {
	p.app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "townhallMaps",
		Func: func(se *core.ServeEvent) error {
			// 2,000 points are about 180 KB of JSON, 15 KB compressed
			se.Router.GET("/api/townhall/public/reports/map", p.handlePublicMap).Bind(apis.Gzip())
			se.Router.GET("/api/townhall/public/reports/map/{reference}", p.handlePublicMapReport)
			return se.Next()
		},
	})
	check := func(e *core.RecordEvent) error {
		if u := e.Record.GetString("map_tile_url"); u != "" {
			if _, err := mapview.TileSource(u); err != nil {
				return validationError("map_tile_url", "tile_url", "The map tile address cannot be used: "+err.Error()+".")
			}
		}
		return e.Next()
	}
	p.app.OnRecordCreate("town_settings").BindFunc(check)
	p.app.OnRecordUpdate("town_settings").BindFunc(check)
}

// mapPoint is one report on the public map.
type mapPoint struct {
	Reference string  `json:"ref"`
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	Status    string  `json:"status"`
	Category  string  `json:"category"`
}

// mapRow is what the map reads of a report: the public map index alone.
type mapRow struct {
	Reference string  `db:"reference"`
	Lat       float64 `db:"lat"`
	Lon       float64 `db:"lon"`
	Status    string  `db:"status"`
	Category  string  `db:"category"`
}

// publicMapQuery selects the public reports with a location inside a box
// (nil: anywhere), of a status filter and category id, from the partial
// index idx_complaints_public_map: its condition and its leading columns,
// the latitude range first, the rest checked on the index entries.
func (p *Portal) publicMapQuery(box *mapview.BBox, status, categoryID string, limit int) *dbx.SelectQuery {
	now, _ := types.ParseDateTime(p.now().UTC())
	lat, lon := "json_extract(location, '$.lat')", "json_extract(location, '$.lon')"
	q := p.app.DB().Select("reference", lat+" AS lat", lon+" AS lon", "status", "category").From("complaints").
		Where(dbx.NewExp(pb_migrations.PublicMapIndexWhere)).
		AndWhere(dbx.NewExp("public_until >= {:now}", dbx.Params{"now": now.String()}))
	if box == nil { // the whole earth: still a range of the index
		box = &mapview.BBox{West: -180, South: -90, East: 180, North: 90}
	}
	q = q.AndWhere(dbx.NewExp(lat+" BETWEEN {:s} AND {:n} AND "+lon+" BETWEEN {:w} AND {:e}",
		dbx.Params{"s": box.South, "n": box.North, "w": box.West, "e": box.East}))
	var states []string
	switch status {
	case "open":
		states = workflow.Complaint().Open
	case "resolved":
		states = []string{"resolved", "closed"}
	}
	if len(states) > 0 {
		params, names := dbx.Params{}, make([]string, len(states))
		for i, st := range states {
			names[i] = fmt.Sprintf("{:map_status%d}", i)
			params[fmt.Sprintf("map_status%d", i)] = st
		}
		q = q.AndWhere(dbx.NewExp("+status IN ("+strings.Join(names, ", ")+")", params))
	}
	if categoryID != "" {
		q = q.AndWhere(dbx.NewExp("+category = {:map_category}", dbx.Params{"map_category": categoryID}))
	}
	return q.Limit(int64(limit))
}

// handlePublicMap answers the public reports inside a box, rounded.
func (p *Portal) handlePublicMap(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	lang := requestLang(e)
	var box *mapview.BBox
	if raw := q.Get("bbox"); raw != "" {
		b, err := mapview.ParseBBox(raw)
		if err != nil {
			key := "map.bbox_shape"
			switch {
			case errors.Is(err, mapview.ErrBBoxRange):
				key = "map.bbox_range"
			case errors.Is(err, mapview.ErrBBoxOrder):
				key = "map.bbox_order"
			}
			return refusal(lang.T(key))
		}
		box = &b
	}
	codes := map[string]string{} // category id -> code
	var cats []struct {
		ID   string `db:"id"`
		Code string `db:"code"`
	}
	if err := p.app.DB().Select("id", "code").From("complaint_categories").All(&cats); err != nil {
		return e.InternalServerError("", err)
	}
	var catID string
	for _, c := range cats {
		codes[c.ID] = c.Code
		if code := q.Get("category"); code != "" && c.Code == code {
			catID = c.ID
		}
	}
	items := []mapPoint{}
	if code := q.Get("category"); code == "" || catID != "" {
		var rows []mapRow
		if err := p.publicMapQuery(box, q.Get("status"), catID, mapPointCap+1).All(&rows); err != nil {
			return e.InternalServerError("", err)
		}
		for _, r := range rows {
			// 0.001° ≈ 111 m of latitude: the public list's rounding
			items = append(items, mapPoint{Reference: r.Reference, Lat: roundTo(r.Lat, 3), Lon: roundTo(r.Lon, 3), Status: r.Status, Category: codes[r.Category]})
		}
	}
	truncated := len(items) > mapPointCap
	if truncated {
		items = items[:mapPointCap]
	}
	e.Response.Header().Set("Cache-Control", "public, max-age=60")
	return e.JSON(http.StatusOK, map[string]any{"items": items, "truncated": truncated, "cap": mapPointCap})
}

// mapSummary is a report's public summary in its map popup: what the
// public list shows of it, and the latest word from staff.
type mapSummary struct {
	publicReport
	Note string `json:"note,omitempty"`
}

// handlePublicMapReport answers one public report's summary by reference.
func (p *Portal) handlePublicMapReport(e *core.RequestEvent) error {
	lang := requestLang(e)
	now, _ := types.ParseDateTime(p.now().UTC())
	var row struct {
		publicRow
		Note string `db:"public_note"`
	}
	err := p.app.DB().Select("id", "reference", "category", "status", "created", "acknowledged_at", "resolved_at", "updated",
		"description", "description_private", "has_location", "location", "public_note").
		From("complaints").Where(dbx.HashExp{"reference": e.Request.PathValue("reference")}).
		AndWhere(dbx.NewExp("public_until != '' AND public_until >= {:now}", dbx.Params{"now": now.String()})).
		Limit(1).One(&row)
	if err != nil {
		return apiError(http.StatusNotFound, lang.T("not_found"))
	}
	r := row.publicRow
	out := mapSummary{publicReport: publicReport{Reference: r.Reference, Status: r.Status, Created: r.Created,
		Acknowledged: r.Acknowledged, Resolved: r.Resolved, Updated: r.Updated, Photos: []string{}}, Note: row.Note}
	if cat, err := p.app.FindRecordById("complaint_categories", r.Category); err == nil {
		out.Category, out.CategoryES = cat.GetString("name_en"), cat.GetString("name_es")
	}
	if !r.Private {
		out.Description = r.Description
	}
	var pt types.GeoPoint
	if r.HasLocation && pt.Scan(r.Location) == nil {
		lat, lon := roundTo(pt.Lat, 3), roundTo(pt.Lon, 3)
		out.Lat, out.Lon = &lat, &lon
	}
	photos, err := p.publicPhotos([]string{r.ID})
	if err != nil {
		return e.InternalServerError("", err)
	}
	for _, id := range photos[r.ID] {
		out.Photos = append(out.Photos, "/api/townhall/public/reports/"+r.Reference+"/photos/"+id)
	}
	e.Response.Header().Set("Cache-Control", "public, max-age=60")
	return e.JSON(http.StatusOK, out)
}

// policyCache keeps the site's Content-Security-Policy, which follows the
// town's tile server (town_settings.map_tile_url), between saves of the
// settings: every page request needs it. A load that raced with a save is
// not kept.
type policyCache struct {
	mu  sync.Mutex
	gen uint64
	val string
}

// get returns the policy, loading it after a save of the settings.
func (c *policyCache) get(app core.App) string {
	c.mu.Lock()
	if c.val != "" {
		v := c.val
		c.mu.Unlock()
		return v
	}
	gen := c.gen
	c.mu.Unlock()
	v := sitePolicy(tileSourceOf(app))
	c.mu.Lock()
	if c.gen == gen {
		c.val = v
	}
	c.mu.Unlock()
	return v
}

// forget drops the kept policy (the settings were saved).
func (c *policyCache) forget() {
	c.mu.Lock()
	c.gen++
	c.val = ""
	c.mu.Unlock()
}

// tileSourceOf is the CSP source of the town's tile server: OpenStreetMap's
// when none is set; "" when the setting cannot be used (then no outside
// image is allowed, and the maps say their tiles cannot be loaded).
func tileSourceOf(app core.App) string {
	var url string
	_ = app.DB().NewQuery("SELECT map_tile_url FROM town_settings LIMIT 1").Row(&url)
	if url == "" {
		url = pb_migrations.DefaultMapTileURL
	}
	src, err := mapview.TileSource(url)
	if err != nil {
		return ""
	}
	return src
}
