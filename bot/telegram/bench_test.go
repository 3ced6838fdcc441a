package telegram

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
)

// timedCore records how long the core takes per update.
type timedCore struct {
	h    bot.Handler
	mu   sync.Mutex
	took []time.Duration
}

func (c *timedCore) Handle(ctx context.Context, m bot.Message) bot.Reply {
	start := time.Now()
	r := c.h.Handle(ctx, m)
	d := time.Since(start)
	c.mu.Lock()
	c.took = append(c.took, d)
	c.mu.Unlock()
	return r
}

// BenchmarkThroughput feeds b.N updates from 500 chats, in both
// languages, through the fake's getUpdates with all pacing off, and
// counts the sendMessage calls: updates answered per second end to end
// (HTTP both ways, the real core, the state in a SQLite file), and the
// core's time per update (p50, p99).
func BenchmarkThroughput(b *testing.B) {
	f := telegramtest.NewServer(b)
	core := &timedCore{h: testCore(b)}
	start(b, testConfig(f), core, runOpts{})
	questions := []string{"what are the duties", "需要什么学历", "how do I get promoted", "有哪些职称",
		"what jobs are related", "病历技师的NOC代码是多少?", "what does a health records technician do", "谢谢", "what is the salary", "信息来源"}
	ups := make([]tgbotapi.Update, 0, b.N)
	for i := range b.N {
		ups = append(ups, telegramtest.PrivateText(int64(10000+i%500), questions[i%len(questions)], ""))
	}
	b.ResetTimer()
	f.Push(ups...)
	f.WaitSent(b.N)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
	core.mu.Lock()
	took := slices.Clone(core.took)
	core.mu.Unlock()
	slices.Sort(took)
	if len(took) > 0 {
		b.ReportMetric(float64(took[len(took)/2].Microseconds()), "core-p50-µs")
		b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "core-p99-µs")
	}
	if inv := f.Invalid(); len(inv) > 0 {
		b.Fatalf("the server refused %d messages: %s", len(inv), inv[0])
	}
}

// BenchmarkInlineQuery measures inline mode end to end against the fake
// Bot API, one query at a time as a user types: from the update being
// queued (the long poll wakes) to answerInlineQuery arriving, searching
// the fixture set. It reports the p50 and p99 of that time.
func BenchmarkInlineQuery(b *testing.B) {
	f := telegramtest.NewServer(b)
	lib, _ := bottest.Matcher(b)
	cfg := testConfig(f)
	cfg.Finder = bot.NewFinder(lib)
	start(b, cfg, echo{}, runOpts{})
	typed := []string{"n", "nu", "nur", "nurse", "w", "we", "wel", "weld", "1", "12", "121", "1211", "护", "护士", "病历", "helth"}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		u := f.InlineQuery(int64(20000+i%50), typed[i%len(typed)], "", "en")
		pushed := time.Now()
		f.Push(u)
		a := f.WaitInlineAnswer(u.InlineQuery.ID)
		lat = append(lat, a.At.Sub(pushed))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	if inv := f.Invalid(); len(inv) > 0 {
		b.Fatalf("the server refused %d answers: %s", len(inv), inv[0])
	}
}
