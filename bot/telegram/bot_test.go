package telegram

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/seeds"
)

var (
	coreOnce sync.Once
	theCore  *bot.Core
	coreErr  error
)

// testCore is the real conversation core on the real profile.
func testCore(t testing.TB) *bot.Core {
	t.Helper()
	coreOnce.Do(func() {
		seed, err := fs.ReadFile(seeds.FS(), "000_cf489acd30f463c5.txt")
		if err != nil {
			coreErr = err
			return
		}
		set, err := knowledge.LoadSeeds(fstest.MapFS{"1252.txt": {Data: seed}})
		if err != nil {
			coreErr = err
			return
		}
		lib := knowledge.NewLibrary(set.Profiles)
		data, err := intents.TrainingData()
		if err != nil {
			coreErr = err
			return
		}
		m, err := intents.NewMatcher(data, lib)
		if err != nil {
			coreErr = err
			return
		}
		theCore = bot.New(lib, m, bot.Config{MaxSessions: 100000})
	})
	if coreErr != nil {
		t.Fatal(coreErr)
	}
	return theCore
}

func testDB(t testing.TB) *knowledge.Store {
	t.Helper()
	s, err := knowledge.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// start runs a bot until the test ends, returning a stop function that
// cancels it and waits for Run to return.
func start(t testing.TB, cfg Config, h Handler, store *knowledge.Store, log *slog.Logger) (*Bot, func()) {
	t.Helper()
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	b, err := New(context.Background(), cfg, h, store.DB(), nil, log)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Run did not return after cancel")
		}
	}
	t.Cleanup(stop)
	return b, stop
}

