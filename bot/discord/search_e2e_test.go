package discord

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/discord/discordtest"
	"github.com/nocbot/nocbot/knowledge"
)

// withFinder gives the bot the occupation search over the fixture set.
func withFinder(t testing.TB) func(*Config, *discordtest.Server) {
	lib, _ := bottest.Matcher(t)
	finder := bot.NewFinder(lib)
	// Loads its script converters before any interaction's 3 seconds run,
	// as serve's warm-up does: autocomplete cannot be deferred.
	finder.Find("護士", knowledge.ZH)
	return func(c *Config, _ *discordtest.Server) { c.Finder = finder }
}

func choiceValues(cs []discordtest.Choice) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprint(c.Value))
	}
	return out
}

// Typing in an option that names an occupation gets up to 25 choices
// within Discord's 3 seconds, in the user's locale; choosing one opens the
// profile with its section buttons and the share link.
func TestAutocompleteE2E(t *testing.T) {
	t.Parallel()
	h := startBot(t, setup{cfg: withFinder(t)})
	f := h.f
	channel := "910000000000000001"
	type want struct {
		values []string
		first  string // the first choice's name
		zh     bool
	}
	tests := []struct {
		name, cmd, option, typed, locale string
		want                             want
	}{
		{"noc, English", "noc", "code", "nur", "en-US", want{values: []string{"31301", "40010"}, first: "31301 Registered nurses and registered psychiatric nurses"}},
		{"noc, zh-CN gets Chinese names", "noc", "code", "nurse", "zh-CN", want{values: []string{"31301"}, first: "31301 注册护士和注册精神科护士", zh: true}},
		{"noc, Chinese typed, English client", "noc", "code", "病历", "en-GB", want{values: []string{"12111"}, first: "12111 卫生信息管理职业", zh: true}},
		{"noc, Traditional typed", "noc", "code", "護士", "zh-TW", want{values: []string{"31301"}, first: "31301 註冊護士和註冊精神科護士", zh: true}},
		{"noc, code prefix", "noc", "code", "1211", "en-US", want{values: []string{"12111", "12112"}}},
		{"duties, occupation option", "duties", occupationOption, "weld", "en-US", want{values: []string{"72106"}, first: "72106 Welders and related machine operators"}},
		{"ask names an occupation", "ask", "question", "what do welders do", "en-US", want{values: []string{"what do welders do (NOC 72106)"}}},
		{"ask names no occupation", "ask", "question", "what education do I need", "en-US", want{}},
		{"nothing matches", "noc", "code", "zzzzqqq", "en-US", want{}},
		{"only punctuation", "noc", "code", "?!…。", "zh-CN", want{}},
		{"invalid UTF-8", "noc", "code", "\xff\xfeweld", "en-US", want{values: []string{"72106"}}},
		{"1,000 characters", "noc", "code", strings.Repeat("n", 1000), "en-US", want{}},
		{"1,000 characters of a word", "ask", "question", strings.Repeat("welder ", 143), "en-US", want{}},
		{"lang is not searched", "lang", "language", "en", "en-US", want{}},
	}
	for k, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			i := f.AutocompleteInteraction(discordtest.InteractionOpts{User: fmt.Sprint(3000 + k), Channel: channel, Locale: tt.locale, Guild: true}, tt.cmd, tt.option, tt.typed)
			f.Dispatch(t, "INTERACTION_CREATE", i)
			cb := f.WaitRequests(1, discordtest.IsCallback(i))[0]
			if m := cb.Msg(); m.Type != 8 {
				t.Fatalf("callback type %d, want 8", m.Type)
			}
			cs := cb.Choices()
			if got := choiceValues(cs); !slices.Equal(got, tt.want.values) {
				t.Errorf("choices %v, want %v", got, tt.want.values)
			}
			if tt.want.first != "" && (len(cs) == 0 || cs[0].Name != tt.want.first) {
				t.Errorf("first choice %+v, want %q", cs, tt.want.first)
			}
			for _, c := range cs {
				if hasHan(c.Name) != (tt.want.zh || hasHan(tt.typed)) && tt.cmd != "ask" {
					t.Errorf("choice %q: want Chinese %v", c.Name, tt.want.zh)
				}
				if utf8.RuneCountInString(c.Name) > 100 {
					t.Errorf("choice name of %d characters", utf8.RuneCountInString(c.Name))
				}
			}
		})
	}

	t.Run("choosing opens the profile", func(t *testing.T) {
		t.Parallel()
		for k, locale := range []string{"en-US", "zh-CN"} {
			i := f.SlashInteraction(discordtest.InteractionOpts{User: fmt.Sprint(3100 + k), Channel: channel, Locale: locale, Guild: true}, "noc", [2]string{"code", "31301"})
			f.Dispatch(t, "INTERACTION_CREATE", i)
			m := f.WaitRequests(1, discordtest.IsCallback(i))[0].Msg()
			if !strings.Contains(m.Content, "31301") || hasHan(m.Content) != (locale == "zh-CN") {
				t.Errorf("%s: reply %q", locale, m.Content)
			}
			var link string
			for _, r := range m.Rows() {
				for _, c := range r.Components {
					if c.Style == 5 {
						link = c.URL
					}
				}
			}
			if len(m.CustomIDs()) < 2 || !strings.Contains(link, "code=31301") {
				t.Errorf("%s: buttons %v, share link %q", locale, m.CustomIDs(), link)
			}
		}
	})

	t.Run("choosing an /ask choice answers about that occupation", func(t *testing.T) {
		t.Parallel()
		i := f.SlashInteraction(discordtest.InteractionOpts{User: "3201", Channel: channel, Locale: "en-US", Guild: true}, "ask", [2]string{"question", "what do welders do (NOC 72106)"})
		f.Dispatch(t, "INTERACTION_CREATE", i)
		m := f.WaitRequests(1, discordtest.IsCallback(i))[0].Msg()
		if !strings.Contains(m.Content, "72106") || !strings.Contains(m.Content, "Welders") {
			t.Errorf("/ask what do welders do (NOC 72106): %q", m.Content)
		}
	})

	t.Run("a value typed with spaces is a title", func(t *testing.T) {
		t.Parallel()
		i := f.SlashInteraction(discordtest.InteractionOpts{User: "3200", Channel: channel, Locale: "en-US", Guild: true}, "duties", [2]string{occupationOption, "registered nurse"})
		f.Dispatch(t, "INTERACTION_CREATE", i)
		m := f.WaitRequests(1, discordtest.IsCallback(i))[0].Msg()
		if !strings.Contains(m.Content, "31301") {
			t.Errorf("/duties registered nurse: %q", m.Content)
		}
	})
}

