package bot

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/nocbot/nocbot/knowledge"
)

// /help lists the commands of the command table, in the reply language,
// each with its argument: the list cannot fall out of step with the
// commands the platforms register.
func TestHelpListsTheCommands(t *testing.T) {
	core := newTestCore(t, 1, Config{})
	for _, tt := range []struct {
		lang knowledge.Lang
		want []string
	}{
		{knowledge.EN, []string{"/noc CODE — choose an occupation", "/duties — main duties", "/education — employment requirements",
			"/advance — advancement", "/titles — job titles", "/related — occupations classified elsewhere",
			"/source — where the information comes from", "/match YOUR DUTIES — the NOC groups whose duties match yours", "/lang en, /lang zh or /lang zh-hant — reply language"}},
		{knowledge.ZH, []string{"/noc 代码 — 选择职业", "/duties — 主要职责", "/education — 任职要求", "/advance — 晋升发展",
			"/titles — 职称头衔", "/related — 其他分类的相关职业", "/source — 信息来源", "/match 你的职责 — 找出职责与你相符的 NOC 职业组", "/lang en、/lang zh 或 /lang zh-hant — 回复语言"}},
	} {
		r := core.Handle(context.Background(), Message{Platform: "test", Chat: "help", User: string(tt.lang), UserLang: string(tt.lang), Text: "/help"})
		i := slices.IndexFunc(r.Blocks, func(b Block) bool { return b.Kind == List && len(b.Items) > 0 && strings.HasPrefix(b.Items[0], "/") })
		if i < 0 {
			t.Fatalf("%s: /help lists no commands:\n%s", tt.lang, text(r))
		}
		if got := r.Blocks[i].Items; !slices.Equal(got, tt.want) {
			t.Errorf("%s: /help lists\n%q\nwant\n%q", tt.lang, got, tt.want)
		}
		for _, c := range Commands() {
			if c.Help.In(tt.lang) != "" && !slices.ContainsFunc(r.Blocks[i].Items, func(line string) bool { return strings.HasPrefix(line, "/"+c.Name) }) {
				t.Errorf("%s: /help leaves out /%s", tt.lang, c.Name)
			}
		}
	}
}
