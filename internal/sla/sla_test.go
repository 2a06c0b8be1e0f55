package sla

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func mustCal(t testing.TB, tz string, days []string, open, close string, holidays []string) Calendar {
	t.Helper()
	c, err := NewCalendar(tz, days, open, close, holidays)
	if err != nil {
		t.Fatalf("NewCalendar(%q, %v, %q, %q, %v): %v", tz, days, open, close, holidays, err)
	}
	return c
}

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

var weekdays = []string{"mon", "tue", "wed", "thu", "fri"}

func TestDeadline(t *testing.T) {
	chi := mustLoc(t, "America/Chicago")
	ny := mustLoc(t, "America/New_York")
	mad := mustLoc(t, "Europe/Madrid")
	at := func(loc *time.Location, y int, m time.Month, d, hh, mm int) time.Time {
		return time.Date(y, m, d, hh, mm, 0, 0, loc)
	}
	def := Default()
	thanks := mustCal(t, "America/Chicago", weekdays, "08:00", "17:00", []string{"2026-11-26", "2026-11-27"})
	sundays := mustCal(t, "America/Chicago", []string{"sun", "mon", "tue", "wed", "thu", "fri"}, "08:00", "17:00", nil)
	nyCal := mustCal(t, "America/New_York", []string{"Mon", "TUE", "wed", "thu", "fri", "sat", "sat"}, "07:30", "16:30", nil)
	madCal := mustCal(t, "Europe/Madrid", []string{"mon", "tue", "wed", "thu", "fri", "sat"}, "07:30", "16:30", nil)

	// 2026-04-06 is a Monday.
	tests := []struct {
		name  string
		cal   Calendar
		start time.Time
		d     time.Duration
		want  time.Time
	}{
		{"Monday 10:00 + 8h", def, at(chi, 2026, 4, 6, 10, 0), 8 * time.Hour, at(chi, 2026, 4, 7, 9, 0)},
		{"Friday 15:00 + 8h skips weekend", def, at(chi, 2026, 4, 10, 15, 0), 8 * time.Hour, at(chi, 2026, 4, 13, 14, 0)},
		{"Saturday 11:00 + 4h", def, at(chi, 2026, 4, 11, 11, 0), 4 * time.Hour, at(chi, 2026, 4, 13, 12, 0)},
		{"Sunday 22:30 + 4h", def, at(chi, 2026, 4, 12, 22, 30), 4 * time.Hour, at(chi, 2026, 4, 13, 12, 0)},
		{"Tuesday 18:30 after hours + 1h", def, at(chi, 2026, 4, 7, 18, 30), time.Hour, at(chi, 2026, 4, 8, 9, 0)},
		{"06:00 before opening + 2h", def, at(chi, 2026, 4, 8, 6, 0), 2 * time.Hour, at(chi, 2026, 4, 8, 10, 0)},
		{"Monday 08:00 + 9h ends at closing", def, at(chi, 2026, 4, 6, 8, 0), 9 * time.Hour, at(chi, 2026, 4, 6, 17, 0)},
		{"Monday 16:00 + 1h ends at closing", def, at(chi, 2026, 4, 6, 16, 0), time.Hour, at(chi, 2026, 4, 6, 17, 0)},
		{"Monday 16:00 + 2h", def, at(chi, 2026, 4, 6, 16, 0), 2 * time.Hour, at(chi, 2026, 4, 7, 9, 0)},
		{"Monday 17:00 (closed) + 1m", def, at(chi, 2026, 4, 6, 17, 0), time.Minute, at(chi, 2026, 4, 7, 8, 1)},
		{"Friday 08:00 + 9h ends Friday 17:00", def, at(chi, 2026, 4, 10, 8, 0), 9 * time.Hour, at(chi, 2026, 4, 10, 17, 0)},
		{"Monday 08:00 + 40h", def, at(chi, 2026, 4, 6, 8, 0), 40 * time.Hour, at(chi, 2026, 4, 10, 12, 0)},
		{"Monday 08:00 + 45h ends Friday closing", def, at(chi, 2026, 4, 6, 8, 0), 45 * time.Hour, at(chi, 2026, 4, 10, 17, 0)},
		{"Monday 08:00 + 80h", def, at(chi, 2026, 4, 6, 8, 0), 80 * time.Hour, at(chi, 2026, 4, 16, 16, 0)},
		{"seconds are kept", def, time.Date(2026, 4, 6, 10, 0, 30, 5, chi), time.Hour, time.Date(2026, 4, 6, 11, 0, 30, 5, chi)},
		{"Thanksgiving and Friday after", thanks, at(chi, 2026, 11, 25, 16, 0), 3 * time.Hour, at(chi, 2026, 11, 30, 10, 0)},
		{"filed on a holiday", thanks, at(chi, 2026, 11, 26, 10, 0), time.Hour, at(chi, 2026, 11, 30, 9, 0)},
		{"spring forward weekend", def, at(chi, 2026, 3, 6, 15, 0), 4 * time.Hour, time.Date(2026, 3, 9, 15, 0, 0, 0, time.UTC)},
		{"fall back weekend", def, at(chi, 2026, 10, 30, 16, 0), 2 * time.Hour, time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)},
		{"working Sunday, spring forward", sundays, at(chi, 2026, 3, 8, 8, 0), 9 * time.Hour, time.Date(2026, 3, 8, 22, 0, 0, 0, time.UTC)},
		{"working Sunday, fall back", sundays, at(chi, 2026, 11, 1, 8, 0), 9 * time.Hour, time.Date(2026, 11, 1, 23, 0, 0, 0, time.UTC)},
		{"Saturday 01:00 into spring-forward Sunday", sundays, at(chi, 2026, 3, 7, 1, 0), 10 * time.Hour, time.Date(2026, 3, 9, 14, 0, 0, 0, time.UTC)},
		{"New York Friday 15:30 + 3h works Saturday", nyCal, at(ny, 2026, 4, 10, 15, 30), 3 * time.Hour, at(ny, 2026, 4, 11, 9, 30)},
		{"New York Saturday 16:00 + 1h", nyCal, at(ny, 2026, 4, 11, 16, 0), time.Hour, at(ny, 2026, 4, 13, 8, 0)},
		{"New York before opening", nyCal, at(ny, 2026, 4, 13, 7, 0), 30 * time.Minute, at(ny, 2026, 4, 13, 8, 0)},
		{"Madrid Saturday across spring forward", madCal, at(mad, 2026, 3, 28, 16, 0), time.Hour, time.Date(2026, 3, 30, 6, 0, 0, 0, time.UTC)},
		{"Madrid Monday 07:30 + 18h", madCal, at(mad, 2026, 3, 30, 7, 30), 18 * time.Hour, at(mad, 2026, 3, 31, 16, 30)},
		{"d = 0 inside hours", def, at(chi, 2026, 4, 6, 10, 0), 0, at(chi, 2026, 4, 6, 10, 0)},
		{"d = 0 after hours", def, at(chi, 2026, 4, 10, 18, 0), 0, at(chi, 2026, 4, 13, 8, 0)},
		{"d negative", def, at(chi, 2026, 4, 11, 9, 0), -3 * time.Hour, at(chi, 2026, 4, 13, 8, 0)},
		{"d = 0 at closing", def, at(chi, 2026, 4, 6, 17, 0), 0, at(chi, 2026, 4, 7, 8, 0)},
		{"zero Calendar is Default", Calendar{}, at(chi, 2026, 4, 10, 15, 0), 8 * time.Hour, at(chi, 2026, 4, 13, 14, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cal.Deadline(tt.start, tt.d)
			if !got.Equal(tt.want) {
				t.Errorf("Deadline(%v, %v) = %v, want %v", tt.start, tt.d, got.In(tt.start.Location()), tt.want)
			}
			if got.Location() != time.UTC {
				t.Errorf("Deadline result in %v, want UTC", got.Location())
			}
			// The same instant given in UTC gives the same deadline.
			if u := tt.cal.Deadline(tt.start.UTC(), tt.d); !u.Equal(got) {
				t.Errorf("start in UTC gives %v, local gives %v", u, got)
			}
			if tt.d > 0 {
				if w := tt.cal.WorkingTime(tt.start, got); w != tt.d {
					t.Errorf("WorkingTime(start, deadline) = %v, want %v", w, tt.d)
				}
			} else if n := tt.cal.NextOpen(tt.start); !n.Equal(got) {
				t.Errorf("d <= 0 gives %v, NextOpen gives %v", got, n)
			}
		})
	}
}

