package insights

import (
	"encoding/binary"
	"errors"
)

// FactVersion is the layout of an encoded Fact; a stored fact of another
// version is rebuilt from its request.
const FactVersion = 1

// ErrFactVersion is a stored fact of another layout.
var ErrFactVersion = errors.New("insights: stored fact has another layout")

// Encode writes a Fact compactly (the roll-up table stores it as one blob,
// so that reading 100,000 of them is one column each).
func (f *Fact) Encode() []byte {
	b := make([]byte, 0, 160)
	b = append(b, FactVersion)
	str := func(s string) { b = binary.AppendUvarint(b, uint64(len(s))); b = append(b, s...) }
	num := func(v int64) { b = binary.AppendVarint(b, v) }
	for _, s := range []string{f.ID, f.Kind, f.Department, f.Service, f.Channel, f.Assignee, f.Status, f.Decision, f.DraftStep} {
		str(s)
	}
	for _, v := range []int64{f.Created, f.Updated, f.Received, f.AckAt, f.AckWork, f.AckDue, f.ResolvedAt, f.ResolveWork,
		f.ResolveDue, f.FirstResolvedAt, int64(f.Reopens), f.DecidedAt, f.IssuedAt, f.CountyTime, f.ApplicantTime,
		int64(f.TurnaroundDays), int64(f.Changes), int64(f.Rating), f.RatedAt} {
		num(v)
	}
	num(int64(len(f.Closed)))
	for _, s := range f.Closed {
		num(s.From)
		num(s.To)
	}
	num(int64(len(f.Escalations)))
	for _, e := range f.Escalations {
		num(int64(e.Level))
		num(e.At)
	}
	return b
}

// DecodeFact reads what Encode wrote.
func DecodeFact(b []byte) (Fact, error) {
	var f Fact
	if len(b) == 0 || b[0] != FactVersion {
		return f, ErrFactVersion
	}
	b = b[1:]
	bad := false
	str := func() string {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			bad = true
			return ""
		}
		s := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return s
	}
	num := func() int64 {
		v, k := binary.Varint(b)
		if k <= 0 {
			bad = true
			return 0
		}
		b = b[k:]
		return v
	}
	for _, p := range []*string{&f.ID, &f.Kind, &f.Department, &f.Service, &f.Channel, &f.Assignee, &f.Status, &f.Decision, &f.DraftStep} {
		*p = str()
	}
	var reopens, turnaround, changes, rating int64
	for _, p := range []*int64{&f.Created, &f.Updated, &f.Received, &f.AckAt, &f.AckWork, &f.AckDue, &f.ResolvedAt, &f.ResolveWork,
		&f.ResolveDue, &f.FirstResolvedAt, &reopens, &f.DecidedAt, &f.IssuedAt, &f.CountyTime, &f.ApplicantTime,
		&turnaround, &changes, &rating, &f.RatedAt} {
		*p = num()
	}
	f.Reopens, f.TurnaroundDays, f.Changes, f.Rating = int(reopens), int(turnaround), int(changes), int(rating)
	if n := num(); n > 0 && n < 1000 {
		f.Closed = make([]Span, n)
		for i := range f.Closed {
			f.Closed[i] = Span{num(), num()}
		}
	}
	if n := num(); n > 0 && n < 1000 {
		f.Escalations = make([]Escalation, n)
		for i := range f.Escalations {
			f.Escalations[i] = Escalation{int(num()), num()}
		}
	}
	if bad {
		return Fact{}, errors.New("insights: stored fact is damaged")
	}
	return f, nil
}
