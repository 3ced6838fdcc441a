package discord

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/discord/discordtest"
	"github.com/nocbot/nocbot/knowledge"
)

// TestReconnect breaks the gateway connection: discordgo reconnects, by
// RESUME or, when the fake refuses it, by a new IDENTIFY, and a later
// interaction is answered.
func TestReconnect(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name       string
		reject     bool
		want       string
		identifies int
	}{
		{"resume", false, "RESUMED", 1},
		{"identify again", true, "READY", 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h := startBot(t, setup{fake: func(f *discordtest.Server) { f.RejectResume = c.reject }})
			f := h.f
			before := f.SlashInteraction(discordtest.InteractionOpts{User: "1001", Channel: "1100000000000000001", Locale: "en-US"}, "duties")
			f.Dispatch(t, "INTERACTION_CREATE", before)
			f.WaitRequests(1, discordtest.IsCallback(before))

			f.Drop()
			f.WaitConnected(2)
			readies, resumes, identifies := f.Readies(), f.Resumes(), len(f.Identifies())
			if readies[1] != c.want || resumes != 1 || identifies != c.identifies {
				t.Errorf("after the drop: %v, %d resumes, %d identifies; want %s, 1 resume, %d identifies", readies, resumes, identifies, c.want, c.identifies)
			}

			after := f.SlashInteraction(discordtest.InteractionOpts{User: "1002", Channel: "1100000000000000001", Locale: "zh-CN"}, "ask", [2]string{"question", "需要什么学历？"})
			f.Dispatch(t, "INTERACTION_CREATE", after)
			if m := f.WaitRequests(1, discordtest.IsCallback(after))[0].Msg(); m.Type != 4 || !strings.Contains(m.Content, "文凭") {
				t.Errorf("after reconnecting: type %d %q", m.Type, m.Content)
			}
			// READY or RESUMED is handled before the gateway's next event,
			// so the bot answering that event is serving again.
			if err := h.b.Healthy(); err != nil {
				t.Errorf("Healthy after reconnecting: %v", err)
			}
			if !strings.Contains(h.logs.String(), "gateway disconnected") {
				t.Error("the disconnection was not logged")
			}
		})
	}
}

// TestNoTokenInLogsOrErrors provokes every log line and error that could
// carry the token (a REST error quoting it, discordgo's warnings on a
// broken connection, a rate limit on an interaction URL, a refused token)
// and checks that none does.
func TestNoTokenInLogsOrErrors(t *testing.T) {
	t.Parallel()
	h := startBot(t, setup{})
	f := h.f
	ch := "1200000000000000001"
	f.AddHook(&discordtest.Hook{Match: func(r *discordtest.Request) bool { return r.Path == "/channels/"+ch+"/messages" }, Status: 400, Times: -1,
		Body: discordtest.APIError(50035, "Invalid Form Body for Authorization: Bot "+testToken)})
	f.Dispatch(t, "MESSAGE_CREATE", f.MessageCreate(discordtest.MessageOpts{User: "1201", Channel: ch, Content: "hello", Mention: true, Guild: true}))

	i := f.SlashInteraction(discordtest.InteractionOpts{User: "1202", Channel: ch, Locale: "en-US"}, "help")
	path := "/interactions/" + discordtest.InteractionID(i) + "/" + discordtest.InteractionToken(i) + "/callback"
	f.AddHook(rateLimitOnce(func(r *discordtest.Request) bool { return r.Path == path }))
	f.Dispatch(t, "INTERACTION_CREATE", i)
	f.WaitRequests(1, discordtest.IsCallback(i))

	f.Drop()
	f.WaitConnected(2)
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	_, _, failed, _ := h.ev.Snapshot()
	if len(failed) != 1 {
		t.Fatalf("%d send failures reported, want 1", len(failed))
	}

	// A bot whose token is refused.
	f2 := discordtest.NewServer(t, "another-token")
	base := f2.URL()
	logs := &bottest.LogBuffer{}
	b, err := New(Config{Token: "Bot " + testToken, AppID: discordtest.AppID, APIURL: base}, testCore(t), nil, logs.Logger())
	if err != nil {
		t.Fatal(err)
	}
	runErr := b.Run(context.Background())
	if runErr == nil || !strings.Contains(runErr.Error(), "401") {
		t.Fatalf("Run with a refused token: %v, want a 401 error", runErr)
	}

	all := h.logs.String() + logs.String()
	texts := map[string]string{"logs": all, "Run error": runErr.Error(), "SendFailed error": failed[0].Error(), "Healthy": b.Healthy().Error()}
	for what, s := range texts {
		if strings.Contains(s, testToken) || strings.Contains(s, "s3cr3t") {
			t.Errorf("%s hold the token:\n%s", what, s)
		}
		if strings.Contains(s, discordtest.InteractionToken(i)) {
			t.Errorf("%s hold an interaction token:\n%s", what, s)
		}
	}
	for _, want := range []string{"discordgo:", "[redacted]", "discord send failed", "rate limited"} {
		if !strings.Contains(all, want) {
			t.Errorf("logs lack %q: the test did not provoke what it checks:\n%s", want, all)
		}
	}
	if !strings.Contains(failed[0].Error(), "[redacted]") || !strings.Contains(runErr.Error(), "[redacted]") {
		t.Errorf("errors not redacted: %q, %q", failed[0], runErr)
	}
}

