package telegram

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
)

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func TestRenderHTML(t *testing.T) {
	r := bot.Reply{Blocks: []bot.Block{
		{Kind: bot.Heading, Text: "Main duties — <NOC & 1252>"},
		{Kind: bot.Paragraph, Text: `He said "hi" <script>`},
		{Kind: bot.List, Items: []string{"a & b", "c > d"}},
		{Kind: bot.Link, Text: "source", URL: "https://example.org/?a=1&b=2"},
		{Kind: bot.Link, Text: "bad", URL: "javascript:alert(1)"},
	}}
	want := "<b>Main duties — &lt;NOC &amp; 1252&gt;</b>\n\nHe said &quot;hi&quot; &lt;script&gt;\n\n• a &amp; b\n• c &gt; d\n\n" +
		`<a href="https://example.org/?a=1&amp;b=2">source</a>` + "\n\nbad"
	if got := renderHTML(r); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if err := telegramtest.ValidateHTML(want); err != nil {
		t.Error(err)
	}
}

func FuzzRender(f *testing.F) {
	f.Add("卫生信息管理 <b>x</b> & &amp; 👩‍⚕️", "https://example.org/?a=<1>", 3)
	f.Add(strings.Repeat("健康记录技术员，", 700), "", 50)
	f.Add("\xff<\x00>&;", "javascript:x", 1)
	f.Fuzz(func(t *testing.T, text, url string, n int) {
		text = strings.ToValidUTF8(text, "?")
		items := make([]string, 1+abs(n)%200)
		for i := range items {
			items[i] = text
		}
		r := bot.Reply{Blocks: []bot.Block{{Kind: bot.Heading, Text: text}, {Kind: bot.Paragraph, Text: text},
			{Kind: bot.List, Items: items}, {Kind: bot.Link, Text: text, URL: url}}}
		parts, _ := render(r)
		for _, p := range parts {
			if err := telegramtest.ValidateHTML(p); err != nil {
				t.Fatalf("invalid HTML part %q: %v", p, err)
			}
			if bot.UTF16Len(p) > MaxMessage || !utf8.ValidString(p) {
				t.Fatalf("part of %d units or invalid UTF-8", bot.UTF16Len(p))
			}
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
