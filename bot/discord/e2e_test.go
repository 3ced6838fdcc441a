package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/discord/discordtest"
	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

// router is the handler of the shared bot: the core, except for questions
// that start with a test's keyword. A "slow" question is answered once
// the test opens its gate.
func router(core bot.Handler, g *gates) bot.Handler {
	return handlerFunc(func(ctx context.Context, m bot.Message) bot.Reply {
		switch {
		case strings.HasPrefix(m.Text, "long:"):
			return longReply()
		case strings.HasPrefix(m.Text, "slowlong:"):
			<-g.gate(m.Text)
			return longReply()
		case strings.HasPrefix(m.Text, "slow:"):
			<-g.gate(m.Text)
			m.Text = strings.TrimPrefix(m.Text, "slow:")
		}
		return core.Handle(ctx, m)
	})
}

// gates hold back the answers to questions until a test opens them.
type gates struct {
	mu sync.Mutex
	m  map[string]chan struct{}
}

// gate is the question's gate, closed once it is open.
func (g *gates) gate(question string) chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.m == nil {
		g.m = map[string]chan struct{}{}
	}
	if g.m[question] == nil {
		g.m[question] = make(chan struct{})
	}
	return g.m[question]
}

// open lets the question be answered.
func (g *gates) open(question string) { close(g.gate(question)) }

// longReply is a reply of about 9000 characters full of Markdown
// characters, with more buttons than fit.
func longReply() bot.Reply {
	r := bot.Reply{Lang: knowledge.EN, Intent: intents.Titles, Answered: true}
	r.Blocks = append(r.Blocks, bot.Block{Kind: bot.Heading, Text: "All *the* _titles_"})
	var items []string
	for i := range 120 {
		items = append(items, fmt.Sprintf("title %03d: **not bold** __not underlined__ ~~not struck~~ `not code` [no](link) <@1234> @everyone # - > |", i))
	}
	r.Blocks = append(r.Blocks, bot.Block{Kind: bot.List, Items: items},
		bot.Block{Kind: bot.Link, Text: "Official profile", URL: "http://www5.hrsdc.gc.ca/NOC/English/NOC/2011/Profile.aspx?val=1&val1=1252"})
	for i := range 30 {
		r.Buttons = append(r.Buttons, bot.Button{Label: fmt.Sprintf("Button %d", i), Data: fmt.Sprintf("i:titles:%d", i)})
	}
	return r
}

