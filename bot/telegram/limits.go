package telegram

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/nocbot/nocbot/bot"
)

// limits paces outgoing messages the way Telegram asks: about one a second
// per chat (short bursts pass), twenty a minute per group, thirty a second
// overall. Waiting here is cheaper than a 429. The limits are token
// buckets taken in turn, chat first: a message holds a place in the
// global bucket only once its chat may have it.
type limits struct {
	cfg    *Config
	global *rate.Limiter // nil: off
	// now and sleep are the clock: the real one, or a test's, so that
	// pacing is checked exactly rather than against a timer's jitter.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) bool

	mu        sync.Mutex
	chats     map[int64]*chatLimit
	lastSweep time.Time
}

type chatLimit struct {
	chat, group *rate.Limiter // nil: off
	used        time.Time
}

// groupBurst is how many messages a group may get at once.
const groupBurst = 3

// idleLimit is how long an unused chat's buckets are kept; a chat idle
// that long has full buckets again anyway.
const idleLimit = 10 * time.Minute

func newLimits(cfg *Config) *limits {
	l := &limits{cfg: cfg, chats: map[int64]*chatLimit{}, lastSweep: time.Now(), now: time.Now, sleep: bot.Sleep}
	if cfg.GlobalRate > 0 {
		l.global = rate.NewLimiter(rate.Limit(cfg.GlobalRate), max(1, int(cfg.GlobalRate)))
	}
	return l
}

func (l *limits) chat(id int64, group bool) *chatLimit {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > idleLimit {
		for id, c := range l.chats {
			if now.Sub(c.used) > idleLimit {
				delete(l.chats, id)
			}
		}
		l.lastSweep = now
	}
	cl := l.chats[id]
	if cl == nil {
		cl = &chatLimit{}
		if l.cfg.ChatRate > 0 {
			cl.chat = rate.NewLimiter(rate.Limit(l.cfg.ChatRate), l.cfg.ChatBurst)
		}
		if group && l.cfg.GroupPerMin > 0 {
			cl.group = rate.NewLimiter(rate.Limit(l.cfg.GroupPerMin/60), groupBurst)
		}
		l.chats[id] = cl
	}
	cl.used = now
	return cl
}

// wait blocks until a message to chat may go and returns how long it
// waited. Replies to one chat are sent one at a time (the chat queue), so
// only one caller waits on a chat's buckets.
func (l *limits) wait(ctx context.Context, chatID int64, group bool) (time.Duration, error) {
	cl := l.chat(chatID, group)
	var waited time.Duration
	for _, lim := range []*rate.Limiter{cl.chat, cl.group, l.global} {
		if lim == nil {
			continue
		}
		now := l.now()
		r := lim.ReserveN(now, 1)
		d := r.DelayFrom(now)
		if d <= 0 {
			continue
		}
		if !l.sleep(ctx, d) {
			r.CancelAt(l.now())
			return waited, ctx.Err()
		}
		waited += d
	}
	return waited, nil
}
