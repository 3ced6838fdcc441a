package telegram

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
)

// fakeClock is a clock whose sleeps take exactly as long as asked.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) bool {
	c.t = c.t.Add(d)
	return ctx.Err() == nil
}

func TestLimits(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		group bool
		n     int           // messages sent back to back to one chat
		want  time.Duration // total wait
	}{
		{"chat pacing: burst of 2, then one per 20 ms", Config{ChatRate: 50, ChatBurst: 2, GroupPerMin: -1, GlobalRate: -1}, false, 5, 60 * time.Millisecond},
		{"chat pacing off", Config{ChatRate: -1, GroupPerMin: -1, GlobalRate: -1}, false, 50, 0},
		{"group: burst of 3, then the group rate", Config{ChatRate: -1, GroupPerMin: 6000, GlobalRate: -1}, true, 6, 30 * time.Millisecond},
		{"group rate not applied to private chats", Config{ChatRate: -1, GroupPerMin: 60, GlobalRate: -1}, false, 6, 0},
		{"global: burst of 100, then 100 a second", Config{ChatRate: -1, GroupPerMin: -1, GlobalRate: 100}, false, 103, 30 * time.Millisecond},
		{"chat and group both: the slower wins", Config{ChatRate: 50, ChatBurst: 1, GroupPerMin: 600, GlobalRate: -1}, true, 5, 200 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLimits(&tt.cfg)
			clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
			l.now, l.sleep = clock.now, clock.sleep
			var total time.Duration
			for range tt.n {
				d, err := l.wait(context.Background(), 1, tt.group)
				if err != nil {
					t.Fatal(err)
				}
				total += d
			}
			// Token buckets count in floating point: a microsecond is
			// rounding, not pacing.
			if diff := total - tt.want; diff < -time.Microsecond || diff > time.Microsecond {
				t.Errorf("waited %v for %d messages, want %v", total, tt.n, tt.want)
			}
		})
	}
}

// A wait ends with its context, not with the pacing: run on synctest's
// clock, which moves only when every goroutine waits, so the time it took
// is exact.
func TestLimitsCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLimits(&Config{ChatRate: 1, ChatBurst: 1, GroupPerMin: -1, GlobalRate: -1})
		if d, err := l.wait(context.Background(), 1, false); d != 0 || err != nil {
			t.Fatalf("first message waited %v, %v", d, err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		began := time.Now()
		if _, err := l.wait(ctx, 1, false); err == nil || time.Since(began) != 20*time.Millisecond {
			t.Errorf("a wait cancelled after 20ms returned %v after %v (the pacing asks 1s)", err, time.Since(began))
		}
		// Another chat is not held back by the first.
		if d, _ := l.wait(context.Background(), 2, false); d != 0 {
			t.Errorf("another chat waited %v", d)
		}
	})
}

// Pacing waits are reported as RateLimited.
func TestPacingReported(t *testing.T) {
	f := telegramtest.NewServer(t)
	cfg := testConfig(f)
	cfg.ChatRate, cfg.ChatBurst = 2, 1 // the second message waits about 500 ms
	ev := &bottest.Events{}
	start(t, cfg, echo{}, runOpts{events: ev})
	f.Push(telegramtest.PrivateText(7500, "a", ""), telegramtest.PrivateText(7500, "b", ""))
	got := f.WaitSent(2)
	if gap := got[1].At.Sub(got[0].At); gap < 400*time.Millisecond {
		t.Errorf("replies %v apart at 2 a second", gap)
	}
	_, _, _, limited := ev.Snapshot()
	if len(limited) != 1 || limited[0] < 300*time.Millisecond {
		t.Errorf("RateLimited %v, want one wait of about 500 ms", limited)
	}
}
