package hooks

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/townhall-portal/townhall/internal/addresses"
	"github.com/townhall-portal/townhall/internal/geo"
	"github.com/townhall-portal/townhall/internal/i18n"
)

// Addresses and the county boundary: the address search of the report and
// permit forms (the addresses collection, filled by `townhall import
// addresses`), the nearest address to a spot, the open reports near it, and
// the refusal of a spot outside the county.

// The most a search answers, and what it answers by default.
const (
	maxAddressResults     = 20
	defaultAddressResults = 8
	// nearestAddressMetres: farther than this, a spot has no nearest address
	nearestAddressMetres = 500
)

// registerAddresses installs the address routes, the keys of every address
// saved, the check of the boundary on town_settings, and the refusal of
// reports and permit addresses outside it.
func (p *Portal) registerAddresses() {
	p.app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/townhall")
		g.GET("/public/addresses", p.handleAddressSearch)
		g.GET("/public/addresses/nearest", p.handleNearestAddress)
		g.GET("/public/reports/nearby", p.handleNearbyReports)
		g.POST("/reports/{id}/follow", p.handleFollowReport)
		return se.Next()
	})

	keys := func(e *core.RecordEvent) error {
		a := addressOf(e.Record)
		if err := geo.CheckPoint(a.Lat, a.Lon); err != nil {
			return validationError("lat", "out_of_range", err.Error())
		}
		byNumber, byStreet := a.SearchKeys()
		e.Record.Set("label", a.Label())
		e.Record.Set("address_key", a.Key())
		e.Record.Set("key_number", byNumber)
		e.Record.Set("key_street", byStreet)
		return e.Next()
	}
	p.app.OnRecordCreate("addresses").BindFunc(keys)
	p.app.OnRecordUpdate("addresses").BindFunc(keys)

	// a boundary that is not GeoJSON is refused with the reason
	boundary := func(e *core.RecordEvent) error {
		if _, err := geo.ParseBoundary([]byte(e.Record.GetString("boundary"))); err != nil {
			return validationError("boundary", "geojson", err.Error()+
				". Paste a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection (longitude first), or leave it empty.")
		}
		return e.Next()
	}
	p.app.OnRecordCreate("town_settings").BindFunc(boundary)
	p.app.OnRecordUpdate("town_settings").BindFunc(boundary)
	// a report's spot must be inside the county (on create, and when staff move it)
	p.app.OnRecordCreate("complaints").BindFunc(func(e *core.RecordEvent) error {
		if err := p.checkReportInside(e.App, e.Record); err != nil {
			return err
		}
		return e.Next()
	})
	p.app.OnRecordUpdate("complaints").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("location") != e.Record.Original().GetString("location") {
			if err := p.checkReportInside(e.App, e.Record); err != nil {
				return err
			}
		}
		return e.Next()
	})

	// the addresses picked on a permit form: resolved by id, inside the county
	picks := func(e *core.RecordEvent) error {
		if !e.Record.IsNew() && e.Record.GetString("address_picks") == e.Record.Original().GetString("address_picks") {
			return e.Next()
		}
		if err := p.resolveAddressPicks(e.App, e.Record); err != nil {
			return err
		}
		return e.Next()
	}
	p.app.OnRecordCreate("permits").BindFunc(picks)
	p.app.OnRecordUpdate("permits").BindFunc(picks)
}

// addressOf reads an addresses record into its parts.
func addressOf(r *core.Record) addresses.Address {
	return addresses.Address{Number: r.GetString("number"), Street: r.GetString("street"), Unit: r.GetString("unit"),
		City: r.GetString("city"), Zip: r.GetString("zip"), Lat: r.GetFloat("lat"), Lon: r.GetFloat("lon"), Parcel: r.GetString("parcel")}
}

// county is the boundary of town_settings and what to say about a spot outside it.
type county struct {
	boundary       geo.Boundary
	name           string
	outsideEN      string
	outsideES      string
	boundaryBroken bool
}

// countyStoreKey is where the app's store keeps the parsed boundary, with
// the town_settings save it was read from.
const countyStoreKey = "townhall.county"

// cachedCounty is the parsed county and the "updated" of the record it came from.
type cachedCounty struct {
	updated string
	county  county
}

// county is the parsed boundary. It is parsed again only when town_settings
// was saved since (one small read of its "updated" tells). A boundary that
// does not parse (saved past the hooks) checks nothing and is logged.
func (p *Portal) county(app core.App) county {
	var updated string
	_ = app.DB().NewQuery("SELECT updated FROM town_settings ORDER BY created LIMIT 1").Row(&updated)
	if v, ok := app.Store().Get(countyStoreKey).(cachedCounty); ok && v.updated == updated {
		return v.county
	}
	c := county{name: p.townSettings(app).Name}
	r, err := app.FindFirstRecordByFilter("town_settings", "")
	if err == nil {
		c.outsideEN, c.outsideES = r.GetString("outside_message"), r.GetString("outside_message_es")
		b, err := geo.ParseBoundary([]byte(r.GetString("boundary")))
		if err != nil {
			app.Logger().Error("the county boundary in town_settings is not usable; spots are not checked", "error", err)
			c.boundaryBroken = true
		}
		c.boundary = b
		updated = r.GetString("updated")
	}
	app.Store().Set(countyStoreKey, cachedCounty{updated: updated, county: c})
	return c
}

