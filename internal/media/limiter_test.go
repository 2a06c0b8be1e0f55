package media

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLimiterBoundsConcurrency(t *testing.T) {
	l := NewLimiter(3)
	var cur, max, runs atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := l.Do(context.Background(), func() error {
				n := cur.Add(1)
				for {
					m := max.Load()
					if n <= m || max.CompareAndSwap(m, n) {
						break
					}
				}
				if in := l.InUse(); in < 1 || in > 3 {
					t.Errorf("InUse = %d inside Do", in)
				}
				time.Sleep(10 * time.Millisecond)
				cur.Add(-1)
				runs.Add(1)
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := max.Load(); got != 3 {
		t.Errorf("max concurrency %d, want 3", got)
	}
	if runs.Load() != 20 {
		t.Errorf("%d runs, want 20", runs.Load())
	}
	if l.InUse() != 0 {
		t.Errorf("InUse = %d after all returned", l.InUse())
	}
}

func TestLimiterCancel(t *testing.T) {
	l := NewLimiter(1)

	// Already cancelled: fn does not run even though a slot is free.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	if err := l.Do(ctx, func() error { ran = true; return nil }); !errors.Is(err, context.Canceled) || ran {
		t.Errorf("cancelled ctx: err = %v, ran = %v", err, ran)
	}

	// All slots busy: the waiter gives up when its context ends.
	release := make(chan struct{})
	started := make(chan struct{})
	go l.Do(context.Background(), func() error {
		close(started)
		<-release
		return nil
	})
	<-started
	if l.InUse() != 1 {
		t.Errorf("InUse = %d, want 1", l.InUse())
	}
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	ran = false
	if err := l.Do(ctx, func() error { ran = true; return nil }); !errors.Is(err, context.DeadlineExceeded) || ran {
		t.Errorf("busy limiter: err = %v, ran = %v", err, ran)
	}
	close(release)

	// fn's error is returned and the slot is released.
	want := errors.New("boom")
	if err := l.Do(context.Background(), func() error { return want }); err != want {
		t.Errorf("err = %v, want %v", err, want)
	}
	if l.InUse() != 0 {
		t.Errorf("InUse = %d after return", l.InUse())
	}
}

func TestLimiterReleasesOnPanic(t *testing.T) {
	l := NewLimiter(1)
	func() {
		defer func() { recover() }()
		l.Do(context.Background(), func() error { panic("x") })
	}()
	if l.InUse() != 0 {
		t.Errorf("slot not released after panic")
	}
	if NewLimiter(0).slots == nil || cap(NewLimiter(-5).slots) != 1 {
		t.Error("n < 1 not treated as 1")
	}
}
