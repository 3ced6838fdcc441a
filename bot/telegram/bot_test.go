package telegram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
	"github.com/nocbot/nocbot/knowledge"
)

// 200 chats, 5 questions each, alternating Chinese and English (every
// user's Telegram set to English): each update answered exactly once, in
// order, in the question's language, every message valid HTML within the
// limit, and per-chat pacing kept.
func TestManyChatsBothLanguages(t *testing.T) {
	f := telegramtest.NewServer(t)
	cfg := testConfig(f)
	const pace = 50 * time.Millisecond
	cfg.ChatRate, cfg.ChatBurst = float64(time.Second/pace), 1
	cfg.MaxRequests = 256 // a request slot for every chat: the pacing alone spaces the sends
	ev := &bottest.Events{}
	b, _ := start(t, cfg, testCore(t), runOpts{events: ev})

	questions := []struct{ text, marker string }{
		{"需要什么学历？", "任职要求"},
		{"what are the duties?", "Main duties"},
		{"怎么晋升", "晋升与发展"},
		{"what titles are there", "Example titles"},
		{"有哪些相关职业", "其他分类"},
	}
	const chats = 200
	var ups []tgbotapi.Update
	for _, q := range questions {
		for c := range chats {
			ups = append(ups, telegramtest.PrivateText(int64(1000+c), q.text, "en"))
		}
	}
	pushed := time.Now()
	f.Push(ups...)
	settled(f, b)
	got := f.Sent()
	if len(got) != chats*len(questions) {
		t.Fatalf("%d messages sent, want exactly %d", len(got), chats*len(questions))
	}
	var gaps []time.Duration
	for chat, msgs := range perChat(got) {
		if len(msgs) != len(questions) {
			t.Fatalf("chat %d got %d replies, want %d", chat, len(msgs), len(questions))
		}
		for i, m := range msgs {
			q := questions[i]
			if !strings.Contains(m.Text, q.marker) {
				t.Errorf("chat %d reply %d to %q lacks %q (wrong order or answer): %.80q", chat, i, q.text, q.marker, m.Text)
			}
			if wantZH := bottest.HasHan(q.text); bottest.HasHan(strings.ReplaceAll(m.Text, "•", "")) != wantZH {
				t.Errorf("chat %d reply %d to %q is in the wrong language: %.80q", chat, i, q.text, m.Text)
			}
			if n := bot.UTF16Len(m.Text); n > MaxMessage {
				t.Errorf("chat %d: message of %d UTF-16 units", chat, n)
			}
			// With one message per pace and no burst, the i-th reply
			// cannot arrive before i paces have passed. Delays only make
			// it later, so this holds on any machine.
			if d := m.At.Sub(pushed); d < time.Duration(i)*pace {
				t.Errorf("chat %d: reply %d arrived %v after the push; pacing allows no sooner than %v", chat, i, d, time.Duration(i)*pace)
			}
			if i > 0 {
				gaps = append(gaps, m.At.Sub(msgs[i-1].At))
			}
		}
	}
	// Arrival adds each request's latency, which varies with the load on
	// the machine; the typical gap is the pace.
	slices.Sort(gaps)
	if med := gaps[len(gaps)/2]; med < pace*8/10 {
		t.Errorf("median gap between a chat's replies %v, pacing is %v", med, pace)
	}
	if inv := f.Invalid(); len(inv) > 0 {
		t.Errorf("the server refused %d requests, first: %s", len(inv), inv[0])
	}
	received, sent, failed, _ := ev.Snapshot()
	if received != len(ups) || sent != len(ups) || len(failed) != 0 {
		t.Errorf("events: received %d, sent %d, failed %d; want %d, %d, 0", received, sent, len(failed), len(ups), len(ups))
	}
}