// testConfig points a bot at the fake with quick retries and no pacing.
func testConfig(f *telegramtest.Server) Config {
	return Config{Token: telegramtest.Token, APIURL: f.URL(), PollTimeout: time.Second, RetryBase: 10 * time.Millisecond,
		ChatRate: -1, GlobalRate: 1e6, ShutdownTimeout: 5 * time.Second}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func TestManyChatsBothLanguages(t *testing.T) {
	f := telegramtest.NewServer(t)
	cfg := testConfig(f)
	cfg.ChatRate, cfg.ChatBurst = 20, 1 // one message per 50 ms per chat
	start(t, cfg, testCore(t), testDB(t), nil)

	questions := []string{"需要什么学历？", "what are the duties?", "怎么晋升", "what titles are there", "有哪些相关职业"}
	const chats = 200
	var ups []tgbotapi.Update
	for round := range questions {
		for c := range chats {
			ups = append(ups, telegramtest.PrivateText(int64(1000+c), questions[round], "en"))
		}
	}
	f.Push(ups...)
	got := f.WaitSent(t, chats*len(questions), 60*time.Second)
	time.Sleep(100 * time.Millisecond) // anything extra would show now
	got = f.Sent()
	if len(got) != chats*len(questions) {
		t.Fatalf("%d messages sent, want exactly %d", len(got), chats*len(questions))
	}
	byChat := map[int64][]telegramtest.Sent{}
	for _, s := range got {
		byChat[s.Chat] = append(byChat[s.Chat], s)
	}
	for chat, msgs := range byChat {
		if len(msgs) != len(questions) {
			t.Fatalf("chat %d got %d replies, want %d", chat, len(msgs), len(questions))
		}
		for i, m := range msgs {
			if wantZH := hasHan(questions[i]); hasHan(strings.ReplaceAll(m.Text, "•", "")) != wantZH {
				t.Errorf("chat %d reply %d to %q is in the wrong language: %q", chat, i, questions[i], m.Text)
			}
			// Sends start 50 ms apart; arrival adds each request's
			// latency, so single gaps vary but the span cannot shrink.
			if i > 0 {
				if gap := m.At.Sub(msgs[i-1].At); gap < 20*time.Millisecond {
					t.Errorf("chat %d: replies %v apart, pacing is 50 ms", chat, gap)
				}
			}
		}
		if span := msgs[len(msgs)-1].At.Sub(msgs[0].At); span < 170*time.Millisecond {
			t.Errorf("chat %d: 5 replies within %v, pacing allows no less than 200 ms", chat, span)
		}
	}
	if len(f.Invalid()) > 0 {
		t.Errorf("the server refused: %v", f.Invalid())
	}
}

func TestFailuresLoseNothingDoubleNothing(t *testing.T) {
	f := telegramtest.NewServer(t)
	f.InjectFailures("sendMessage", 500, 429, 500, 502, 500)
	f.InjectFailures("getUpdates", 500, 429)
	start(t, testConfig(f), testCore(t), testDB(t), nil)
	var ups []tgbotapi.Update
	for c := range 20 {
		for _, q := range []string{"duties", "学历", "how do I get promoted"} {
			ups = append(ups, telegramtest.PrivateText(int64(2000+c), q, ""))
		}
	}
	f.Push(ups...)
	f.WaitSent(t, len(ups), 30*time.Second)
	time.Sleep(200 * time.Millisecond)
	perChat := map[int64]int{}
	for _, s := range f.Sent() {
		perChat[s.Chat]++
	}
	for c := range 20 {
		if n := perChat[int64(2000+c)]; n != 3 {
			t.Errorf("chat %d got %d replies, want 3", 2000+c, n)
		}
	}
}

func TestRestartMidStream(t *testing.T) {
	f := telegramtest.NewServer(t)
	store := testDB(t)
	cfg := testConfig(f)
	var ups []tgbotapi.Update
	for c := range 40 {
		for range 3 {
			ups = append(ups, telegramtest.PrivateText(int64(3000+c), "what are the duties", ""))
		}
	}
	for c := range 40 {
		f.SlowChat(int64(3000+c), 5*time.Millisecond)
	}
	f.Push(ups...)

	_, stop := start(t, cfg, testCore(t), store, nil)
	f.WaitSent(t, 30, 10*time.Second)
	stop() // mid-stream: replies in flight finish, the offset is stored
	first := len(f.Sent())

	start(t, cfg, testCore(t), store, nil)
	f.WaitSent(t, len(ups), 20*time.Second)
	time.Sleep(300 * time.Millisecond)
	got := f.Sent()
	if len(got) != len(ups) {
		t.Fatalf("%d replies for %d updates (%d before the restart)", len(got), len(ups), first)
	}
	perChat := map[int64]int{}
	for _, s := range got {
		perChat[s.Chat]++
	}
	for chat, n := range perChat {
		if n != 3 {
			t.Errorf("chat %d got %d replies, want 3", chat, n)
		}
	}
}

func TestWebhookSecret(t *testing.T) {
	f := telegramtest.NewServer(t)
	cfg := testConfig(f)
	cfg.WebhookURL, cfg.WebhookSecret = "https://bot.example.org/telegram", "s3cret-webhook-token_0123"
	b, _ := start(t, cfg, testCore(t), testDB(t), nil)
	srv := httptest.NewServer(b.WebhookHandler())
	defer srv.Close()

	body := func(id int, text string) string {
		u := telegramtest.PrivateText(4000, text, "")
		u.UpdateID = id
		data, _ := jsonMarshal(u)
		return string(data)
	}
	tests := []struct {
		name, secret string
		id           int
		wantStatus   int
	}{
		{"no secret", "", 1, http.StatusUnauthorized},
		{"wrong secret", "s3cret-webhook-token_0124", 2, http.StatusUnauthorized},
		{"right secret", cfg.WebhookSecret, 3, http.StatusOK},
		{"redelivered", cfg.WebhookSecret, 3, http.StatusOK},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body(tt.id, "what are the duties")))
		if tt.secret != "" {
			req.Header.Set(SecretHeader, tt.secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.wantStatus {
			t.Errorf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.wantStatus)
		}
	}
	f.WaitSent(t, 1, 5*time.Second)
	time.Sleep(200 * time.Millisecond)
	if n := len(f.Sent()); n != 1 {
		t.Errorf("%d replies, want exactly 1: only the right secret is processed, once", n)
	}
	hooks := f.Webhooks()
	if len(hooks) != 1 || hooks[0] != cfg.WebhookSecret {
		t.Errorf("setWebhook calls %q, want one with the secret", hooks)
	}
}

func TestButtonPressAnswered(t *testing.T) {
	f := telegramtest.NewServer(t)
	start(t, testConfig(f), testCore(t), testDB(t), nil)
	f.Push(telegramtest.PrivateText(5000, "需要什么学历", "zh-hans"))
	first := f.WaitSent(t, 1, 5*time.Second)[0]
	if !strings.Contains(first.Keyboard, "i:advancement:1252") {
		t.Fatalf("no advancement button in %s", first.Keyboard)
	}
	f.Push(telegramtest.ButtonPress(5000, "i:advancement:1252"))
	got := f.WaitSent(t, 2, 5*time.Second)
	if !strings.Contains(got[1].Text, "晋升") {
		t.Errorf("follow-up %q is not the advancement answer in Chinese", got[1].Text)
	}
	if cbs := f.Callbacks(); len(cbs) != 1 || cbs[0] != "cq5000" {
		t.Errorf("callback answers %v, want the one press answered", cbs)
	}
	if cmds := f.Commands(); len(cmds) != 2 || cmds[1] != "zh" {
		t.Errorf("setMyCommands calls %v, want the default and zh menus", cmds)
	}
}