func TestDSTDaysHaveNineHours(t *testing.T) {
	chi := mustLoc(t, "America/Chicago")
	all := mustCal(t, "America/Chicago", []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}, "08:00", "17:00", nil)
	for _, day := range []time.Time{
		time.Date(2026, 3, 8, 0, 0, 0, 0, chi),  // spring forward
		time.Date(2026, 11, 1, 0, 0, 0, 0, chi), // fall back
		time.Date(2026, 3, 7, 0, 0, 0, 0, chi),
	} {
		y, m, d := day.Date()
		next := time.Date(y, m, d+1, 0, 0, 0, 0, chi)
		if got := all.WorkingTime(day, next); got != 9*time.Hour {
			t.Errorf("working time on %s = %v, want 9h", day.Format("2006-01-02"), got)
		}
		if got := all.WorkingTime(day, day.Add(48*time.Hour)); got != 18*time.Hour {
			t.Errorf("working time over 48h from %s = %v, want 18h", day.Format("2006-01-02"), got)
		}
	}

	// A window the clocks jump through is the time that really passes.
	night := mustCal(t, "America/Chicago", []string{"sun"}, "00:00", "04:00", nil)
	for _, tc := range []struct {
		day  time.Time
		want time.Duration
	}{
		{time.Date(2026, 3, 8, 0, 0, 0, 0, chi), 3 * time.Hour},
		{time.Date(2026, 11, 1, 0, 0, 0, 0, chi), 5 * time.Hour},
		{time.Date(2026, 3, 15, 0, 0, 0, 0, chi), 4 * time.Hour},
	} {
		if got := night.WorkingTime(tc.day, tc.day.Add(30*time.Hour)); got != tc.want {
			t.Errorf("00:00–04:00 on %s = %v, want %v", tc.day.Format("2006-01-02"), got, tc.want)
		}
	}
}

