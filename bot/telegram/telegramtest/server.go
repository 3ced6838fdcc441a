// Package telegramtest is a fake Telegram Bot API server on loopback for
// end-to-end tests of the adapter and of nocbot serve: getMe, getUpdates
// with offset and long-poll timeout, sendMessage validated like Telegram
// (length, HTML, callback data), editMessageText, answerCallbackQuery,
// setMyCommands, setWebhook; it injects 429s, 500s and slow chats.
package telegramtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Token is the bot token the fake accepts; anything else gets 401.
const Token = "123456:TEST-secret-token-do-not-log"

// MaxMessage is Telegram's message limit in UTF-16 units.
const MaxMessage = 4096

// Sent is a sendMessage the fake accepted.
type Sent struct {
	Chat     int64
	Text     string
	Keyboard string // reply_markup JSON, "" for none
	ReplyTo  string
	At       time.Time
}

// Server is a Bot API server on loopback: getMe, getUpdates with offset
// and long-poll timeout, sendMessage (validated like Telegram: length,
// HTML, callback data), editMessageText, answerCallbackQuery,
// setMyCommands, setWebhook; it can inject 429s, 500s and slow chats.
type Server struct {
	t   testing.TB
	srv *httptest.Server

	mu        sync.Mutex
	updates   []tgbotapi.Update
	nextID    int
	sent      []Sent
	callbacks []string
	commands  []string // language codes of setMyCommands calls
	webhooks  []string // secret tokens of setWebhook calls
	fail      map[string][]int
	slowChats map[int64]time.Duration
	invalid   []string // what a real server would have refused
	arrived   chan struct{}
}