// TestGatewayFailures: errors retrying cannot fix end Run at once with an
// explanation; others are retried.
func TestGatewayFailures(t *testing.T) {
	t.Parallel()
	t.Run("disallowed intents", func(t *testing.T) {
		t.Parallel()
		f := discordtest.NewServer(t, testToken)
		f.CloseCode = 4014
		b, err := New(Config{Token: testToken, AppID: discordtest.AppID, APIURL: f.URL(), MessageContent: true}, testCore(t), nil, (&bottest.LogBuffer{}).Logger())
		if err != nil {
			t.Fatal(err)
		}
		err = b.Run(context.Background())
		if err == nil || !strings.Contains(err.Error(), "4014") || !strings.Contains(err.Error(), "Message Content") {
			t.Fatalf("Run: %v, want the 4014 close explained", err)
		}
		// It gave up at once: no second try.
		if n := len(f.Identifies()); n != 1 {
			t.Errorf("%d IDENTIFYs before Run gave up, want 1", n)
		}
		if b.Healthy() == nil {
			t.Error("Healthy after a failed Run")
		}
	})
	t.Run("gateway lookup fails once", func(t *testing.T) {
		t.Parallel()
		h := startBot(t, setup{fake: func(f *discordtest.Server) {
			f.AddHook(&discordtest.Hook{Match: func(r *discordtest.Request) bool { return r.Path == "/gateway" }, Status: 500, Times: 1, Body: discordtest.APIError(0, "oops")})
		}})
		if n := len(h.f.Requests(func(r *discordtest.Request) bool { return r.Path == "/gateway" })); n != 2 {
			t.Errorf("%d gateway lookups, want 2", n)
		}
		if !strings.Contains(h.logs.String(), "retrying") {
			t.Error("the failure was not logged")
		}
	})
}

// TestSendFailures: a message Discord refuses is logged and reported, once
// per message lost.
func TestSendFailures(t *testing.T) {
	t.Parallel()
	h := startBot(t, setup{handler: router(testCore(t), &gates{})})
	f := h.f
	failures := func() int { _, _, failed, _ := h.ev.Snapshot(); return len(failed) }
	sent := func() int { _, n, _, _ := h.ev.Snapshot(); return n }
	waitFailures := func(t *testing.T, n int) {
		t.Helper()
		h.ev.Until(func() bool { return failures() >= n })
		if got := failures(); got != n {
			t.Fatalf("%d failures reported, want %d", got, n)
		}
	}

	t.Run("server error on a channel message", func(t *testing.T) {
		ch := "1300000000000000001"
		f.AddHook(&discordtest.Hook{Match: func(r *discordtest.Request) bool { return r.Path == "/channels/"+ch+"/messages" }, Status: 500, Times: -1, Body: discordtest.APIError(0, "500: Internal Server Error")})
		f.Dispatch(t, "MESSAGE_CREATE", f.MessageCreate(discordtest.MessageOpts{User: "1301", Channel: ch, Content: "what do they do?"}))
		waitFailures(t, 1)
		if sent() != 0 {
			t.Errorf("%d sent", sent())
		}
	})
	t.Run("interaction expired", func(t *testing.T) {
		i := f.SlashInteraction(discordtest.InteractionOpts{User: "1302", Channel: "1300000000000000002", Locale: "en-US"}, "duties")
		path := "/interactions/" + discordtest.InteractionID(i) + "/" + discordtest.InteractionToken(i) + "/callback"
		f.AddHook(&discordtest.Hook{Match: func(r *discordtest.Request) bool { return r.Path == path }, Status: 404, Times: 1, Body: discordtest.APIError(10062, "Unknown interaction")})
		f.Dispatch(t, "INTERACTION_CREATE", i)
		waitFailures(t, 2)
		if !strings.Contains(h.logs.String(), "interaction expired") {
			t.Error("no hint about the expired interaction in the log")
		}
	})
	t.Run("follow-up refused", func(t *testing.T) {
		i := f.SlashInteraction(discordtest.InteractionOpts{User: "1303", Channel: "1300000000000000003", Locale: "en-US"}, "ask", [2]string{"question", "long:"})
		wh := "/webhooks/" + discordtest.AppID + "/" + discordtest.InteractionToken(i)
		f.AddHook(&discordtest.Hook{Match: func(r *discordtest.Request) bool { return r.Path == wh }, Status: 403, Times: -1, Body: discordtest.APIError(50001, "Missing Access")})
		f.Dispatch(t, "INTERACTION_CREATE", i)
		parts := len(render(longReply()).parts)
		waitFailures(t, 2+parts-1)
		if sent() != 1 {
			t.Errorf("%d sent, want 1 (the first part)", sent())
		}
		if n := len(f.Requests(func(r *discordtest.Request) bool { return r.Path == wh })); n != 1 {
			t.Errorf("%d follow-ups tried after the first was refused, want 1", n)
		}
	})
}