func TestWorkingTime(t *testing.T) {
	chi := mustLoc(t, "America/Chicago")
	at := func(d, hh, mm int) time.Time { return time.Date(2026, 4, d, hh, mm, 0, 0, chi) }
	def := Default()
	tests := []struct {
		name     string
		from, to time.Time
		want     time.Duration
	}{
		{"weekend only", at(11, 0, 0), at(13, 0, 0), 0},
		{"Friday close to Monday open", at(10, 17, 0), at(13, 8, 0), 0},
		{"inside one day", at(6, 9, 15), at(6, 11, 45), 150 * time.Minute},
		{"overnight", at(6, 16, 0), at(7, 9, 0), 2 * time.Hour},
		{"one week", at(6, 0, 0), at(13, 0, 0), 45 * time.Hour},
		{"Friday noon to Monday noon", at(10, 12, 0), at(13, 12, 0), 9 * time.Hour},
		{"reversed", at(7, 9, 0), at(6, 9, 0), 0},
		{"empty", at(7, 9, 0), at(7, 9, 0), 0},
		{"52 weeks", at(6, 0, 0), at(6, 0, 0).AddDate(0, 0, 364), 52 * 45 * time.Hour},
	}
	for _, tt := range tests {
		if got := def.WorkingTime(tt.from, tt.to); got != tt.want {
			t.Errorf("%s: WorkingTime = %v, want %v", tt.name, got, tt.want)
		}
		if got := def.WorkingTime(tt.from.UTC(), tt.to.In(time.FixedZone("X", 5*3600))); got != tt.want {
			t.Errorf("%s: WorkingTime in other zones = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestIsOpenAndNextOpen(t *testing.T) {
	chi := mustLoc(t, "America/Chicago")
	at := func(d, hh, mm int) time.Time { return time.Date(2026, 4, d, hh, mm, 0, 0, chi) }
	def := Default()
	tests := []struct {
		t    time.Time
		open bool
		next time.Time
	}{
		{at(6, 8, 0), true, at(6, 8, 0)},
		{at(6, 7, 59), false, at(6, 8, 0)},
		{at(6, 16, 59), true, at(6, 16, 59)},
		{at(6, 17, 0), false, at(7, 8, 0)},
		{at(10, 17, 0), false, at(13, 8, 0)},
		{at(11, 12, 0), false, at(13, 8, 0)},
		{at(12, 23, 59), false, at(13, 8, 0)},
	}
	for _, tt := range tests {
		if got := def.IsOpen(tt.t); got != tt.open {
			t.Errorf("IsOpen(%v) = %v", tt.t, got)
		}
		if got := def.NextOpen(tt.t.UTC()); !got.Equal(tt.next) {
			t.Errorf("NextOpen(%v) = %v, want %v", tt.t, got, tt.next)
		}
	}
	if got := def.NextOpen(at(6, 17, 0).UTC()); got.Location() != time.UTC {
		t.Errorf("NextOpen of a UTC time is in %v", got.Location())
	}
	if Default().Location().String() != "America/Chicago" || (Calendar{}).Location().String() != "America/Chicago" {
		t.Errorf("Default location = %v", Default().Location())
	}
}

// TestIsOpenAgreesWithWorkingTime counts open minutes with IsOpen and
// compares them with WorkingTime over weeks with clock changes.
func TestIsOpenAgreesWithWorkingTime(t *testing.T) {
	cals := map[string]Calendar{
		"default": Default(),
		"night":   mustCal(t, "America/Chicago", []string{"sun", "sat", "mon"}, "00:30", "03:30", []string{"2026-03-09"}),
		"madrid":  mustCal(t, "Europe/Madrid", []string{"sun", "sat"}, "01:00", "24:00", nil),
		"lhi":     mustCal(t, "Australia/Lord_Howe", []string{"sun"}, "01:30", "02:30", nil),
	}
	starts := []time.Time{
		time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 26, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 10, 22, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 10, 29, 0, 0, 0, 0, time.UTC),
	}
	for name, c := range cals {
		for _, s := range starts {
			var open time.Duration
			for m := s; m.Before(s.Add(week)); m = m.Add(time.Minute) {
				if c.IsOpen(m) {
					open += time.Minute
				}
			}
			if got := c.WorkingTime(s, s.Add(week)); got != open {
				t.Errorf("%s from %v: WorkingTime %v, IsOpen counts %v", name, s, got, open)
			}
		}
	}
}

func TestLargeDurations(t *testing.T) {
	chi := mustLoc(t, "America/Chicago")
	start := time.Date(2026, 4, 6, 8, 0, 0, 0, chi)
	def := Default()
	ref := refOf(def)
	for _, d := range []time.Duration{10000 * time.Hour, 50000*time.Hour + 17*time.Minute, maxWork} {
		got := def.Deadline(start, d)
		if want := ref.deadline(start, d); !got.Equal(want) {
			t.Errorf("Deadline(+%v) = %v, day by day gives %v", d, got, want)
		}
		if w := def.WorkingTime(start, got); w != d {
			t.Errorf("WorkingTime back = %v, want %v", w, d)
		}
	}
	// Beyond ten years d is clamped.
	if got, want := def.Deadline(start, 100000*time.Hour), def.Deadline(start, maxWork); !got.Equal(want) {
		t.Errorf("100000h gives %v, want clamp to %v", got, want)
	}
	if got := def.Deadline(start, time.Duration(1<<63-1)); got.Before(start) {
		t.Errorf("max Duration gives %v", got)
	}
	// A calendar with a minute a week runs into the horizon and stops
	// at a closing time instead of looping for millennia.
	tiny := mustCal(t, "UTC", []string{"sat"}, "23:59", "24:00", nil)
	t0 := time.Now()
	got := tiny.Deadline(start, maxWork)
	if time.Since(t0) > 5*time.Second {
		t.Errorf("tiny calendar took %v", time.Since(t0))
	}
	if got.Weekday() != time.Sunday || got.Hour() != 0 || got.Minute() != 0 || got.Year() < 2900 {
		t.Errorf("tiny calendar deadline %v, want a Sunday midnight about 1000 years on", got)
	}
	// WorkingTime over a huge span stays fast and caps rather than overflows.
	far := def.WorkingTime(time.Date(-5000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC))
	if far != time.Duration(1<<63-1) {
		t.Errorf("WorkingTime over 14000 years = %v, want the cap", far)
	}
	mid := def.WorkingTime(time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
	if lo, hi := 299*52*45*time.Hour, 301*53*45*time.Hour; mid < lo || mid > hi {
		t.Errorf("WorkingTime over 300 years = %v", mid)
	}
}

// TestAgainstDayByDay compares the week-skipping code with a plain
// day-by-day count on random inputs.
func TestAgainstDayByDay(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cals := fuzzCalendars(t)
	for i := 0; i < 3000; i++ {
		c := cals[r.IntN(len(cals))]
		start := time.Unix(r.Int64N(5_000_000_000)-1_500_000_000, r.Int64N(1e9))
		d := time.Duration(r.Int64N(20_000)) * time.Minute
		if i%10 == 0 {
			d = time.Duration(r.Int64N(int64(5000 * time.Hour)))
		}
		ref := refOf(c)
		got, want := c.Deadline(start, d), ref.deadline(start, d)
		if !got.Equal(want) {
			t.Fatalf("%s: Deadline(%v, %v) = %v, day by day %v", c.Location(), start, d, got, want)
		}
		end := start.Add(time.Duration(r.Int64N(int64(3 * 365 * day))))
		if got, want := c.WorkingTime(start, end), ref.workingTime(start, end); got != want {
			t.Fatalf("%s: WorkingTime(%v, %v) = %v, day by day %v", c.Location(), start, end, got, want)
		}
	}
}

func TestNewCalendarErrors(t *testing.T) {
	tests := []struct {
		name                string
		tz                  string
		days                []string
		open, close         string
		holidays            []string
		wantInMsg, wantWord string
	}{
		{"unknown zone", "America/Chicgo", weekdays, "08:00", "17:00", nil, "America/Chicgo", "time zone"},
		{"empty zone", "", weekdays, "08:00", "17:00", nil, `""`, "time zone"},
		{"no working days", "America/Chicago", nil, "08:00", "17:00", nil, "no working days", "working days"},
		{"bad day", "America/Chicago", []string{"mon", "funday"}, "08:00", "17:00", nil, "funday", "working day"},
		{"hour 25", "America/Chicago", weekdays, "25:00", "17:00", nil, "25:00", "opening time"},
		{"bad close", "America/Chicago", weekdays, "08:00", "5pm", nil, "5pm", "closing time"},
		{"minute 60", "America/Chicago", weekdays, "08:60", "17:00", nil, "08:60", "opening time"},
		{"open 24:00", "America/Chicago", weekdays, "24:00", "24:00", nil, "24:00", "opening time"},
		{"close before open", "America/Chicago", weekdays, "17:00", "08:00", nil, "08:00", "not after"},
		{"close equals open", "America/Chicago", weekdays, "08:00", "08:00", nil, "08:00", "not after"},
		{"month 13", "America/Chicago", weekdays, "08:00", "17:00", []string{"2026-11-26", "2026-13-01"}, "2026-13-01", "holiday"},
		{"February 30", "America/Chicago", weekdays, "08:00", "17:00", []string{"2026-02-30"}, "2026-02-30", "holiday"},
	}
	for _, tt := range tests {
		_, err := NewCalendar(tt.tz, tt.days, tt.open, tt.close, tt.holidays)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if !strings.Contains(err.Error(), tt.wantInMsg) || !strings.Contains(err.Error(), tt.wantWord) {
			t.Errorf("%s: error %q should mention %q and %q", tt.name, err, tt.wantInMsg, tt.wantWord)
		}
	}
	// Accepted variations.
	if _, err := NewCalendar(" Europe/Madrid ", []string{"Monday", " SAT", "sat"}, "7:30", "24:00", []string{"2026-12-25", "2026-12-25"}); err != nil {
		t.Errorf("valid calendar rejected: %v", err)
	}
}

// refCal is a plain day-by-day model of a calendar, for checking the
// faster code.
type refCal struct {
	loc      *time.Location
	days     [7]bool
	oh, om   int
	ch, cm   int
	holidays map[string]bool
}

func refOf(c Calendar) refCal {
	cf := c.conf()
	r := refCal{loc: cf.loc, days: cf.days, oh: cf.openH, om: cf.openM, ch: cf.closeH, cm: cf.closeM, holidays: map[string]bool{}}
	for _, h := range cf.holidays {
		r.holidays[time.Unix(h*86400, 0).UTC().Format("2006-01-02")] = true
	}
	return r
}

// windows calls f with each working window, day by day from the local date
// before t's, until f returns false.
func (r refCal) windows(t time.Time, f func(o, cl time.Time) bool) {
	y, m, d := t.In(r.loc).Date()
	for i := -1; ; i++ {
		date := time.Date(y, m, d+i, 12, 0, 0, 0, time.UTC)
		if !r.days[date.Weekday()] || r.holidays[date.Format("2006-01-02")] {
			continue
		}
		o := time.Date(y, m, d+i, r.oh, r.om, 0, 0, r.loc)
		cl := time.Date(y, m, d+i, r.ch, r.cm, 0, 0, r.loc)
		if cl.After(o) && !f(o, cl) {
			return
		}
	}
}

func (r refCal) deadline(start time.Time, d time.Duration) time.Time {
	d = min(d, maxWork)
	cur, res := start, time.Time{}
	r.windows(start, func(o, cl time.Time) bool {
		if d <= 0 {
			if cl.After(start) {
				res = later(o, start)
				return false
			}
			return true
		}
		s := later(o, cur)
		if !cl.After(s) {
			return true
		}
		if cl.Sub(s) >= d {
			res = s.Add(d)
			return false
		}
		d -= cl.Sub(s)
		cur = cl
		return true
	})
	return res.UTC()
}

func (r refCal) workingTime(from, to time.Time) time.Duration {
	var total time.Duration
	cur := from
	r.windows(from, func(o, cl time.Time) bool {
		if !o.Before(to) {
			return false
		}
		if s, e := later(o, cur), earlier(cl, to); e.After(s) {
			total += e.Sub(s)
		}
		cur = later(cur, cl)
		return true
	})
	return total
}

// fuzzCalendars are ordinary and awkward calendars: holidays, six-day
// weeks, windows the clocks jump through, a skipped day (Apia 2011-12-30),
// half-hour changes (Lord Howe), changes at midnight (Santiago), and one
// hour a week.
func fuzzCalendars(t testing.TB) []Calendar {
	all := []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
	var hol []string
	for y := 1990; y <= 2060; y++ {
		hol = append(hol, time.Date(y, 12, 25, 0, 0, 0, 0, time.UTC).Format("2006-01-02"),
			time.Date(y, 7, 4, 0, 0, 0, 0, time.UTC).Format("2006-01-02"),
			time.Date(y, 11, 26, 0, 0, 0, 0, time.UTC).Format("2006-01-02"))
	}
	return []Calendar{
		Default(),
		mustCal(t, "America/Chicago", weekdays, "08:00", "17:00", hol),
		mustCal(t, "America/Chicago", all, "00:00", "04:00", nil),
		mustCal(t, "America/New_York", []string{"mon", "tue", "wed", "thu", "fri", "sat"}, "07:30", "16:30", hol),
		mustCal(t, "Europe/Madrid", []string{"mon", "tue", "wed", "thu", "fri", "sat"}, "07:30", "16:30", nil),
		mustCal(t, "Pacific/Apia", all, "08:00", "17:00", nil),
		mustCal(t, "Australia/Lord_Howe", all, "01:00", "03:00", nil),
		mustCal(t, "America/Santiago", []string{"sun", "sat"}, "00:00", "24:00", nil),
		mustCal(t, "UTC", []string{"sat"}, "23:00", "24:00", nil),
		Calendar{},
	}
}

// closesAt reports whether t is exactly the closing time of some window.
func closesAt(c Calendar, t time.Time) bool {
	cf := c.conf()
	dn := cf.localDay(t)
	for _, x := range []int64{dn - 1, dn, dn + 1} {
		if _, cl, ok := cf.window(x); ok && cl.Equal(t) {
			return true
		}
	}
	return false
}

func FuzzDeadline(f *testing.F) {
	cals := fuzzCalendars(f)
	f.Add(int64(1775462400), int64(480), uint8(0))  // 2026-04-06 08:00 UTC, 8 h
	f.Add(int64(1772830800), int64(240), uint8(0))  // 2026-03-06 15:00 CST
	f.Add(int64(1761858000), int64(120), uint8(1))  // 2026-10-30 16:00 CDT
	f.Add(int64(1325073600), int64(6000), uint8(5)) // Apia, end of 2011
	f.Add(int64(1775462400), int64(999999), uint8(8))
	f.Add(int64(-1), int64(-5), uint8(2))
	f.Fuzz(func(t *testing.T, sec, minutes int64, which uint8) {
		const lo, span = -2_500_000_000, 8_500_000_000 // 1890 to 2160
		sec = lo + (sec%span+span)%span
		d := time.Duration(minutes%1_000_001) * time.Minute
		checkDeadline(t, cals[int(which)%len(cals)], time.Unix(sec, 0), d)
	})
}

// checkDeadline checks the properties every deadline has.
func checkDeadline(t *testing.T, c Calendar, start time.Time, d time.Duration) {
	t.Helper()
	got := c.Deadline(start, d)
	next := c.NextOpen(start)
	if got.Location() != time.UTC {
		t.Fatalf("result in %v", got.Location())
	}
	if !c.IsOpen(next) {
		t.Fatalf("%s: NextOpen(%v) = %v is not open", c.Location(), start, next)
	}
	if got.Before(next) {
		t.Fatalf("%s: Deadline(%v, %v) = %v before NextOpen %v", c.Location(), start, d, got, next)
	}
	if !c.IsOpen(got) && !closesAt(c, got) {
		t.Fatalf("%s: Deadline(%v, %v) = %v is neither working time nor a closing time", c.Location(), start, d, got)
	}
	if d <= 0 {
		if !got.Equal(next) {
			t.Fatalf("%s: Deadline(%v, %v) = %v, want NextOpen %v", c.Location(), start, d, got, next)
		}
		return
	}
	if w := c.WorkingTime(start, got); w != d {
		t.Fatalf("%s: WorkingTime(%v, Deadline = %v) = %v, want %v", c.Location(), start, got, w, d)
	}
	if d > 200_000*time.Minute {
		return // the day-by-day model is too slow here
	}
	if want := refOf(c).deadline(start, d); !got.Equal(want) {
		t.Fatalf("%s: Deadline(%v, %v) = %v, day by day %v", c.Location(), start, d, got, want)
	}
}

// TestAroundClockChanges checks deadlines that start close to changes of
// UTC offset, where the week skipping must step aside.
func TestAroundClockChanges(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, c := range fuzzCalendars(t) {
		tr := time.Date(2008, 1, 1, 0, 0, 0, 0, c.Location())
		for n := 0; n < 40; n++ {
			_, end := tr.ZoneBounds()
			if end.IsZero() {
				break
			}
			tr = end
			for i := 0; i < 30; i++ {
				start := tr.Add(time.Duration(r.Int64N(int64(6*day))) - 3*day).Truncate(time.Minute)
				d := time.Duration(r.Int64N(3000)) * time.Minute
				if i%5 == 0 {
					d = time.Duration(r.Int64N(60)) * time.Minute
				}
				checkDeadline(t, c, start, d)
				// A deadline ending just before the change, with the
				// skipping allowed from weeks earlier.
				early := tr.AddDate(0, 0, -7*(2+r.IntN(20)))
				checkDeadline(t, c, early, c.WorkingTime(early, tr)+time.Duration(r.Int64N(600)-300)*time.Minute)
			}
		}
	}
}

func BenchmarkDeadline(b *testing.B) {
	c := Default()
	start := time.Date(2026, 4, 6, 10, 30, 0, 0, c.Location())
	for _, bc := range []struct {
		name string
		d    time.Duration
	}{
		{"80h", 80 * time.Hour},
		{"10000h", 10000 * time.Hour},
		{"max", maxWork},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				c.Deadline(start, bc.d)
			}
		})
	}
}

