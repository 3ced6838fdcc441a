package discord

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/discord/discordtest"
)

// testCore is the real core on the fixture set, with sessions of its
// own.
func testCore(t testing.TB) *bot.Core { return bottest.Core(t, bot.Config{}) }

// handlerFunc adapts a function to Handler.
type handlerFunc func(context.Context, bot.Message) bot.Reply

func (f handlerFunc) Handle(ctx context.Context, m bot.Message) bot.Reply { return f(ctx, m) }

const testToken = "MTAwMDAwMDAwMDAwMDAwMDAx.Gx7abc.s3cr3t-T0KEN_value_do-not-log"

// harness is a Bot connected to a fake Discord.
type harness struct {
	f    *discordtest.Server
	b    *Bot
	ev   *bottest.Events
	rec  *bottest.Recorder
	logs *bottest.LogBuffer
	// stop cancels Run and waits for it; a second call returns what the
	// first got.
	stop func() error
}

type setup struct {
	cfg     func(*Config, *discordtest.Server)
	fake    func(*discordtest.Server)
	handler bot.Handler // nil: the core
	// deferAfter, when set, replaces DeferAfter beyond what New allows:
	// a test of what the reply is, not of how soon the core gives it.
	deferAfter time.Duration
}

func startBot(t testing.TB, s setup) *harness {
	t.Helper()
	f := discordtest.NewServer(t, testToken)
	f.WantIntents = int(gatewayIntents(false))
	if s.fake != nil {
		s.fake(f)
	}
	cfg := Config{Token: testToken, AppID: discordtest.AppID, GuildID: discordtest.GuildID, HTTPClient: f.Client()}
	if s.cfg != nil {
		s.cfg(&cfg, f)
	}
	next := s.handler
	if next == nil {
		next = testCore(t)
	}
	h := &harness{f: f, ev: &bottest.Events{}, rec: &bottest.Recorder{Next: next}, logs: &bottest.LogBuffer{}}
	b, err := New(cfg, h.rec, h.ev, h.logs.Logger())
	if err != nil {
		t.Fatal(err)
	}
	if s.deferAfter > 0 {
		b.cfg.DeferAfter = s.deferAfter
	}
	h.b = b
	h.stop = bottest.Run(t, b.Run)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("DEBUG bot logs:\n%s", h.logs.String())
		}
		if err := h.stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	// The commands are registered once the gateway is open and READY
	// handled: the bot serves from then on.
	f.WaitRequests(1, discordtest.IsCommands)
	return h
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