func TestGroups(t *testing.T) {
	f := telegramtest.NewServer(t)
	start(t, testConfig(f), testCore(t), testDB(t), nil)
	replyToBot := telegramtest.GroupText(-100, 7, "and the education?")
	replyToBot.Message.ReplyToMessage = &tgbotapi.Message{MessageID: 1, From: &tgbotapi.User{ID: 999, IsBot: true}}
	tests := []struct {
		name     string
		update   tgbotapi.Update
		answered bool
	}{
		{"command to us", telegramtest.GroupText(-101, 7, "/duties@nocbot_test_bot"), true},
		{"bare command", telegramtest.GroupText(-102, 7, "/help"), true},
		{"command to another bot", telegramtest.GroupText(-103, 7, "/duties@other_bot"), false},
		{"chatter", telegramtest.GroupText(-104, 7, "anyone up for lunch?"), false},
		{"mention", telegramtest.GroupText(-105, 7, "@nocbot_test_bot what are the duties"), true},
		{"reply to the bot", replyToBot, true},
	}
	for _, tt := range tests {
		f.Push(tt.update)
	}
	time.Sleep(time.Second)
	answered := map[int64]bool{}
	for _, s := range f.Sent() {
		answered[s.Chat] = true
		if s.ReplyTo == "" {
			t.Errorf("group reply in %d does not reply to the question", s.Chat)
		}
	}
	for _, tt := range tests {
		if answered[tt.update.Message.Chat.ID] != tt.answered {
			t.Errorf("%s: answered %v, want %v", tt.name, !tt.answered, tt.answered)
		}
	}
}

// longReply answers everything with a reply far over Telegram's limit.
type longReply struct{}

func (longReply) Handle(context.Context, bot.Message) bot.Reply {
	var items []string
	for i := range 400 {
		items = append(items, strings.Repeat("卫生信息管理 <tag> & ", 3)+string(rune('a'+i%26)))
	}
	return bot.Reply{Lang: knowledge.ZH, Blocks: []bot.Block{{Kind: bot.Heading, Text: "All titles <b>"}, {Kind: bot.List, Items: items},
		{Kind: bot.Link, Text: "source", URL: "https://example.org/?a=1&b=2"}},
		Buttons: []bot.Button{{Label: "Duties", Data: "i:duties:1252"}, {Label: "too long", Data: strings.Repeat("x", 65)}}}
}

func TestLongReplySplit(t *testing.T) {
	f := telegramtest.NewServer(t)
	start(t, testConfig(f), longReply{}, testDB(t), nil)
	f.Push(telegramtest.PrivateText(6000, "all titles", ""))
	time.Sleep(500 * time.Millisecond)
	got := f.Sent()
	if len(got) < 3 {
		t.Fatalf("%d messages, want the reply split in several", len(got))
	}
	for i, s := range got {
		if (s.Keyboard != "") != (i == len(got)-1) {
			t.Errorf("message %d of %d: keyboard %q; want it on the last only", i+1, len(got), s.Keyboard)
		}
	}
	if strings.Contains(got[len(got)-1].Keyboard, "xxxx") {
		t.Error("a button with callback data over 64 bytes was sent")
	}
	if len(f.Invalid()) > 0 {
		t.Errorf("the server refused: %v", f.Invalid())
	}
}

