package plain

import (
	"testing"

	"github.com/nocbot/nocbot/bot"
)

func TestRender(t *testing.T) {
	r := bot.Reply{
		Blocks: []bot.Block{
			{Kind: bot.Heading, Text: "Main duties — Health information management occupations (NOC 1252)"},
			{Kind: bot.Paragraph, Text: "They perform some or all of the following duties:"},
			{Kind: bot.List, Items: []string{"Classify and code diseases", "<b>not markup</b> & kept as typed"}},
			{Kind: bot.Link, Text: "Source", URL: "https://example.org/1252"},
		},
		Buttons: []bot.Button{{Label: "Education", Data: "i:requirements:1252"}, {Label: "晋升发展", Data: "i:advancement:1252"}},
	}
	want := "Main duties — Health information management occupations (NOC 1252)\n\n" +
		"They perform some or all of the following duties:\n\n" +
		"• Classify and code diseases\n• <b>not markup</b> & kept as typed\n\n" +
		"Source: https://example.org/1252\n\n" +
		"[1] Education  [2] 晋升发展\n"
	if got := Render(r); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := Render(bot.Reply{}); got != "" {
		t.Errorf("empty reply rendered as %q", got)
	}
}
