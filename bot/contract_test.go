package bot

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

func TestRecoverApologisesInTheAskersLanguage(t *testing.T) {
	panicking := HandlerFunc(func(context.Context, Message) Reply { panic("secret question text") })
	tests := []struct {
		msg  Message
		want knowledge.Lang
	}{
		{Message{Text: "what do they do"}, knowledge.EN},
		{Message{Text: "他们做什么"}, knowledge.ZH},
		{Message{Text: "1252", UserLang: "zh-CN"}, knowledge.ZH},
		{Message{Button: "i:duties:1252", UserLang: "en-US"}, knowledge.EN},
		{Message{Text: "\xff\xfe"}, knowledge.EN},
	}
	for _, tt := range tests {
		var logs bytes.Buffer
		// At debug level, behind Observe as serve wires it: neither the
		// panic value nor the message (which may describe the asker's own
		// job) reaches any log.
		log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		h := Observe(Recover(panicking, log), nil, log, nil)
		r := h.Handle(context.Background(), tt.msg)
		if r.Lang != tt.want || !r.Failed || !r.Private || len(r.Blocks) != 1 || r.Answered {
			t.Errorf("%q: got %+v, want a failed, private apology in %s", tt.msg.Text, r, tt.want)
		}
		if strings.Contains(logs.String(), "secret question") {
			t.Errorf("the panic value reached the log: %s", logs.String())
		}
		if tt.msg.Text != "" && strings.Contains(logs.String(), tt.msg.Text) {
			t.Errorf("the message %q reached the log: %s", tt.msg.Text, logs.String())
		}
		if !strings.Contains(logs.String(), "handler panicked") {
			t.Errorf("the panic was not logged: %s", logs.String())
		}
	}
	ok := Recover(HandlerFunc(func(context.Context, Message) Reply { return Reply{Answered: true} }), slog.New(slog.DiscardHandler))
	if r := ok.Handle(context.Background(), Message{}); !r.Answered || r.Failed {
		t.Errorf("a handler that does not panic: got %+v", r)
	}
}

type handledCall struct {
	platform, intent string
	lang             knowledge.Lang
	answered         bool
	took             time.Duration
}

type recordHandled struct {
	mu    sync.Mutex
	calls []handledCall
}

func (r *recordHandled) Handled(platform string, lang knowledge.Lang, intent string, answered bool, took time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, handledCall{platform, intent, lang, answered, took})
}

func TestObserveRecordsWithoutTheText(t *testing.T) {
	clock := time.Unix(0, 0)
	now := func() time.Time { clock = clock.Add(3 * time.Millisecond); return clock }
	inner := HandlerFunc(func(context.Context, Message) Reply {
		return Reply{Lang: knowledge.ZH, Intent: intents.Duties, Answered: true}
	})
	var logs bytes.Buffer
	rec := &recordHandled{}
	h := Observe(inner, rec, slog.New(slog.NewTextHandler(&logs, nil)), now)
	h.Handle(context.Background(), Message{Platform: "telegram", User: "4242424242", Text: "他们做什么 private words"})
	want := handledCall{"telegram", "duties", knowledge.ZH, true, 3 * time.Millisecond}
	if len(rec.calls) != 1 || rec.calls[0] != want {
		t.Errorf("recorded %+v, want %+v", rec.calls, want)
	}
	line := logs.String()
	for _, leak := range []string{"private words", "4242424242"} {
		if strings.Contains(line, leak) {
			t.Errorf("the info log holds %q: %s", leak, line)
		}
	}
	for _, field := range []string{"msg=message", "platform=telegram", "intent=duties", "latency=3ms"} {
		if !strings.Contains(line, field) {
			t.Errorf("the log line lacks %q: %s", field, line)
		}
	}
}

