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
	err := NewDecoder().DecodeInto(&f, b)
	return f, err
}

// Decoder reads many facts, sharing the strings that repeat (departments,
// services, states) instead of allocating them for every fact, and taking
// their spans from one buffer.
type Decoder struct {
	strs  map[string]string
	spans []Span
	escs  []Escalation
}

// NewDecoder returns a Decoder.
func NewDecoder() *Decoder { return &Decoder{strs: map[string]string{}} }

// DecodeInto reads what Encode wrote into out.
func (d *Decoder) DecodeInto(out *Fact, b []byte) error {
	_, err := d.DecodeNext(out, b)
	return err
}

// DecodeNext reads the first of several facts written one after the other
// into out, and returns the bytes after it. On a damaged fact the rest is
// nil: what follows cannot be told apart.
func (d *Decoder) DecodeNext(out *Fact, b []byte) ([]byte, error) {
	*out = Fact{}
	f := out
	if len(b) == 0 || b[0] != FactVersion {
		return nil, ErrFactVersion
	}
	b = b[1:]
	bad := false
	str := func(shared bool) string {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			bad = true
			return ""
		}
		raw := b[k : k+int(n)]
		b = b[k+int(n):]
		if !shared {
			return string(raw)
		}
		if s, ok := d.strs[string(raw)]; ok {
			return s
		}
		s := string(raw)
		if len(d.strs) < 100000 {
			d.strs[s] = s
		}
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
	f.ID = str(false)
	for _, p := range []*string{&f.Kind, &f.Department, &f.Service, &f.Channel, &f.Assignee, &f.Status, &f.Decision, &f.DraftStep} {
		*p = str(true)
	}
	var reopens, turnaround, changes, rating int64
	for _, p := range []*int64{&f.Created, &f.Updated, &f.Received, &f.AckAt, &f.AckWork, &f.AckDue, &f.ResolvedAt, &f.ResolveWork,
		&f.ResolveDue, &f.FirstResolvedAt, &reopens, &f.DecidedAt, &f.IssuedAt, &f.CountyTime, &f.ApplicantTime,
		&turnaround, &changes, &rating, &f.RatedAt} {
		*p = num()
	}
	f.Reopens, f.TurnaroundDays, f.Changes, f.Rating = int(reopens), int(turnaround), int(changes), int(rating)
	if n := int(num()); n > 0 && n < 1000 {
		if cap(d.spans)-len(d.spans) < n {
			d.spans = make([]Span, 0, max(4096, n))
		}
		start := len(d.spans)
		for range n {
			d.spans = append(d.spans, Span{num(), num()})
		}
		f.Closed = d.spans[start:len(d.spans):len(d.spans)]
	}
	if n := int(num()); n > 0 && n < 1000 {
		if cap(d.escs)-len(d.escs) < n {
			d.escs = make([]Escalation, 0, max(1024, n))
		}
		start := len(d.escs)
		for range n {
			d.escs = append(d.escs, Escalation{int(num()), num()})
		}
		f.Escalations = d.escs[start:len(d.escs):len(d.escs)]
	}
	if bad {
		*out = Fact{}
		return nil, errors.New("insights: stored fact is damaged")
	}
	return b, nil
}
