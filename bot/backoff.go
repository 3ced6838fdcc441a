package bot

import (
	"context"
	"math/rand/v2"
	"time"
)

// Backoff is the wait before a retry: what the server asked for when it
// said (a 429's retry_after), else an exponential delay from Base,
// doubled per failure up to Max, with jitter so that many clients do not
// retry in step. The zero value is not usable: use NewBackoff.
type Backoff struct {
	base, max, next time.Duration
	// jitter returns a random duration in [0, n]; replaceable in tests.
	jitter func(n time.Duration) time.Duration
}

// DefaultMaxBackoff caps the exponential delay.
const DefaultMaxBackoff = 30 * time.Second

// NewBackoff returns a Backoff from base up to max (DefaultMaxBackoff
// when max <= 0).
func NewBackoff(base, max time.Duration) *Backoff {
	if base <= 0 {
		base = time.Second
	}
	if max <= 0 {
		max = DefaultMaxBackoff
	}
	return &Backoff{base: base, max: max, next: base, jitter: func(n time.Duration) time.Duration {
		return time.Duration(rand.Int64N(int64(n) + 1))
	}}
}

// Next is how long to wait before the next attempt. A positive asked is
// the server's own word and is returned as it is.
func (b *Backoff) Next(asked time.Duration) time.Duration {
	if asked > 0 {
		return asked
	}
	d := b.next + b.jitter(b.next/2)
	b.next = min(b.next*2, b.max)
	return d
}

// Reset starts again from the base after a success.
func (b *Backoff) Reset() { b.next = b.base }

// Sleep waits d or until ctx ends, and reports whether it waited all of d.
func Sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