// Each key's jobs run in order, one at a time. The first job of each key
// holds until every job is submitted and everything else that can run has
// (synctest.Wait): a queue that ran a later job beside it fails every run,
// not only when the scheduler happens to overlap them.
func TestQueueRunsEachKeyInOrderOneAtATime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := NewQueue()
		const keys, jobs = 8, 500
		var mu sync.Mutex
		got := map[string][]int{}
		running := map[string]int{}
		overlap := 0
		release := make(chan struct{})
		for j := range jobs {
			for k := range keys {
				key := fmt.Sprint("k", k)
				q.Submit(key, func() {
					mu.Lock()
					running[key]++
					if running[key] > 1 {
						overlap++
					}
					got[key] = append(got[key], j)
					mu.Unlock()
					if j == 0 {
						<-release
					}
					mu.Lock()
					running[key]--
					mu.Unlock()
				}, 0)
			}
		}
		synctest.Wait()
		mu.Lock()
		for k := range keys {
			if key := fmt.Sprint("k", k); len(got[key]) != 1 {
				t.Errorf("key %s ran %d jobs while its first was running, want 1", key, len(got[key]))
			}
		}
		mu.Unlock()
		close(release)
		if !q.WaitDone(context.Background(), keys*jobs) || !q.Wait(context.Background()) {
			t.Fatal("the queue did not finish")
		}
		if overlap != 0 {
			t.Errorf("%d jobs of one key ran at once", overlap)
		}
		for k, seq := range got {
			for i, j := range seq {
				if i != j {
					t.Fatalf("key %s ran job %d in place %d", k, j, i)
				}
			}
			if len(seq) != jobs {
				t.Errorf("key %s ran %d jobs, want %d", k, len(seq), jobs)
			}
		}
		if q.Pending() != 0 {
			t.Errorf("%d keys still pending", q.Pending())
		}
	})
}

func TestQueueLimitAndKeysInParallel(t *testing.T) {
	q := NewQueue()
	release := make(chan struct{})
	started := make(chan string, 2)
	block := func(key string) func() { return func() { started <- key; <-release } }
	if !q.Submit("a", block("a"), 2) || !q.Submit("a", func() {}, 2) {
		t.Fatal("refused below the limit")
	}
	if q.Submit("a", func() {}, 2) {
		t.Error("accepted a third job with a limit of 2")
	}
	// "b" starts while "a" is blocked: keys do not wait on each other.
	q.Submit("b", block("b"), 2)
	seen := map[string]bool{<-started: true, <-started: true}
	if !seen["a"] || !seen["b"] {
		t.Errorf("started %v, want a and b at once", seen)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if q.Wait(ctx) {
		t.Error("Wait reported idle with jobs blocked")
	}
	close(release)
	if !q.Wait(context.Background()) || q.Done() != 3 {
		t.Errorf("done %d jobs, want 3", q.Done())
	}
}

// TestOrderedKeepsEverySessionUpdate is the lost-update case: a language
// switch and a profile choice sent at once by each of 200 users. The
// language switch reads the session, then holds until both messages of
// every user are submitted and everything else that can run has
// (synctest.Wait), then writes the session back. In order, the profile
// choice has not started by then and reads the switched session; a queue
// that ran it beside the switch loses the choice for every user, every run.
func TestOrderedKeepsEverySessionUpdate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		type state struct{ lang, profile string }
		var mu sync.Mutex
		sessions := map[string]state{}
		started := map[Message]bool{}
		release := make(chan struct{})
		h := HandlerFunc(func(_ context.Context, msg Message) Reply {
			key := Conversation(msg)
			mu.Lock()
			started[msg] = true
			s := sessions[key]
			mu.Unlock()
			switch msg.Text {
			case "/lang zh":
				<-release
				mu.Lock()
				next := started[Message{Platform: msg.Platform, Chat: msg.Chat, User: msg.User, Text: "/noc 1253"}]
				mu.Unlock()
				if next {
					t.Errorf("user %s: the second message started while the first was running", msg.User)
				}
				s.lang = "zh"
			case "/noc 1253":
				s.profile = "1253"
			}
			mu.Lock()
			sessions[key] = s
			mu.Unlock()
			return Reply{}
		})
		o := InOrder(h)
		const users = 200
		var replies []<-chan Reply
		for i := range users {
			for _, text := range []string{"/lang zh", "/noc 1253"} {
				replies = append(replies, o.Submit(context.Background(), Message{Platform: "discord", Chat: "c", User: fmt.Sprint(i), Text: text}))
			}
		}
		synctest.Wait()
		close(release)
		for _, r := range replies {
			<-r
		}
		lost := 0
		for i := range users {
			if s := sessions[Conversation(Message{Platform: "discord", Chat: "c", User: fmt.Sprint(i)})]; s != (state{"zh", "1253"}) {
				lost++
			}
		}
		if lost > 0 {
			t.Errorf("%d of %d users lost a session update", lost, users)
		}
	})
}

