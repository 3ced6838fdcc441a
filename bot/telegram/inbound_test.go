package telegram

import (
	"strings"
	"testing"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
)

var testSelf = tgbotapi.User{ID: telegramtest.BotID, IsBot: true, UserName: telegramtest.BotUsername}

func TestAddressed(t *testing.T) {
	group := func(text string) *tgbotapi.Message { return telegramtest.GroupText(-1, 7, text).Message }
	private := func(text string) *tgbotapi.Message { return telegramtest.PrivateText(7, text, "").Message }
	textMention := group("Nocbot, what are the duties?")
	textMention.Entities = []tgbotapi.MessageEntity{{Type: "text_mention", Offset: 0, Length: 6, User: &testSelf}}
	astral := group("𠀀𠀀 Nocbot duties")
	astral.Entities = []tgbotapi.MessageEntity{{Type: "text_mention", Offset: 5, Length: 6, User: &testSelf}}
	otherMention := group("Alice, duties?")
	otherMention.Entities = []tgbotapi.MessageEntity{{Type: "text_mention", Offset: 0, Length: 5, User: &tgbotapi.User{ID: 5}}}
	hostile := group("/duties@other_bot x")
	hostile.Entities = []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: 9999}}
	tests := []struct {
		name string
		m    *tgbotapi.Message
		want string
		ok   bool
	}{
		{"private: everything", private("what are the duties"), "what are the duties", true},
		{"private: mention stripped", private("@nocbot_test_bot duties"), "duties", true},
		{"group: command", group("/duties"), "/duties", true},
		{"group: command to us", group("/duties@nocbot_test_bot 1252"), "/duties@nocbot_test_bot 1252", true},
		{"group: command to another bot", group("/duties@other_bot"), "", false},
		{"group: command-like text without entity", func() *tgbotapi.Message { m := group("/duties"); m.Entities = nil; return m }(), "", false},
		{"group: chatter", group("lunch?"), "", false},
		{"group: mention first", group("@nocbot_test_bot what are the duties"), "what are the duties", true},
		{"group: mention last, any case", group("需要什么学历？ @NOCBOT_test_BOT"), "需要什么学历？", true},
		{"group: two mentions", group("@nocbot_test_bot duties @nocbot_test_bot"), "duties", true},
		{"group: longer name", group("@nocbot_test_bot_fan hi"), "", false},
		{"group: address inside a word", group("me@nocbot_test_bot"), "", false},
		{"group: text mention of the bot", textMention, ", what are the duties?", true},
		{"group: text mention after astral characters", astral, "𠀀𠀀 duties", true},
		{"group: text mention of someone else", otherMention, "", false},
		{"group: command entity longer than the text", hostile, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := addressed(tt.m, testSelf)
			if ok != tt.ok || (ok && got != tt.want) {
				t.Errorf("addressed(%q) = %q, %v; want %q, %v", tt.m.Text, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestInboundKinds(t *testing.T) {
	b := &Bot{self: testSelf}
	anon := telegramtest.GroupText(-5, 7, "@nocbot_test_bot duties")
	anon.Message.From = &tgbotapi.User{ID: 1087968824, IsBot: true, UserName: "GroupAnonymousBot"}
	anon.Message.SenderChat = &tgbotapi.Chat{ID: -5, Type: "supergroup"}
	channel := telegramtest.GroupText(-5, 7, "@nocbot_test_bot duties")
	channel.Message.SenderChat = &tgbotapi.Chat{ID: -77, Type: "channel"}
	inline := telegramtest.ButtonPress(9, "x")
	inline.CallbackQuery.Message = nil
	groupPress := telegramtest.ButtonPress(9, "i:duties:1252")
	groupPress.CallbackQuery.Message.Chat.Type = "group"
	zh := telegramtest.PrivateText(9, "学历", "zh-hans")
	tests := []struct {
		name string
		u    tgbotapi.Update
		ok   bool
		want inbound
	}{
		{"private text", zh, true, inbound{Chat: 9, Msg: msg("9", "9", "学历", "zh-hans", "")}},
		{"button", telegramtest.ButtonPress(9, "i:duties:1252"), true, inbound{Chat: 9, Callback: "cq9", Msg: msg("9", "9", "", "", "i:duties:1252")}},
		{"button in a group", groupPress, true, inbound{Chat: 9, Group: true, ReplyTo: 5, Callback: "cq9", Msg: msg("9", "9", "", "", "i:duties:1252")}},
		{"anonymous admin", anon, true, inbound{Chat: -5, Group: true, ReplyTo: 77, Msg: msg("-5", "-5", "duties", "", "")}},
		{"channel post in a group", channel, false, inbound{}},
		{"inline message button", inline, false, inbound{}},
		{"edited message", tgbotapi.Update{EditedMessage: zh.Message}, false, inbound{}},
		{"empty text", telegramtest.PrivateText(9, "  ", ""), false, inbound{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := b.inbound(tt.u)
			if ok != tt.ok || got != tt.want {
				t.Errorf("got %+v %v, want %+v %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func msg(chat, user, text, lang, button string) bot.Message {
	return bot.Message{Platform: platform, Chat: chat, User: user, Text: text, UserLang: lang, Button: button}
}

func TestUTF16Index(t *testing.T) {
	s := "a𠀀b😀c"
	for _, tt := range []struct{ units, want int }{{-1, 0}, {0, 0}, {1, 1}, {2, 5}, {3, 5}, {4, 6}, {6, 10}, {7, 11}, {99, 11}} {
		if got := utf16Index(s, tt.units); got != tt.want {
			t.Errorf("utf16Index(%d) = %d, want %d", tt.units, got, tt.want)
		}
	}
}

// FuzzAddressed: whatever the text and entities, deciding whether a group
// message is for the bot does not panic, keeps text valid, and leaves no
// standalone mention of the bot in it.
func FuzzAddressed(f *testing.F) {
	f.Add("@nocbot_test_bot what are the duties", 0, 16, "mention")
	f.Add("/duties@nocbot_test_bot", 0, 23, "bot_command")
	f.Add("𠀀 Nocbot 学历", 3, 6, "text_mention")
	f.Add("/x", 0, 99999, "bot_command")
	f.Add("@NOCBOT_TEST_BOT@nocbot_test_bot", -4, -1, "text_mention")
	f.Fuzz(func(t *testing.T, text string, off, length int, kind string) {
		m := telegramtest.GroupText(-1, 7, text).Message
		m.Entities = append([]tgbotapi.MessageEntity{{Type: kind, Offset: off, Length: length, User: &testSelf}}, m.Entities...)
		got, ok := addressed(m, testSelf)
		if !ok {
			return
		}
		if utf8.ValidString(text) && !utf8.ValidString(got) {
			t.Fatalf("addressed(%q) = %q: invalid UTF-8", text, got)
		}
		if _, found := stripMentions(got, nil, testSelf); found && !strings.HasPrefix(got, "/") {
			t.Fatalf("addressed(%q) = %q still mentions the bot", text, got)
		}
	})
}