// 429s, 5xx and dropped connections, on sends, polls and callback answers:
// nothing lost, nothing doubled, order kept, and a 429's retry_after
// waited.
func TestFailuresLoseNothingDoubleNothing(t *testing.T) {
	f := telegramtest.NewServer(t)
	f.InjectFailures("sendMessage", 500, 429, telegramtest.Drop, 502, 500, 503)
	f.InjectFailures("getUpdates", 500, 429, telegramtest.Drop)
	f.InjectFailures("answerCallbackQuery", 500, telegramtest.Drop)
	ev := &bottest.Events{}
	store := testDB(t)
	b, _ := start(t, testConfig(f), echo{}, runOpts{events: ev, db: store})
	var ups []tgbotapi.Update
	for c := range 20 {
		for i := range 3 {
			ups = append(ups, telegramtest.PrivateText(int64(2000+c), fmt.Sprintf("q%d", i), ""))
		}
		ups = append(ups, telegramtest.ButtonPress(int64(2000+c), "b"))
	}
	f.Push(ups...)
	settled(f, b)
	got := f.Sent()
	if len(got) != len(ups) {
		t.Fatalf("%d replies for %d updates", len(got), len(ups))
	}
	for c := range 20 {
		msgs := perChat(got)[int64(2000+c)]
		var texts []string
		for _, m := range msgs {
			texts = append(texts, m.Text)
		}
		if want := "echo: q0|echo: q1|echo: q2|echo: button b"; strings.Join(texts, "|") != want {
			t.Errorf("chat %d got %q, want %q", 2000+c, strings.Join(texts, "|"), want)
		}
	}
	f.Until(func() bool { return len(f.Callbacks()) >= 20 })
	if n := len(f.Callbacks()); n != 20 {
		t.Errorf("%d callback queries answered, want 20", n)
	}
	// The 429 on a send: the same chat's next message came no sooner than
	// retry_after.
	for _, fl := range f.Failures() {
		if fl.Method != "sendMessage" || fl.Code != http.StatusTooManyRequests {
			continue
		}
		for _, s := range perChat(got)[fl.Chat] {
			if s.At.After(fl.At) && s.At.Sub(fl.At) < time.Second-20*time.Millisecond {
				t.Errorf("chat %d: sent %v after a 429 with retry_after 1 s", fl.Chat, s.At.Sub(fl.At))
			}
		}
	}
	_, _, failed, limited := ev.Snapshot()
	if len(failed) != 0 {
		t.Errorf("SendFailed %v", failed)
	}
	waited := false
	for _, d := range limited {
		waited = waited || d >= time.Second
	}
	if !waited {
		t.Errorf("RateLimited %v: the 429's second was not reported", limited)
	}
	committed(f)
	if n := pendingRows(t, store); n != 0 {
		t.Errorf("%d pending rows left with every update answered", n)
	}
}

// Run cancelled in the middle of a stream: what is in flight goes out, the
// rest is answered by the next Bot on the same database. Nothing lost,
// nothing doubled.
func TestRestartMidStream(t *testing.T) {
	f := telegramtest.NewServer(t)
	store := testDB(t)
	cfg := testConfig(f)
	var ups []tgbotapi.Update
	for c := range 40 {
		for i := range 3 {
			ups = append(ups, telegramtest.PrivateText(int64(3000+c), fmt.Sprintf("q%d", i), ""))
		}
		f.SlowChat(int64(3000+c), 30*time.Millisecond)
	}
	ids := f.Push(ups...)

	_, stop := start(t, cfg, echo{}, runOpts{db: store})
	f.WaitSent(30)
	if err := stop(); err != nil { // mid-stream
		t.Fatal(err)
	}
	// Every update below the stored offset is answered or pending. A
	// getUpdates brings 100 at most: the stop may come before the poller
	// asked for the rest, which Telegram then keeps for the next run.
	first, off := len(f.Sent()), storedOffset(t, store)
	taken := 0
	for _, id := range ids {
		if id < off {
			taken++
		}
	}
	if pending := pendingRows(t, store); first+pending != taken || pending == 0 {
		t.Fatalf("after the stop: %d answered, %d pending, of the %d taken (offset %d)", first, pending, taken, off)
	}

	b, _ := start(t, cfg, echo{}, runOpts{db: store})
	settled(f, b)
	got := f.Sent()
	if len(got) != len(ups) {
		t.Fatalf("%d replies for %d updates (%d before the restart)", len(got), len(ups), first)
	}
	for chat, msgs := range perChat(got) {
		for i, m := range msgs {
			if want := fmt.Sprintf("echo: q%d", i); m.Text != want {
				t.Errorf("chat %d reply %d is %q, want %q", chat, i, m.Text, want)
			}
		}
	}
}

