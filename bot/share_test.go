package bot_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/knowledge"
)

func say(core *bot.Core, user, text, lang string) bot.Reply {
	return core.Handle(context.Background(), bot.Message{Platform: "test", Chat: user, User: user, Text: text, UserLang: lang})
}

// A deep link's /start payload answers as the command it stands for, in
// both languages; a forged one is the plain greeting.
func TestStartPayloadOpensProfile(t *testing.T) {
	core := bottest.Core(t, bot.Config{})
	tests := []struct {
		payload, same, lang string
	}{
		{"noc_72106", "/noc 72106", "en"},
		{"noc_72106", "/noc 72106", "zh-CN"},
		{"noc_31301_duties", "/duties 31301", "en"},
		{"noc_12111_education", "/education 12111", "zh-hans"},
		{"noc_1252", "/noc 1252", "en"},
		{"noc_99999", "/noc 99999", "en"}, // no such code: the same answer as /noc says
		{"noc_7210x", "/start", "en"},
		{"noc_72106_salary", "/start", "en"},
		{"noc_72106_duties_more", "/start", "en"},
		{"NOC_72106", "/start", "en"},
		{"noc_" + strings.Repeat("1", 70), "/start", "en"},
		{"\xff\xfe", "/start", "en"},
		{"<b>x</b>", "/start", "en"},
	}
	for i, tt := range tests {
		t.Run(tt.payload, func(t *testing.T) {
			// A user of their own for each, so no session carries over.
			got := say(core, "deep"+string(rune('a'+i)), "/start "+tt.payload, tt.lang)
			want := say(core, "same"+string(rune('a'+i)), tt.same, tt.lang)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("/start %s = %+v\nwant as %s: %+v", tt.payload, got, tt.same, want)
			}
		})
	}
}

func TestStartPayloadRoundTrip(t *testing.T) {
	for _, c := range []struct{ code, section string }{{"72106", ""}, {"1252", "duties"}, {"31301", "education"}, {"12111", "related"}} {
		p := bot.StartPayload(c.code, c.section)
		if len(p) > bot.MaxStartPayload || strings.Trim(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != "" {
			t.Errorf("StartPayload(%q, %q) = %q: not a Telegram payload", c.code, c.section, p)
		}
	}
}

// Every reply answering from a profile carries a Share; other replies do
// not.
func TestShareOnProfileReplies(t *testing.T) {
	core := bottest.Core(t, bot.Config{})
	tests := []struct {
		text, lang string
		code, url  string // "" code: no share
		label      string
	}{
		{"/noc 72106", "en", "72106", "https://noc.esdc.gc.ca/Structure/NOCProfile?GocTemplateCulture=en-CA&code=72106&version=2021.0", "Share"},
		{"/duties 31301", "zh-CN", "31301", "https://noc.esdc.gc.ca/Structure/NOCProfile?GocTemplateCulture=en-CA&code=31301&version=2021.0", "分享"},
		{"what's the TEER of a welder?", "en", "72106", "https://noc.esdc.gc.ca/Structure/NOCProfile?GocTemplateCulture=en-CA&code=72106&version=2021.0", "Share"},
		// The FLYabroad profile links to its NOC 2021 successor's page.
		{"/noc 1252", "zh-CN", "1252", "https://noc.esdc.gc.ca/Structure/NOCProfile?GocTemplateCulture=en-CA&code=12111&version=2021.0", "分享"},
		{"/help", "en", "", "", ""},
		{"how much do welders earn?", "en", "", "", ""},
		{"/noc 99999", "en", "", "", ""},
	}
	for i, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			r := say(core, "share"+string(rune('a'+i)), tt.text, tt.lang)
			if tt.code == "" {
				if r.Share != nil {
					t.Fatalf("share %+v on a reply not from a profile", r.Share)
				}
				return
			}
			s := r.Share
			if s == nil {
				t.Fatalf("no share on %q", tt.text)
			}
			if s.Code != tt.code || s.Query != tt.code || s.Payload != bot.StartPayload(tt.code, "") || s.URL != tt.url || s.Label != tt.label || s.LinkLabel == "" {
				t.Errorf("share %+v", *s)
			}
		})
	}
}

func TestCard(t *testing.T) {
	lib, _ := bottest.Matcher(t)
	f := bot.NewFinder(lib)
	for _, lang := range []knowledge.Lang{knowledge.EN, knowledge.ZH} {
		s := f.Find("weld", lang)[0]
		c := bot.Card(s, "https://t.me/nocbot?start=noc_72106")
		if len(c.Blocks) != 4 || c.Blocks[0].Text != s.Title || c.Blocks[1].Text != "NOC 2021 72106 · TEER 2" || c.Blocks[3].URL != "https://t.me/nocbot?start=noc_72106" {
			t.Errorf("Card(%s) = %+v", lang, c)
		}
		if n := utf8.RuneCountInString(c.Blocks[2].Text); n == 0 || n > 600 {
			t.Errorf("lead of %d characters", n)
		}
		if len(bot.Card(s, "").Blocks) != 3 {
			t.Errorf("a card without a link has a link block")
		}
	}
}

// Forged or stale button data is answered, bounded, and offers no share.
func TestForgedButtonData(t *testing.T) {
	core := bottest.Core(t, bot.Config{})
	for i, data := range []string{"i:duties:99999", "i::", "all:", "all:" + strings.Repeat("9", 5000), "lang:xx", "share:72106", "noc_72106", "\xff\xfe", strings.Repeat("i:", 2000), "<b>x</b>"} {
		r := core.Handle(context.Background(), bot.Message{Platform: "test", Chat: "forged", User: "forged" + string(rune('a'+i)), Button: data})
		if len(r.Blocks) == 0 || r.Answered || r.Share != nil {
			t.Errorf("button %.30q: %+v", data, r)
		}
		for _, b := range r.Buttons {
			if len(b.Data) > bot.MaxButtonData {
				t.Errorf("button %.30q offers data of %d bytes", data, len(b.Data))
			}
		}
	}
}