func TestBackoff(t *testing.T) {
	b := NewBackoff(100*time.Millisecond, time.Second)
	b.jitter = func(n time.Duration) time.Duration { return n } // the most jitter there can be
	var got []time.Duration
	for range 6 {
		got = append(got, b.Next(0))
	}
	want := []time.Duration{150 * time.Millisecond, 300 * time.Millisecond, 600 * time.Millisecond, 1200 * time.Millisecond, 1500 * time.Millisecond, 1500 * time.Millisecond}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("waits %v, want %v", got, want)
	}
	if d := b.Next(7 * time.Second); d != 7*time.Second {
		t.Errorf("the server asked for 7s, got %v", d)
	}
	b.Reset()
	if d := b.Next(0); d != 150*time.Millisecond {
		t.Errorf("after Reset: %v, want 150ms", d)
	}
	b.jitter = func(time.Duration) time.Duration { return 0 }
	b.Reset()
	if d := b.Next(0); d != 100*time.Millisecond {
		t.Errorf("no jitter: %v, want the base", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if Sleep(ctx, time.Hour) {
		t.Error("Sleep on a cancelled context waited")
	}
}

const testToken = "123456:AAbbCCddEEffGGhh-secret_token"

type apiError struct{ code int }

func (e *apiError) Error() string { return fmt.Sprintf("api error %d", e.code) }

type withBytes struct {
	Op      int
	RawData []byte
	inner   *struct{ token string }
	Next    *withBytes
}

func TestRedactor(t *testing.T) {
	r := NewRedactor(testToken, "short").WithInteractionTokens()
	forms := []string{testToken, url.QueryEscape(testToken), base64.StdEncoding.EncodeToString([]byte(testToken)),
		fmt.Sprintf("%x", testToken)}
	for _, f := range forms {
		if got := r.String("GET /bot" + f + "/getMe"); strings.Contains(got, f) || !strings.Contains(got, Redacted) {
			t.Errorf("String left %q: %s", f, got)
		}
	}
	if got := r.String("POST /interactions/123/aW50ZXJhY3Rpb24.tok-en/callback"); got != "POST /interactions/123/"+Redacted+"/callback" {
		t.Errorf("interaction token: %s", got)
	}
	if got := r.String("a short word"); got != "a short word" {
		t.Errorf("a secret under %d bytes blanked text: %s", minSecret, got)
	}

	// Errors: the text is clean, the API error stays reachable, the URL
	// error that quotes the token does not.
	api := &apiError{code: 429}
	err := fmt.Errorf("send: %w", &url.Error{Op: "Post", URL: "https://api/bot" + testToken + "/sendMessage", Err: api})
	red := r.Error(err)
	if strings.Contains(red.Error(), testToken) {
		t.Errorf("Error kept the token: %v", red)
	}
	var got *apiError
	if !errors.As(red, &got) || got.code != 429 {
		t.Error("the API error is not reachable with errors.As")
	}
	var ue *url.Error
	if errors.As(red, &ue) {
		t.Error("the URL error quoting the token is reachable")
	}
	if r.Error(red) != red || r.Error(api) != error(api) || r.Error(nil) != nil {
		t.Error("Error is not the identity on clean or redacted errors")
	}

	// Structured values: %#v of a byte slice prints numbers a string
	// match cannot see; Value's stand-in prints none of the token.
	v := withBytes{Op: 0, RawData: []byte(`{"token":"` + testToken + `"}`), inner: &struct{ token string }{testToken}}
	v.Next = &v // a cycle
	if raw := fmt.Sprintf("%#v", v); r.String(raw) != raw {
		t.Fatal("the test value should defeat string matching")
	}
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		out := fmt.Sprintf(verb, r.Value(v))
		if strings.Contains(out, testToken) || strings.Contains(out, fmt.Sprint([]byte(testToken)[:8])) {
			t.Errorf("%s of Value holds the token: %s", verb, out)
		}
	}
	if out := fmt.Sprintf("%v", r.Args([]any{[]byte(testToken), 7, errors.New(testToken), nil})); strings.Contains(out, testToken) || !strings.Contains(out, "7") {
		t.Errorf("Args: %s", out)
	}
}

