package insights

import (
	"math"
	"slices"
	"sort"
	"time"
)

// Scope narrows the figures to part of the county's work. Empty fields do
// not filter. A category leaves permits out, a permit type leaves reports out.
type Scope struct {
	Department string
	Category   string // a problem category id
	Type       string // a permit type id
	Channel    string
}

// Match reports whether a request is in the scope.
func (s Scope) Match(f *Fact) bool {
	switch {
	case s.Department != "" && f.Department != s.Department:
		return false
	case s.Channel != "" && f.Channel != s.Channel:
		return false
	case s.Category != "" && (f.Kind != Report || f.Service != s.Category):
		return false
	case s.Type != "" && (f.Kind != Permit || f.Service != s.Type):
		return false
	}
	return true
}

// Window is a period [From, To).
type Window struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"` // exclusive
}

func (w Window) contains(t int64) bool { return t != 0 && t >= w.From.Unix() && t < w.To.Unix() }

// AbandonAfter is how long a draft stays untouched before it counts as abandoned.
const AbandonAfter = 30 * 24 * time.Hour

// Stat is a median and 90th percentile over N values.
type Stat struct {
	N      int      `json:"n"`
	Median *float64 `json:"median"` // nil when there is no value
	P90    *float64 `json:"p90"`
}

// Figures are the figures of one period and scope.
type Figures struct {
	Window       Window       `json:"window"`
	Volume       Volume       `json:"volume"`
	Response     Response     `json:"response"`
	Permits      Permits      `json:"permits"`
	Satisfaction Satisfaction `json:"satisfaction"`
	Funnel       []Funnel     `json:"funnel"`
	Quality      Quality      `json:"quality"`
}

// Volume is what came in and went out.
type Volume struct {
	Received    int            `json:"received"`
	Closed      int            `json:"closed"`
	OpenAtEnd   int            `json:"open_at_end"`
	Reports     Count          `json:"reports"`
	Permits     Count          `json:"permits"`
	ByChannel   []ChannelCount `json:"by_channel"`
	OnlineShare *float64       `json:"online_share"` // % of received that came online
}

// Count is the volume of one kind.
type Count struct {
	Received  int `json:"received"`
	Closed    int `json:"closed"`
	OpenAtEnd int `json:"open_at_end"`
}

// ChannelCount is what came in by one channel.
type ChannelCount struct {
	Channel  string   `json:"channel"`
	Received int      `json:"received"`
	Share    *float64 `json:"share"`
}

// Response is how fast problem reports were answered, in business hours.
type Response struct {
	Acknowledge     Stat     `json:"acknowledge_hours"`
	Resolve         Stat     `json:"resolve_hours"`
	AckOnTime       *float64 `json:"ack_on_time"`     // % of acknowledged within the deadline
	ResolveOnTime   *float64 `json:"resolve_on_time"` // % of resolved within the deadline
	AckCounted      int      `json:"ack_counted"`
	ResolveCounted  int      `json:"resolve_counted"`
	OverdueNow      int      `json:"overdue_now"`
	EscalationLevel [3]int   `json:"escalations"` // escalations to level 1, 2, 3 in the period
}

// Permits is how permit applications were decided, in calendar days.
type Permits struct {
	All    PermitTimes   `json:"all"`
	ByType []PermitTimes `json:"by_type"`
}

// PermitTimes are the decision figures of one permit type ("" for all).
type PermitTimes struct {
	Type              string   `json:"type"`
	Decided           int      `json:"decided"`
	Approved          int      `json:"approved"`
	County            Stat     `json:"county_days"`
	Applicant         Stat     `json:"applicant_days"`
	Total             Stat     `json:"total_days"`
	ApprovalRate      *float64 `json:"approval_rate"`
	WithinTurnaround  *float64 `json:"within_turnaround"` // % of decisions within the type's turnaround
	TurnaroundCounted int      `json:"turnaround_counted"`
}

// Satisfaction is what residents said in the period.
type Satisfaction struct {
	Ratings      int      `json:"ratings"`
	Average      *float64 `json:"average"`
	Distribution [5]int   `json:"distribution"` // ratings of 1 … 5
	Top2         *float64 `json:"top2"`         // % rating 4 or 5
	ClosedRated  int      `json:"closed_rated"`
	Closed       int      `json:"closed"`
	ResponseRate *float64 `json:"response_rate"` // % of requests closed in the period that were rated
}

// Funnel is how far the applications started in the period got, per type ("" for all).
type Funnel struct {
	Type      string         `json:"type"`
	Started   int            `json:"started"`
	Submitted int            `json:"submitted"`
	Decided   int            `json:"decided"`
	Issued    int            `json:"issued"`
	Abandoned int            `json:"abandoned"`
	StoppedAt map[string]int `json:"stopped_at"` // abandoned drafts by the step they stopped at
}

