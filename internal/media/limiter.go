package media

import "context"

// Limiter bounds how many normalisations run at once, so that many residents
// uploading large photos at the same time cannot exhaust memory or starve
// the CPU. A running normalisation of a 12-megapixel JPEG allocates about
// 25 MB (43 MB when it has to be rotated), a 24-megapixel photo that is
// downscaled about 60 MB (77 MB rotated); at the default 40-megapixel limit
// expect about 110 MB for a JPEG, and up to about 250 MB for a 16-bit PNG
// (which counts double against the limit, and is resized in NRGBA). The
// caller should keep waiting uploads out of memory too (package spool does
// this for PocketBase's record endpoints). A normalisation already uses all
// cores while it encodes a large JPEG, so a limit near the number of cores
// (2 on a 2-core server) costs little throughput.
//
// A Limiter is safe for concurrent use. The zero value is not usable; create
// one with [NewLimiter].
type Limiter struct {
	slots chan struct{}
}

// NewLimiter returns a Limiter that lets at most n functions run at once.
// n < 1 is treated as 1.
func NewLimiter(n int) *Limiter {
	if n < 1 {
		n = 1
	}
	return &Limiter{slots: make(chan struct{}, n)}
}

// Do runs fn when a slot is free, or returns ctx.Err() if ctx ends first.
// fn is not run at all when ctx has already ended. The slot is released when
// fn returns (also if it panics). Do returns what fn returns.
func (l *Limiter) Do(ctx context.Context, fn func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-l.slots }()
	// The slot may have been won in the same instant the context ended.
	if err := ctx.Err(); err != nil {
		return err
	}
	return fn()
}

// InUse reports how many slots are taken now (for tests and monitoring).
func (l *Limiter) InUse() int {
	return len(l.slots)
}
