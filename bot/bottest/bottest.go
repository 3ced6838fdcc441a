// Package bottest has what the platform adapters' tests and nocbot serve's
// tests share: the real conversation core on a fixed fixture set (never
// the profiles nocbot ships, so adding one changes no adapter test), that
// set as a --seeds directory, a log sink safe for concurrent writers, and
// a recorder of adapter events.
package bottest

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

// fixture is a frozen copy of the FLYabroad 1252 profile and ten NOC 2021
// unit groups (testdata/README.md), in the layout --seeds reads.
//
//go:embed testdata/seeds/*.txt testdata/seeds/noc2021
var fixture embed.FS

// Home is the fixture's home occupation, the one nocbot serve answers
// about by default: the FLYabroad profile, whose NOC 2021 successor
// (12111) is in the fixture too.
const Home = "1252"

// Core returns a new core (sessions of its own) answering from the fixture
// set, about Home unless cfg.Home is set. A nil cfg.Logger discards the
// core's logs.
func Core(t testing.TB, cfg bot.Config) *bot.Core {
	t.Helper()
	lib, m := Matcher(t)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Home == "" {
		cfg.Home = Home
	}
	return bot.New(lib, m, cfg)
}

// Matcher returns the library of the fixture set and a matcher trained on
// nocbot's utterances, shared by every caller in the test binary.
func Matcher(t testing.TB) (*knowledge.Library, *intents.Matcher) {
	t.Helper()
	s, err := shared()
	if err != nil {
		t.Fatal(err)
	}
	return s.lib, s.matcher
}

// FixtureDir writes the fixture set to a new temporary directory and
// returns it, laid out as nocbot --seeds DIR (NOCBOT_SEEDS) reads it: the
// FLYabroad *.txt at the root, the NOC 2021 files and their Chinese names
// in noc2021/.
func FixtureDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	root, err := fs.Sub(fixture, "testdata/seeds")
	if err == nil {
		err = os.CopyFS(dir, root)
	}
	if err != nil {
		t.Fatalf("writing the fixture set: %v", err)
	}
	return dir
}

type trainedCore struct {
	lib     *knowledge.Library
	matcher *intents.Matcher
}

// shared loads the fixture set and trains the matcher once per test
// binary: both are read-only afterwards, and training is the slow part.
var shared = sync.OnceValues(func() (trainedCore, error) {
	lib, err := fixtureLibrary()
	if err != nil {
		return trainedCore{}, err
	}
	data, err := intents.TrainingData()
	if err != nil {
		return trainedCore{}, fmt.Errorf("reading the training utterances: %w", err)
	}
	m, err := intents.NewMatcher(data, lib)
	if err != nil {
		return trainedCore{}, fmt.Errorf("training the matcher: %w", err)
	}
	return trainedCore{lib: lib, matcher: m}, nil
})

func fixtureLibrary() (*knowledge.Library, error) {
	flyabroad, err := fs.Sub(fixture, "testdata/seeds")
	if err != nil {
		return nil, fmt.Errorf("the fixture set: %w", err)
	}
	noc, err := fs.Sub(fixture, "testdata/seeds/noc2021")
	if err != nil {
		return nil, fmt.Errorf("the fixture set: %w", err)
	}
	lib, err := knowledge.LoadLibrary(flyabroad, noc, noc)
	if err != nil {
		return nil, fmt.Errorf("loading the fixture set: %w", err)
	}
	return lib, nil
}

// LogBuffer is a log destination that a logger and a test may use at once.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

var _ io.Writer = (*LogBuffer)(nil)

// Write implements io.Writer.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String is everything written so far.
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Logger is a debug-level text logger writing to b.
func (b *LogBuffer) Logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// Events records what an adapter reports through bot.Events. The zero
// value is ready to use.
type Events struct {
	mu          sync.Mutex
	changed     chan struct{} // closed and replaced on every report
	received    int
	sent        map[knowledge.Lang]int
	failed      []error
	rateLimited []time.Duration
}