// Quality is how often work came back.
type Quality struct {
	Resolved         int            `json:"resolved"`
	Reopened         int            `json:"reopened"`
	ReopenRate       *float64       `json:"reopen_rate"`
	Reports          int            `json:"reports"`
	Duplicates       int            `json:"duplicates"`
	DuplicateRate    *float64       `json:"duplicate_rate"`
	ChangesRequested []ChangesShare `json:"changes_requested"` // per permit type, "" first for all
}

// ChangesShare is the share of applications sent back for changes.
type ChangesShare struct {
	Type      string   `json:"type"`
	Submitted int      `json:"submitted"`
	Changed   int      `json:"changed"`
	Share     *float64 `json:"share"`
}

// Compute aggregates the facts in scope for window w. now is the moment of
// "overdue now" and of a draft's 30 untouched days.
func Compute(facts []Fact, s Scope, w Window, now time.Time) Figures {
	out := Figures{Window: w}
	var ack, resolve []float64
	var ackOnTime, resolveOnTime int
	channels := map[string]int{}
	type permitAcc struct {
		county, applicant, total  []float64
		decided, approved, turnOK int
		turnCounted               int
	}
	permits := map[string]*permitAcc{"": {}}
	funnels := map[string]*Funnel{"": {StoppedAt: map[string]int{}}}
	changes := map[string]*ChangesShare{"": {}}
	var ratingSum int
	end := w.To.Unix()
	nowU := now.Unix()

	for i := range facts {
		f := &facts[i]
		if !s.Match(f) {
			continue
		}
		count := &out.Volume.Reports
		if f.Kind == Permit {
			count = &out.Volume.Permits
		}
		if w.contains(f.Received) {
			count.Received++
			channels[f.Channel]++
		}
		closed := f.closedIn(w.From.Unix(), end)
		if closed {
			count.Closed++
			out.Satisfaction.Closed++
			if f.Rating > 0 {
				out.Satisfaction.ClosedRated++
			}
		}
		if f.Received != 0 && f.Received < end && !f.closedBefore(end) {
			count.OpenAtEnd++
		}
		if f.Rating > 0 && w.contains(f.RatedAt) {
			out.Satisfaction.Ratings++
			out.Satisfaction.Distribution[f.Rating-1]++
			ratingSum += f.Rating
		}

		if f.Kind == Report {
			if w.contains(f.AckAt) {
				ack = append(ack, hours(f.AckWork))
				if f.AckDue != 0 {
					out.Response.AckCounted++
					if f.AckAt <= f.AckDue {
						ackOnTime++
					}
				}
			}
			if w.contains(f.ResolvedAt) {
				resolve = append(resolve, hours(f.ResolveWork))
				if f.ResolveDue != 0 {
					out.Response.ResolveCounted++
					if f.ResolvedAt <= f.ResolveDue {
						resolveOnTime++
					}
				}
			}
			if due := f.PendingDue(); due != 0 && due < nowU {
				out.Response.OverdueNow++
			}
			for _, e := range f.Escalations {
				if w.contains(e.At) && e.Level >= 1 && e.Level <= 3 {
					out.Response.EscalationLevel[e.Level-1]++
				}
			}
			if w.contains(f.FirstResolvedAt) {
				out.Quality.Resolved++
				if f.Reopens > 0 {
					out.Quality.Reopened++
				}
			}
			if w.contains(f.Received) {
				out.Quality.Reports++
				if f.Status == "duplicate" {
					out.Quality.Duplicates++
				}
			}
			continue
		}

		// permit applications
		if w.contains(f.DecidedAt) {
			for _, key := range []string{"", f.Service} {
				a := permits[key]
				if a == nil {
					a = &permitAcc{}
					permits[key] = a
				}
				a.decided++
				if f.Decision == "approved" {
					a.approved++
				}
				a.county = append(a.county, days(f.CountyTime))
				a.applicant = append(a.applicant, days(f.ApplicantTime))
				a.total = append(a.total, days(f.DecidedAt-f.Received))
				if f.TurnaroundDays > 0 {
					a.turnCounted++
					if f.CountyTime <= int64(f.TurnaroundDays)*86400 {
						a.turnOK++
					}
				}
			}
		}
		if w.contains(f.Created) {
			for _, key := range []string{"", f.Service} {
				fu := funnels[key]
				if fu == nil {
					fu = &Funnel{Type: key, StoppedAt: map[string]int{}}
					funnels[key] = fu
				}
				fu.Started++
				if f.Received != 0 {
					fu.Submitted++
				}
				if f.DecidedAt != 0 {
					fu.Decided++
				}
				if f.IssuedAt != 0 {
					fu.Issued++
				}
				if f.Status == "draft" && nowU-f.Updated >= int64(AbandonAfter/time.Second) {
					fu.Abandoned++
					step := f.DraftStep
					if step == "" {
						step = "unknown"
					}
					fu.StoppedAt[step]++
				}
			}
		}
		if w.contains(f.Received) {
			for _, key := range []string{"", f.Service} {
				c := changes[key]
				if c == nil {
					c = &ChangesShare{Type: key}
					changes[key] = c
				}
				c.Submitted++
				if f.Changes > 0 {
					c.Changed++
				}
			}
		}
	}

	v := &out.Volume
	v.Received = v.Reports.Received + v.Permits.Received
	v.Closed = v.Reports.Closed + v.Permits.Closed
	v.OpenAtEnd = v.Reports.OpenAtEnd + v.Permits.OpenAtEnd
	for ch, n := range channels {
		v.ByChannel = append(v.ByChannel, ChannelCount{Channel: ch, Received: n, Share: percent(n, v.Received)})
	}
	sort.Slice(v.ByChannel, func(i, j int) bool {
		a, b := v.ByChannel[i], v.ByChannel[j]
		return a.Received > b.Received || (a.Received == b.Received && a.Channel < b.Channel)
	})
	if v.Received > 0 {
		v.OnlineShare = percent(channels[Online], v.Received)
	}

	out.Response.Acknowledge = stat(ack, 1)
	out.Response.Resolve = stat(resolve, 1)
	out.Response.AckOnTime = percent(ackOnTime, out.Response.AckCounted)
	out.Response.ResolveOnTime = percent(resolveOnTime, out.Response.ResolveCounted)

	for _, key := range sortedKeys(permits) {
		a := permits[key]
		pt := PermitTimes{Type: key, Decided: a.decided, Approved: a.approved,
			County: stat(a.county, 1), Applicant: stat(a.applicant, 1), Total: stat(a.total, 1),
			ApprovalRate: percent(a.approved, a.decided), WithinTurnaround: percent(a.turnOK, a.turnCounted),
			TurnaroundCounted: a.turnCounted}
		if key == "" {
			out.Permits.All = pt
		} else {
			out.Permits.ByType = append(out.Permits.ByType, pt)
		}
	}
	for _, key := range sortedKeys(funnels) {
		out.Funnel = append(out.Funnel, *funnels[key])
	}
	for _, key := range sortedKeys(changes) {
		c := changes[key]
		c.Share = percent(c.Changed, c.Submitted)
		out.Quality.ChangesRequested = append(out.Quality.ChangesRequested, *c)
	}

	sat := &out.Satisfaction
	if sat.Ratings > 0 {
		sat.Average = round(float64(ratingSum)/float64(sat.Ratings), 2)
		sat.Top2 = percent(sat.Distribution[3]+sat.Distribution[4], sat.Ratings)
	}
	sat.ResponseRate = percent(sat.ClosedRated, sat.Closed)
	out.Quality.ReopenRate = percent(out.Quality.Reopened, out.Quality.Resolved)
	out.Quality.DuplicateRate = percent(out.Quality.Duplicates, out.Quality.Reports)
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys) // "" (all) first
	return keys
}