// outside says what to do about a spot outside the county, in lang.
func (c county) outside(lang i18n.Lang) string {
	msg := c.outsideEN
	if lang == i18n.ES && strings.TrimSpace(c.outsideES) != "" {
		msg = c.outsideES
	}
	if strings.TrimSpace(msg) == "" {
		return lang.T("boundary.outside", c.name)
	}
	return msg
}

// inside reports whether a point is in the county (always, without a boundary).
func (c county) inside(lat, lon float64) bool {
	return c.boundary.Empty() || c.boundary.Contains(lat, lon)
}

// checkReportInside refuses a report whose spot is outside the county.
func (p *Portal) checkReportInside(app core.App, r *core.Record) error {
	loc := r.GetGeoPoint("location")
	if loc.Lat == 0 && loc.Lon == 0 || geo.CheckPoint(loc.Lat, loc.Lon) != nil {
		return nil // no spot (checkReport refuses an impossible one)
	}
	c := p.county(app)
	if c.inside(loc.Lat, loc.Lon) {
		return nil
	}
	return validationError("location", "outside", c.outside(i18n.Parse(r.GetString("language"))))
}

// addressPick is an address picked from the search, as a permit keeps it.
type addressPick struct {
	ID     string  `json:"id"`
	Label  string  `json:"label"`
	Lat    float64 `json:"lat"`
	Lon    float64 `json:"lon"`
	Parcel string  `json:"parcel"`
}

// maxAddressPicks is the most picked addresses one application keeps.
const maxAddressPicks = 10

// resolveAddressPicks rewrites a permit's address_picks from the address
// ids the form sent ({"site_address": "id", "<question key>": "id" or
// {"id": …}}): label, point and parcel come from the addresses table, never
// from the form. An unknown id or a point outside the county is refused on
// the answer's field.
func (p *Portal) resolveAddressPicks(app core.App, r *core.Record) error {
	lang := i18n.Parse(r.GetString("language"))
	raw := strings.TrimSpace(r.GetString("address_picks"))
	if raw == "" || raw == "null" || raw == "{}" {
		r.Set("address_picks", nil)
		return nil
	}
	var in map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &in); err != nil || len(in) > maxAddressPicks {
		return validationError("address_picks", "invalid", lang.T("address.picks_invalid"))
	}
	out := map[string]addressPick{}
	c := p.county(app)
	for key, v := range in {
		field := "data." + key
		if key == "site_address" {
			field = "site_address"
		}
		if len(key) > 60 || key == "" {
			return validationError("address_picks", "invalid", lang.T("address.picks_invalid"))
		}
		var id string
		if json.Unmarshal(v, &id) != nil {
			var obj struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(v, &obj) != nil {
				return validationError(field, "invalid", lang.T("address.picks_invalid"))
			}
			id = obj.ID
		}
		if id == "" {
			continue
		}
		a, err := app.FindRecordById("addresses", id)
		if err != nil {
			return validationError(field, "unknown", lang.T("address.unknown"))
		}
		pick := addressPick{ID: a.Id, Label: a.GetString("label"), Lat: a.GetFloat("lat"), Lon: a.GetFloat("lon"), Parcel: a.GetString("parcel")}
		if !c.inside(pick.Lat, pick.Lon) {
			return validationError(field, "outside", c.outside(lang))
		}
		out[key] = pick
	}
	if len(out) == 0 {
		r.Set("address_picks", nil)
		return nil
	}
	r.Set("address_picks", out)
	return nil
}

// addressItem is an address as the search answers it.
type addressItem struct {
	ID     string  `json:"id" db:"id"`
	Label  string  `json:"label" db:"label"`
	Lat    float64 `json:"lat" db:"lat"`
	Lon    float64 `json:"lon" db:"lon"`
	Parcel string  `json:"parcel" db:"parcel"`
}

