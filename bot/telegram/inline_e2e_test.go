package telegram

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
	"github.com/nocbot/nocbot/knowledge"
)

func resultIDs(a telegramtest.InlineAnswer) []string {
	var out []string
	for _, r := range a.Results {
		out = append(out, r.ID)
	}
	return out
}

// Inline mode through the fake Bot API: "@nocbot weld" in any chat lists
// the occupations it names in the query's language, each posting a card
// that links back to the bot; nothing found gets the button that opens
// the bot; bad input is answered within the limits.
func TestInlineE2E(t *testing.T) {
	f := telegramtest.NewServer(t)
	lib, _ := bottest.Matcher(t)
	cfg := testConfig(f)
	cfg.Finder = bot.NewFinder(lib)
	start(t, cfg, testCore(t), runOpts{})
	tests := []struct {
		name, query, offset, lang string
		ids                       []string
		next                      string
		button                    bool
		zh                        bool
		personal                  bool // worded by the user's setting, not by the query
	}{
		{name: "typing", query: "weld", lang: "en", ids: []string{"en-72106"}},
		{name: "a prefix", query: "nur", lang: "en", ids: []string{"en-31301", "en-40010"}},
		{name: "Chinese by the user's language", query: "nurse", lang: "zh-hans", ids: []string{"zh-31301"}, zh: true, personal: true},
		{name: "Chinese by the query's script", query: "病历", lang: "en", ids: []string{"zh-12111"}, zh: true},
		{name: "a code", query: "1211", lang: "", ids: []string{"en-12111", "en-12112"}},
		{name: "no match", query: "zzzzqqq", lang: "en", button: true},
		{name: "only punctuation", query: "?!…", lang: "zh-CN", button: true, personal: true},
		{name: "empty", query: "", lang: "en", button: true},
		{name: "1,000 characters", query: strings.Repeat("q", 1000), lang: "en", button: true},
		{name: "invalid UTF-8", query: "\xff\xfeweld", lang: "en", ids: []string{"en-72106"}},
		{name: "forged offset", query: "weld", offset: "x'; drop", lang: "en"},
		{name: "offset past the end", query: "weld", offset: "150", lang: "en"},
		{name: "huge offset", query: "weld", offset: "99999999999999999999", lang: "en"},
	}
	for k, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := f.InlineQuery(int64(7000+k), tt.query, tt.offset, tt.lang)
			f.Push(u)
			a := f.WaitInlineAnswer(u.InlineQuery.ID)
			if got := resultIDs(a); !slices.Equal(got, tt.ids) {
				t.Errorf("results %v, want %v", got, tt.ids)
			}
			if a.NextOffset != tt.next {
				t.Errorf("next_offset %q, want %q", a.NextOffset, tt.next)
			}
			if (a.Button != "") != tt.button || (tt.button && a.StartParameter != "search") {
				t.Errorf("button %q start %q, want one: %v", a.Button, a.StartParameter, tt.button)
			}
			if a.IsPersonal != tt.personal || a.CacheTime != inlineCacheTime {
				t.Errorf("is_personal %v, cache_time %d; want is_personal %v", a.IsPersonal, a.CacheTime, tt.personal)
			}
			for _, r := range a.Results {
				code := r.ID[3:]
				if bottest.HasHan(r.Title) != tt.zh || !strings.Contains(r.Description, "NOC "+code+" · TEER") {
					t.Errorf("result %s: title %q, description %q", r.ID, r.Title, r.Description)
				}
				link := `<a href="https://t.me/` + telegramtest.BotUsername + `?start=noc_` + code + `">`
				if r.Content.ParseMode != "HTML" || !strings.Contains(r.Content.Text, "<b>"+r.Title+"</b>") ||
					!strings.Contains(r.Content.Text, "NOC 2021 "+code+" · TEER") || !strings.Contains(r.Content.Text, link) {
					t.Errorf("result %s posts %q", r.ID, r.Content.Text)
				}
			}
		})
	}
	if got := f.AllowedUpdates(); !slices.Contains(got, "inline_query") {
		t.Errorf("allowed_updates %q: inline queries never arrive", got)
	}
	if inv := f.Invalid(); len(inv) > 0 {
		t.Errorf("refused: %q", inv)
	}
}

