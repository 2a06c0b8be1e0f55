// Package sla computes service-level deadlines for problem reports in
// business hours: the county's working days, opening hours, holidays and
// time zone.
//
// Working hours are wall-clock times in the county's zone, taken afresh for
// every local calendar day, so 08:00–17:00 stays 08:00–17:00 across
// daylight-saving changes. Working time is the time that really elapses
// inside those windows: a window that the clocks jump into or out of (for
// example 01:00–04:00 on a change day) is one hour shorter or longer.
package sla

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // America/Chicago must load even without system zone data
)

// Limits and units of the computation.
const (
	// maxWork is the largest working time Deadline counts: ten years of
	// 365.25 days (87,660 hours). A longer d is clamped to it.
	maxWork = 10 * 8766 * time.Hour

	// horizonDays is how many calendar days (about 1,000 years) Deadline
	// looks past start. Only a calendar with almost no working time per
	// week (under two hours) can run out of it before maxWork is used up.
	horizonDays = 365243

	day  = 24 * time.Hour
	week = 7 * day

	// zoneMargin keeps week skipping clear of offset changes: wall times
	// closer than this to a transition are computed day by day.
	zoneMargin = 3 * day

	// maxSkipWeeks keeps a skip (about 287 years) inside a time.Duration.
	maxSkipWeeks = 15000
)

// Calendar is a county's working time.
type Calendar struct {
	cfg *config // nil: the zero Calendar, which behaves like Default()
}

// config is the immutable description behind a Calendar.
type config struct {
	loc      *time.Location
	days     [7]bool // indexed by time.Weekday
	nDays    int     // working days per week
	openH    int
	openM    int
	closeH   int
	closeM   int
	length   time.Duration // close minus open on a day without a clock change
	holidays []int64       // sorted day numbers (days since 1970-01-01)
}

var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday,
	"mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thursday": time.Thursday,
	"fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
}

// NewCalendar builds a calendar. tz is an IANA zone ("America/Chicago"); workDays are
// "mon".."sun" (case-insensitive, duplicates ignored); open and close are "HH:MM" (24 h,
// open < close, same day); holidays are "YYYY-MM-DD" dates in the county's zone.
// Errors name the bad input in plain English: unknown time zone, no working days,
// bad time, close not after open, bad holiday date.
//
// Full day names ("monday") are accepted too, and close may be "24:00" for a
// window that runs to midnight. An empty tz and "Local" are refused: the
// county's zone must not depend on the server's.
func NewCalendar(tz string, workDays []string, open, close string, holidays []string) (Calendar, error) {
	name := strings.TrimSpace(tz)
	if name == "" || name == "Local" {
		return Calendar{}, fmt.Errorf("unknown time zone %q: give an IANA zone such as \"America/Chicago\"", tz)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return Calendar{}, fmt.Errorf("unknown time zone %q", tz)
	}
	c := &config{loc: loc}

	for _, d := range workDays {
		wd, ok := dayNames[strings.ToLower(strings.TrimSpace(d))]
		if !ok {
			return Calendar{}, fmt.Errorf("unknown working day %q: use mon, tue, wed, thu, fri, sat or sun", d)
		}
		if !c.days[wd] {
			c.days[wd] = true
			c.nDays++
		}
	}
	if c.nDays == 0 {
		return Calendar{}, errors.New("no working days: give at least one of mon, tue, wed, thu, fri, sat, sun")
	}

	openMin, ok := parseClock(open, false)
	if !ok {
		return Calendar{}, fmt.Errorf("bad opening time %q: want HH:MM between 00:00 and 23:59", open)
	}
	closeMin, ok := parseClock(close, true)
	if !ok {
		return Calendar{}, fmt.Errorf("bad closing time %q: want HH:MM between 00:00 and 24:00", close)
	}
	if closeMin <= openMin {
		return Calendar{}, fmt.Errorf("closing time %q is not after opening time %q", close, open)
	}
	c.openH, c.openM = openMin/60, openMin%60
	c.closeH, c.closeM = closeMin/60, closeMin%60
	c.length = time.Duration(closeMin-openMin) * time.Minute

	for _, h := range holidays {
		d, err := time.Parse("2006-01-02", strings.TrimSpace(h))
		if err != nil {
			return Calendar{}, fmt.Errorf("bad holiday date %q: want a real date as YYYY-MM-DD", h)
		}
		c.holidays = append(c.holidays, floorDiv(d.Unix(), 86400))
	}
	slices.Sort(c.holidays)
	c.holidays = slices.Compact(c.holidays)
	return Calendar{cfg: c}, nil
}