func TestRedactingHandler(t *testing.T) {
	r := NewRedactor(testToken)
	for _, h := range []func(*bytes.Buffer) slog.Handler{
		func(b *bytes.Buffer) slog.Handler {
			return slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})
		},
		func(b *bytes.Buffer) slog.Handler {
			return slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})
		},
	} {
		var buf bytes.Buffer
		log := slog.New(r.Handler(h(&buf))).With("token", testToken).WithGroup("g")
		log.Debug("url https://x/bot"+testToken+"/getMe", "err", errors.New("bad "+testToken), "raw", []byte(testToken),
			slog.Group("inner", "s", testToken), "n", 3, "v", withBytes{RawData: []byte(testToken)})
		if strings.Contains(buf.String(), testToken) || !strings.Contains(buf.String(), Redacted) {
			t.Errorf("log line: %s", buf.String())
		}
	}
}

func FuzzRedact(f *testing.F) {
	f.Add("before ", testToken, " after")
	f.Add("", "abcdefgh", "abcdefg")
	f.Add("https://api.telegram.org/bot", "123:abcdefghijk", "/getUpdates?offset=1")
	f.Fuzz(func(t *testing.T, before, secret, after string) {
		if len(secret) < minSecret || strings.Contains(Redacted, secret) || strings.ContainsAny(secret, "[]") {
			return
		}
		r := NewRedactor(secret)
		out := r.String(before + secret + after)
		if strings.Contains(out, secret) {
			t.Fatalf("String(%q) = %q holds the secret", before+secret+after, out)
		}
		if v := fmt.Sprintf("%#v", r.Value([]any{[]byte(before + secret), struct{ S string }{secret + after}})); strings.Contains(v, secret) {
			t.Fatalf("Value holds the secret: %s", v)
		}
	})
}

// Jobs submitted while a key's last job finishes run once each, one at a
// time, in order: a submit in that moment once started a second worker
// for the key, which ran a job twice and then indexed an empty queue.
func TestQueueOneWorkerPerKey(t *testing.T) {
	// The moment is narrow: a few rounds catch the old fault nearly always.
	for range 20 {
		queueRound(t)
	}
}

func queueRound(t *testing.T) {
	q := NewQueue()
	const keys, jobs = 8, 2000
	var ran [keys][]int
	var running [keys]atomic.Int32
	var wg sync.WaitGroup
	for c := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				q.Submit(fmt.Sprint(c), func() {
					if running[c].Add(1) != 1 {
						t.Errorf("key %d: two jobs at once", c)
					}
					ran[c] = append(ran[c], i)
					running[c].Add(-1)
				}, 0)
				if i%7 == 0 {
					runtime.Gosched() // let the queue drain now and then
				}
			}
		}()
	}
	wg.Wait()
	if !q.Wait(context.Background()) {
		t.Fatal("Wait returned early")
	}
	for c := range keys {
		if len(ran[c]) != jobs {
			t.Errorf("key %d: %d jobs ran, want %d", c, len(ran[c]), jobs)
			continue
		}
		for i, j := range ran[c] {
			if i != j {
				t.Errorf("key %d: job %d ran as the %d-th", c, j, i)
				break
			}
		}
	}
	if left := q.Pending(); left != 0 {
		t.Errorf("%d keys still queued", left)
	}
}
