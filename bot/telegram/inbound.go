package telegram

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/nocbot/nocbot/bot"
)

// inbound is an update reduced to what answering it needs. It is what a
// pending row stores, so it survives a restart.
type inbound struct {
	ID       int         `json:"id"`
	Chat     int64       `json:"chat"`
	Group    bool        `json:"group,omitempty"`
	ReplyTo  int         `json:"reply_to,omitempty"` // message to reply to (groups)
	Callback string      `json:"callback,omitempty"` // callback query answered before the reply
	Msg      bot.Message `json:"msg"`
}

// inbound decides whether an update is for the bot: in private chats
// everything; in groups commands to it (/cmd, /cmd@thisbot), replies to
// its messages and mentions of it, with the mention taken out of the text.
// Button presses always are.
func (b *Bot) inbound(u tgbotapi.Update) (inbound, bool) {
	if cq := u.CallbackQuery; cq != nil {
		if cq.Message == nil || cq.Message.Chat == nil || cq.From == nil {
			return inbound{}, false // a button on an inline message: no chat to answer in
		}
		chat := cq.Message.Chat
		in := inbound{ID: u.UpdateID, Chat: chat.ID, Group: !chat.IsPrivate(), Callback: cq.ID, Msg: bot.Message{
			Platform: platform, Chat: strconv.FormatInt(chat.ID, 10), User: strconv.FormatInt(cq.From.ID, 10),
			UserLang: cq.From.LanguageCode, Button: cq.Data, ID: updateID(u.UpdateID),
		}}
		if in.Group {
			in.ReplyTo = cq.Message.MessageID
		}
		return in, true
	}
	m := u.Message
	if m == nil || m.Chat == nil || strings.TrimSpace(m.Text) == "" {
		return inbound{}, false
	}
	user, ok := sender(m)
	if !ok {
		return inbound{}, false
	}
	text, ok := addressed(m, b.self)
	if !ok {
		return inbound{}, false
	}
	in := inbound{ID: u.UpdateID, Chat: m.Chat.ID, Group: !m.Chat.IsPrivate(), Msg: bot.Message{
		Platform: platform, Chat: strconv.FormatInt(m.Chat.ID, 10), User: user, Text: text, ID: updateID(u.UpdateID),
	}}
	if m.From != nil {
		in.Msg.UserLang = m.From.LanguageCode
	}
	if in.Group {
		in.ReplyTo = m.MessageID
	}
	return in, true
}

// updateID is an update's id as bot.Message carries it; Telegram's ids
// are positive, and 0 (an update built by hand) is none.
func updateID(id int) string {
	if id <= 0 {
		return ""
	}
	return strconv.Itoa(id)
}

// sender is who sent a message: a person, or a group's anonymous admin
// (sent on behalf of the chat itself). Other bots and channels are not
// answered.
func sender(m *tgbotapi.Message) (string, bool) {
	if m.SenderChat != nil {
		if m.SenderChat.ID == m.Chat.ID {
			return strconv.FormatInt(m.SenderChat.ID, 10), true
		}
		return "", false
	}
	if m.From == nil || m.From.IsBot {
		return "", false
	}
	return strconv.FormatInt(m.From.ID, 10), true
}

// addressed returns the text the bot should answer and whether the
// message is for it. Mentions of the bot are taken out of the text.
func addressed(m *tgbotapi.Message, self tgbotapi.User) (string, bool) {
	text, mentioned := stripMentions(m.Text, m.Entities, self)
	text = strings.TrimSpace(text)
	if m.Chat.IsPrivate() {
		return text, true
	}
	if cmd, ok := command(m); ok {
		if _, to, ok := strings.Cut(cmd, "@"); ok && !strings.EqualFold(to, self.UserName) {
			return "", false // a command for another bot
		}
		return text, true
	}
	if r := m.ReplyToMessage; r != nil && r.From != nil && r.From.ID == self.ID {
		return text, true
	}
	return text, mentioned
}

