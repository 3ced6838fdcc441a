package telegram

import (
	"encoding/json"
	"html"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
)

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func TestRenderHTML(t *testing.T) {
	long := strings.Repeat("很长的标题", 300)
	tests := []struct {
		name   string
		blocks []bot.Block
		want   string
	}{
		{"heading escaped", []bot.Block{{Kind: bot.Heading, Text: "Main duties — <NOC & 1252>"}},
			"<b>Main duties — &lt;NOC &amp; 1252&gt;</b>"},
		{"heading on one line", []bot.Block{{Kind: bot.Heading, Text: "two\n\nparagraphs  here"}},
			"<b>two paragraphs here</b>"},
		{"heading too long for tags", []bot.Block{{Kind: bot.Heading, Text: long}}, long},
		{"paragraph", []bot.Block{{Kind: bot.Paragraph, Text: `He said "hi" <script>`}},
			"He said &quot;hi&quot; &lt;script&gt;"},
		{"list", []bot.Block{{Kind: bot.List, Items: []string{"a & b", " ", "c > d"}}}, "• a &amp; b\n• c &gt; d"},
		{"link", []bot.Block{{Kind: bot.Link, Text: "source <NOC>", URL: "https://example.org/?a=1&b=2"}},
			`<a href="https://example.org/?a=1&amp;b=2">source &lt;NOC&gt;</a>`},
		{"link with a quote", []bot.Block{{Kind: bot.Link, Text: "source", URL: `https://example.org/"><b>`}}, "source"},
		{"link without label", []bot.Block{{Kind: bot.Link, URL: "https://example.org/"}},
			`<a href="https://example.org/">https://example.org/</a>`},
		{"javascript link", []bot.Block{{Kind: bot.Link, Text: "bad", URL: "javascript:alert(1)"}}, "bad"},
		{"tg link", []bot.Block{{Kind: bot.Link, Text: "bad", URL: "tg://resolve?domain=x"}}, "bad"},
		{"link too long for a tag", []bot.Block{{Kind: bot.Link, Text: "src", URL: "https://example.org/" + strings.Repeat("a", 1100)}},
			"src\nhttps://example.org/" + strings.Repeat("a", 1100)},
		{"blocks a blank line apart, empty ones dropped", []bot.Block{{Kind: bot.Heading, Text: "H"}, {Kind: bot.Paragraph, Text: " "}, {Kind: bot.List}, {Kind: bot.Paragraph, Text: "P"}},
			"<b>H</b>\n\nP"},
		{"control characters and invalid UTF-8", []bot.Block{{Kind: bot.Paragraph, Text: "a\x00b\x1bc\xffd\r\ne"}}, "abc\uFFFDd\ne"},
		{"runaway combining marks", []bot.Block{{Kind: bot.Paragraph, Text: "Z" + strings.Repeat("\u0301", 100) + "!"}},
			"Z" + strings.Repeat("\u0301", maxJoined-1) + "!"},
		{"emoji sequences kept", []bot.Block{{Kind: bot.Paragraph, Text: "👩‍⚕️ 👨‍👩‍👧‍👦 🇨🇦"}}, "👩‍⚕️ 👨‍👩‍👧‍👦 🇨🇦"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renderHTML(bot.Reply{Blocks: tt.blocks})
			if got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
			if err := telegramtest.ValidateHTML(got); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestKeyboard(t *testing.T) {
	var buttons []bot.Button
	for i := range 7 {
		buttons = append(buttons, bot.Button{Label: "b" + string(rune('0'+i)), Data: "d" + string(rune('0'+i))})
	}
	buttons = append(buttons, bot.Button{Label: "too long", Data: strings.Repeat("x", 65)}, bot.Button{Label: "no data"}, bot.Button{Label: " ", Data: "no-label"},
		bot.Button{Label: "exactly 64", Data: strings.Repeat("y", 64)})
	kb := keyboard(buttons)
	var rows []string
	for _, row := range kb.InlineKeyboard {
		var r []string
		for _, b := range row {
			r = append(r, *b.CallbackData)
		}
		rows = append(rows, strings.Join(r, ","))
	}
	want := "d0,d1,d2|d3,d4,d5|d6," + strings.Repeat("y", 64)
	if got := strings.Join(rows, "|"); got != want {
		t.Errorf("rows %q, want %q", got, want)
	}
	if keyboard(nil) != nil || keyboard([]bot.Button{{Label: "x", Data: strings.Repeat("z", 65)}}) != nil {
		t.Error("a keyboard without valid buttons")
	}
}

func TestPlainText(t *testing.T) {
	if got := plainText(`<b>A &amp; B</b>` + "\n\n" + `<a href="https://x.org/?a=1&amp;b">link</a> &lt;3`); got != "A & B\n\nlink <3" {
		t.Errorf("got %q", got)
	}
	if got := plainText("<b></b>"); got != "…" {
		t.Errorf("empty: %q", got)
	}
}

// checkParts holds the rendered and split parts of a reply to what
// Telegram accepts and a reader expects: valid HTML, within the limit,
// valid UTF-8, no part starting inside a character, and nothing lost,
// added or reordered but white space at the cuts.
func checkParts(t *testing.T, r bot.Reply) {
	t.Helper()
	full := renderHTML(r)
	parts, _ := render(r)
	if len(parts) == 0 {
		t.Fatal("no parts")
	}
	for i, p := range parts {
		if err := telegramtest.ValidateHTML(p); err != nil {
			t.Fatalf("part %d invalid: %v\n%q", i, err, p)
		}
		if n := bot.UTF16Len(p); n < 1 || n > MaxMessage {
			t.Fatalf("part %d of %d UTF-16 units", i, n)
		}
		first, _ := utf8.DecodeRuneInString(p)
		last, _ := utf8.DecodeLastRuneInString(p)
		if i > 0 && joins(first) || i < len(parts)-1 && last == '\u200d' {
			t.Fatalf("cut inside a character between parts %d and %d: %q | %q", i-1, i, parts[max(i-1, 0)], p)
		}
	}
	if strings.TrimSpace(full) == "" {
		return // rendered as "…"
	}
	if a, b := noSpace(full), noSpace(strings.Join(parts, "")); a != b {
		t.Fatalf("the parts do not add up to the reply:\n%q\n%q", a, b)
	}
}

func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func TestRenderSplitsLongReplies(t *testing.T) {
	line := strings.Repeat("卫生信息管理技术人员需要完成公认的两年制文凭课程。", 10)
	tests := []struct {
		name      string
		r         bot.Reply
		wantParts int
	}{
		{"short", bot.Reply{Blocks: []bot.Block{{Kind: bot.Paragraph, Text: "hi"}}}, 1},
		{"empty", bot.Reply{}, 1},
		{"many list items", bot.Reply{Blocks: []bot.Block{{Kind: bot.Heading, Text: "All titles"}, {Kind: bot.List, Items: strings.Split(strings.Repeat("health records technician & <coder>\n", 500), "\n")}}}, 5},
		{"one long Chinese paragraph", bot.Reply{Blocks: []bot.Block{{Kind: bot.Paragraph, Text: strings.Repeat(line, 20)}}}, 2},
		{"astral characters", bot.Reply{Blocks: []bot.Block{{Kind: bot.Paragraph, Text: strings.Repeat("𠀀👩‍⚕️", 3000)}}}, 6},
		{"many headings", bot.Reply{Blocks: func() []bot.Block {
			var bs []bot.Block
			for range 300 {
				bs = append(bs, bot.Block{Kind: bot.Heading, Text: "Main duties & more"}, bot.Block{Kind: bot.Link, Text: "src", URL: "https://example.org/?a&b"})
			}
			return bs
		}()}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkParts(t, tt.r)
			if parts, _ := render(tt.r); len(parts) < tt.wantParts {
				t.Errorf("%d parts, want at least %d", len(parts), tt.wantParts)
			}
		})
	}
}

// FuzzRender: whatever the text, rendering and splitting give valid
// messages that add up to the reply and never cut a character.
func FuzzRender(f *testing.F) {
	f.Add("卫生信息管理 <b>x</b> & &amp; 👩‍⚕️", "https://example.org/?a=<1>", 3)
	f.Add(strings.Repeat("健康记录技术员，", 25), "", 19+20*7)
	f.Add("\xff<\x00>&;", "javascript:x", 1)
	f.Add("a\u0301\u0302\u0303 e\u200d\u200d\u200dx 🇨🇦🇨", "http://x", 12)
	f.Add(strings.Repeat("&lt;", 150), "https://"+strings.Repeat("&", 600), 2)
	f.Add("line one\n\nline two\n\n\n<i>", "https://a.b/\"q\"", 19)
	f.Add(strings.Repeat("x", 600), "https://example.org", 20*7)
	f.Fuzz(func(t *testing.T, text, url string, n int) {
		// Length comes from repeating the text: the splitter's cost grows
		// faster than the text, and short texts keep the fuzzer quick.
		if len(text) > 600 {
			text = text[:600]
		}
		items := make([]string, (n%20+20)%20)
		for i := range items {
			items[i] = text
		}
		para := strings.Repeat(text, 1+(n/20%8+8)%8)
		checkParts(t, bot.Reply{Blocks: []bot.Block{{Kind: bot.Heading, Text: text}, {Kind: bot.Paragraph, Text: para},
			{Kind: bot.List, Items: items}, {Kind: bot.Link, Text: text, URL: url}}})
	})
}

// FuzzEscapeHTML: escaped text is valid markup that reads as the text
// (cleaned), with no markup of its own.
func FuzzEscapeHTML(f *testing.F) {
	for _, s := range []string{"", "a<b>c", "&amp;", "&#60;", `"'`, "\xff\xfe", "健康 & <记录>", "\u0301\u0301", "a\x00b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := escapeHTML(s)
		if err := telegramtest.ValidateHTML(e); err != nil {
			t.Fatalf("escape(%q) = %q: %v", s, e, err)
		}
		if strings.ContainsAny(e, "<>") {
			t.Fatalf("escape(%q) = %q holds markup", s, e)
		}
		if got := html.UnescapeString(e); got != clean(s) {
			t.Fatalf("escape(%q) reads as %q, want %q", s, got, clean(s))
		}
		if utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || joins(r) }) && clean(s) != s {
			t.Fatalf("clean changed ordinary text %q", s)
		}
	})
}
