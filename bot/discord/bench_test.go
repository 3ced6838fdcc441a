package discord

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/discord/discordtest"
	"github.com/nocbot/nocbot/knowledge"
)

// BenchmarkInteractions measures slash commands end to end against the
// fake Discord: the fake gateway sends INTERACTION_CREATE, the bot asks the
// handler and answers, the fake REST API receives the callback. It reports
// interactions answered per second and the time from the frame being sent
// to the callback arriving (p50, p99).
//
// sequential: one interaction at a time, so the latency is the bot's alone;
// burst: up to 64 in flight, so the rate is the bot's capacity (and the
// latency includes waiting for a turn). handler core is the real core on
// the fixture set (home occupation 1252); stub answers at once.
func BenchmarkInteractions(b *testing.B) {
	core := testCore(b)
	stub := handlerFunc(func(_ context.Context, m bot.Message) bot.Reply {
		return bot.Reply{Lang: knowledge.EN, Blocks: []bot.Block{{Kind: bot.Paragraph, Text: "ok"}}}
	})
	for _, h := range []struct {
		name string
		h    bot.Handler
	}{{"core", core}, {"stub", stub}} {
		for _, window := range []int{1, 64} {
			name := "sequential"
			if window > 1 {
				name = fmt.Sprintf("burst%d", window)
			}
			b.Run(h.name+"/"+name, func(b *testing.B) { benchInteractions(b, h.h, window, nil) })
		}
	}
}

// BenchmarkAutocomplete measures autocomplete end to end against the fake
// Discord as BenchmarkInteractions does slash commands: from the
// INTERACTION_CREATE frame (type 4) being sent to the choices (callback
// type 8) arriving, searching the fixture set as a user types.
func BenchmarkAutocomplete(b *testing.B) {
	typed := []string{"n", "nu", "nur", "nurse", "w", "we", "wel", "weld", "1", "12", "121", "1211", "护", "护士", "病历", "helth"}
	for _, window := range []int{1, 64} {
		b.Run(fmt.Sprintf("window%d", window), func(b *testing.B) {
			benchInteractions(b, testCore(b), window, func(f *discordtest.Server, n int) map[string]any {
				return f.AutocompleteInteraction(discordtest.InteractionOpts{User: fmt.Sprint(2000 + n%500), Channel: "2100000000000000001", Locale: "en-US"},
					"noc", "code", typed[n%len(typed)])
			})
		})
	}
}

// benchInteractions sends b.N interactions, up to window at a time: /ask
// questions, or those interaction makes.
func benchInteractions(b *testing.B, h bot.Handler, window int, interaction func(f *discordtest.Server, n int) map[string]any) {
	var finder Finder
	if interaction != nil {
		lib, _ := bottest.Matcher(b)
		finder = bot.NewFinder(lib)
	}
	hs := startBot(b, setup{handler: h, cfg: func(c *Config, _ *discordtest.Server) { c.MaxConcurrent = 64; c.Finder = finder }})
	f := hs.f
	callbacks := make(chan *discordtest.Request, b.N+1)
	f.OnRequest(func(r *discordtest.Request) {
		if strings.HasSuffix(r.Path, "/callback") {
			callbacks <- r
		}
	})
	questions := []string{"需要什么学历？", "what do they do?", "怎么晋升？", "what are the job titles?"}
	ids := make([]string, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	sent, got := 0, 0
	lat := make([]time.Duration, 0, b.N)
	for got < b.N {
		for sent < b.N && sent-got < window {
			var i map[string]any
			if interaction != nil {
				i = interaction(f, sent)
			} else {
				i = f.SlashInteraction(discordtest.InteractionOpts{User: fmt.Sprint(2000 + sent%500), Channel: "2100000000000000001", Locale: "en-US"},
					"ask", [2]string{"question", questions[sent%len(questions)]})
			}
			ids[sent] = discordtest.InteractionID(i)
			f.Dispatch(b, "INTERACTION_CREATE", i)
			sent++
		}
		r := <-callbacks
		if r.Status >= 300 {
			b.Fatalf("callback refused: %d %s", r.Status, r.Body)
		}
		id := strings.Split(r.Path, "/")[2]
		lat = append(lat, r.At.Sub(f.DispatchedAt(id)))
		got++
	}
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "interactions/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