// parseClock reads "HH:MM" (or "H:MM") as minutes after midnight. allow24
// admits "24:00" as the end of the day.
func parseClock(s string, allow24 bool) (int, bool) {
	s = strings.TrimSpace(s)
	hh, mm, found := strings.Cut(s, ":")
	if !found || len(hh) < 1 || len(hh) > 2 || len(mm) != 2 || !digits(hh) || !digits(mm) {
		return 0, false
	}
	h, _ := strconv.Atoi(hh)
	m, _ := strconv.Atoi(mm)
	switch {
	case m > 59:
		return 0, false
	case h == 24 && m == 0 && allow24:
		return 24 * 60, true
	case h > 23:
		return 0, false
	}
	return h*60 + m, true
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

var defaultConfig = func() *config {
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil { // cannot happen: time/tzdata is linked in
		loc = time.FixedZone("CST", -6*60*60)
	}
	c := &config{loc: loc, openH: 8, closeH: 17, length: 9 * time.Hour, nDays: 5}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		c.days[wd] = true
	}
	return c
}()

// Default returns the calendar of Monday–Friday 08:00–17:00 in America/Chicago,
// with no holidays. The zero Calendar behaves the same.
func Default() Calendar { return Calendar{cfg: defaultConfig} }

func (c Calendar) conf() *config {
	if c.cfg == nil {
		return defaultConfig
	}
	return c.cfg
}

// Location returns the calendar's time zone.
func (c Calendar) Location() *time.Location { return c.conf().loc }

// IsOpen reports whether t falls in working time (open inclusive, close exclusive).
func (c Calendar) IsOpen(t time.Time) bool {
	cf := c.conf()
	dn := cf.localDay(t)
	// A window normally lies on its own local date; where a clock change
	// pushes opening or closing across midnight it may reach into the
	// neighbouring date, so those are checked too.
	for _, x := range [3]int64{dn, dn - 1, dn + 1} {
		if o, cl, ok := cf.window(x); ok && !t.Before(o) && t.Before(cl) {
			return true
		}
	}
	return false
}

// NextOpen returns t if it is working time, otherwise the next moment working time starts.
// That moment is given in t's location.
func (c Calendar) NextOpen(t time.Time) time.Time {
	cf := c.conf()
	dn := cf.localDay(t) - 1
	// Some weekday is a working day and holidays are finitely many, so a
	// window turns up within this many days; the bound only guards against
	// looping forever.
	limit := 7 * (int64(len(cf.holidays)) + 4)
	for i := int64(0); i <= limit; i++ {
		o, cl, ok := cf.window(dn + i)
		if !ok || !cl.After(t) {
			continue
		}
		if !o.After(t) {
			return t
		}
		return o.In(t.Location())
	}
	return t
}

// Deadline returns the moment when d of working time has passed since start. Time outside
// working hours, weekends and holidays does not count; a request filed after hours starts
// counting at the next opening. d <= 0 returns NextOpen(start). The result is in UTC.
//
// A deadline that ends exactly at closing time is that closing time. d above
// ten years (87,660 hours) is clamped to ten years. Deadline looks at most
// about 1,000 years past start; should d not fit in that (only possible with
// well under two hours of working time a week), it returns the last closing
// time within that horizon.
func (c Calendar) Deadline(start time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return c.NextOpen(start).UTC()
	}
	d = min(d, maxWork)
	cf := c.conf()
	weekWork := time.Duration(cf.nDays) * cf.length

	rem := d
	cur := start // working time before cur is spent or does not count
	first := cf.localDay(start)
	for dn := first - 1; dn <= first+horizonDays; dn++ {
		if rem > weekWork {
			limit := min(int64((rem-1)/weekWork), (first+horizonDays-dn)/7)
			if a, k := cf.regularWeeks(dn, cur, limit); k > 0 {
				rem -= time.Duration(k) * weekWork
				cur = cf.lastClose(a, k)
				dn += 7*k - 1
				continue
			}
		}
		o, cl, ok := cf.window(dn)
		if !ok {
			continue
		}
		s := later(o, cur)
		if !cl.After(s) {
			continue
		}
		avail := cl.Sub(s)
		if rem <= avail {
			return s.Add(rem).UTC()
		}
		rem -= avail
		cur = cl
	}
	return cur.UTC()
}