// TestShutdown: Run waits for the replies in flight, but not forever.
func TestShutdown(t *testing.T) {
	t.Parallel()
	t.Run("waits for replies in flight", func(t *testing.T) {
		t.Parallel()
		started, release := make(chan struct{}), make(chan struct{})
		var once sync.Once
		h := startBot(t, setup{handler: handlerFunc(func(ctx context.Context, m bot.Message) bot.Reply {
			once.Do(func() { close(started) })
			<-release
			return bot.Reply{Lang: knowledge.EN, Blocks: []bot.Block{{Kind: bot.Paragraph, Text: "late but here"}}}
		})})
		ch := "1400000000000000001"
		h.f.Dispatch(t, "MESSAGE_CREATE", h.f.MessageCreate(discordtest.MessageOpts{User: "1401", Channel: ch, Content: "hi"}))
		<-started
		stopped := make(chan error, 1)
		go func() { stopped <- h.stop() }()
		// Shutdown has begun once the gateway is closed; the reply is
		// still held.
		h.f.Until(func() bool { return !h.f.Connected() })
		select {
		case <-stopped:
			t.Fatal("Run returned with a reply in flight")
		default:
		}
		close(release)
		if err := <-stopped; err != nil {
			t.Fatal(err)
		}
		if n := len(h.f.Requests(discordtest.IsChannelMessage(ch))); n != 1 {
			t.Errorf("%d replies sent before Run returned, want 1", n)
		}
		if err := h.b.Healthy(); err == nil || !strings.Contains(err.Error(), "stopped") {
			t.Errorf("Healthy after Run: %v", err)
		}
	})
	t.Run("gives up after the timeout", func(t *testing.T) {
		t.Parallel()
		started, cancelled := make(chan struct{}), make(chan struct{})
		var once sync.Once
		h := startBot(t, setup{
			cfg: func(c *Config, _ *discordtest.Server) { c.ShutdownTimeout = 200 * time.Millisecond },
			// A handler that never answers: only the cancel of its
			// context ends it.
			handler: handlerFunc(func(ctx context.Context, m bot.Message) bot.Reply {
				once.Do(func() { close(started) })
				<-ctx.Done()
				close(cancelled)
				return bot.Reply{}
			})})
		h.f.Dispatch(t, "MESSAGE_CREATE", h.f.MessageCreate(discordtest.MessageOpts{User: "1402", Channel: "1400000000000000002", Content: "hi"}))
		<-started
		// Run returns although the handler never would.
		if err := h.stop(); err != nil {
			t.Fatal(err)
		}
		<-cancelled
		if !strings.Contains(h.logs.String(), "abandoned") {
			t.Error("abandoned replies not logged")
		}
	})
	t.Run("not started", func(t *testing.T) {
		b, err := New(Config{Token: testToken}, testCore(t), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Healthy(); err == nil || !strings.Contains(err.Error(), "not started") {
			t.Errorf("Healthy before Run: %v", err)
		}
	})
}

// TestConcurrencyBound: no more than MaxConcurrent messages are handled at
// once, and the rest wait their turn.
func TestConcurrencyBound(t *testing.T) {
	t.Parallel()
	// Each handler holds its slot until the test lets one go, and only
	// when two are held: with no bound, the rest would come in meanwhile.
	var mu sync.Mutex
	changed := sync.NewCond(&mu)
	var active, peak, entered int
	next := make(chan struct{})
	h := startBot(t, setup{
		cfg: func(c *Config, _ *discordtest.Server) { c.MaxConcurrent = 2 },
		handler: handlerFunc(func(ctx context.Context, m bot.Message) bot.Reply {
			mu.Lock()
			active++
			entered++
			peak = max(peak, active)
			changed.Broadcast()
			mu.Unlock()
			<-next
			mu.Lock()
			active--
			mu.Unlock()
			return bot.Reply{Lang: knowledge.EN, Blocks: []bot.Block{{Kind: bot.Paragraph, Text: "ok " + m.Text}}}
		})})
	ch := "1500000000000000001"
	const messages = 6
	for k := range messages {
		h.f.Dispatch(t, "MESSAGE_CREATE", h.f.MessageCreate(discordtest.MessageOpts{User: "150" + string(rune('0'+k)), Channel: ch, Content: "q"}))
	}
	for released := range messages {
		mu.Lock()
		for active < min(2, messages-released) {
			changed.Wait()
		}
		mu.Unlock()
		next <- struct{}{}
	}
	h.f.WaitRequests(messages, discordtest.IsChannelMessage(ch))
	mu.Lock()
	defer mu.Unlock()
	if peak != 2 || entered != messages {
		t.Errorf("peak of %d handled at once, want 2 (%d handled)", peak, entered)
	}
	if n := len(h.f.Requests(func(r *discordtest.Request) bool { return r.Method == http.MethodPost && r.Status >= 300 })); n != 0 {
		t.Errorf("%d requests refused", n)
	}
}
