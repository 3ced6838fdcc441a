package telegram

import (
	"strings"
	"testing"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
	"github.com/nocbot/nocbot/knowledge/jobmatch"
)

// TestE2EMatch describes a job through the fake Bot API, by /match and in
// a plain question, in English and Chinese: the reply names the fixture's
// unit group whose duties match (code, title, TEER), shows the person's
// phrase beside the group's own duty sentence, says that duties decide
// and that this is no immigration advice, and offers the group's duties
// as a button; a description that matches nothing asks for duties.
func TestE2EMatch(t *testing.T) {
	lib, _ := bottest.Matcher(t)
	// A few duty words of the fixture's own: nocbot's shipped lists are
	// not what this test is about.
	terms := []jobmatch.Term{{Word: "编码", EN: "code classify"}, {Word: "病历", EN: "patient charts health records"},
		{Word: "摘录", EN: "abstract"}, {Word: "临床数据", EN: "clinical data"}}
	core := bottest.Core(t, bot.Config{MaxSessions: 100, Jobs: jobmatch.NewLazy(lib.Profiles(), terms)})
	f := telegramtest.NewServer(t)
	b, _ := start(t, testConfig(f), core, runOpts{})
	rule := "Choose by duties, not by job title"
	cases := []struct {
		name       string
		chat       int64
		text, lang string
		want       []string
		button     string
	}{
		{"/match in English", 7001, "/match I classify and code diagnoses from patient health records; I abstract clinical data for reports", "en",
			[]string{"12111 Health information management occupations (TEER 2)", "you: “I classify and code diagnoses from patient health records”",
				"NOC: “Classify and code diseases according to an established classification system”", rule, "This is not immigration advice."},
			"i:duties:12111"},
		{"a question describing one's own duties", 7002, "I weld steel parts and set up welding machines at a plant, which NOC am I?", "en",
			[]string{"72106 Welders and related machine operators (TEER 2)", rule}, "i:duties:72106"},
		{"Chinese description, English client", 7003, "/match 我给病历编码，摘录临床数据", "en",
			[]string{"12111", "TEER 2", "请按职责而不是职位名称选择", "以上不构成移民建议"}, "i:duties:12111"},
		{"nothing matches", 7004, "/match je travaille dans un bureau", "en",
			[]string{"Please list your main duties"}, ""},
		{"no description", 7005, "/match", "en",
			[]string{"Describe your job in your own words"}, ""},
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
			var keyboards strings.Builder
			for _, m := range msgs {
				keyboards.WriteString(m.Keyboard)
			}
			if c.button != "" && !strings.Contains(keyboards.String(), `"`+c.button+`"`) {
				t.Errorf("%q: no button %s in %s", c.text, c.button, keyboards.String())
			}
			if c.button == "" && strings.Contains(text, rule) {
				t.Errorf("%q: a match answer for a description that matches nothing:\n%s", c.text, text)
			}
		})
	}
}