// WorkingTime returns how much working time lies between from and to (0 if to <= from).
// A result beyond the largest time.Duration is capped at it.
func (c Calendar) WorkingTime(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	cf := c.conf()
	weekWork := time.Duration(cf.nDays) * cf.length
	const maxDuration = time.Duration(1<<63 - 1)

	var total time.Duration
	cur := from
	last := cf.localDay(to) + 1
	for dn := cf.localDay(from) - 1; dn <= last; dn++ {
		if last-dn >= 7 {
			// Whole weeks whose last window closes by to.
			kTo := int64((maxDuration - day) / week) // span too long for a Duration
			if span := to.Sub(cf.openOf(dn)); span < maxDuration-day {
				kTo = int64((span + day - cf.length) / week)
			}
			if a, k := cf.regularWeeks(dn, cur, kTo); k > 0 {
				add := time.Duration(k) * weekWork
				if total > maxDuration-add {
					return maxDuration
				}
				total += add
				cur = cf.lastClose(a, k)
				dn += 7*k - 1
				continue
			}
		}
		o, cl, ok := cf.window(dn)
		if !ok {
			continue
		}
		if !o.Before(to) {
			break
		}
		s, e := later(o, cur), earlier(cl, to)
		if e.After(s) {
			add := e.Sub(s)
			if total > maxDuration-add {
				return maxDuration
			}
			total += add
		}
		cur = later(cur, cl)
	}
	return total
}

// regularWeeks reports how many whole weeks, at most limit, starting with
// local day dn can be counted as plain weeks: no holiday among them, no
// change of UTC offset near them, and cur not after the first opening. In
// such weeks every working day has a window of exactly cf.length, one day
// apart. a is the opening instant of day dn (working day or not).
func (cf *config) regularWeeks(dn int64, cur time.Time, limit int64) (a time.Time, k int64) {
	if limit <= 0 {
		return a, 0
	}
	a = cf.openOf(dn)
	if cur.After(a) {
		return a, 0
	}
	k = min(limit, maxSkipWeeks)
	if i, _ := slices.BinarySearch(cf.holidays, dn); i < len(cf.holidays) {
		k = min(k, (cf.holidays[i]-dn)/7)
	}
	zs, ze := a.ZoneBounds()
	if !zs.IsZero() && a.Sub(zs) < zoneMargin {
		return a, 0
	}
	if !ze.IsZero() {
		k = min(k, int64((ze.Sub(a)-zoneMargin)/week))
	}
	return a, max(k, 0)
}

// lastClose returns the closing instant of the last working day among the k
// regular weeks that start on the day that opens at a.
func (cf *config) lastClose(a time.Time, k int64) time.Time {
	first := cf.localDay(a)
	j := 7*k - 1
	for j > 7*k-7 && !cf.days[weekday(first+j)] {
		j--
	}
	return a.Add(time.Duration(j)*day + cf.length)
}

// window returns the working window of local day dn. ok is false when dn is
// not a working day, is a holiday, or a clock change leaves no time between
// opening and closing.
func (cf *config) window(dn int64) (o, cl time.Time, ok bool) {
	if !cf.days[weekday(dn)] {
		return o, cl, false
	}
	if _, hol := slices.BinarySearch(cf.holidays, dn); hol {
		return o, cl, false
	}
	y, m, d := civil(dn)
	o = time.Date(y, m, d, cf.openH, cf.openM, 0, 0, cf.loc)
	cl = time.Date(y, m, d, cf.closeH, cf.closeM, 0, 0, cf.loc)
	return o, cl, cl.After(o)
}

// openOf returns the opening instant of local day dn, working day or not.
func (cf *config) openOf(dn int64) time.Time {
	y, m, d := civil(dn)
	return time.Date(y, m, d, cf.openH, cf.openM, 0, 0, cf.loc)
}

// localDay returns the number of t's date in the calendar's zone, counted in
// days since 1970-01-01.
func (cf *config) localDay(t time.Time) int64 {
	_, off := t.In(cf.loc).Zone()
	return floorDiv(t.Unix()+int64(off), 86400)
}

// civil returns the date of day number dn.
func civil(dn int64) (int, time.Month, int) {
	return time.Unix(dn*86400, 0).UTC().Date()
}

// weekday returns the weekday of day number dn; day 0 was a Thursday.
func weekday(dn int64) time.Weekday {
	return time.Weekday((dn%7 + 7 + 4) % 7)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// AddBusinessDays returns the closing time of the n-th working day after
// start's own day, in UTC: a promise such as "decided within 10 business
// days" skips weekends and holidays as report deadlines do. n <= 0 gives the
// closing time of start's day, or of the next working day when start's day
// is not one. n above ten years of days is clamped.
func (c Calendar) AddBusinessDays(start time.Time, n int) time.Time {
	cf := c.conf()
	n = min(n, 3653)
	dn := cf.localDay(start)
	// every week has a working day and each holiday removes at most one,
	// so the n-th turns up within this many days
	limit := 7 * (int64(max(n, 0)) + 1 + int64(len(cf.holidays)))
	first := int64(1)
	if n <= 0 {
		first, n = 0, 1
	}
	for i := first; i <= limit; i++ {
		if _, cl, ok := cf.window(dn + i); ok {
			if n--; n == 0 {
				return cl.UTC()
			}
		}
	}
	return start.UTC() // not reached: a calendar has a working day
}
