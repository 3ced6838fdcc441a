package discord

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/discord/discordtest"
)

// TestE2ENOC2021 asks about NOC 2021 unit groups of the fixture set with
// slash commands: a NOC 2021 code in English is the official text with
// its TEER and source; the home FLYabroad profile in Chinese names the
// NOC 2021 group it became; a Chinese question for a code is answered in
// Chinese whatever the client's locale.
func TestE2ENOC2021(t *testing.T) {
	t.Parallel()
	h := startBot(t, setup{})
	f := h.f
	cases := []struct {
		name     string
		cmd      string
		opt      [2]string
		locale   string
		want     []string
		dontWant []string
		wantZH   bool
	}{
		{"NOC 2021 code in English", "noc", [2]string{"code", "12111"}, "en-US",
			[]string{`**Health information management occupations \(NOC 2021 12111, TEER 2\)**`,
				"Health information management workers collect, code, record, review and manage health information.",
				`Source: Statistics Canada, National Occupational Classification \(NOC\) 2021 Version 1.0.`},
			[]string{"FLYabroad"}, false},
		{"FLYabroad code, Chinese client", "noc", [2]string{"code", "1252"}, "zh-CN",
			[]string{"NOC 2021 中，它是 12111", "**卫生信息管理职业（NOC 1252）**", "卫生信息管理技术人员及有关人员收集", "来源：FLYabroad"},
			[]string{"Statistics Canada"}, true},
		{"code of an occupation asked in Chinese", "ask", [2]string{"question", "护士的NOC代码是多少？"}, "en-US",
			[]string{"NOC 31301", "注册护士和注册精神科护士", "TEER 1"}, nil, true},
	}
	for k, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			i := f.SlashInteraction(discordtest.InteractionOpts{User: fmt.Sprint(1300 + k), Channel: fmt.Sprint(1300000000000000000 + k),
				Locale: c.locale, Guild: true}, c.cmd, c.opt)
			f.Dispatch(t, "INTERACTION_CREATE", i)
			answer := f.WaitRequests(1, discordtest.IsAnswer(i))
			var parts []string
			for _, r := range answer {
				m := r.Msg()
				if n := utf8.RuneCountInString(m.Content); n > 2000 {
					t.Errorf("a message of %d characters", n)
				}
				parts = append(parts, m.Content)
			}
			text := strings.Join(parts, "\n")
			bottest.CheckText(t, text, c.want, c.dontWant)
			if hasHan(text) != c.wantZH {
				t.Errorf("reply has Chinese %v, want %v:\n%s", hasHan(text), c.wantZH, text)
			}
		})
	}
	t.Cleanup(func() {
		if v := f.Violations(); len(v) > 0 {
			t.Errorf("the fake refused what Discord would: %v", v)
		}
	})
}