// checkLongParts checks the messages of longReply: several, each within
// Discord's limit, every item whole and escaped, buttons (25) on the last
// only.
func checkLongParts(t *testing.T, parts []discordtest.Message) {
	t.Helper()
	if len(parts) < 4 {
		t.Fatalf("%d messages, want the reply split in at least 4", len(parts))
	}
	all := ""
	for k, p := range parts {
		if n := utf8.RuneCountInString(p.Content); n > 2000 || n == 0 {
			t.Errorf("part %d has %d characters", k, n)
		}
		ids := p.CustomIDs()
		if k < len(parts)-1 && len(ids) > 0 {
			t.Errorf("part %d of %d has buttons", k+1, len(parts))
		}
		if k == len(parts)-1 && len(ids) != 25 {
			t.Errorf("last part has %d buttons, want 25", len(ids))
		}
		all += p.Content + "\n"
	}
	for i := range 120 {
		want := fmt.Sprintf(`• title %03d: \*\*not bold\*\* \_\_not underlined\_\_ \~\~not struck\~\~ \`+"`"+`not code\`+"`"+` \[no\]\(link\) \<@1234\> @everyone \# \- \> \|`, i)
		if !strings.Contains(all, want+"\n") {
			t.Fatalf("item %d not found whole and escaped; want line %q", i, want)
		}
	}
	if !strings.HasPrefix(parts[0].Content, `**All \*the\* \_titles\_**`) {
		t.Errorf("heading: %q", parts[0].Content[:40])
	}
	if !strings.Contains(all, "[Official profile](<http://www5.hrsdc.gc.ca/NOC/English/NOC/2011/Profile.aspx?val=1&val1=1252>)") {
		t.Error("link not rendered as a masked link")
	}
}

func bodies(reqs []*discordtest.Request) []discordtest.Message {
	var out []discordtest.Message
	for _, r := range reqs {
		out = append(out, r.Msg())
	}
	return out
}

// TestE2E runs one bot against the fake Discord and checks what users see.
func TestE2E(t *testing.T) {
	t.Parallel()
	slow := &gates{}
	h := startBot(t, setup{handler: router(testCore(t), slow)})
	f := h.f
	// Checks of what no more request may change: once the bot has stopped,
	// every reply in flight is sent.
	var afterStopMu sync.Mutex
	var afterStop []func(t *testing.T)
	whenStopped := func(check func(t *testing.T)) {
		afterStopMu.Lock()
		afterStop = append(afterStop, check)
		afterStopMu.Unlock()
	}

	t.Run("connects and registers localised commands", func(t *testing.T) {
		ids := f.Identifies()
		if len(ids) != 1 || ids[0].Token != "Bot "+testToken {
			t.Fatalf("IDENTIFY: %d identifies, token ok %v", len(ids), len(ids) == 1 && ids[0].Token == "Bot "+testToken)
		}
		if want := 1<<0 | 1<<9 | 1<<12; ids[0].Intents != want {
			t.Errorf("intents %b, want %b (guilds, guild messages, direct messages)", ids[0].Intents, want)
		}
		puts := f.Requests(func(r *discordtest.Request) bool { return r.Method == http.MethodPut })
		if len(puts) != 1 {
			t.Fatalf("%d PUTs, want one bulk overwrite", len(puts))
		}
		if want := "/applications/" + discordtest.AppID + "/guilds/" + discordtest.GuildID + "/commands"; puts[0].Path != want {
			t.Errorf("PUT %s, want %s", puts[0].Path, want)
		}
		checkCommandsBody(t, puts[0].Body)
		if err := h.b.Healthy(); err != nil {
			t.Errorf("Healthy: %v", err)
		}
	})

	t.Run("slash commands", func(t *testing.T) {
		// A bot that never defers: the first reply in a script may load
		// its converter, and how long that takes is the machine's, not
		// the adapter's. Deferral has tests of its own.
		f := startBot(t, setup{deferAfter: time.Hour}).f
		cases := []struct {
			name, cmd   string
			opts        [][2]string
			locale      string
			wantZH      bool
			contains    string
			ephemeral   bool
			wantButtons bool
		}{
			{"ask in Chinese", "ask", [][2]string{{"question", "需要什么学历？"}}, "zh-CN", true, "文凭", false, true},
			{"ask in Chinese, English client", "ask", [][2]string{{"question", "需要什么学历？"}}, "en-US", true, "文凭", false, true},
			{"ask in English, Chinese client", "ask", [][2]string{{"question", "what education do I need?"}}, "zh-CN", false, "diploma", false, true},
			{"duties, zh-CN client", "duties", nil, "zh-CN", true, "NOC 1252", false, true},
			{"duties, zh-TW client", "duties", nil, "zh-TW", true, "NOC 1252", false, true},
			// English is answered from NOC 2021: 1252 continues as 12111.
			{"duties, en-GB client", "duties", nil, "en-GB", false, "NOC 2021 12111", false, true},
			{"noc code", "noc", [][2]string{{"code", "1252"}}, "en-US", false, "NOC 2021 12111", false, true},
			{"help is ephemeral", "help", nil, "zh-CN", true, "/duties", true, true},
			{"lang is ephemeral", "lang", [][2]string{{"language", "zh"}}, "en-US", true, "中文", true, true},
		}
		for k, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				i := f.SlashInteraction(discordtest.InteractionOpts{User: fmt.Sprint(800 + k), Channel: "900000000000000001", Locale: c.locale, Guild: true}, c.cmd, c.opts...)
				f.Dispatch(t, "INTERACTION_CREATE", i)
				cb := f.WaitRequests(1, discordtest.IsCallback(i))[0]
				m := cb.Msg()
				if m.Type != 4 {
					t.Fatalf("callback type %d, want 4 (answered directly)", m.Type)
				}
				if hasHan(m.Content) != c.wantZH || (!c.wantZH && !hasLatinWords(m.Content, 3)) {
					t.Errorf("reply language: want zh=%v, got %q", c.wantZH, m.Content)
				}
				if !strings.Contains(m.Content, c.contains) {
					t.Errorf("reply lacks %q: %q", c.contains, m.Content)
				}
				if got := m.Flags&64 != 0; got != c.ephemeral {
					t.Errorf("ephemeral %v, want %v", got, c.ephemeral)
				}
				if got := len(m.CustomIDs()) > 0; got != c.wantButtons {
					t.Errorf("buttons %v, want %v", got, c.wantButtons)
				}
			})
		}
	})

	t.Run("mentions and direct messages", func(t *testing.T) {
		cases := []struct {
			name     string
			msg      discordtest.MessageOpts
			wantText string
			contains string
		}{
			{"mention in English", discordtest.MessageOpts{Content: "<@" + discordtest.BotID + "> what education do I need?", Guild: true, Mention: true},
				"what education do I need?", "diploma"},
			{"nickname mention", discordtest.MessageOpts{Content: "how do I get promoted? <@!" + discordtest.BotID + ">", Guild: true, Mention: true},
				"how do I get promoted?", "supervisory"},
			{"mention in Chinese", discordtest.MessageOpts{Content: "<@" + discordtest.BotID + "> 怎么晋升？", Guild: true, Mention: true}, "怎么晋升？", "主管"},
			{"direct message", discordtest.MessageOpts{Content: "what are the job titles?"}, "what are the job titles?", "health records technician"},
		}
		for k, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				c.msg.User, c.msg.Channel = fmt.Sprint(810+k), fmt.Sprint(910000000000000000+k)
				ev := f.MessageCreate(c.msg)
				f.Dispatch(t, "MESSAGE_CREATE", ev)
				got := f.WaitRequests(1, discordtest.IsChannelMessage(c.msg.Channel))[0].Msg()
				if !strings.Contains(got.Content, c.contains) {
					t.Errorf("reply lacks %q: %q", c.contains, got.Content)
				}
				if hasHan(c.wantText) != hasHan(got.Content) {
					t.Errorf("reply in the wrong language: %q", got.Content)
				}
				if got.MessageReference == nil || got.MessageReference.MessageID != ev["id"] {
					t.Errorf("not a reply to the message: %+v", got.MessageReference)
				}
				msgs := h.rec.Messages(func(m bot.Message) bool { return m.Chat == c.msg.Channel })
				if len(msgs) != 1 || msgs[0].Text != c.wantText || msgs[0].Platform != "discord" || msgs[0].User != c.msg.User {
					t.Errorf("handler got %+v, want text %q", msgs, c.wantText)
				}
			})
		}
	})

	t.Run("ignores what is not for it", func(t *testing.T) {
		t.Parallel()
		ch := "920000000000000001"
		for _, m := range []discordtest.MessageOpts{
			{User: "820", Content: "<@" + discordtest.BotID + "> hi from a bot", Guild: true, Mention: true, IsBot: true},
			{User: "821", AuthorID: discordtest.BotID, Content: "<@" + discordtest.BotID + "> my own message", Guild: true, Mention: true},
			{User: "822", Content: "what do they do? (not addressed to the bot)", Guild: true},
			{User: "823", Content: "a reply without ping, without the Message Content intent", Guild: true, ReplyToBot: true},
			{User: "824", Content: "<@" + discordtest.BotID + "> what do they do?", Guild: true, Mention: true},
		} {
			m.Channel = ch
			f.Dispatch(t, "MESSAGE_CREATE", f.MessageCreate(m))
		}
		f.WaitRequests(1, discordtest.IsChannelMessage(ch))
	})
	// Checked once the bot has stopped and every handler has returned.
	t.Cleanup(func() {
		h.stop()
		for _, check := range afterStop {
			check(t)
		}
		msgs := h.rec.Messages(func(m bot.Message) bool { return m.Chat == "920000000000000001" })
		if len(msgs) != 1 || msgs[0].User != "824" {
			t.Errorf("handler was given %d messages in the channel of ignored ones, want only user 824's: %+v", len(msgs), msgs)
		}
		if n := len(f.Requests(discordtest.IsChannelMessage("920000000000000001"))); n != 1 {
			t.Errorf("%d replies in the channel of ignored messages, want 1", n)
		}
	})

	t.Run("button press", func(t *testing.T) {
		t.Parallel()
		o := discordtest.InteractionOpts{User: "830", Channel: "930000000000000001", Locale: "en-US", Guild: true}
		first := f.SlashInteraction(o, "duties")
		f.Dispatch(t, "INTERACTION_CREATE", first)
		ids := f.WaitRequests(1, discordtest.IsCallback(first))[0].Msg().CustomIDs()
		var pick string
		for _, id := range ids {
			if strings.Contains(id, string(intents.Requirements)) {
				pick = id
			}
		}
		if pick == "" {
			t.Fatalf("no requirements button among %q", ids)
		}
		press := f.ButtonInteraction(o, pick)
		f.Dispatch(t, "INTERACTION_CREATE", press)
		m := f.WaitRequests(1, discordtest.IsCallback(press))[0].Msg()
		if m.Type != 4 || !strings.Contains(m.Content, "diploma") {
			t.Errorf("button answered with type %d: %q", m.Type, m.Content)
		}
		if msgs := h.rec.Messages(func(m bot.Message) bool { return m.Button == pick }); len(msgs) != 1 || msgs[0].Text != "" {
			t.Errorf("handler got %+v for the button", msgs)
		}

		// A button on an ephemeral answer gets an ephemeral answer.
		o.EphemeralMessage = true
		press = f.ButtonInteraction(o, "lang:zh")
		f.Dispatch(t, "INTERACTION_CREATE", press)
		m = f.WaitRequests(1, discordtest.IsCallback(press))[0].Msg()
		if m.Flags&64 == 0 || !hasHan(m.Content) {
			t.Errorf("button on an ephemeral message: flags %d, %q", m.Flags, m.Content)
		}
	})

	t.Run("long reply to an interaction", func(t *testing.T) {
		t.Parallel()
		i := f.SlashInteraction(discordtest.InteractionOpts{User: "840", Channel: "940000000000000001", Locale: "en-US"}, "ask", [2]string{"question", "long: please"})
		f.Dispatch(t, "INTERACTION_CREATE", i)
		reqs := waitLastPart(t, f, discordtest.IsAnswer(i))
		if len(reqs) < 2 {
			t.Fatalf("%d messages, want several", len(reqs))
		}
		if !strings.HasSuffix(reqs[0].Path, "/callback") || !strings.HasSuffix(reqs[1].Path, "/webhooks/"+discordtest.AppID+"/"+discordtest.InteractionToken(i)) {
			t.Errorf("want the callback then follow-ups, got %s, %s", reqs[0].Path, reqs[1].Path)
		}
		checkLongParts(t, bodies(reqs))
	})

	t.Run("long reply to a mention", func(t *testing.T) {
		t.Parallel()
		ch := "950000000000000001"
		f.Dispatch(t, "MESSAGE_CREATE", f.MessageCreate(discordtest.MessageOpts{User: "850", Channel: ch, Content: "<@" + discordtest.BotID + "> long: please", Guild: true, Mention: true}))
		parts := bodies(waitLastPart(t, f, discordtest.IsChannelMessage(ch)))
		checkLongParts(t, parts)
		for k, p := range parts {
			if (p.MessageReference != nil) != (k == 0) {
				t.Errorf("part %d: reply reference %v", k, p.MessageReference)
			}
		}
	})

	t.Run("429 on a channel message", func(t *testing.T) {
		t.Parallel()
		ch := "960000000000000001"
		f.AddHook(rateLimitOnce(func(r *discordtest.Request) bool { return r.Path == "/channels/"+ch+"/messages" }))
		f.Dispatch(t, "MESSAGE_CREATE", f.MessageCreate(discordtest.MessageOpts{User: "860", Channel: ch, Content: "<@" + discordtest.BotID + "> what do they do?", Guild: true, Mention: true}))
		checkRetriedOnce(t, f, h, whenStopped, func(r *discordtest.Request) bool { return r.Path == "/channels/"+ch+"/messages" })
	})

	t.Run("429 on an interaction response", func(t *testing.T) {
		t.Parallel()
		i := f.SlashInteraction(discordtest.InteractionOpts{User: "861", Channel: "960000000000000002", Locale: "en-US"}, "duties")
		path := "/interactions/" + discordtest.InteractionID(i) + "/" + discordtest.InteractionToken(i) + "/callback"
		f.AddHook(rateLimitOnce(func(r *discordtest.Request) bool { return r.Path == path }))
		f.Dispatch(t, "INTERACTION_CREATE", i)
		checkRetriedOnce(t, f, h, whenStopped, func(r *discordtest.Request) bool { return r.Path == path })
	})

	t.Run("slow answer is deferred then edited", func(t *testing.T) {
		t.Parallel()
		const q = "slow:what education do I need?"
		i := f.SlashInteraction(discordtest.InteractionOpts{User: "870", Channel: "970000000000000001", Locale: "en-US"}, "ask", [2]string{"question", q})
		f.Dispatch(t, "INTERACTION_CREATE", i)
		at := f.DispatchedAt(discordtest.InteractionID(i))
		cb := f.WaitRequests(1, discordtest.IsCallback(i))[0]
		if m := cb.Msg(); m.Type != 5 {
			t.Fatalf("callback type %d, want 5 (deferred)", m.Type)
		}
		// The fake holds the bot to Discord's 3 seconds.
		if d := cb.At.Sub(at); d < DefaultDeferAfter-100*time.Millisecond {
			t.Errorf("deferred %v after the interaction; want about %v", d, DefaultDeferAfter)
		}
		answered := time.Now()
		slow.open(q)
		edit := f.WaitRequests(1, func(r *discordtest.Request) bool {
			return r.Method == http.MethodPatch && strings.Contains(r.Path, discordtest.InteractionToken(i))
		})[0]
		if m := edit.Msg(); !strings.Contains(m.Content, "diploma") || len(m.CustomIDs()) == 0 {
			t.Errorf("edit: %q, buttons %q", m.Content, m.CustomIDs())
		}
		if edit.At.Before(answered) {
			t.Errorf("edited before the handler answered")
		}
	})

	t.Run("replayed late: deferred at once", func(t *testing.T) {
		t.Parallel()
		// Created 2.5 s ago, past DeferAfter: the handler cannot be waited
		// for, and a deferral is the only answer still on time.
		const q = "slow:what are the duties?"
		i := f.SlashInteraction(discordtest.InteractionOpts{User: "871", Channel: "970000000000000003", Locale: "en-US"}, "ask", [2]string{"question", q})
		i["id"] = f.IDAt(time.Now().Add(-2500 * time.Millisecond))
		f.Dispatch(t, "INTERACTION_CREATE", i)
		cb := f.WaitRequests(1, discordtest.IsCallback(i))[0]
		if m := cb.Msg(); m.Type != 5 {
			t.Fatalf("callback type %d, want 5 (deferred)", m.Type)
		}
		slow.open(q)
		f.WaitRequests(1, func(r *discordtest.Request) bool {
			return r.Method == http.MethodPatch && strings.Contains(r.Path, discordtest.InteractionToken(i))
		})
	})

	t.Run("replayed too late: not answered", func(t *testing.T) {
		t.Parallel()
		ch := "970000000000000004"
		i := f.SlashInteraction(discordtest.InteractionOpts{User: "872", Channel: ch, Locale: "en-US"}, "duties")
		i["id"] = f.IDAt(time.Now().Add(-4 * time.Second))
		f.Dispatch(t, "INTERACTION_CREATE", i)
		whenStopped(func(t *testing.T) {
			if n := len(f.Requests(discordtest.IsCallback(i))); n != 0 {
				t.Errorf("an interaction 4 s old was answered %d times", n)
			}
			if msgs := h.rec.Messages(func(m bot.Message) bool { return m.Chat == ch }); len(msgs) != 0 {
				t.Errorf("the handler was asked about an interaction 4 s old: %+v", msgs)
			}
			if !strings.Contains(h.logs.String(), "interaction arrived after Discord's 3 seconds") {
				t.Error("the expired interaction is not logged")
			}
		})
	})

	t.Run("slow long answer: edit and follow-ups", func(t *testing.T) {
		t.Parallel()
		const q = "slowlong:"
		i := f.SlashInteraction(discordtest.InteractionOpts{User: "871", Channel: "970000000000000002", Locale: "en-US"}, "ask", [2]string{"question", q})
		f.Dispatch(t, "INTERACTION_CREATE", i)
		if m := f.WaitRequests(1, discordtest.IsCallback(i))[0].Msg(); m.Type != 5 {
			t.Fatalf("callback type %d, want 5", m.Type)
		}
		slow.open(q)
		reqs := waitLastPart(t, f, discordtest.IsAnswer(i))
		if reqs[0].Method != http.MethodPatch {
			t.Errorf("first part sent with %s %s, want the edit of the original", reqs[0].Method, reqs[0].Path)
		}
		checkLongParts(t, bodies(reqs))
	})
}

