// Package bottest has what the platform adapters' tests and nocbot serve's
// tests share: the real conversation core on the shipped profiles, a log
// sink safe for concurrent writers, and a recorder of adapter events.
package bottest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/seeds"
)

// Core returns a new core (sessions of its own) answering from the
// profiles nocbot ships, as production runs it. A nil cfg.Logger discards
// the core's logs.
func Core(t testing.TB, cfg bot.Config) *bot.Core {
	t.Helper()
	lib, m := Matcher(t)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return bot.New(lib, m, cfg)
}

// Matcher returns the library of shipped profiles and a matcher trained
// on nocbot's utterances, shared by every caller in the test binary.
func Matcher(t testing.TB) (*knowledge.Library, *intents.Matcher) {
	t.Helper()
	s, err := shared()
	if err != nil {
		t.Fatal(err)
	}
	return s.lib, s.matcher
}

type trainedCore struct {
	lib     *knowledge.Library
	matcher *intents.Matcher
}

// shared loads the shipped profiles and trains the matcher once per test
// binary: both are read-only afterwards, and training is the slow part.
var shared = sync.OnceValues(func() (trainedCore, error) {
	set, err := knowledge.LoadSeeds(seeds.FS())
	if err != nil {
		return trainedCore{}, fmt.Errorf("loading the shipped seeds: %w", err)
	}
	data, err := intents.TrainingData()
	if err != nil {
		return trainedCore{}, fmt.Errorf("reading the training utterances: %w", err)
	}
	lib := knowledge.NewLibrary(set.Profiles)
	m, err := intents.NewMatcher(data, lib)
	if err != nil {
		return trainedCore{}, fmt.Errorf("training the matcher: %w", err)
	}
	return trainedCore{lib: lib, matcher: m}, nil
})

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

// HasHan reports whether s holds a Chinese character.
func HasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
