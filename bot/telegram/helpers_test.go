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

// testCore is the real conversation core on the shipped profiles, with
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
	stop := bottest.Run(t, b.Run)
	<-b.connected
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

// eventually polls cond until it holds or within passes.
func eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", within, what)
		}
		time.Sleep(2 * time.Millisecond)
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