// NewServer starts a fake closed when the test ends.
func NewServer(t testing.TB) *Server {
	f := &Server{t: t, nextID: 1, fail: map[string][]int{}, slowChats: map[int64]time.Duration{}, arrived: make(chan struct{}, 1)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// URL is the API base URL to configure the bot with.
func (f *Server) URL() string { return f.srv.URL }

// CloseClientConnections drops every open connection, as a network
// failure would.
func (f *Server) CloseClientConnections() { f.srv.CloseClientConnections() }

func (f *Server) reply(w http.ResponseWriter, result any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

func (f *Server) failWith(w http.ResponseWriter, code int) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	body := map[string]any{"ok": false, "error_code": code, "description": http.StatusText(code)}
	if code == http.StatusTooManyRequests {
		body["parameters"] = map[string]any{"retry_after": 1}
	}
	json.NewEncoder(w).Encode(body)
}

// InjectFailures makes the next calls to method fail with these codes.
func (f *Server) InjectFailures(method string, codes ...int) {
	f.mu.Lock()
	f.fail[method] = append(f.fail[method], codes...)
	f.mu.Unlock()
}

func (f *Server) serve(w http.ResponseWriter, r *http.Request) {
	token, method, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
	if !ok || token != Token {
		f.failWith(w, http.StatusUnauthorized)
		return
	}
	if err := r.ParseForm(); err != nil {
		f.failWith(w, http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	if codes := f.fail[method]; len(codes) > 0 {
		f.fail[method] = codes[1:]
		f.mu.Unlock()
		f.failWith(w, codes[0])
		return
	}
	f.mu.Unlock()
	switch method {
	case "getMe":
		f.reply(w, tgbotapi.User{ID: 999, IsBot: true, FirstName: "nocbot", UserName: "nocbot_test_bot"})
	case "getUpdates":
		f.getUpdates(w, r)
	case "sendMessage":
		f.sendMessage(w, r)
	case "answerCallbackQuery":
		f.mu.Lock()
		f.callbacks = append(f.callbacks, r.Form.Get("callback_query_id"))
		f.mu.Unlock()
		f.reply(w, true)
	case "setMyCommands":
		f.mu.Lock()
		f.commands = append(f.commands, r.Form.Get("language_code"))
		f.mu.Unlock()
		f.reply(w, true)
	case "setWebhook":
		f.mu.Lock()
		f.webhooks = append(f.webhooks, r.Form.Get("secret_token"))
		f.mu.Unlock()
		f.reply(w, true)
	case "editMessageText":
		f.reply(w, true)
	default:
		f.failWith(w, http.StatusNotFound)
	}
}

func (f *Server) getUpdates(w http.ResponseWriter, r *http.Request) {
	offset, _ := strconv.Atoi(r.Form.Get("offset"))
	timeout, _ := strconv.Atoi(r.Form.Get("timeout"))
	limit, _ := strconv.Atoi(r.Form.Get("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	deadline := time.After(time.Duration(timeout) * time.Second)
	for {
		f.mu.Lock()
		// Like Telegram: an offset confirms every update below it.
		kept := f.updates[:0]
		for _, u := range f.updates {
			if u.UpdateID >= offset {
				kept = append(kept, u)
			}
		}
		f.updates = kept
		if len(kept) > 0 || timeout == 0 {
			out := append([]tgbotapi.Update(nil), kept[:min(limit, len(kept))]...)
			f.mu.Unlock()
			f.reply(w, out)
			return
		}
		f.mu.Unlock()
		select {
		case <-f.arrived:
		case <-deadline:
			f.reply(w, []tgbotapi.Update{})
			return
		case <-r.Context().Done():
			return
		}
	}
}

func (f *Server) sendMessage(w http.ResponseWriter, r *http.Request) {
	chat, err := strconv.ParseInt(r.Form.Get("chat_id"), 10, 64)
	text := r.Form.Get("text")
	var problems []string
	if err != nil {
		problems = append(problems, "bad chat_id")
	}
	if n := utf16Len(text); n < 1 || n > MaxMessage {
		problems = append(problems, fmt.Sprintf("text is %d UTF-16 units", n))
	}
	if r.Form.Get("parse_mode") != "HTML" {
		problems = append(problems, "parse_mode is not HTML")
	} else if err := ValidateHTML(text); err != nil {
		problems = append(problems, err.Error())
	}
	kb := r.Form.Get("reply_markup")
	if kb != "" {
		var markup tgbotapi.InlineKeyboardMarkup
		if err := json.Unmarshal([]byte(kb), &markup); err != nil {
			problems = append(problems, "bad reply_markup")
		}
		for _, row := range markup.InlineKeyboard {
			for _, b := range row {
				if b.CallbackData == nil || len(*b.CallbackData) < 1 || len(*b.CallbackData) > 64 {
					problems = append(problems, "callback_data outside 1-64 bytes")
				}
			}
		}
	}
	f.mu.Lock()
	if len(problems) > 0 {
		f.invalid = append(f.invalid, fmt.Sprintf("%v: %q", problems, text))
		f.mu.Unlock()
		f.failWith(w, http.StatusBadRequest)
		return
	}
	delay := f.slowChats[chat]
	f.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	f.mu.Lock()
	f.sent = append(f.sent, Sent{Chat: chat, Text: text, Keyboard: kb, ReplyTo: r.Form.Get("reply_to_message_id"), At: time.Now()})
	id := len(f.sent)
	f.mu.Unlock()
	f.reply(w, tgbotapi.Message{MessageID: id, Chat: &tgbotapi.Chat{ID: chat}, Text: text})
}

// Push queues updates as Telegram would, giving them ids.
func (f *Server) Push(us ...tgbotapi.Update) []int {
	f.mu.Lock()
	var ids []int
	for _, u := range us {
		u.UpdateID = f.nextID
		f.nextID++
		ids = append(ids, u.UpdateID)
		f.updates = append(f.updates, u)
	}
	f.mu.Unlock()
	select {
	case f.arrived <- struct{}{}:
	default:
	}
	return ids
}

// Sent returns the messages sent so far.
func (f *Server) Sent() []Sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Sent(nil), f.sent...)
}

// Invalid lists what a real server would have refused.
func (f *Server) Invalid() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.invalid...)
}

// Callbacks lists the callback query ids answered.
func (f *Server) Callbacks() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.callbacks...)
}

// Commands lists the language codes of setMyCommands calls.
func (f *Server) Commands() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.commands...)
}

// Webhooks lists the secret tokens of setWebhook calls.
func (f *Server) Webhooks() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.webhooks...)
}