// waitLastPart waits for the part of a long reply that carries the
// buttons, the last one, and returns every part so far.
func waitLastPart(t *testing.T, f *discordtest.Server, match func(*discordtest.Request) bool) []*discordtest.Request {
	t.Helper()
	f.Until(func() bool {
		for _, r := range f.Requests(match) {
			if len(r.Msg().CustomIDs()) > 0 {
				return true
			}
		}
		return false
	})
	return f.Requests(match)
}

func rateLimitOnce(match func(*discordtest.Request) bool) *discordtest.Hook {
	return &discordtest.Hook{Match: match, Status: http.StatusTooManyRequests, Times: 1,
		Header: map[string]string{"Retry-After": "1", "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0",
			"X-RateLimit-Reset-After": "0.300", "X-RateLimit-Bucket": "fakebucket", "X-RateLimit-Scope": "user"},
		Body: `{"message": "You are being rate limited.", "retry_after": 0.3, "global": false}`}
}

// checkRetriedOnce checks that a request that got a 429 was sent again
// after the wait, and, once the bot has stopped (whenStopped), that it got
// through exactly once.
func checkRetriedOnce(t *testing.T, f *discordtest.Server, h *harness, whenStopped func(func(*testing.T)), match func(*discordtest.Request) bool) {
	t.Helper()
	f.WaitRequests(1, func(r *discordtest.Request) bool { return match(r) && r.Status < 300 })
	all := f.Requests(match)
	if all[0].Status != 429 {
		t.Fatalf("first attempt: status %d, want the 429", all[0].Status)
	}
	if gap := all[1].At.Sub(all[0].At); gap < 300*time.Millisecond {
		t.Errorf("retried after %v, before retry_after (300 ms)", gap)
	}
	whenStopped(func(t *testing.T) {
		all := f.Requests(match)
		if len(all) != 2 || all[1].Status >= 300 {
			t.Errorf("%d attempts after a 429; want the 429 then one delivery", len(all))
		}
	})
	_, _, _, limited := h.ev.Snapshot()
	if !slices.Contains(limited, 300*time.Millisecond) {
		t.Errorf("RateLimited reported %v, want a wait of 300ms", limited)
	}
}

