package demo

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/townhall-portal/townhall/hooks"
)

// The demo county's past: 18 months of problem reports and permit
// applications, written through the real actions with a clock that moves
// through the past (hooks.Portal.Backfill), so that deadlines, escalations,
// numbers, history and the director's figures are what the portal itself
// would have produced. The mix is believable rather than random: potholes
// after the winter thaw, streetlights in the dark months, graffiti, noise and
// overgrown lots in summer; most work on time, some late (and escalated),
// a few rejected or reopened; ratings on about 40 % of closed requests,
// lower when the work was late; a tenth of applications abandoned as
// drafts, a fifth sent back for changes; every channel. The same seed gives
// the same history.

// historyMonths is how far back the history goes.
const historyMonths = 18

// historyPrefix starts the ids of the history's records (and marks it done).
const historyPrefix = "dh"

type historyCategory struct {
	id, dept, clerk string
	weight          func(m time.Month) float64
}

func in(m time.Month, months ...time.Month) float64 {
	for _, x := range months {
		if m == x {
			return 1
		}
	}
	return 0
}

var historyCategories = []historyCategory{
	{"democatpothole1", "demodeptwork001", "demostaffwrk001", func(m time.Month) float64 { return 1 + 1.6*in(m, 2, 3, 4) }},
	{"democatlight001", "demodeptwork001", "demostaffwrk001", func(m time.Month) float64 { return 0.6 + 0.9*in(m, 11, 12, 1) }},
	{"democatdumping1", "demodeptwork001", "demostaffwrk001", func(time.Month) float64 { return 0.7 }},
	{"democatgraffit1", "demodeptwork001", "demostaffwrk001", func(m time.Month) float64 { return 0.4 + 0.6*in(m, 6, 7, 8) }},
	{"democatnoise001", "demodeptclrk001", "demostaffcty001", func(m time.Month) float64 { return 0.3 + 0.8*in(m, 6, 7, 8) }},
	{"democatlot00001", "demodeptplan001", "demostaffclk001", func(m time.Month) float64 { return 0.1 + 0.9*in(m, 5, 6, 7, 8, 9) }},
}

type historyType struct {
	id, clerk string
	fee       float64
	weight    float64
	data      m
	documents []string
}

var historyTypes = []historyType{
	{"demotypebld0001", "demostaffclk001", 150, 0.35, m{"work_type": "addition", "project_description": "Add a bedroom at the back of the house.",
		"valuation": 38000, "owner_occupied": true}, []string{"site_plan", "construction_drawings"}},
	{"demotypefnc0001", "demostaffclk001", 25, 0.35, m{"height_feet": 6, "length_feet": 120, "material": "wood", "corner_lot": false}, []string{"site_plan"}},
	{"demotypesgn0001", "demostaffclk001", 50, 0.15, m{"business_name": "Main Street Hardware", "sign_type": "wall", "area_sqft": 18}, []string{"sign_drawing"}},
	{"demotypeevt0001", "demostaffcty001", 0, 0.15, m{"event_name": "Neighborhood block party", "event_date": "2027-07-10", "attendance": 80,
		"street_closure": false, "organizer_email": "organizer@example.com", "location": "Elm Street between 2nd and 3rd"}, []string{"site_map", "insurance"}},
}

var historyStreets = []string{"Oak Street", "Elm Street", "Lakeview Drive", "Main Street", "Birch Lane", "Cedar Road", "2nd Avenue",
	"Maple Court", "River Road", "Pine Falls Road", "School Lane", "Mill Street"}

var historyNames = []string{"Ana", "Ben", "Carmen", "David", "Elena", "Frank", "Grace", "Héctor", "Irene", "James", "Karen", "Luis",
	"Marta", "Nathan", "Olivia", "Pablo", "Quinn", "Rosa", "Sam", "Teresa", "Umar", "Vera", "Will", "Ximena", "Yusuf", "Zoe"}

var historyLastNames = []string{"Alvarez", "Brooks", "Chen", "Diaz", "Evans", "Flores", "Gomez", "Hill", "Ito", "Jones", "Khan", "Lopez"}