// Replies that cannot go out within the shutdown timeout stay pending in
// the database, though Telegram has them confirmed, and the next run
// answers them, in order.
func TestShutdownLeavesUnansweredPending(t *testing.T) {
	f := telegramtest.NewServer(t)
	store := testDB(t)
	cfg := testConfig(f)
	cfg.ShutdownTimeout = 100 * time.Millisecond
	var ups []tgbotapi.Update
	for c := range 20 {
		for i := range 3 {
			ups = append(ups, telegramtest.PrivateText(int64(3500+c), fmt.Sprintf("q%d", i), ""))
		}
	}
	var releases []func()
	for c := range 3 {
		releases = append(releases, f.HoldChat(int64(3500+c))) // hangs until the request is cancelled
	}
	f.Push(ups...)
	b1, stop := start(t, cfg, echo{}, runOpts{db: store})
	// Stopped once the other chats' replies are done (sent and recorded:
	// within the short shutdown timeout they might not be, on a busy
	// machine) and the poller has confirmed every update to Telegram.
	b1.queue.WaitDone(context.Background(), 17*3)
	f.Until(func() bool { return f.Pending() == 0 })
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if n := pendingRows(t, store); n != 9 {
		t.Errorf("%d pending rows after shutdown, want the 9 updates of the hung chats", n)
	}
	if n := f.Pending(); n != 0 {
		t.Errorf("Telegram still holds %d updates: the offset was not confirmed", n)
	}
	if n := storedOffset(t, store); n != len(ups)+1 {
		t.Errorf("stored offset %d, want %d", n, len(ups)+1)
	}

	// The hung requests were cancelled: once the server has seen that,
	// nothing can complete them any more.
	f.Until(func() bool { return f.Held() == 0 })
	for _, release := range releases {
		release()
	}
	b, _ := start(t, cfg, echo{}, runOpts{db: store})
	settled(f, b)
	got := f.Sent()
	if len(got) != len(ups) {
		t.Fatalf("%d replies for %d updates", len(got), len(ups))
	}
	for chat, msgs := range perChat(got) {
		for i, m := range msgs {
			if want := fmt.Sprintf("echo: q%d", i); m.Text != want {
				t.Errorf("chat %d reply %d is %q, want %q", chat, i, m.Text, want)
			}
		}
	}
	committed(f)
	if n := pendingRows(t, store); n != 0 {
		t.Errorf("%d pending rows left with every update answered", n)
	}
}

// A chat whose sends hang holds back no other chat, even with far more
// than a getUpdates batch (100) behind it, and keeps its own order.
func TestSlowChatDelaysNoOther(t *testing.T) {
	f := telegramtest.NewServer(t)
	start(t, testConfig(f), echo{}, runOpts{})
	release := f.HoldChat(8001)
	defer release()
	ups := []tgbotapi.Update{telegramtest.PrivateText(8001, "first", ""), telegramtest.PrivateText(8001, "second", "")}
	for c := range 300 {
		ups = append(ups, telegramtest.PrivateText(int64(9000+c), "hi", ""))
	}
	f.Push(ups...)
	f.WaitSent(300) // while the first chat's reply hangs
	release()
	got := f.WaitSent(len(ups))
	for i, s := range got[:300] {
		if s.Chat == 8001 {
			t.Fatalf("the held chat's reply came %dth", i+1)
		}
	}
	if got[300].Text != "echo: first" || got[301].Text != "echo: second" {
		t.Errorf("the held chat's replies are out of order: %q, %q", got[300].Text, got[301].Text)
	}
}

func TestWebhook(t *testing.T) {
	f := telegramtest.NewServer(t)
	cfg := testConfig(f)
	cfg.WebhookURL, cfg.WebhookSecret = "https://bot.example.org/telegram", "s3cret-webhook-token_0123"
	rec := &bottest.Recorder{Next: echo{}}

	// Not running yet: refused with 503, so Telegram delivers again later.
	idle, err := New(cfg, rec, testDB(t).DB(), nil, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(idle.WebhookHandler())
	if code := deliver(t, srv.URL, http.MethodPost, cfg.WebhookSecret, 1, "hello"); code != http.StatusServiceUnavailable {
		t.Errorf("delivery before Run: status %d, want 503", code)
	}
	srv.Close()

	b, _ := start(t, cfg, rec, runOpts{})
	f.Until(func() bool { return len(f.Webhooks()) >= 1 })
	if hooks := f.Webhooks(); hooks[0] != cfg.WebhookSecret || f.WebhookURL() != cfg.WebhookURL {
		t.Errorf("setWebhook with secret %q url %q", hooks[0], f.WebhookURL())
	}
	srv = httptest.NewServer(b.WebhookHandler())
	defer srv.Close()
	f.AddChats(4000)

	tests := []struct {
		name, method, secret string
		id                   int
		want                 int
	}{
		{"no secret", http.MethodPost, "", 10, http.StatusUnauthorized},
		{"wrong secret", http.MethodPost, "s3cret-webhook-token_0124", 11, http.StatusUnauthorized},
		{"secret prefix", http.MethodPost, "s3cret-webhook", 12, http.StatusUnauthorized},
		{"secret longer", http.MethodPost, cfg.WebhookSecret + "x", 13, http.StatusUnauthorized},
		{"GET", http.MethodGet, cfg.WebhookSecret, 14, http.StatusMethodNotAllowed},
		{"right secret", http.MethodPost, cfg.WebhookSecret, 20, http.StatusOK},
		{"redelivered", http.MethodPost, cfg.WebhookSecret, 20, http.StatusOK},
		{"next update", http.MethodPost, cfg.WebhookSecret, 21, http.StatusOK},
	}
	for _, tt := range tests {
		if code := deliver(t, srv.URL, tt.method, tt.secret, tt.id, fmt.Sprintf("update %d", tt.id)); code != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, code, tt.want)
		}
	}
	// Deliveries are taken before they are acknowledged: once the queue is
	// idle, every reply they will get is sent.
	drained(b.queue)
	var texts []string
	for _, s := range f.Sent() {
		texts = append(texts, s.Text)
	}
	if got := strings.Join(texts, "|"); got != "echo: update 20|echo: update 21" {
		t.Errorf("replies %q: want updates 20 and 21, once each, and nothing refused processed", got)
	}
	if n := len(rec.Messages(nil)); n != 2 {
		t.Errorf("the core saw %d messages, want 2", n)
	}
	if n := f.Requests("getUpdates"); n != 0 {
		t.Errorf("%d getUpdates calls in webhook mode", n)
	}
}