// checkCommandsBody checks the bulk overwrite: every command of the core
// but /start, plus /ask, lowercase names, zh-CN descriptions on every
// command and option.
func checkCommandsBody(t *testing.T, body []byte) {
	t.Helper()
	var cmds []struct {
		Name                     string            `json:"name"`
		Type                     int               `json:"type"`
		Description              string            `json:"description"`
		DescriptionLocalizations map[string]string `json:"description_localizations"`
		NameLocalizations        map[string]string `json:"name_localizations"`
		Options                  []struct {
			Name                     string            `json:"name"`
			Type                     int               `json:"type"`
			Required                 bool              `json:"required"`
			Autocomplete             bool              `json:"autocomplete"`
			Description              string            `json:"description"`
			DescriptionLocalizations map[string]string `json:"description_localizations"`
			Choices                  []struct {
				Name  string `json:"name"`
				Value string `json:"value"`
			} `json:"choices"`
		} `json:"options"`
	}
	if err := json.Unmarshal(body, &cmds); err != nil {
		t.Fatal(err)
	}
	zh := map[string]string{"ask": askCommand.Description.ZH}
	for _, c := range bot.Commands() {
		zh[c.Name] = c.Description.ZH
	}
	var names []string
	for _, c := range cmds {
		names = append(names, c.Name)
		if !validName(c.Name) || c.Type != 1 {
			t.Errorf("command %q type %d", c.Name, c.Type)
		}
		if c.DescriptionLocalizations["zh-CN"] != zh[c.Name] || zh[c.Name] == "" {
			t.Errorf("/%s: zh-CN description %q, want %q", c.Name, c.DescriptionLocalizations["zh-CN"], zh[c.Name])
		}
		for _, n := range c.NameLocalizations {
			if !validName(n) {
				t.Errorf("/%s: localised name %q", c.Name, n)
			}
		}
		if c.Description == "" || utf8.RuneCountInString(c.Description) > 100 {
			t.Errorf("/%s: description %q", c.Name, c.Description)
		}
		for _, o := range c.Options {
			if o.Type != 3 || !validName(o.Name) || o.Description == "" || !hasHan(o.DescriptionLocalizations["zh-CN"]) {
				t.Errorf("/%s %s: %+v", c.Name, o.Name, o)
			}
			if (c.Name == "ask" || c.Name == "match") != o.Required {
				t.Errorf("/%s %s: required %v", c.Name, o.Name, o.Required)
			}
			// What names an occupation is searched while typing; a description
			// of duties (/match) is not.
			if o.Autocomplete != (c.Name != "lang" && c.Name != "match") {
				t.Errorf("/%s %s: autocomplete %v", c.Name, o.Name, o.Autocomplete)
			}
		}
		switch c.Name {
		case "help":
			if len(c.Options) != 0 {
				t.Errorf("/%s has options", c.Name)
			}
		default:
			if len(c.Options) != 1 {
				t.Errorf("/%s has %d options, want 1", c.Name, len(c.Options))
			}
		}
		if c.Name == "lang" && len(c.Options) == 1 {
			var vals []string
			for _, ch := range c.Options[0].Choices {
				vals = append(vals, ch.Value)
			}
			if !slices.Equal(vals, []string{"en", "zh"}) {
				t.Errorf("/lang choices %q", vals)
			}
		}
	}
	want := []string{"ask", "help", "noc", "duties", "education", "advance", "titles", "related", "source", "match", "lang"}
	if !slices.Equal(names, want) {
		t.Errorf("commands %q, want %q", names, want)
	}
}