// SlowChat delays every sendMessage to chat.
func (f *Server) SlowChat(chat int64, d time.Duration) {
	f.mu.Lock()
	f.slowChats[chat] = d
	f.mu.Unlock()
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// WaitSent waits until at least n messages were sent.
func (f *Server) WaitSent(t testing.TB, n int, within time.Duration) []Sent {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		got := f.Sent()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages sent within %v, want %d", len(got), within, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// PrivateText is a user's message in a private chat.
func PrivateText(chat int64, text string, lang string) tgbotapi.Update {
	m := &tgbotapi.Message{MessageID: int(chat%1000) + 1, From: &tgbotapi.User{ID: chat, FirstName: "u", LanguageCode: lang},
		Chat: &tgbotapi.Chat{ID: chat, Type: "private"}, Date: int(time.Now().Unix()), Text: text}
	addCommandEntity(m)
	return tgbotapi.Update{Message: m}
}

// GroupText is a message in a supergroup.
func GroupText(chat, user int64, text string) tgbotapi.Update {
	m := &tgbotapi.Message{MessageID: 77, From: &tgbotapi.User{ID: user, FirstName: "u"},
		Chat: &tgbotapi.Chat{ID: chat, Type: "supergroup"}, Date: int(time.Now().Unix()), Text: text}
	addCommandEntity(m)
	return tgbotapi.Update{Message: m}
}

func addCommandEntity(m *tgbotapi.Message) {
	if strings.HasPrefix(m.Text, "/") {
		end := strings.IndexByte(m.Text, ' ')
		if end < 0 {
			end = len(m.Text)
		}
		m.Entities = []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: utf8.RuneCountInString(m.Text[:end])}}
	}
}

// ButtonPress is a press of an inline button in a private chat.
func ButtonPress(chat int64, data string) tgbotapi.Update {
	return tgbotapi.Update{CallbackQuery: &tgbotapi.CallbackQuery{ID: "cq" + strconv.FormatInt(chat, 10), Data: data,
		From:    &tgbotapi.User{ID: chat, FirstName: "u"},
		Message: &tgbotapi.Message{MessageID: 5, Chat: &tgbotapi.Chat{ID: chat, Type: "private"}}}}
}

// ValidateHTML checks text the way Telegram's HTML parse mode does: only
// its tags, balanced, attributes quoted, entities known, and no bare <, >
// or &.
func ValidateHTML(s string) error {
	var stack []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return fmt.Errorf("unclosed tag at %d", i)
			}
			tag := s[i+1 : i+end]
			i += end + 1
			if strings.HasPrefix(tag, "/") {
				name := tag[1:]
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return fmt.Errorf("unbalanced </%s>", name)
				}
				stack = stack[:len(stack)-1]
				continue
			}
			name, attrs, _ := strings.Cut(tag, " ")
			switch name {
			case "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "tg-spoiler", "blockquote":
				if attrs != "" {
					return fmt.Errorf("<%s> takes no attributes", name)
				}
			case "a":
				if !strings.HasPrefix(attrs, `href="`) || !strings.HasSuffix(attrs, `"`) || strings.ContainsAny(attrs[6:len(attrs)-1], `"<>`) {
					return fmt.Errorf("bad <a %s>", attrs)
				}
			default:
				return fmt.Errorf("tag <%s> not allowed", name)
			}
			stack = append(stack, name)
		case '>':
			return fmt.Errorf("bare > at %d", i)
		case '&':
			end := strings.IndexByte(s[i:], ';')
			if end < 0 {
				return fmt.Errorf("bare & at %d", i)
			}
			switch ent := s[i : i+end+1]; {
			case ent == "&lt;", ent == "&gt;", ent == "&amp;", ent == "&quot;":
			case strings.HasPrefix(ent, "&#"):
			default:
				return fmt.Errorf("unknown entity %s", ent)
			}
			i += end + 1
		default:
			i++
		}
	}
	if len(stack) > 0 {
		return fmt.Errorf("unclosed <%s>", stack[len(stack)-1])
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("invalid UTF-8")
	}
	return nil
}