func TestTokenNeverLogged(t *testing.T) {
	f := telegramtest.NewServer(t)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f.InjectFailures("getUpdates", 500, 500)
	f.InjectFailures("sendMessage", 500, 500, 400)
	cfg := testConfig(f)
	cfg.MaxRetries = 1
	_, stop := start(t, cfg, testCore(t), testDB(t), log)
	f.Push(telegramtest.PrivateText(7000, "duties", ""))
	time.Sleep(500 * time.Millisecond)
	f.CloseClientConnections()
	stop()
	// A network failure puts the URL, and so the token, in the error.
	bad := Config{Token: telegramtest.Token, APIURL: "http://127.0.0.1:1"}
	_, err := New(context.Background(), bad, testCore(t), nil, nil, log)
	if err == nil {
		t.Fatal("New against a closed port succeeded")
	}
	for _, s := range []string{logs.String(), err.Error()} {
		if strings.Contains(s, telegramtest.Token) || strings.Contains(s, "TEST-secret") {
			t.Fatalf("the token leaked: %s", s)
		}
	}
	if !strings.Contains(logs.String(), "reply dropped") {
		t.Errorf("a dropped reply was not logged:\n%s", logs.String())
	}
}

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantOK  bool
		wantErr string
	}{
		{"not configured", nil, false, ""},
		{"token only", map[string]string{"TELEGRAM_TOKEN": "123:abcdefghijkl"}, true, ""},
		{"bad token", map[string]string{"TELEGRAM_TOKEN": "nonsense"}, false, "TELEGRAM_TOKEN"},
		{"bad api url", map[string]string{"TELEGRAM_TOKEN": "123:abcdefghijkl", "TELEGRAM_API_URL": "ftp://x"}, false, "TELEGRAM_API_URL"},
		{"webhook without secret", map[string]string{"TELEGRAM_TOKEN": "123:abcdefghijkl", "TELEGRAM_WEBHOOK_URL": "https://x.org/h"}, false, "TELEGRAM_WEBHOOK_SECRET"},
		{"webhook not https", map[string]string{"TELEGRAM_TOKEN": "123:abcdefghijkl", "TELEGRAM_WEBHOOK_URL": "http://x.org/h", "TELEGRAM_WEBHOOK_SECRET": "0123456789abcdefgh"}, false, "TELEGRAM_WEBHOOK_URL"},
		{"webhook", map[string]string{"TELEGRAM_TOKEN": "123:abcdefghijkl", "TELEGRAM_WEBHOOK_URL": "https://x.org/h", "TELEGRAM_WEBHOOK_SECRET": "0123456789abcdefgh"}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ok, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
			if ok != tt.wantOK || (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("got ok=%v err=%v, want ok=%v err~%q", ok, err, tt.wantOK, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "abcdefghijkl") {
				t.Error("the error shows the token")
			}
		})
	}
}

// timedCore records how long the core takes per update.
type timedCore struct {
	h    Handler
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

// BenchmarkThroughput pushes updates through the fake Bot API with
// per-chat pacing off and reports updates answered per second and the
// core's p50/p99 per update.
func BenchmarkThroughput(b *testing.B) {
	f := telegramtest.NewServer(b)
	core := &timedCore{h: testCore(b)}
	start(b, testConfig(f), core, testDB(b), nil)
	questions := []string{"what are the duties", "需要什么学历", "how do I get promoted", "有哪些职称"}
	var ups []tgbotapi.Update
	for i := range b.N {
		ups = append(ups, telegramtest.PrivateText(int64(10000+i%500), questions[i%len(questions)], ""))
	}
	b.ResetTimer()
	f.Push(ups...)
	f.WaitSent(b, b.N, 5*time.Minute)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
	core.mu.Lock()
	took := append([]time.Duration(nil), core.took...)
	core.mu.Unlock()
	slices.Sort(took)
	if len(took) > 0 {
		b.ReportMetric(float64(took[len(took)/2].Microseconds()), "core-p50-µs")
		b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "core-p99-µs")
	}
}

func TestSlowChatDelaysNoOther(t *testing.T) {
	f := telegramtest.NewServer(t)
	start(t, testConfig(f), testCore(t), testDB(t), nil)
	f.SlowChat(8001, 2*time.Second)
	began := time.Now()
	f.Push(telegramtest.PrivateText(8001, "duties", ""), telegramtest.PrivateText(8001, "titles", ""), telegramtest.PrivateText(8002, "duties", ""))
	got := f.WaitSent(t, 1, 5*time.Second)
	if got[0].Chat != 8002 || got[0].At.Sub(began) > time.Second {
		t.Errorf("first reply went to chat %d after %v; the fast chat should not wait for the slow one", got[0].Chat, got[0].At.Sub(began))
	}
	got = f.WaitSent(t, 3, 10*time.Second)
	if got[1].Chat != 8001 || got[2].Chat != 8001 || !strings.Contains(got[1].Text, "Main duties") || !strings.Contains(got[2].Text, "Example titles") {
		t.Errorf("the slow chat's replies are missing or out of order: %+v", got[1:])
	}
}