// command is the leading "/cmd" or "/cmd@bot" of a message Telegram marks
// as a command: the first word (the entity's length is not trusted).
func command(m *tgbotapi.Message) (string, bool) {
	if len(m.Entities) == 0 || m.Entities[0].Type != "bot_command" || m.Entities[0].Offset != 0 || !strings.HasPrefix(m.Text, "/") {
		return "", false
	}
	end := strings.IndexFunc(m.Text, unicode.IsSpace)
	if end < 0 {
		end = len(m.Text)
	}
	return m.Text[1:end], true
}

// stripMentions takes the bot's mentions out of text: text_mention
// entities pointing at it and "@username" as a whole word, in any case.
func stripMentions(text string, ents []tgbotapi.MessageEntity, self tgbotapi.User) (string, bool) {
	found := false
	var spans [][2]int
	for _, e := range ents {
		if e.Type == "text_mention" && e.User != nil && e.User.ID == self.ID {
			spans = append(spans, [2]int{utf16Index(text, e.Offset), utf16Index(text, e.Offset+e.Length)})
		}
	}
	if len(spans) > 0 {
		sort.Slice(spans, func(i, j int) bool { return spans[i][0] > spans[j][0] })
		last := len(text) + 1
		for _, s := range spans {
			if s[1] > last || s[0] >= s[1] {
				continue // overlapping or empty: ignore
			}
			text = join(text[:s[0]], text[s[1]:])
			last = s[0]
			found = true
		}
	}
	if self.UserName == "" {
		return text, found
	}
	// Taking one mention out can leave another standing alone
	// ("@bot@bot"): again until none is left.
	for {
		t, ok := stripAt(text, "@"+self.UserName)
		if !ok {
			return text, found
		}
		text, found = t, true
	}
}

// stripAt replaces each whole-word mention in text by a space.
func stripAt(text, mention string) (string, bool) {
	found := false
	var out strings.Builder
	from := 0 // text[:from] is written or dropped
	for at := 0; ; {
		i := indexASCIIFold(text[at:], mention)
		if i < 0 {
			break
		}
		i += at
		end := i + len(mention)
		at = end
		if (i > 0 && usernameByte(text[i-1])) || (end < len(text) && usernameByte(text[end])) {
			continue // part of a longer name, an address or a /command@bot
		}
		out.WriteString(text[from:i])
		if i > 0 && end < len(text) && !isSpace(text[i-1]) && !isSpace(text[end]) {
			out.WriteByte(' ') // "a@bot,b": keep the words apart
		} else if i > 0 && end < len(text) && isSpace(text[i-1]) && isSpace(text[end]) {
			end++ // "a @bot b": one space, not two
		}
		from = end
		found = true
	}
	if !found {
		return text, false
	}
	out.WriteString(text[from:])
	return out.String(), true
}

// join glues the text around a removed mention with one space at most.
func join(before, after string) string {
	switch {
	case before == "" || after == "":
		return before + after
	case isSpace(before[len(before)-1]) && isSpace(after[0]):
		return before + after[1:]
	case isSpace(before[len(before)-1]) || isSpace(after[0]):
		return before + after
	}
	return before + " " + after
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' }

func usernameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// indexASCIIFold finds sub (ASCII) in s ignoring ASCII case; byte offsets
// stay those of s, whatever else s holds.
func indexASCIIFold(s, sub string) int {
	if len(sub) == 0 {
		return 0
	}
outer:
	for i := 0; i+len(sub) <= len(s); i++ {
		for j := 0; j < len(sub); j++ {
			if lowerASCII(s[i+j]) != lowerASCII(sub[j]) {
				continue outer
			}
		}
		return i
	}
	return -1
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// utf16Index is the byte offset in s of the UTF-16 offset n, as entity
// offsets count; clamped to s, and never inside a character.
func utf16Index(s string, n int) int {
	if n <= 0 {
		return 0
	}
	units := 0
	for i, r := range s {
		if units >= n {
			return i
		}
		if r == utf8.RuneError {
			units++
		} else {
			units += utf16.RuneLen(r)
		}
	}
	return len(s)
}
