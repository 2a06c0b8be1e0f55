package insights

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Period is the period asked for and the two it is compared with.
type Period struct {
	Kind     string `json:"kind"` // month, quarter, year, custom
	Current  Window `json:"current"`
	Previous Window `json:"previous"` // the period of the same kind just before
	LastYear Window `json:"last_year"`
}

// MaxCustomDays is the longest custom period.
const MaxCustomDays = 3 * 366

// ParsePeriod reads a period in the town's zone loc. kind is month, quarter,
// year (default month) or custom. For the first three, from is any date
// inside the period (YYYY-MM-DD or YYYY-MM; default: today); custom needs
// from and to (YYYY-MM-DD, both days included). Errors say what to send.
func ParsePeriod(kind, from, to string, loc *time.Location, now time.Time) (Period, error) {
	kind = strings.TrimSpace(kind)
	if kind == "" {
		kind = "month"
	}
	p := Period{Kind: kind}
	day := func(s, name string) (time.Time, error) {
		s = strings.TrimSpace(s)
		if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
			return t, nil
		}
		if t, err := time.ParseInLocation("2006-01", s, loc); err == nil && kind != "custom" {
			return t, nil
		}
		return time.Time{}, fmt.Errorf("Invalid %s: give a date as YYYY-MM-DD, not %q.", name, s)
	}
	anchor := now.In(loc)
	if strings.TrimSpace(from) != "" {
		t, err := day(from, "from")
		if err != nil {
			return p, err
		}
		anchor = t
	}
	y, m, _ := anchor.Date()
	switch kind {
	case "month":
		start := time.Date(y, m, 1, 0, 0, 0, 0, loc)
		p.Current = Window{start, start.AddDate(0, 1, 0)}
		p.Previous = Window{start.AddDate(0, -1, 0), start}
	case "quarter":
		start := time.Date(y, m-(m-1)%3, 1, 0, 0, 0, 0, loc)
		p.Current = Window{start, start.AddDate(0, 3, 0)}
		p.Previous = Window{start.AddDate(0, -3, 0), start}
	case "year":
		start := time.Date(y, 1, 1, 0, 0, 0, 0, loc)
		p.Current = Window{start, start.AddDate(1, 0, 0)}
		p.Previous = Window{start.AddDate(-1, 0, 0), start}
	case "custom":
		if strings.TrimSpace(from) == "" || strings.TrimSpace(to) == "" {
			return p, errors.New("A custom period needs from and to (YYYY-MM-DD, both days included).")
		}
		end, err := day(to, "to")
		if err != nil {
			return p, err
		}
		end = end.AddDate(0, 0, 1)
		if !end.After(anchor) {
			return p, errors.New("Invalid period: to must not be before from.")
		}
		n := int(end.Sub(anchor).Hours()/24 + 0.5)
		if n > MaxCustomDays {
			return p, fmt.Errorf("Invalid period: a custom period is at most %d days.", MaxCustomDays)
		}
		p.Current = Window{anchor, end}
		p.Previous = Window{anchor.AddDate(0, 0, -n), anchor}
	default:
		return p, fmt.Errorf("Invalid period: use month, quarter, year or custom, not %q.", kind)
	}
	p.LastYear = Window{p.Current.From.AddDate(-1, 0, 0), p.Current.To.AddDate(-1, 0, 0)}
	return p, nil
}

// Earliest is the earliest moment any of the period's windows starts.
func (p Period) Earliest() time.Time {
	return minTime(p.Current.From, p.Previous.From, p.LastYear.From)
}

func minTime(ts ...time.Time) time.Time {
	m := ts[0]
	for _, t := range ts[1:] {
		if t.Before(m) {
			m = t
		}
	}
	return m
}

// Year is the calendar year y in loc, as a window.
func Year(y int, loc *time.Location) Window {
	start := time.Date(y, 1, 1, 0, 0, 0, 0, loc)
	return Window{start, start.AddDate(1, 0, 0)}
}