// An autocomplete that reaches the bot after its 3 seconds (replayed after
// a reconnect) is not answered: Discord would refuse the answer.
func TestAutocompleteExpired(t *testing.T) {
	t.Parallel()
	h := startBot(t, setup{cfg: withFinder(t)})
	f := h.f
	o := discordtest.InteractionOpts{User: "3300", Channel: "910000000000000002", Locale: "en-US"}
	old := f.AutocompleteInteraction(o, "noc", "code", "weld")
	old["id"] = f.IDAt(time.Now().Add(-3500 * time.Millisecond))
	fresh := f.AutocompleteInteraction(o, "noc", "code", "weld")
	f.Dispatch(t, "INTERACTION_CREATE", old)
	f.Dispatch(t, "INTERACTION_CREATE", fresh)
	// The gateway's events are handled in order: once the fresh one is
	// answered, the old one was decided on.
	f.WaitRequests(1, discordtest.IsCallback(fresh))
	if n := len(f.Requests(func(r *discordtest.Request) bool {
		return strings.Contains(r.Path, "/interactions/"+discordtest.InteractionID(old)+"/")
	})); n != 0 {
		t.Errorf("%d answers to an expired autocomplete", n)
	}
	if !strings.Contains(h.logs.String(), "autocomplete arrived after") {
		t.Errorf("the expired autocomplete is not logged")
	}
}

// Without a Finder, autocomplete is answered with no choices.
func TestAutocompleteWithoutFinder(t *testing.T) {
	t.Parallel()
	h := startBot(t, setup{})
	i := h.f.AutocompleteInteraction(discordtest.InteractionOpts{User: "3400", Channel: "910000000000000003", Locale: "en-US"}, "noc", "code", "weld")
	h.f.Dispatch(t, "INTERACTION_CREATE", i)
	if cs := h.f.WaitRequests(1, discordtest.IsCallback(i))[0].Choices(); len(cs) != 0 {
		t.Errorf("choices %v without a finder", cs)
	}
}