// manyFinder finds n occupations for any query, to page through.
type manyFinder int

func (n manyFinder) Find(query string, lang knowledge.Lang) []bot.Suggestion {
	out := make([]bot.Suggestion, int(n))
	for i := range out {
		out[i] = bot.Suggestion{Code: strconv.Itoa(10000 + i), Lang: lang, Title: "Occupation " + strconv.Itoa(i), Lead: "What they do.", TEER: i % 6, HasTEER: true}
	}
	return out
}

// A query with more than 50 results pages through them with next_offset
// until the last page, which has none.
func TestInlinePaging(t *testing.T) {
	f := telegramtest.NewServer(t)
	cfg := testConfig(f)
	cfg.Finder = manyFinder(120)
	start(t, cfg, echo{}, runOpts{})
	var seen []string
	offset := ""
	for page := 0; page < 5; page++ {
		u := f.InlineQuery(7100, "occupation", offset, "en")
		f.Push(u)
		a := f.WaitInlineAnswer(u.InlineQuery.ID)
		seen = append(seen, resultIDs(a)...)
		if offset = a.NextOffset; offset == "" {
			break
		}
	}
	if len(seen) != 120 || seen[0] != "en-10000" || seen[119] != "en-10119" {
		t.Errorf("paged through %d results: %v…", len(seen), seen[:min(3, len(seen))])
	}
	var pages []int
	for _, a := range f.InlineAnswers() {
		pages = append(pages, len(a.Results))
	}
	if !slices.Equal(pages, []int{50, 50, 20}) {
		t.Errorf("pages of %v results, want 50, 50, 20", pages)
	}
}

// Every profile reply has a share button that starts an inline search for
// it in a chat the user picks; a deep link opens the profile in a private
// chat.
func TestShareAndDeepLinkE2E(t *testing.T) {
	f := telegramtest.NewServer(t)
	b, _ := start(t, testConfig(f), testCore(t), runOpts{})
	f.Push(telegramtest.PrivateText(7201, "/start noc_72106", "en"),
		telegramtest.PrivateText(7202, "/start noc_31301_duties", "zh-hans"),
		telegramtest.PrivateText(7203, "/start noc_forged<b>", "en"),
		telegramtest.PrivateText(7204, "/noc 72106", "en"))
	settled(f, b)
	chats := perChat(f.Sent())
	share := func(chat int64) (string, bool) {
		msgs := chats[chat]
		if len(msgs) == 0 || msgs[len(msgs)-1].Keyboard == "" {
			return "", false
		}
		var kb tgbotapi.InlineKeyboardMarkup
		json.Unmarshal([]byte(msgs[len(msgs)-1].Keyboard), &kb)
		for _, row := range kb.InlineKeyboard {
			for _, btn := range row {
				if btn.SwitchInlineQuery != nil {
					return btn.Text + " " + *btn.SwitchInlineQuery, true
				}
			}
		}
		return "", false
	}
	if got, _ := share(7201); got != "Share 72106" {
		t.Errorf("share button %q after the deep link", got)
	}
	if joinTexts(chats[7201]) != joinTexts(chats[7204]) {
		t.Errorf("/start noc_72106 answers %q, /noc 72106 %q", joinTexts(chats[7201]), joinTexts(chats[7204]))
	}
	if got, _ := share(7202); got != "分享 31301" || !strings.Contains(joinTexts(chats[7202]), "主要职责") {
		t.Errorf("section deep link: share %q, reply %q", got, joinTexts(chats[7202]))
	}
	if got, ok := share(7203); ok || len(chats[7203]) == 0 {
		t.Errorf("forged payload: share %q, %d messages", got, len(chats[7203]))
	}
	if inv := f.Invalid(); len(inv) > 0 {
		t.Errorf("refused: %q", inv)
	}
}
