package telegram

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limits paces outgoing messages the way Telegram asks: about one a second
// per chat (short bursts pass), twenty a minute per group, thirty a second
// overall. Waiting here is cheaper than a 429.
type limits struct {
	mu     sync.Mutex
	cfg    *Config
	global *rate.Limiter
	chats  map[int64]*chatLimit
}

type chatLimit struct {
	chat, group *rate.Limiter
	used        time.Time
}

// idleLimit is how long an unused chat's limiter is kept.
const idleLimit = 10 * time.Minute

func newLimits(cfg *Config) *limits {
	return &limits{cfg: cfg, global: rate.NewLimiter(rate.Limit(cfg.GlobalRate), int(max(cfg.GlobalRate, 1))), chats: map[int64]*chatLimit{}}
}

// wait blocks until a message to chat may go, and returns how long it
// waited.
func (l *limits) wait(ctx context.Context, chatID int64, group bool) (time.Duration, error) {
	now := time.Now()
	l.mu.Lock()
	cl := l.chats[chatID]
	if cl == nil {
		cl = &chatLimit{}
		if l.cfg.ChatRate > 0 {
			cl.chat = rate.NewLimiter(rate.Limit(l.cfg.ChatRate), l.cfg.ChatBurst)
		}
		if group && l.cfg.ChatRate > 0 {
			cl.group = rate.NewLimiter(rate.Limit(l.cfg.GroupPerMin/60), max(1, int(l.cfg.GroupPerMin/4)))
		}
		if len(l.chats) > 10000 {
			for id, c := range l.chats {
				if now.Sub(c.used) > idleLimit {
					delete(l.chats, id)
				}
			}
		}
		l.chats[chatID] = cl
	}
	cl.used = now
	var delay time.Duration
	var held []*rate.Reservation
	for _, lim := range []*rate.Limiter{cl.chat, cl.group, l.global} {
		if lim == nil {
			continue
		}
		r := lim.ReserveN(now, 1)
		held = append(held, r)
		delay = max(delay, r.DelayFrom(now))
	}
	l.mu.Unlock()
	if delay <= 0 {
		return 0, nil
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		return delay, nil
	case <-ctx.Done():
		for _, r := range held {
			r.Cancel()
		}
		return 0, ctx.Err()
	}
}