// history writes the demo county's past unless it is there already, share
// of its daily volume (0: all). It returns how many requests it wrote.
func history(app core.App, portal *hooks.Portal, out io.Writer, share float64) (int, error) {
	if share <= 0 || share > 1 {
		share = 1
	}
	if n, err := app.CountRecords("complaints", dbx.Like("id", historyPrefix).Match(false, true)); err != nil || n > 0 {
		return 0, err
	}
	started := time.Now()
	h := &historian{app: app, portal: portal, rnd: rand.New(rand.NewPCG(2026, 11)), realNow: time.Now().UTC()}
	h.from = h.realNow.AddDate(0, -historyMonths, 0)
	if err := h.residents(); err != nil {
		return 0, err
	}
	written := 0
	err := portal.Backfill(func() time.Time { return h.clock }, func() error {
		// a week a transaction: one commit for about a hundred requests
		for week := h.from; week.Before(h.realNow); week = week.AddDate(0, 0, 7) {
			err := h.app.RunInTransaction(func(tx core.App) error {
				for day := week; day.Before(week.AddDate(0, 0, 7)) && day.Before(h.realNow); day = day.AddDate(0, 0, 1) {
					weekend := day.Weekday() == time.Saturday || day.Weekday() == time.Sunday
					for range h.poisson(map[bool]float64{false: 12.5, true: 5}[weekend] * h.season(day) * share) {
						if err := h.report(tx, day, weekend); err != nil {
							return err
						}
						written++
					}
					if !weekend {
						for range h.poisson(2.3 * share) {
							if err := h.application(tx, day); err != nil {
								return err
							}
							written++
						}
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return written, err
	}
	fmt.Fprintf(out, "Demo history: %d reports and applications over %d months (%.0f s).\n", written, historyMonths, time.Since(started).Seconds())
	return written, nil
}

type historian struct {
	app       core.App
	portal    *hooks.Portal
	rnd       *rand.Rand
	clock     time.Time
	realNow   time.Time
	from      time.Time
	users     []*core.Record
	nReports  int
	nPermits  int
	staffByID map[string]hooks.Actor
}

// residents are the people of the history (their passwords are never used).
func (h *historian) residents() error {
	col, err := h.app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	h.staffByID = map[string]hooks.Actor{}
	for _, id := range []string{"demostaffwrk001", "demostaffcty001", "demostaffclk001", "demostaffdir001"} {
		s, err := h.app.FindRecordById("staff", id)
		if err != nil {
			return err
		}
		h.staffByID[id] = hooks.StaffActor(s)
	}
	for i := range 30 {
		u := core.NewRecord(col)
		u.Id = fmt.Sprintf("%sresident%05d", historyPrefix, i)
		first, last := historyNames[i%len(historyNames)], historyLastNames[i%len(historyLastNames)]
		u.SetEmail(fmt.Sprintf("resident%02d@history.example.com", i))
		u.SetPassword(fmt.Sprintf("history-%d-%d-unused", i, h.rnd.Int64()))
		u.SetVerified(true)
		u.Set("name", first+" "+last)
		u.Set("language", map[bool]string{true: "es", false: "en"}[i%4 == 0])
		if err := h.app.Save(u); err != nil {
			return err
		}
		h.users = append(h.users, u)
	}
	return nil
}

// season is the month's weight of the whole mix (more in spring and summer).
func (h *historian) season(day time.Time) float64 {
	total := 0.0
	for _, c := range historyCategories {
		total += c.weight(day.Month())
	}
	return total / 5.0
}

// poisson draws a count with mean lambda.
func (h *historian) poisson(lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= h.rnd.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// during is a moment of the working day (or any hour for the web).
func (h *historian) during(day time.Time, anyHour bool) time.Time {
	loc, _ := time.LoadLocation("America/Chicago")
	y, mo, d := day.In(loc).Date()
	hour := 8 + h.rnd.IntN(9)
	if anyHour {
		hour = h.rnd.IntN(24)
	}
	return time.Date(y, mo, d, hour, h.rnd.IntN(60), 0, 0, loc).UTC()
}

// between is a moment a share of the way from a to b.
func between(a, b time.Time, share float64) time.Time {
	return a.Add(time.Duration(float64(b.Sub(a)) * share))
}

func (h *historian) pickCategory(month time.Month) historyCategory {
	total := 0.0
	for _, c := range historyCategories {
		total += c.weight(month)
	}
	x := h.rnd.Float64() * total
	for _, c := range historyCategories {
		if x -= c.weight(month); x <= 0 {
			return c
		}
	}
	return historyCategories[0]
}

// step takes one action at moment at, unless at is still in the future.
func (h *historian) step(pw *hooks.Portal, kind, id, action string, actor hooks.Actor, comment string, at time.Time) (bool, error) {
	if at.After(h.realNow) {
		return false, nil
	}
	h.clock = at
	var err error
	if kind == "complaint" {
		_, err = pw.Complaint(id, action, actor, comment)
	} else {
		_, err = pw.Permit(id, action, actor, comment)
	}
	if err != nil {
		return false, fmt.Errorf("%s %s %s: %w", kind, id, action, err)
	}
	return true, nil
}

// escalateAt runs the escalation job at moment at (a late request is escalated).
func (h *historian) escalateAt(pw *hooks.Portal, at time.Time) error {
	if at.After(h.realNow) {
		return nil
	}
	h.clock = at
	_, err := pw.EscalateOverdue(false)
	return err
}

// rate saves a resident's rating of a closed request.
func (h *historian) rate(tx core.App, pw *hooks.Portal, field, id string, author *core.Record, dept string, rating int, at time.Time) error {
	if at.After(h.realNow) {
		return nil
	}
	h.clock = at
	col, err := tx.FindCollectionByNameOrId("feedback")
	if err != nil {
		return err
	}
	f := core.NewRecord(col)
	f.Set(field, id)
	f.Set("author", author.Id)
	f.Set("department", dept)
	f.Set("rating", rating)
	if h.rnd.Float64() < 0.3 {
		f.Set("comment", []string{"Quick and friendly, thank you.", "Took longer than I expected.", "Fixed well.",
			"Nobody told me it was done.", "Muy buen servicio.", "Great work by the crew."}[h.rnd.IntN(6)])
	}
	pw.Stamp(f, true)
	return tx.Save(f)
}

// report writes one problem report and what happened to it.
func (h *historian) report(tx core.App, day time.Time, weekend bool) error {
	cat := h.pickCategory(day.Month())
	h.nReports++
	id := fmt.Sprintf("%sc%012d", historyPrefix, h.nReports)
	channel := "web"
	switch x := h.rnd.Float64(); {
	case weekend || x < 0.62:
	case x < 0.82:
		channel = "phone"
	case x < 0.92:
		channel = "walk_in"
	default:
		channel = "email"
	}
	created := h.during(day, channel == "web")
	if created.After(h.realNow) {
		return nil
	}
	clerk := h.staffByID[cat.clerk]
	return func() error {
		pw := h.portal.WithApp(tx)
		h.clock = created
		col, err := tx.FindCollectionByNameOrId("complaints")
		if err != nil {
			return err
		}
		r := core.NewRecord(col)
		r.Id = id
		r.Set("category", cat.id)
		r.Set("description", "Reported by a resident of Pine County.")
		r.Set("address", fmt.Sprintf("%d %s, Pine Falls", 1+h.rnd.IntN(400), historyStreets[h.rnd.IntN(len(historyStreets))]))
		r.Set("location", types.GeoPoint{Lat: 44.95 + h.rnd.Float64()*0.1, Lon: -93.15 + h.rnd.Float64()*0.1})
		r.Set("source", channel)
		var reporter *core.Record
		if channel == "web" {
			reporter = h.users[h.rnd.IntN(len(h.users))]
			r.Set("reporter", reporter.Id)
			r.Set("language", reporter.GetString("language"))
		} else {
			r.Set("created_by", cat.clerk)
			r.Set("caller_name", historyNames[h.rnd.IntN(len(historyNames))]+" "+historyLastNames[h.rnd.IntN(len(historyLastNames))])
			r.Set("caller_phone", fmt.Sprintf("(555) 01%d-%04d", h.rnd.IntN(10), h.rnd.IntN(10000)))
			r.Set("language", "en")
		}
		pw.Stamp(r, true)
		if err := tx.Save(r); err != nil {
			return fmt.Errorf("report %s: %w", id, err)
		}
		ackDue, resolveDue := r.GetDateTime("ack_due_at").Time(), r.GetDateTime("resolve_due_at").Time()

		if h.rnd.Float64() < 0.03 {
			_, err := h.step(pw, "complaint", id, "reject", clerk, "This is on private land; please contact the owner.", between(created, ackDue, 0.5))
			return err
		}
		lateAck, lateFix := h.rnd.Float64() < 0.12, h.rnd.Float64() < 0.18
		ackAt := between(created, ackDue, 0.15+0.7*h.rnd.Float64())
		if lateAck {
			if err := h.escalateAt(pw, ackDue.Add(30*time.Minute)); err != nil {
				return err
			}
			ackAt = ackDue.Add(time.Duration(1+h.rnd.IntN(20)) * time.Hour)
		}
		if ok, err := h.step(pw, "complaint", id, "acknowledge", clerk, "", ackAt); !ok || err != nil {
			return err
		}
		if ok, err := h.step(pw, "complaint", id, "start", clerk, "", ackAt.Add(time.Duration(1+h.rnd.IntN(30))*time.Hour)); !ok || err != nil {
			return err
		}
		fixAt := between(created, resolveDue, 0.35+0.6*h.rnd.Float64())
		if fixAt.Before(ackAt) {
			fixAt = ackAt.Add(2 * time.Hour)
		}
		if lateFix {
			if err := h.escalateAt(pw, resolveDue.Add(time.Hour)); err != nil {
				return err
			}
			fixAt = resolveDue.Add(time.Duration(4+h.rnd.IntN(120)) * time.Hour)
		}
		if ok, err := h.step(pw, "complaint", id, "resolve", clerk, "Done by the crew.", fixAt); !ok || err != nil {
			return err
		}
		if reporter != nil && h.rnd.Float64() < 0.05 {
			again := fixAt.Add(time.Duration(24+h.rnd.IntN(96)) * time.Hour)
			if ok, err := h.step(pw, "complaint", id, "reopen", hooks.ResidentActor(reporter), "It is back after the rain.", again); !ok || err != nil {
				return err
			}
			fixAt = again.Add(time.Duration(24+h.rnd.IntN(72)) * time.Hour)
			if ok, err := h.step(pw, "complaint", id, "resolve", clerk, "Repaired again, with a deeper patch.", fixAt); !ok || err != nil {
				return err
			}
		}
		if reporter != nil && h.rnd.Float64() < 0.45 {
			rating := 4 + h.rnd.IntN(2)
			if lateAck || lateFix {
				rating = 1 + h.rnd.IntN(4)
			}
			if err := h.rate(tx, pw, "complaint", id, reporter, cat.dept, rating, fixAt.Add(time.Duration(2+h.rnd.IntN(96))*time.Hour)); err != nil {
				return err
			}
		}
		_, err = h.step(pw, "complaint", id, "close", hooks.SystemActor(), "", fixAt.AddDate(0, 0, 15))
		return err
	}()
}

// application writes one permit application and what happened to it.
func (h *historian) application(tx core.App, day time.Time) error {
	x := h.rnd.Float64()
	typ := historyTypes[len(historyTypes)-1]
	for _, t := range historyTypes {
		if x -= t.weight; x <= 0 {
			typ = t
			break
		}
	}
	h.nPermits++
	id := fmt.Sprintf("%sp%012d", historyPrefix, h.nPermits)
	owner := h.users[h.rnd.IntN(len(h.users))]
	resident := hooks.ResidentActor(owner)
	clerk := h.staffByID[typ.clerk]
	created := h.during(day, true)
	if created.After(h.realNow) {
		return nil
	}
	return func() error {
		pw := h.portal.WithApp(tx)
		h.clock = created
		col, err := tx.FindCollectionByNameOrId("permits")
		if err != nil {
			return err
		}
		r := core.NewRecord(col)
		r.Id = id
		r.Set("owner", owner.Id)
		r.Set("permit_type", typ.id)
		r.Set("site_address", fmt.Sprintf("%d %s, Pine Falls", 1+h.rnd.IntN(400), historyStreets[h.rnd.IntN(len(historyStreets))]))
		r.Set("data", typ.data)
		r.Set("language", owner.GetString("language"))
		pw.Stamp(r, true)
		if err := tx.Save(r); err != nil {
			return fmt.Errorf("application %s: %w", id, err)
		}
		docs, err := tx.FindCollectionByNameOrId("documents")
		if err != nil {
			return err
		}
		abandoned := h.rnd.Float64() < 0.1
		for i, kind := range typ.documents {
			if abandoned && i > 0 { // stopped at the documents
				break
			}
			f, err := filesystem.NewFileFromBytes(samplePDF(kind), kind+".pdf")
			if err != nil {
				return err
			}
			d := core.NewRecord(docs)
			d.Set("permit", id)
			d.Set("owner", owner.Id)
			d.Set("kind", kind)
			d.Set("original_name", kind+".pdf")
			d.Set("file", f)
			pw.Stamp(d, true)
			if err := tx.Save(d); err != nil {
				return fmt.Errorf("document %s of %s: %w", kind, id, err)
			}
		}
		if abandoned {
			return nil
		}
		at := created.Add(time.Duration(1+h.rnd.IntN(72)) * time.Hour)
		if ok, err := h.step(pw, "permit", id, "submit", resident, "", at); !ok || err != nil {
			return err
		}
		at = at.Add(time.Duration(20+h.rnd.IntN(100)) * time.Hour)
		if ok, err := h.step(pw, "permit", id, "start_review", clerk, "", at); !ok || err != nil {
			return err
		}
		if h.rnd.Float64() < 0.2 {
			at = at.Add(time.Duration(4+h.rnd.IntN(48)) * time.Hour)
			if ok, err := h.step(pw, "permit", id, "request_changes", clerk, "Please add the distances to the property lines.", at); !ok || err != nil {
				return err
			}
			at = at.Add(time.Duration(48+h.rnd.IntN(150)) * time.Hour)
			if ok, err := h.step(pw, "permit", id, "submit", resident, "", at); !ok || err != nil {
				return err
			}
			at = at.Add(time.Duration(8+h.rnd.IntN(40)) * time.Hour)
			if ok, err := h.step(pw, "permit", id, "start_review", clerk, "", at); !ok || err != nil {
				return err
			}
		}
		at = at.Add(time.Duration(24+h.rnd.IntN(200)) * time.Hour)
		if h.rnd.Float64() < 0.12 {
			if ok, err := h.step(pw, "permit", id, "deny", clerk, "The plan does not meet the setback rules.", at); !ok || err != nil {
				return err
			}
			if h.rnd.Float64() < 0.35 {
				return h.rate(tx, pw, "permit", id, owner, r.GetString("department"), 1+h.rnd.IntN(3), at.Add(48*time.Hour))
			}
			return nil
		}
		if ok, err := h.step(pw, "permit", id, "approve", clerk, "", at); !ok || err != nil {
			return err
		}
		if typ.fee > 0 {
			at = at.Add(time.Duration(4+h.rnd.IntN(96)) * time.Hour)
			if at.After(h.realNow) {
				return nil
			}
			h.clock = at
			if _, err := pw.RecordPayment(id, clerk, typ.fee, []string{"cash", "check", "card"}[h.rnd.IntN(3)], fmt.Sprintf("R-%05d", h.nPermits)); err != nil {
				return fmt.Errorf("payment of %s: %w", id, err)
			}
		}
		at = at.Add(time.Duration(1+h.rnd.IntN(24)) * time.Hour)
		if ok, err := h.step(pw, "permit", id, "issue", clerk, "", at); !ok || err != nil {
			return err
		}
		if h.rnd.Float64() < 0.35 {
			return h.rate(tx, pw, "permit", id, owner, r.GetString("department"), 3+h.rnd.IntN(3), at.Add(72*time.Hour))
		}
		return nil
	}()
}