// A webhook delivery Telegram repeats after nocbot restarted (it did not
// see the first answer to its request) is answered once: the ids taken
// are stored for Telegram's 24 hours.
func TestWebhookRedeliveryAfterRestart(t *testing.T) {
	f := telegramtest.NewServer(t)
	f.AddChats(4000)
	store := testDB(t)
	cfg := testConfig(f)
	cfg.WebhookURL, cfg.WebhookSecret = "https://bot.example.org/telegram", "s3cret-webhook-token_0123"
	run := func(ids ...int) {
		b, stop := start(t, cfg, echo{}, runOpts{db: store})
		srv := httptest.NewServer(b.WebhookHandler())
		defer srv.Close()
		for _, id := range ids {
			if code := deliver(t, srv.URL, http.MethodPost, cfg.WebhookSecret, id, fmt.Sprintf("update %d", id)); code != http.StatusOK {
				t.Errorf("update %d: status %d", id, code)
			}
		}
		drained(b.queue)
		if err := stop(); err != nil {
			t.Fatal(err)
		}
	}
	run(30, 32)
	run(32, 30, 31)
	var texts []string
	for _, s := range f.Sent() {
		texts = append(texts, s.Text)
	}
	if got := strings.Join(texts, "|"); got != "echo: update 30|echo: update 32|echo: update 31" {
		t.Errorf("replies %q: want updates 30, 32 and 31, once each", got)
	}
}