var _ bot.Events = (*Events)(nil)

// Received implements bot.Events.
func (e *Events) Received(string) {
	e.mu.Lock()
	e.received++
	e.notify()
	e.mu.Unlock()
}

// Sent implements bot.Events.
func (e *Events) Sent(_ string, l knowledge.Lang) {
	e.mu.Lock()
	if e.sent == nil {
		e.sent = map[knowledge.Lang]int{}
	}
	e.sent[l]++
	e.notify()
	e.mu.Unlock()
}

// SendFailed implements bot.Events.
func (e *Events) SendFailed(_ string, err error) {
	e.mu.Lock()
	e.failed = append(e.failed, err)
	e.notify()
	e.mu.Unlock()
}

// RateLimited implements bot.Events.
func (e *Events) RateLimited(_ string, d time.Duration) {
	e.mu.Lock()
	e.rateLimited = append(e.rateLimited, d)
	e.notify()
	e.mu.Unlock()
}

// notify wakes the waiters; e.mu is held.
func (e *Events) notify() {
	if e.changed != nil {
		close(e.changed)
	}
	e.changed = make(chan struct{})
}

// Until waits until cond holds, checking it again after every report. It
// has no deadline of its own: go test's -timeout ends a test that would
// wait forever, naming it. cond may call the Events' methods.
func (e *Events) Until(cond func() bool) {
	for {
		e.mu.Lock()
		if e.changed == nil {
			e.changed = make(chan struct{})
		}
		ch := e.changed
		e.mu.Unlock()
		if cond() {
			return
		}
		<-ch
	}
}

// Snapshot is what was reported so far: messages received, messages sent
// (all languages), failures and rate-limit waits.
func (e *Events) Snapshot() (received, sent int, failed []error, limited []time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, n := range e.sent {
		sent += n
	}
	return e.received, sent, append([]error(nil), e.failed...), append([]time.Duration(nil), e.rateLimited...)
}

// SentIn is how many messages went out in language l.
func (e *Events) SentIn(l knowledge.Lang) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.sent[l]
}

// Recorder is a Handler that keeps the messages it was given and passes
// them on to Next.
type Recorder struct {
	Next bot.Handler

	mu   sync.Mutex
	msgs []bot.Message
}

// Handle implements bot.Handler.
func (r *Recorder) Handle(ctx context.Context, m bot.Message) bot.Reply {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
	return r.Next.Handle(ctx, m)
}

// Messages returns the messages so far that match (all of them for a nil
// match), in the order they came.
func (r *Recorder) Messages(match func(bot.Message) bool) []bot.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []bot.Message
	for _, m := range r.msgs {
		if match == nil || match(m) {
			out = append(out, m)
		}
	}
	return out
}

// Run runs run in its own goroutine until stop is called or the test
// ends: stop cancels run's context, waits for it to return and returns
// what it returned; later calls return the same. The minute it waits at
// most is a safety net that names the culprit, far above any shutdown.
func Run[T any](t testing.TB, run func(ctx context.Context) T) (stop func() T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan T, 1)
	go func() { done <- run(ctx) }()
	var once sync.Once
	var result T
	stop = func() T {
		once.Do(func() {
			cancel()
			select {
			case result = <-done:
			case <-time.After(time.Minute):
				t.Error("still running a minute after it was told to stop")
			}
		})
		return result
	}
	t.Cleanup(func() { stop() })
	return stop
}

// CheckText reports, as errors of t, each of want that text lacks and
// each of dontWant that it has.
func CheckText(t testing.TB, text string, want, dontWant []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("reply lacks %q:\n%s", w, text)
		}
	}
	for _, w := range dontWant {
		if strings.Contains(text, w) {
			t.Errorf("reply has %q:\n%s", w, text)
		}
	}
}

// HasHan reports whether s holds a Chinese character.
func HasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
