package telegram

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
	"github.com/nocbot/nocbot/knowledge"
)

// testCore is the real conversation core on the fixture set, with
// sessions of its own.
func testCore(t testing.TB) *bot.Core {
	return bottest.Core(t, bot.Config{MaxSessions: 100000})
}

// testDB is a nocbot database file, as serve uses.
func testDB(t testing.TB) *knowledge.Store {
	t.Helper()
	s, err := knowledge.Open(context.Background(), filepath.Join(t.TempDir(), "nocbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background(), Migrations()); err != nil {
		t.Fatal(err)
	}
	return s
}

func quietLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

// testConfig points a bot at the fake with quick retries and no pacing.
func testConfig(f *telegramtest.Server) Config {
	return Config{Token: telegramtest.Token, APIURL: f.URL(), PollTimeout: time.Second, RetryBase: 10 * time.Millisecond,
		ChatRate: -1, GroupPerMin: -1, GlobalRate: -1, ShutdownTimeout: 5 * time.Second}
}

type runOpts struct {
	db     *knowledge.Store
	events bot.Events
	log    *slog.Logger
}

// start runs a bot until the test ends, returning a stop function that
// cancels it and waits for Run to return (and reports Run's error).
func start(t testing.TB, cfg Config, h bot.Handler, o runOpts) (*Bot, func() error) {
	t.Helper()
	if o.log == nil {
		o.log = quietLog()
	}
	if o.db == nil {
		o.db = testDB(t)
	}
	b, err := New(cfg, h, o.db.DB(), o.events, o.log)
	if err != nil {
		t.Fatal(err)
	}
	ended := make(chan error, 1)
	stop := bottest.Run(t, func(ctx context.Context) error {
		err := b.Run(ctx)
		ended <- err
		return err
	})
	select {
	case <-b.connected:
	case err := <-ended: // else the test would wait for a bot that is gone
		t.Fatalf("Run returned before serving: %v", err)
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return b, stop
}

// echo answers every message with its own text (or button data), so tests
// can tell which update a reply belongs to.
type echo struct{}

func (echo) Handle(_ context.Context, m bot.Message) bot.Reply {
	t := m.Text
	if m.Button != "" {
		t = "button " + m.Button
	}
	return bot.Reply{Lang: knowledge.EN, Blocks: []bot.Block{{Kind: bot.Paragraph, Text: "echo: " + t}}}
}

// pendingRows counts the pending updates stored.
func pendingRows(t testing.TB, s *knowledge.Store) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(`SELECT count(*) FROM platform_state WHERE platform = 'telegram' AND key LIKE 'pending:%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// storedOffset is the offset in the database, -1 when none.
func storedOffset(t testing.TB, s *knowledge.Store) int {
	t.Helper()
	var n = -1
	s.DB().QueryRow(`SELECT CAST(value AS INTEGER) FROM platform_state WHERE platform = 'telegram' AND key = ?`,
		"offset:999").Scan(&n)
	return n
}

// settled waits until every update pushed was taken and every reply
// queued for them is finished: nothing more is sent for those updates, so
// a count taken now is final. Chatter in a group, not for the bot, is
// pushed last; once Telegram holds nothing unconfirmed, the poller has
// asked with an offset past it, so it had taken every update before it
// and, having started polling, queued the ones left pending by the last
// run.
func settled(f *telegramtest.Server, b *Bot) {
	f.Push(telegramtest.GroupText(-1, 1, "chatter, not for the bot"))
	f.Until(func() bool { return f.Pending() == 0 })
	drained(b.queue)
}

// drained waits until q has no job waiting or running.
func drained(q *bot.Queue) {
	for {
		done := q.Done()
		if q.Pending() == 0 {
			return
		}
		// A job pending now finishes later than done was read.
		q.WaitDone(context.Background(), done+1)
	}
}

// committed waits until the poller has stored the delivery state of every
// reply finished before the call. It commits before each getUpdates, so
// the commit before the second getUpdates to arrive after the call comes
// after it. Chatter in a group, which is not for the bot, wakes the long
// polls without giving the bot anything to answer.
func committed(f *telegramtest.Server) {
	for range 2 {
		n := f.Requests("getUpdates")
		f.Push(telegramtest.GroupText(-1, 1, "chatter, not for the bot"))
		f.WaitRequests("getUpdates", n+1)
	}
}

// perChat groups sent messages by chat, in the order they were accepted.
func perChat(sent []telegramtest.Sent) map[int64][]telegramtest.Sent {
	m := map[int64][]telegramtest.Sent{}
	for _, s := range sent {
		m[s.Chat] = append(m[s.Chat], s)
	}
	return m
}