// deliver posts one update to a webhook handler and returns the status.
func deliver(t *testing.T, url, method, secret string, id int, text string) int {
	t.Helper()
	u := telegramtest.PrivateText(4000, text, "")
	u.UpdateID = id
	body, _ := jsonMarshal(u)
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	if secret != "" {
		req.Header.Set(SecretHeader, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// A bot switched from webhook to polling deletes the webhook (getUpdates
// is refused with 409 while one is set) and gets the updates.
func TestPollingAfterWebhook(t *testing.T) {
	f := telegramtest.NewServer(t)
	store := testDB(t)
	cfg := testConfig(f)
	cfg.WebhookURL, cfg.WebhookSecret = "https://bot.example.org/telegram", "s3cret-webhook-token_0123"
	_, stop := start(t, cfg, echo{}, runOpts{db: store})
	f.Until(func() bool { return f.WebhookURL() != "" })
	stop()

	start(t, testConfig(f), echo{}, runOpts{db: store})
	f.Push(telegramtest.PrivateText(4100, "polled", ""))
	if got := f.WaitSent(1); got[0].Text != "echo: polled" {
		t.Errorf("got %q", got[0].Text)
	}
	if f.WebhookURL() != "" {
		t.Error("the webhook is still set")
	}
}

func TestButtonPressAnswered(t *testing.T) {
	f := telegramtest.NewServer(t)
	start(t, testConfig(f), testCore(t), runOpts{})
	f.Push(telegramtest.PrivateText(5000, "需要什么学历", "zh-hans"))
	first := f.WaitSent(1)[0]
	if !strings.Contains(first.Keyboard, `"callback_data":"i:advancement:1252"`) {
		t.Fatalf("no advancement button in %s", first.Keyboard)
	}
	f.Push(telegramtest.ButtonPress(5000, "i:advancement:1252"))
	got := f.WaitSent(2)
	if !strings.Contains(got[1].Text, "晋升与发展") {
		t.Errorf("follow-up %q is not the advancement answer in Chinese", got[1].Text)
	}
	f.Until(func() bool { return len(f.Callbacks()) >= 1 })
	if cbs := f.Callbacks(); cbs[0] != "cq5000" {
		t.Errorf("callback answers %v, want cq5000", cbs)
	}
}

// panicky is a core that fails in spite of its contract.
type panicky struct{}

func (panicky) Handle(context.Context, bot.Message) bot.Reply { panic("core bug") }

// Every callback query is answered, even when the core fails, and the user
// hears back.
func TestCallbackAnsweredWhenCoreFails(t *testing.T) {
	f := telegramtest.NewServer(t)
	var logs bottest.LogBuffer
	ev := &bottest.Events{}
	start(t, testConfig(f), panicky{}, runOpts{events: ev, log: slog.New(slog.NewTextHandler(&logs, nil))})
	press := telegramtest.ButtonPress(5100, "i:duties:1252")
	press.CallbackQuery.From.LanguageCode = "zh-hans"
	f.Push(press)
	got := f.WaitSent(1)
	f.Until(func() bool { return len(f.Callbacks()) >= 1 })
	if !strings.Contains(got[0].Text, "抱歉") {
		t.Errorf("reply %q: want the apology in Chinese", got[0].Text)
	}
	if !strings.Contains(logs.String(), "handler panicked") {
		t.Error("the panic was not logged")
	}
}

func TestCommandMenus(t *testing.T) {
	f := telegramtest.NewServer(t)
	start(t, testConfig(f), echo{}, runOpts{})
	f.Until(func() bool { return len(f.CommandMenus()) >= 2 })
	menus := map[string][]tgbotapi.BotCommand{}
	for _, m := range f.CommandMenus() {
		menus[m.Lang] = m.Commands
	}
	for _, lang := range []string{"", "zh"} {
		cmds := menus[lang]
		if len(cmds) != len(bot.Commands()) {
			t.Fatalf("menu %q has %d commands, want %d", lang, len(cmds), len(bot.Commands()))
		}
		for i, c := range bot.Commands() {
			want := c.Description.EN
			if lang == "zh" {
				want = c.Description.ZH
			}
			if cmds[i].Command != c.Name || cmds[i].Description != want {
				t.Errorf("menu %q command %d: %+v, want %s %q", lang, i, cmds[i], c.Name, want)
			}
		}
	}
	if inv := f.Invalid(); len(inv) > 0 {
		t.Errorf("refused: %v", inv)
	}
}

func TestGroups(t *testing.T) {
	f := telegramtest.NewServer(t)
	rec := &bottest.Recorder{Next: echo{}}
	b, _ := start(t, testConfig(f), rec, runOpts{})
	replyToBot := telegramtest.GroupText(-100, 7, "and the education?")
	replyToBot.Message.ReplyToMessage = &tgbotapi.Message{MessageID: 1, From: &tgbotapi.User{ID: telegramtest.BotID, IsBot: true}}
	replyToOther := telegramtest.GroupText(-109, 7, "and the education?")
	replyToOther.Message.ReplyToMessage = &tgbotapi.Message{MessageID: 1, From: &tgbotapi.User{ID: 8, FirstName: "x"}}
	fromBot := telegramtest.GroupText(-110, 7, "/duties")
	fromBot.Message.From.IsBot = true
	tests := []struct {
		name     string
		update   tgbotapi.Update
		wantText string // what the core gets; "" when not answered
	}{
		{"command to us", telegramtest.GroupText(-101, 7, "/duties@nocbot_test_bot"), "/duties@nocbot_test_bot"},
		{"command to us, other case", telegramtest.GroupText(-111, 7, "/titles@NocBot_Test_Bot 1252"), "/titles@NocBot_Test_Bot 1252"},
		{"bare command", telegramtest.GroupText(-102, 7, "/help"), "/help"},
		{"command to another bot", telegramtest.GroupText(-103, 7, "/duties@other_bot"), ""},
		{"chatter", telegramtest.GroupText(-104, 7, "anyone up for lunch?"), ""},
		{"mention", telegramtest.GroupText(-105, 7, "@nocbot_test_bot what are the duties"), "what are the duties"},
		{"mention inside", telegramtest.GroupText(-106, 7, "hey @NOCBOT_TEST_BOT, 需要什么学历？"), "hey , 需要什么学历？"},
		{"longer name", telegramtest.GroupText(-107, 7, "@nocbot_test_bot2 duties"), ""},
		{"email-like", telegramtest.GroupText(-108, 7, "mail me@nocbot_test_bot"), ""},
		{"reply to the bot", replyToBot, "and the education?"},
		{"reply to someone else", replyToOther, ""},
		{"from a bot", fromBot, ""},
	}
	for _, tt := range tests {
		f.Push(tt.update)
	}
	settled(f, b)
	seen := map[string]string{}
	for _, m := range rec.Messages(nil) {
		seen[m.Chat] = m.Text
	}
	sent := perChat(f.Sent())
	for _, tt := range tests {
		chat := tt.update.Message.Chat.ID
		text, ok := seen[fmt.Sprint(chat)]
		if tt.wantText == "" {
			if ok || len(sent[chat]) > 0 {
				t.Errorf("%s: answered (%q), want ignored", tt.name, text)
			}
			continue
		}
		if text != tt.wantText {
			t.Errorf("%s: the core got %q, want %q", tt.name, text, tt.wantText)
		}
		if len(sent[chat]) != 1 || sent[chat][0].ReplyTo != "77" {
			t.Errorf("%s: %d replies, reply_to %v; want one replying to message 77", tt.name, len(sent[chat]), sent[chat])
		}
	}
}

// longReply answers everything with a reply far over Telegram's limit.
type longReply struct{}

func (longReply) items() []string {
	var items []string
	for i := range 400 {
		items = append(items, fmt.Sprintf("卫生信息管理 <tag> & \"%d\" 👩‍⚕️ item-%03d", i, i))
	}
	return items
}

func (l longReply) Handle(context.Context, bot.Message) bot.Reply {
	return bot.Reply{Lang: knowledge.ZH, Blocks: []bot.Block{{Kind: bot.Heading, Text: "All titles <b>"}, {Kind: bot.List, Items: l.items()},
		{Kind: bot.Link, Text: "source", URL: "https://example.org/?a=1&b=2"}},
		Buttons: []bot.Button{{Label: "Duties", Data: "i:duties:1252"}, {Label: "too long", Data: strings.Repeat("x", 65)}, {Label: "Related", Data: "i:related:1252"}}}
}

func TestLongReplySplit(t *testing.T) {
	f := telegramtest.NewServer(t)
	b, _ := start(t, testConfig(f), longReply{}, runOpts{})
	f.Push(telegramtest.PrivateText(6000, "all titles", ""))
	settled(f, b)
	got := f.Sent()
	var all strings.Builder
	for i, s := range got {
		if (s.Keyboard != "") != (i == len(got)-1) {
			t.Errorf("message %d of %d: keyboard %q; want it on the last only", i+1, len(got), s.Keyboard)
		}
		if n := bot.UTF16Len(s.Text); n > MaxMessage {
			t.Errorf("message %d: %d UTF-16 units", i+1, n)
		}
		all.WriteString(s.Text + "\n")
	}
	last := got[len(got)-1].Keyboard
	if strings.Contains(last, "xxxx") || !strings.Contains(last, "i:duties:1252") || !strings.Contains(last, "i:related:1252") {
		t.Errorf("keyboard %s: want the two valid buttons, not the one with 65 bytes of data", last)
	}
	// Every item arrives, once, in order.
	text := all.String()
	pos := 0
	for _, it := range (longReply{}).items() {
		want := escapeHTML(it)
		i := strings.Index(text[pos:], want)
		if i < 0 {
			t.Fatalf("item %q missing or out of order", it)
		}
		pos += i + len(want)
	}
	if inv := f.Invalid(); len(inv) > 0 {
		t.Errorf("the server refused: %v", inv)
	}
}

// Failures of every kind, logged at debug level: no log line, error or
// health report holds the token, and no log line the message text.
func TestTokenNeverLogged(t *testing.T) {
	f := telegramtest.NewServer(t)
	var logs bottest.LogBuffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f.InjectFailures("getUpdates", telegramtest.Drop, 500, 401)
	f.InjectFailures("sendMessage", telegramtest.Drop, 500, 400, telegramtest.Drop, telegramtest.Drop)
	f.InjectFailures("answerCallbackQuery", telegramtest.Drop, 400)
	f.InjectFailures("setMyCommands", telegramtest.Drop, telegramtest.Drop)
	cfg := testConfig(f)
	cfg.MaxRetries = 1
	ev := &bottest.Events{}
	b, stop := start(t, cfg, echo{}, runOpts{log: log, events: ev})
	const secretText = "zebra-canary-question"
	f.Push(telegramtest.PrivateText(7000, secretText, ""), telegramtest.PrivateText(7000, secretText+"2", ""), telegramtest.ButtonPress(7000, "x"))
	// The chat's first two replies are given up (a failure reported) by
	// the time their jobs end.
	b.queue.WaitDone(context.Background(), 2)
	var texts []string
	texts = append(texts, fmt.Sprint(b.Healthy()))
	f.CloseClientConnections()
	if err := stop(); err != nil {
		texts = append(texts, err.Error())
	}
	_, _, failed, _ := ev.Snapshot()
	for _, err := range failed {
		texts = append(texts, err.Error())
	}
	// A network failure at start puts the URL, and so the token, in the
	// error: Run retries an unreachable Bot API, logging each failure,
	// and Healthy reports the last one.
	// The API below drops the first connection and holds the second: by
	// the time the retry arrives, the failure is recorded.
	retrying := make(chan struct{})
	var calls atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		if calls.Load() == 2 {
			close(retrying)
		}
		<-r.Context().Done()
	}))
	defer api.Close()
	unreachable, err := New(Config{Token: telegramtest.Token, APIURL: api.URL, RetryBase: time.Millisecond}, echo{}, nil, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	retried := make(chan error, 1)
	go func() { retried <- unreachable.Run(ctx) }()
	<-retrying
	if h := unreachable.Healthy(); h == nil || !strings.Contains(h.Error(), "getMe") {
		t.Fatalf("Healthy after a dropped getMe: %v", h)
	}
	texts = append(texts, unreachable.Healthy().Error())
	cancel()
	if err := <-retried; err != nil {
		t.Errorf("Run stopped while connecting: %v, want a clean stop", err)
	}
	texts = append(texts, logs.String())
	for _, s := range texts {
		if strings.Contains(s, telegramtest.Token) || strings.Contains(s, "TEST-secret") || strings.Contains(s, "TEST%2Dsecret") {
			t.Errorf("the token leaked: %s", s)
		}
	}
	if strings.Contains(logs.String(), secretText) {
		t.Error("a log line holds the message text")
	}
	if !strings.Contains(logs.String(), "reply dropped") || !strings.Contains(logs.String(), bot.Redacted) {
		t.Errorf("want a logged dropped reply and a redacted URL:\n%s", logs.String())
	}
}

// A reply that cannot be sent is given up after the retries, reported,
// and not tried again after a restart; a refusal (403: the user blocked
// the bot) is not retried at all.
func TestGiveUpAfterRetries(t *testing.T) {
	f := telegramtest.NewServer(t)
	f.InjectFailures("sendMessage", 500, 500, 500, 403)
	store := testDB(t)
	cfg := testConfig(f)
	cfg.MaxRetries = 2
	ev := &bottest.Events{}
	b, stop := start(t, cfg, echo{}, runOpts{events: ev, db: store})
	f.Push(telegramtest.PrivateText(7100, "one", ""), telegramtest.PrivateText(7100, "two", ""), telegramtest.PrivateText(7100, "three", ""))
	settled(f, b)
	stop()
	if got := f.Sent(); len(got) != 1 || got[0].Text != "echo: three" {
		t.Errorf("sent %v, want only the third reply", got)
	}
	if n := f.Requests("sendMessage"); n != 5 {
		t.Errorf("%d sendMessage calls, want 3 for the first (2 retries), 1 for the refused, 1 for the third", n)
	}
	_, _, failed, _ := ev.Snapshot()
	if len(failed) != 2 {
		t.Errorf("SendFailed %d times, want 2", len(failed))
	}
	if n := pendingRows(t, store); n != 0 {
		t.Errorf("%d pending rows: a reply given up on would be tried again", n)
	}
}

// A chat flooding the bot gets a bounded backlog; the rest is skipped, not
// queued without end.
func TestChatBacklog(t *testing.T) {
	f := telegramtest.NewServer(t)
	cfg := testConfig(f)
	cfg.ChatBacklog = 3
	f.SlowChat(7200, 300*time.Millisecond)
	var logs bottest.LogBuffer
	b, _ := start(t, cfg, echo{}, runOpts{log: slog.New(slog.NewTextHandler(&logs, nil))})
	var ups []tgbotapi.Update
	for i := range 10 {
		ups = append(ups, telegramtest.PrivateText(7200, fmt.Sprint(i), ""))
	}
	f.Push(ups...)
	settled(f, b)
	if n := len(f.Sent()); n != 3 {
		t.Errorf("%d replies, want the backlog of 3", n)
	}
	if !strings.Contains(logs.String(), "chat backlog full") {
		t.Error("skipped updates were not logged")
	}
}

func TestHealthy(t *testing.T) {
	f := telegramtest.NewServer(t)
	cfg := testConfig(f)
	cfg.RetryBase = 50 * time.Millisecond
	b, stop := start(t, cfg, echo{}, runOpts{})
	if err := b.Healthy(); err != nil {
		t.Errorf("once serving: %v", err)
	}
	// Any answer of the Bot API makes the bot healthy: the command menus
	// are set before the 500s, and the update that wakes the poll gets no
	// reply.
	f.Until(func() bool { return len(f.CommandMenus()) >= 2 })
	b.bg.Wait()
	f.InjectFailures("getUpdates", 500, 500, 500)
	f.Push(telegramtest.GroupText(-7300, 7300, "chatter that wakes the poll"))
	failures := func() []telegramtest.Failure {
		var out []telegramtest.Failure
		for _, fl := range f.Failures() {
			if fl.Method == "getUpdates" {
				out = append(out, fl)
			}
		}
		return out
	}
	// The second 500 arrived: the bot had the first, and has no success
	// until after the third.
	f.Until(func() bool { return len(failures()) >= 2 })
	if err := b.Healthy(); err == nil || !strings.Contains(err.Error(), "Internal Server Error") {
		t.Errorf("Healthy between 500s: %v", err)
	}
	// The getUpdates after the first one answered after the 500s: the bot
	// had that answer.
	f.Until(func() bool { return len(failures()) == 3 })
	f.WaitRequests("getUpdates", failures()[2].Nth+2)
	if err := b.Healthy(); err != nil {
		t.Errorf("Healthy once getUpdates answers again: %v", err)
	}
	stop()
	if err := b.Healthy(); err == nil {
		t.Error("healthy after Run returned")
	}
	if err := b.Run(context.Background()); err == nil {
		t.Error("a second Run was accepted")
	}
}

// The global limit paces every chat together.
func TestGlobalPacing(t *testing.T) {
	f := telegramtest.NewServer(t)
	cfg := testConfig(f)
	cfg.GlobalRate = 100 // burst 100, then 10 ms apart
	start(t, cfg, echo{}, runOpts{})
	var ups []tgbotapi.Update
	for c := range 150 {
		ups = append(ups, telegramtest.PrivateText(int64(7400+c), "x", ""))
	}
	began := time.Now()
	f.Push(ups...)
	got := f.WaitSent(150)
	if d := got[149].At.Sub(began); d < 450*time.Millisecond {
		t.Errorf("150 messages in %v; 100/s with a burst of 100 needs 500 ms", d)
	}
}

func TestNewErrors(t *testing.T) {
	f := telegramtest.NewServer(t)
	tests := []struct {
		name string
		cfg  Config
		h    bot.Handler
		want string
	}{
		{"no token", Config{APIURL: f.URL()}, echo{}, "no token"},
		{"no handler", Config{Token: telegramtest.Token, APIURL: f.URL()}, nil, "no handler"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg, tt.h, nil, nil, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
		})
	}
}