func hours(sec int64) float64 { return float64(sec) / 3600 }
func days(sec int64) float64  { return float64(sec) / 86400 }

// percent is 100·n/of rounded to one decimal; nil when of is 0.
func percent(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	return round(100*float64(n)/float64(of), 1)
}

// round rounds half away from zero to the given decimals.
func round(x float64, decimals int) *float64 {
	p := math.Pow(10, float64(decimals))
	v := math.Round(x*p) / p
	return &v
}

// stat is the median (the middle value, or the mean of the two middle
// values) and the 90th percentile (nearest rank: the smallest value that at
// least 90 % of the values do not exceed), rounded. It picks those values
// without sorting them all (nth, linear time): the same values a sort gives.
func stat(values []float64, decimals int) Stat {
	st := Stat{N: len(values)}
	if len(values) == 0 {
		return st
	}
	v := slices.Clone(values)
	n := len(v)
	rank := int(math.Ceil(0.9 * float64(n))) // 1-based, and rank-1 >= n/2
	p90 := nth(v, rank-1)                    // v[:rank-1] are now the smaller values
	med := nth(v[:rank], n/2)
	if n%2 == 0 {
		med = (slices.Max(v[:n/2]) + med) / 2 // v[:n/2] are the values below the middle one
	}
	st.Median = round(med, decimals)
	st.P90 = round(p90, decimals)
	return st
}

// nth is the k-th smallest of v (0-based). It reorders v so that v[:k] are
// no larger and v[k+1:] no smaller (quickselect, three-way partitions, so
// that many equal values cost nothing).
func nth(v []float64, k int) float64 {
	lo, hi := 0, len(v)-1
	for lo < hi {
		a, b, c := v[lo], v[lo+(hi-lo)/2], v[hi]
		p := max(min(a, b), min(max(a, b), c)) // the median of the three
		lt, i, gt := lo, lo, hi
		for i <= gt {
			switch {
			case v[i] < p:
				v[lt], v[i] = v[i], v[lt]
				lt++
				i++
			case v[i] > p:
				v[i], v[gt] = v[gt], v[i]
				gt--
			default:
				i++
			}
		}
		switch { // v[lo:lt] < p, v[lt:gt+1] == p, v[gt+1:hi+1] > p
		case k < lt:
			hi = lt - 1
		case k > gt:
			lo = gt + 1
		default:
			return p
		}
	}
	return v[k]
}