func validName(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r > 0x2e80) {
			return false
		}
	}
	return true
}

// TestGlobalCommandsProxyAndMessageContent: without a server id the
// commands are global; with MessageContent the intent is asked for and a
// reply to the bot without a ping is answered; with APIURL (and no HTTP
// client of the test's) every REST call goes to it.
func TestGlobalCommandsProxyAndMessageContent(t *testing.T) {
	t.Parallel()
	h := startBot(t, setup{
		fake: func(f *discordtest.Server) { f.WantIntents = int(gatewayIntents(true)) },
		cfg: func(c *Config, f *discordtest.Server) {
			c.GuildID, c.MessageContent, c.HTTPClient = "", true, nil
			c.APIURL = f.URL() + "/proxy/"
		},
	})
	f := h.f
	got := f.Identifies()[0].Intents
	if want := 1<<0 | 1<<9 | 1<<12 | 1<<15; got != want {
		t.Errorf("intents %b, want %b", got, want)
	}
	puts := f.Requests(func(r *discordtest.Request) bool { return r.Method == http.MethodPut })
	if len(puts) != 1 || puts[0].Path != "/applications/"+discordtest.AppID+"/commands" {
		t.Fatalf("PUTs %d, first %s; want one to the global commands", len(puts), puts[0].Path)
	}
	checkCommandsBody(t, puts[0].Body)

	ch := "980000000000000001"
	f.Dispatch(t, "MESSAGE_CREATE", f.MessageCreate(discordtest.MessageOpts{User: "880", Channel: ch, Content: "and the education?", Guild: true, ReplyToBot: true}))
	f.Dispatch(t, "MESSAGE_CREATE", f.MessageCreate(discordtest.MessageOpts{User: "881", Channel: ch, Content: "not for the bot", Guild: true}))
	if m := f.WaitRequests(1, discordtest.IsChannelMessage(ch))[0].Msg(); !strings.Contains(m.Content, "diploma") {
		t.Errorf("reply to the bot answered with %q", m.Content)
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	if n := len(f.Requests(discordtest.IsChannelMessage(ch))); n != 1 {
		t.Errorf("%d replies, want 1 (the message not for the bot ignored)", n)
	}
	for _, r := range f.Requests(func(*discordtest.Request) bool { return true }) {
		if r.Prefix != "/proxy" {
			t.Errorf("%s %s went to %q, not the proxy", r.Method, r.Path, r.Prefix)
		}
	}
}
