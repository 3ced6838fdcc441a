package telegram

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
	"github.com/nocbot/nocbot/knowledge"
)

// skipEvents counts the updates skipped unread.
type skipEvents struct {
	bot.NopEvents
	mu sync.Mutex
	n  int
}

func (e *skipEvents) Skipped(string) {
	e.mu.Lock()
	e.n++
	e.mu.Unlock()
}

func (e *skipEvents) count() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.n
}

// An update the library cannot read (a field of a type it does not
// expect) is logged without its text, counted and skipped: the updates
// around it are answered and the offset moves past it.
func TestUnreadableUpdateSkipped(t *testing.T) {
	tests := []struct{ name, fields string }{
		{"message_id a string", `"message":{"message_id":"seven","date":1,"chat":{"id":8101,"type":"private"},"text":"my secret question"}`},
		{"chat an array", `"message":{"message_id":7,"date":1,"chat":[8101],"text":"my secret question"}`},
		{"text a number", `"message":{"message_id":7,"date":1,"chat":{"id":8101,"type":"private"},"text":12345}`},
		{"callback_query a string", `"callback_query":"my secret question"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := telegramtest.NewServer(t)
			logs := &bottest.LogBuffer{}
			events := &skipEvents{}
			db := testDB(t)
			b, _ := start(t, testConfig(f), echo{}, runOpts{db: db, log: logs.Logger(), events: events})
			f.Push(telegramtest.PrivateText(8100, "before", "en"))
			bad := f.PushRaw(tt.fields)
			f.Push(telegramtest.PrivateText(8102, "after", "en"))
			f.WaitSent(2)
			settled(f, b)
			got := perChat(f.Sent())
			if len(got[8100]) != 1 || len(got[8102]) != 1 || len(f.Sent()) != 2 {
				t.Errorf("replies %v, want one to 8100 and one to 8102", f.Sent())
			}
			if events.count() != 1 {
				t.Errorf("%d updates counted as skipped, want 1", events.count())
			}
			if b.ledger.offset() <= bad {
				t.Errorf("offset %d, not past the unreadable update %d", b.ledger.offset(), bad)
			}
			out := logs.String()
			if !strings.Contains(out, "skipping an update nocbot cannot read") || !strings.Contains(out, "update_id="+strconv.Itoa(bad)) {
				t.Errorf("log lacks the skipped update:\n%s", out)
			}
			if strings.Contains(out, "my secret question") || strings.Contains(out, "12345") {
				t.Errorf("the update's text reached the log:\n%s", out)
			}
		})
	}
}

// signalHandler closes seen when a record with message msg is logged.
type signalHandler struct {
	slog.Handler
	msg  string
	once *sync.Once
	seen chan struct{}
}

func (h signalHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h signalHandler) WithAttrs(as []slog.Attr) slog.Handler {
	h.Handler = h.Handler.WithAttrs(as)
	return h
}

func (h signalHandler) WithGroup(name string) slog.Handler {
	h.Handler = h.Handler.WithGroup(name)
	return h
}

func (h signalHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == h.msg {
		h.once.Do(func() { close(h.seen) })
	}
	return h.Handler.Handle(ctx, r)
}

// startStoreWatched runs a bot on a fake and a database of its own;
// failed is closed once a commit of the delivery state has failed.
func startStoreWatched(t *testing.T) (f *telegramtest.Server, db *knowledge.Store, b *Bot, failed chan struct{}) {
	f = telegramtest.NewServer(t)
	db = testDB(t)
	failed = make(chan struct{})
	log := slog.New(signalHandler{Handler: slog.DiscardHandler, msg: "store delivery state", once: &sync.Once{}, seen: failed})
	b, _ = start(t, testConfig(f), echo{}, runOpts{db: db, log: log})
	return f, db, b, failed
}

// The bot is unhealthy while its delivery state cannot be stored, however
// well the Bot API answers, and healthy again once it can.
func TestUnhealthyWhileCommitsFail(t *testing.T) {
	f, db, b, failed := startStoreWatched(t)
	f.Push(telegramtest.PrivateText(8200, "first", "en"))
	f.WaitSent(1)
	if err := b.Healthy(); err != nil {
		t.Fatalf("serving: %v", err)
	}
	// While the state cannot be stored the poller asks Telegram for
	// nothing (that would confirm updates stored nowhere), so the second
	// question is taken before the table goes: its reply is held at the
	// server until then.
	release := f.HoldChat(8201)
	defer release()
	f.Push(telegramtest.PrivateText(8201, "second", "en"))
	f.Until(func() bool { return f.Held() == 1 })
	if _, err := db.DB().Exec(`ALTER TABLE platform_state RENAME TO platform_state_away`); err != nil {
		t.Fatal(err)
	}
	release()
	<-failed      // a commit failed: at the latest the one after the reply
	f.WaitSent(2) // a send succeeded: the Bot API answers
	if err := b.Healthy(); err == nil || !strings.Contains(err.Error(), "platform_state") {
		t.Errorf("Healthy while the state cannot be stored: %v", err)
	}
	if _, err := db.DB().Exec(`ALTER TABLE platform_state_away RENAME TO platform_state`); err != nil {
		t.Fatal(err)
	}
	// A commit made since: a getUpdates arriving now may have been asked
	// for before the table went (after the commit that took the second
	// question).
	committed(f)
	if err := b.Healthy(); err != nil {
		t.Errorf("Healthy once the state is stored again: %v", err)
	}
}

// While the delivery state cannot be stored the poller confirms nothing
// more to Telegram, so a question asked meanwhile waits there, and is
// answered once the state can be stored again.
func TestQuestionDuringStoreOutageAnsweredAfter(t *testing.T) {
	f, db, b, failed := startStoreWatched(t)
	if _, err := db.DB().Exec(`ALTER TABLE platform_state RENAME TO platform_state_away`); err != nil {
		t.Fatal(err)
	}
	f.Push(telegramtest.PrivateText(8300, "first", "en"))
	<-failed // the commit of the offset past it
	f.Push(telegramtest.PrivateText(8301, "second", "en"))
	if _, err := db.DB().Exec(`ALTER TABLE platform_state_away RENAME TO platform_state`); err != nil {
		t.Fatal(err)
	}
	settled(f, b)
	if got := perChat(f.Sent()); len(got[8300]) != 1 || len(got[8301]) != 1 || len(f.Sent()) != 2 {
		t.Errorf("replies %v, want one to each question", f.Sent())
	}
}

// decodeUpdates takes any result: it never panics, and every element is
// either an update or a bad one.
func FuzzDecodeUpdates(f *testing.F) {
	for _, seed := range []string{
		`[]`, `[{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"text":"hi"}}]`,
		`[{"update_id":2,"message":{"message_id":"x"}},{"update_id":3}]`, `[1,"a",null,{}]`, `{"update_id":1}`, `[{"update_id":-4}]`, "[\xff]",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		good, bad, err := decodeUpdates(data)
		if err != nil {
			return
		}
		var raws []any
		if json.Unmarshal(data, &raws) != nil {
			t.Fatalf("decoded %q, which is no JSON array", data)
		}
		if len(good)+len(bad) != len(raws) {
			t.Errorf("%d good and %d bad of %d", len(good), len(bad), len(raws))
		}
		for _, u := range good {
			if u.UpdateID <= 0 {
				t.Errorf("update id %d taken", u.UpdateID)
			}
		}
	})
}