// TestExtremeInputs checks that odd instants and durations neither panic
// nor hang.
func TestExtremeInputs(t *testing.T) {
	times := []time.Time{
		{},
		time.Unix(1<<62, 0),
		time.Unix(-1<<62, 0),
		time.Unix(1<<63-1, 999999999),
		time.Unix(-1<<63, 0),
		time.Date(1883, 11, 18, 12, 0, 0, 0, time.UTC), // Chicago leaves local mean time
	}
	durs := []time.Duration{-1 << 63, -1, 0, 1, time.Hour, 1<<63 - 1}
	for _, c := range []Calendar{{}, Default(), mustCal(t, "Pacific/Apia", []string{"fri"}, "00:00", "24:00", nil)} {
		for _, a := range times {
			c.IsOpen(a)
			c.NextOpen(a)
			for _, d := range durs {
				c.Deadline(a, d)
			}
			for _, b := range times {
				c.WorkingTime(a, b)
			}
		}
	}
}

func TestAddBusinessDays(t *testing.T) {
	chi := mustLoc(t, "America/Chicago")
	cal := mustCal(t, "America/Chicago", weekdays, "08:00", "17:00", []string{"2026-11-26"})
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, chi) }
	for _, c := range []struct {
		name  string
		start time.Time
		n     int
		want  time.Time
	}{
		{"10 days over a weekend and Thanksgiving", at(2026, 11, 17, 9, 0), 10, at(2026, 12, 2, 17, 0)},
		{"1 day from a Friday evening", at(2026, 11, 20, 22, 0), 1, at(2026, 11, 23, 17, 0)},
		{"1 day from the eve of a holiday", at(2026, 11, 25, 10, 0), 1, at(2026, 11, 27, 17, 0)},
		{"submitted on a Saturday", at(2026, 11, 21, 10, 0), 1, at(2026, 11, 23, 17, 0)},
		{"0 days on a working day", at(2026, 11, 17, 9, 0), 0, at(2026, 11, 17, 17, 0)},
		{"0 days on a Sunday", at(2026, 11, 22, 9, 0), 0, at(2026, 11, 23, 17, 0)},
		{"across the spring clock change", at(2027, 3, 12, 9, 0), 1, at(2027, 3, 15, 17, 0)},
		{"late evening UTC is still the local day", time.Date(2026, 11, 18, 3, 0, 0, 0, time.UTC), 1, at(2026, 11, 18, 17, 0)},
	} {
		if got := cal.AddBusinessDays(c.start, c.n); !got.Equal(c.want) || got.Location() != time.UTC {
			t.Errorf("%s: %v + %d business days = %v, want %v", c.name, c.start, c.n, got, c.want.UTC())
		}
	}
}
