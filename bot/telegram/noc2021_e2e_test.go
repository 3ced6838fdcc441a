package telegram

import (
	"strings"
	"testing"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
)

// TestE2ENOC2021 asks about NOC 2021 unit groups of the fixture set
// through the fake Bot API: English answers come from the official text
// with its code, TEER and source; a Chinese question about a group with
// no Chinese text gets a Chinese frame around the English; an old code
// is answered from the group that continues it, with the correspondence's
// note; a button of a NOC 2021 answer asks about the same group.
func TestE2ENOC2021(t *testing.T) {
	f := telegramtest.NewServer(t)
	b, _ := start(t, testConfig(f), testCore(t), runOpts{})
	cases := []struct {
		name       string
		chat       int64
		text, lang string
		want       []string
		wantZH     bool
	}{
		{"TEER of an occupation named by a title", 6001, "what's the TEER of a welder?", "en",
			[]string{"<b>Welders and related machine operators (NOC 2021 72106, TEER 2)</b>", "NOC 2021 code: 72106. TEER 2",
				"Source: Statistics Canada, National Occupational Classification (NOC) 2021 Version 1.0."}, false},
		{"Chinese question, English-only text", 6002, "焊工需要什么学历", "zh-hans",
			[]string{"<b>任职要求 — 焊工及相关机器操作员（NOC 2021 72106，TEER 2）</b>", "官方文本只有英文",
				"Completion of secondary school is usually required.", "Red Seal", "来源：加拿大统计局"}, true},
		{"old code: the group that continues it", 6003, "/noc 1253", "en",
			[]string{"“1253 continues as 12112 and part transferred to 12111”", "<b>Records management technicians (NOC 2021 12112, TEER 2)</b>",
				"Records management technicians operate and maintain systems", "Source: Statistics Canada"}, false},
	}
	for _, c := range cases {
		f.Push(telegramtest.PrivateText(c.chat, c.text, c.lang))
	}
	settled(f, b)
	chats := perChat(f.Sent())
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msgs, text := repliesTo(t, chats, c.chat, c.text)
			bottest.CheckText(t, text, c.want, nil)
			if got := bottest.HasHan(text); got != c.wantZH {
				t.Errorf("%q: reply has Chinese %v, want %v:\n%s", c.text, got, c.wantZH, text)
			}
			for _, m := range msgs {
				if n := bot.UTF16Len(m.Text); n > MaxMessage {
					t.Errorf("%q: a message of %d UTF-16 units", c.text, n)
				}
			}
		})
	}

	// A button of the welder's TEER answer: its education, in English,
	// from the same unit group.
	const press = "i:requirements:72106"
	first := chats[6001]
	if len(first) == 0 || !strings.Contains(first[len(first)-1].Keyboard, `"callback_data":"`+press+`"`) {
		t.Fatalf("no %s button under the TEER answer: %+v", press, first)
	}
	f.Push(telegramtest.ButtonPress(6001, press))
	f.Until(func() bool { return len(perChat(f.Sent())[6001]) > len(first) })
	settled(f, b)
	after := joinTexts(perChat(f.Sent())[6001][len(first):])
	bottest.CheckText(t, after, []string{"<b>Employment requirements — Welders and related machine operators (NOC 2021 72106, TEER 2)</b>",
		"Completion of secondary school is usually required.", "Source: Statistics Canada"}, nil)
	if bottest.HasHan(after) {
		t.Errorf("the %s button's answer is not in English:\n%s", press, after)
	}
	if inv := f.Invalid(); len(inv) > 0 {
		t.Errorf("the server refused %d requests, first: %s", len(inv), inv[0])
	}
}

// joinTexts is the text of a reply sent as one or more messages.
// repliesTo are the messages a chat got once the bot settled, and their
// texts joined; a chat that got none fails the test.
func repliesTo(t *testing.T, chats map[int64][]telegramtest.Sent, chat int64, asked string) ([]telegramtest.Sent, string) {
	t.Helper()
	msgs := chats[chat]
	if len(msgs) == 0 {
		t.Fatalf("%q got no reply", asked)
	}
	return msgs, joinTexts(msgs)
}

func joinTexts(msgs []telegramtest.Sent) string {
	texts := make([]string, len(msgs))
	for i, m := range msgs {
		texts[i] = m.Text
	}
	return strings.Join(texts, "\n")
}
