package discord

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/nocbot/nocbot/bot/discord/discordtest"
)

// TestConcurrentSessionUpdates: a user sends /lang zh and /noc 1252 at
// once, then /duties with an English client. Each of the first two
// changes the user's session; answered at the same time, one would
// overwrite the other's change (a lost language choice showed as an
// English /duties 38 times in 2,000). One conversation's messages are
// answered one at a time, in the order they arrived, so none is lost.
func TestConcurrentSessionUpdates(t *testing.T) {
	t.Parallel()
	h := startBot(t, setup{})
	f := h.f
	// Every answer is seen once as it is accepted: no rescanning of the
	// fake's request log while thousands arrive.
	var mu sync.Mutex
	answers := map[string]string{} // callback path → content
	accepted := make(chan struct{}, 64)
	f.OnRequest(func(r *discordtest.Request) {
		if !strings.HasSuffix(r.Path, "/callback") || r.Status >= 300 || r.Msg().Type != 4 {
			return
		}
		mu.Lock()
		answers[r.Path] = r.Msg().Content
		mu.Unlock()
		accepted <- struct{}{}
	})
	// In batches, as users would send them: all 6,000 at once would be
	// more than Discord's 3 seconds allow any bot on two cores.
	const rounds, batch = 2000, 50
	channel := "1300000000000000001"
	var duties []string
	for i := range rounds {
		o := discordtest.InteractionOpts{User: fmt.Sprint(4000000 + i), Channel: channel, Locale: "en-US", Guild: true}
		f.Dispatch(t, "INTERACTION_CREATE", f.SlashInteraction(o, "lang", [2]string{"language", "zh"}))
		f.Dispatch(t, "INTERACTION_CREATE", f.SlashInteraction(o, "noc", [2]string{"code", "1252"}))
		d := f.SlashInteraction(o, "duties")
		duties = append(duties, "/interactions/"+discordtest.InteractionID(d)+"/"+discordtest.InteractionToken(d)+"/callback")
		f.Dispatch(t, "INTERACTION_CREATE", d)
		if (i+1)%batch == 0 {
			for range 3 * batch {
				<-accepted
			}
		}
	}
	lost := 0
	for i, path := range duties {
		text, ok := answers[path]
		if !ok {
			t.Fatalf("round %d: /duties not answered", i)
		}
		if !hasHan(text) || !strings.Contains(text, "1252") {
			lost++
			if lost == 1 {
				t.Logf("round %d: /duties after /lang zh answered %q", i, text)
			}
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d users lost a session update", lost, rounds)
	}
	if v := f.Violations(); len(v) > 0 {
		t.Errorf("Discord's rules broken %d times, first: %s", len(v), v[0])
	}
}