// New does no network I/O; Run connects. A refused token stops Run at
// once; a Bot API out of reach for a moment is waited for, reported as
// "connecting" meanwhile; a hung getMe ends with Run's context.
func TestRunConnects(t *testing.T) {
	f := telegramtest.NewServer(t)
	wrong, err := New(Config{Token: "1:wrong-token-xyz", APIURL: f.URL()}, echo{}, nil, nil, quietLog())
	if err != nil {
		t.Fatalf("New with a token the API refuses: %v (New must not call the API)", err)
	}
	if h := wrong.Healthy(); h == nil || !strings.Contains(h.Error(), "not started") {
		t.Errorf("Healthy before Run: %v", h)
	}
	if err := wrong.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "Unauthorized") {
		t.Errorf("Run with a refused token: %v, want Unauthorized", err)
	}
	if err := wrong.Run(context.Background()); !errors.Is(err, bot.ErrRunTwice) {
		t.Errorf("second Run: %v", err)
	}

	f.InjectFailures("getMe", 502, telegramtest.Drop, 500)
	var logs bottest.LogBuffer
	b, _ := start(t, Config{Token: telegramtest.Token, APIURL: f.URL(), RetryBase: time.Millisecond}, echo{}, runOpts{log: logs.Logger()})
	<-b.connected
	if n := strings.Count(logs.String(), "out of reach at start"); n != 3 {
		t.Errorf("%d retries logged, want 3:\n%s", n, logs.String())
	}

	f.SlowMethod("getMe", time.Hour)
	asked := f.Requests("getMe")
	hung, err := New(testConfig(f), echo{}, nil, nil, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- hung.Run(ctx) }()
	f.WaitRequests("getMe", asked+1)
	if h := hung.Healthy(); h == nil || !strings.Contains(h.Error(), "connecting") {
		t.Errorf("Healthy while getMe hangs: %v", h)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run cancelled while connecting: %v, want a clean stop", err)
	}
}