// handleAddressSearch answers the addresses starting with what was typed
// (?q=12 main&limit=8): by house number first, then by street.
func (p *Portal) handleAddressSearch(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit < 1 {
		limit = defaultAddressResults
	}
	limit = min(limit, maxAddressResults)
	items, err := p.SearchAddresses(q.Get("q"), limit)
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Cache-Control", "public, max-age=300")
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// SearchAddresses finds up to limit addresses whose number-first or
// street-first key starts with the query (fewer than 2 characters: none).
func (p *Portal) SearchAddresses(query string, limit int) ([]addressItem, error) {
	items := []addressItem{}
	if len(query) > 200 {
		query = query[:200]
	}
	seen := map[string]bool{}
	for _, key := range []string{"key_number", "key_street"} {
		for _, prefix := range addresses.QueryPrefixes(query) {
			if len(items) >= limit {
				return items, nil
			}
			var found []addressItem
			if err := p.app.DB().NewQuery(addressSearchSQL(key, prefix)).Bind(addressSearchParams(prefix, limit)).All(&found); err != nil {
				return nil, err
			}
			for _, it := range found {
				if !seen[it.ID] && len(items) < limit {
					seen[it.ID] = true
					items = append(items, it)
				}
			}
		}
	}
	return items, nil
}

// addressSearchSQL is one range of a search key's index, in key order.
func addressSearchSQL(key, prefix string) string {
	end := ""
	if addresses.PrefixEnd(prefix) != "" {
		end = " AND " + key + " < {:end}"
	}
	return "SELECT id, label, lat, lon, parcel FROM addresses WHERE " + key + " >= {:start}" + end + " ORDER BY " + key + " LIMIT {:limit}"
}

func addressSearchParams(prefix string, limit int) dbx.Params {
	return dbx.Params{"start": prefix, "end": addresses.PrefixEnd(prefix), "limit": limit}
}

// parsePoint reads ?lat=&lon= as a point of the world, or says what is wrong.
func parsePoint(e *core.RequestEvent) (float64, float64, error) {
	lang := requestLang(e)
	q := e.Request.URL.Query()
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(q.Get("lat")), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(q.Get("lon")), 64)
	if err1 != nil || err2 != nil || geo.CheckPoint(lat, lon) != nil {
		return 0, 0, refusal(lang.T("address.bad_point"))
	}
	return lat, lon, nil
}

// handleNearestAddress answers the address nearest a spot (within 500 m), or null.
func (p *Portal) handleNearestAddress(e *core.RequestEvent) error {
	lat, lon, err := parsePoint(e)
	if err != nil {
		return err
	}
	item, err := p.NearestAddress(lat, lon)
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Cache-Control", "public, max-age=300")
	return e.JSON(http.StatusOK, map[string]any{"item": item})
}

// NearestAddress finds the address nearest (lat, lon) within 500 m: boxes of
// the point index, growing until one holds an address.
func (p *Portal) NearestAddress(lat, lon float64) (*addressItem, error) {
	for _, metres := range []float64{60, 200, nearestAddressMetres} {
		b := geo.Around(lat, lon, metres)
		var found []addressItem
		err := p.app.DB().NewQuery(nearestAddressSQL).Bind(dbx.Params{
			"minLat": b.MinLat, "maxLat": b.MaxLat, "minLon": b.MinLon, "maxLon": b.MaxLon}).All(&found)
		if err != nil {
			return nil, err
		}
		best, bestD := -1, math.Inf(1)
		for i, it := range found {
			if d := geo.Distance(lat, lon, it.Lat, it.Lon); d <= metres && d < bestD {
				best, bestD = i, d
			}
		}
		if best >= 0 {
			return &found[best], nil
		}
	}
	return nil, nil
}

// nearestAddressSQL is one box of the point index (at most 2,000 points: a
// box that full has its nearest address in a smaller box already looked at).
const nearestAddressSQL = "SELECT id, label, lat, lon, parcel FROM addresses WHERE lat BETWEEN {:minLat} AND {:maxLat} AND lon BETWEEN {:minLon} AND {:maxLon} LIMIT 2000"

// handleFollowReport makes the signed-in resident a follower of a report
// (found with "Is it one of these?"): they get its updates as the reporter
// does, and see it in My requests.
func (p *Portal) handleFollowReport(e *core.RequestEvent) error {
	actor, err := actorOf(e)
	if err != nil {
		return err
	}
	lang := actor.Lang
	if actor.User == nil {
		return router.NewForbiddenError(lang.T("follow.residents_only"), nil)
	}
	var reference string
	err = p.app.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindRecordById("complaints", e.Request.PathValue("id"))
		if err != nil || r.GetString("public_until") == "" {
			return apiError(http.StatusNotFound, lang.T("follow.not_found"))
		}
		reference = r.GetString("reference")
		if st := r.GetString("status"); st != "new" && st != "acknowledged" && st != "in_progress" {
			return apiError(http.StatusConflict, lang.T("follow.not_open", reference))
		}
		if r.GetString("reporter") == actor.User.Id {
			return nil
		}
		followers := r.GetStringSlice("followers")
		for _, id := range followers {
			if id == actor.User.Id {
				return nil
			}
		}
		if len(followers) >= 1000 {
			return apiError(http.StatusConflict, lang.T("follow.full"))
		}
		r.Set("followers", append(followers, actor.User.Id))
		return tx.Save(r)
	})
	if err != nil {
		var refused *router.ApiError
		if errors.As(err, &refused) {
			return err
		}
		return e.InternalServerError("", fmt.Errorf("following a report: %w", err))
	}
	return e.JSON(http.StatusOK, map[string]any{"following": true, "reference": reference,
		"message": lang.T("follow.done", reference)})
}
