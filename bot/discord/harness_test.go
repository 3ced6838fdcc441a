package discord

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/seeds"
)

// The core, as production runs it, on the one profile the repository
// ships (NOC 1252). Training the matcher takes a while: one for all tests.
var (
	coreOnce sync.Once
	theCore  *bot.Core
	coreErr  error
)

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
		data, err := intents.TrainingData()
		if err != nil {
			coreErr = err
			return
		}
		lib := knowledge.NewLibrary(set.Profiles)
		m, err := intents.NewMatcher(data, lib)
		if err != nil {
			coreErr = err
			return
		}
		theCore = bot.New(lib, m, bot.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	})
	if coreErr != nil {
		t.Fatal(coreErr)
	}
	return theCore
}

// recorder is a Handler that remembers the messages it was given and asks
// next (the core, unless a test says otherwise).
type recorder struct {
	next Handler
	mu   sync.Mutex
	msgs []bot.Message
}

func (r *recorder) Handle(ctx context.Context, m bot.Message) bot.Reply {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
	return r.next.Handle(ctx, m)
}

func (r *recorder) messages(match func(bot.Message) bool) []bot.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []bot.Message
	for _, m := range r.msgs {
		if match(m) {
			out = append(out, m)
		}
	}
	return out
}

// handlerFunc adapts a function to Handler.
type handlerFunc func(context.Context, bot.Message) bot.Reply

func (f handlerFunc) Handle(ctx context.Context, m bot.Message) bot.Reply { return f(ctx, m) }

// events records what the adapter reports.
type events struct {
	mu          sync.Mutex
	received    int
	sent        map[knowledge.Lang]int
	failed      []error
	rateLimited []time.Duration
}

func newEvents() *events { return &events{sent: map[knowledge.Lang]int{}} }

func (e *events) Received(string) { e.mu.Lock(); e.received++; e.mu.Unlock() }
func (e *events) Sent(_ string, l knowledge.Lang) {
	e.mu.Lock()
	e.sent[l]++
	e.mu.Unlock()
}
func (e *events) SendFailed(_ string, err error) {
	e.mu.Lock()
	e.failed = append(e.failed, err)
	e.mu.Unlock()
}
func (e *events) RateLimited(_ string, d time.Duration) {
	e.mu.Lock()
	e.rateLimited = append(e.rateLimited, d)
	e.mu.Unlock()
}

func (e *events) snapshot() (received, sent int, failed []error, limited []time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, n := range e.sent {
		sent += n
	}
	return e.received, sent, append([]error(nil), e.failed...), append([]time.Duration(nil), e.rateLimited...)
}

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// toFake is the test's own http.RoundTripper: it sends every request to
// the fake server, whatever host discordgo meant.
type toFake struct{ base *url.URL }

// fakeTransport keeps connections to the fakes open, as HTTP/2 to
// discord.com would share one.
var fakeTransport = &http.Transport{MaxIdleConnsPerHost: 128, IdleConnTimeout: 30 * time.Second}

func (t toFake) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host, r.Host = t.base.Scheme, t.base.Host, ""
	return fakeTransport.RoundTrip(r)
}

const testToken = "MTAwMDAwMDAwMDAwMDAwMDAx.Gx7abc.s3cr3t-T0KEN_value_do-not-log"

// harness is a Bot connected to a fake Discord.
type harness struct {
	f      *fakeDiscord
	b      *Bot
	ev     *events
	rec    *recorder
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

type setup struct {
	cfg     func(*Config, *fakeDiscord)
	fake    func(*fakeDiscord)
	handler Handler // nil: the core
}

func startBot(t testing.TB, s setup) *harness {
	t.Helper()
	f := newFakeDiscord(t, testToken)
	f.wantIntents = int(gatewayIntents(false))
	if s.fake != nil {
		s.fake(f)
	}
	base, _ := url.Parse(f.srv.URL)
	cfg := Config{Token: testToken, AppID: fakeAppID, GuildID: fakeGuild,
		HTTPClient: &http.Client{Transport: toFake{base}, Timeout: 10 * time.Second}}
	if s.cfg != nil {
		s.cfg(&cfg, f)
	}
	next := s.handler
	if next == nil {
		next = testCore(t)
	}
	h := &harness{f: f, ev: newEvents(), rec: &recorder{next: next}, logs: &syncBuffer{}, done: make(chan error, 1)}
	logger := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	b, err := New(cfg, h.rec, h.ev, logger)
	if err != nil {
		t.Fatal(err)
	}
	h.b = b
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() { h.done <- b.Run(ctx) }()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("DEBUG bot logs:\n%s", h.logs.String())
		}
		if err := h.stop(t); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(h.logs.String(), "discord ready") {
		if time.Now().After(deadline) {
			t.Fatalf("the bot did not get ready:\n%s", h.logs.String())
		}
		time.Sleep(2 * time.Millisecond)
	}
	return h
}

// stop cancels Run and waits for it; a second call returns what the first
// got.
func (h *harness) stop(t testing.TB) error {
	t.Helper()
	h.cancel()
	select {
	case err := <-h.done:
		h.done <- err
		return err
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after cancel")
		return nil
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func hasLatinWords(s string, n int) bool {
	count := 0
	for _, w := range strings.Fields(s) {
		letters := 0
		for _, r := range w {
			if r < 0x80 && (r|0x20) >= 'a' && (r|0x20) <= 'z' {
				letters++
			}
		}
		if letters >= 3 {
			count++
		}
	}
	return count >= n
}

func newTestLogger(w *syncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
