// Package telegramtest is a fake Telegram Bot API server on loopback for
// end-to-end tests of the adapter and of nocbot serve: getMe, getUpdates
// with offset and long-poll timeout, sendMessage and editMessageText
// validated like Telegram (chat exists, length, HTML, callback data),
// answerCallbackQuery, answerInlineQuery (to a query it sent, once,
// within Telegram's limits), setMyCommands, setWebhook and deleteWebhook; it
// injects 429s with retry_after, 5xx errors and slow responses.
//
// Requests are form-encoded POSTs to /bot<token>/<method>, as the
// telegram-bot-api library sends them.
package telegramtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
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

// BotID and BotUsername are what getMe answers.
const (
	BotID       = 999
	BotUsername = "nocbot_test_bot"
)

// MaxMessage is Telegram's message limit in UTF-16 units.
const MaxMessage = 4096

// Sent is a sendMessage the fake accepted.
type Sent struct {
	ID       int // message id the fake gave it
	Chat     int64
	Text     string
	Keyboard string // reply_markup JSON, "" for none
	ReplyTo  string
	At       time.Time // when the request arrived
}

// Failure is a request the fake failed on purpose (InjectFailures).
type Failure struct {
	Method string
	Nth    int   // the request's number among the calls to Method, from 1
	Chat   int64 // chat_id of the request, 0 when it has none
	Code   int
	At     time.Time
}

// Commands is one setMyCommands call.
type Commands struct {
	Lang     string // language_code, "" for the default list
	Commands []tgbotapi.BotCommand
}

// Server is a Bot API server on loopback. The zero value is not usable:
// call NewServer.
type Server struct {
	t   testing.TB
	srv *httptest.Server

	mu         sync.Mutex
	updates    []tgbotapi.Update
	raw        map[int]json.RawMessage // what getUpdates serves for an update, when not the update itself
	nextID     int
	chats      map[int64]bool
	sent       []Sent
	edits      []Sent
	callbacks  []string
	commands   []Commands
	webhooks   []string        // secret tokens of setWebhook calls
	inline     map[string]bool // inline query ids pushed -> answered
	answers    []InlineAnswer
	inlineSeq  int
	allowed    []string // allowed_updates of the last getUpdates or setWebhook
	webhookURL string   // set by setWebhook, cleared by deleteWebhook
	fail       map[string][]int
	failures   []Failure
	retryAfter int
	slowChats  map[int64]time.Duration
	held       map[int64]chan struct{}
	holding    int // requests waiting on a held chat
	heldMethod map[string]chan struct{}
	polling    int // long polls waiting for an update
	slowMethod map[string]time.Duration
	invalid    []string // what a real server would have refused
	noInline   bool     // getMe says inline mode is off (BotFather's /setinline never used)
	requests   map[string]int
	arrived    chan struct{}
	// changed is broadcast, and version counted, on every change of what
	// the fake records: tests wait on it instead of polling the clock.
	changed *sync.Cond
	version uint64
}

// NewServer starts a fake closed when the test ends.
func NewServer(t testing.TB) *Server {
	f := &Server{t: t, nextID: 1, chats: map[int64]bool{}, raw: map[int]json.RawMessage{}, fail: map[string][]int{}, retryAfter: 1, inline: map[string]bool{},
		slowChats: map[int64]time.Duration{}, held: map[int64]chan struct{}{}, heldMethod: map[string]chan struct{}{}, slowMethod: map[string]time.Duration{}, requests: map[string]int{},
		arrived: make(chan struct{})}
	f.changed = sync.NewCond(&f.mu)
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// SetInlineMode sets what getMe says of inline mode (supports_inline_queries,
// on unless set off): whether BotFather's /setinline turned it on.
func (f *Server) SetInlineMode(on bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.noInline = !on
}

// notify wakes every waiter; f.mu is held.
func (f *Server) notify() {
	f.version++
	f.changed.Broadcast()
}

// Until waits until cond holds, checking it again after every change the
// fake sees: a request arriving, a message accepted, a long poll parked or
// ended, an update confirmed. It has no deadline of its own: a test that
// would wait forever ends with go test's -timeout, which names it. cond
// may call the Server's methods.
func (f *Server) Until(cond func() bool) {
	for {
		f.mu.Lock()
		v := f.version
		f.mu.Unlock()
		if cond() {
			return
		}
		f.mu.Lock()
		for f.version == v {
			f.changed.Wait()
		}
		f.mu.Unlock()
	}
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

func (f *Server) refuse(w http.ResponseWriter, code int, description string, retryAfter int) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	body := map[string]any{"ok": false, "error_code": code, "description": description}
	if retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": retryAfter}
	}
	json.NewEncoder(w).Encode(body)
}

// Drop, given to InjectFailures, closes the connection without an answer:
// a network error.
const Drop = -1

// InjectFailures makes the next calls to method fail with these HTTP
// codes (or Drop); a 429 carries retry_after (1 s unless SetRetryAfter
// says).
func (f *Server) InjectFailures(method string, codes ...int) {
	f.mu.Lock()
	f.fail[method] = append(f.fail[method], codes...)
	f.mu.Unlock()
}

// SetRetryAfter sets the retry_after, in seconds, of injected 429s.
func (f *Server) SetRetryAfter(seconds int) {
	f.mu.Lock()
	f.retryAfter = seconds
	f.mu.Unlock()
}

// SlowChat delays every sendMessage to chat.
func (f *Server) SlowChat(chat int64, d time.Duration) {
	f.mu.Lock()
	f.slowChats[chat] = d
	f.mu.Unlock()
}

// HoldChat makes sendMessage to chat wait until release is called (or the
// request is cancelled).
func (f *Server) HoldChat(chat int64) (release func()) {
	return f.hold(func(gate chan struct{}) {
		if gate != nil {
			f.held[chat] = gate
		} else {
			delete(f.held, chat)
		}
	})
}

// HoldMethod makes calls to method wait, before anything else is done
// with them, until release is called (or the request is cancelled).
func (f *Server) HoldMethod(method string) (release func()) {
	return f.hold(func(gate chan struct{}) {
		if gate != nil {
			f.heldMethod[method] = gate
		} else {
			delete(f.heldMethod, method)
		}
	})
}

// hold makes a gate, set (under f.mu) until release forgets it (set(nil))
// and opens it.
func (f *Server) hold(set func(gate chan struct{})) (release func()) {
	gate := make(chan struct{})
	f.mu.Lock()
	set(gate)
	f.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			f.mu.Lock()
			set(nil)
			f.mu.Unlock()
			close(gate)
		})
	}
}

// Polling is how many long polls wait for an update.
func (f *Server) Polling() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.polling
}

// Held is how many sendMessage requests wait on held chats; a request
// whose client went away stops waiting, once the server notices.
func (f *Server) Held() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.holding
}

// SlowMethod delays every call to method.
func (f *Server) SlowMethod(method string, d time.Duration) {
	f.mu.Lock()
	f.slowMethod[method] = d
	f.mu.Unlock()
}

// AddChats makes chats known, as if their users had started the bot;
// Push does it for the chats of the updates it queues. sendMessage to an
// unknown chat fails with 400 "chat not found".
func (f *Server) AddChats(ids ...int64) {
	f.mu.Lock()
	for _, id := range ids {
		f.chats[id] = true
	}
	f.mu.Unlock()
}

func (f *Server) serve(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	token, method, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
	if !ok || token != Token {
		f.refuse(w, http.StatusUnauthorized, "Unauthorized", 0)
		return
	}
	if r.Method != http.MethodPost {
		f.refuse(w, http.StatusBadRequest, "Bad Request: want POST", 0)
		return
	}
	if err := r.ParseForm(); err != nil {
		f.refuse(w, http.StatusBadRequest, "Bad Request: form", 0)
		return
	}
	chat, _ := strconv.ParseInt(r.Form.Get("chat_id"), 10, 64)
	f.mu.Lock()
	f.requests[method]++
	nth := f.requests[method]
	f.notify()
	gate := f.heldMethod[method]
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-r.Context().Done():
			return
		}
	}
	f.mu.Lock()
	slow := f.slowMethod[method]
	if codes := f.fail[method]; len(codes) > 0 {
		f.fail[method] = codes[1:]
		f.failures = append(f.failures, Failure{Method: method, Nth: nth, Chat: chat, Code: codes[0], At: time.Now()})
		f.notify()
		ra := 0
		if codes[0] == http.StatusTooManyRequests {
			ra = f.retryAfter
		}
		f.mu.Unlock()
		if codes[0] == Drop {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
		}
		f.refuse(w, codes[0], http.StatusText(codes[0]), ra)
		return
	}
	f.mu.Unlock()
	if slow > 0 {
		select {
		case <-time.After(slow):
		case <-r.Context().Done():
			return
		}
	}
	switch method {
	case "getMe":
		f.mu.Lock()
		inline := !f.noInline
		f.mu.Unlock()
		f.reply(w, tgbotapi.User{ID: BotID, IsBot: true, FirstName: "nocbot", UserName: BotUsername, SupportsInlineQueries: inline})
	case "getUpdates":
		f.getUpdates(w, r)
	case "sendMessage", "editMessageText":
		f.sendMessage(w, r, method, arrived)
	case "answerInlineQuery":
		f.answerInlineQuery(w, r)
	case "answerCallbackQuery":
		if utf8.RuneCountInString(r.Form.Get("text")) > 200 || r.Form.Get("callback_query_id") == "" {
			f.invalidf(w, "answerCallbackQuery: %q", r.Form.Encode())
			return
		}
		f.mu.Lock()
		f.callbacks = append(f.callbacks, r.Form.Get("callback_query_id"))
		f.notify()
		f.mu.Unlock()
		f.reply(w, true)
	case "setMyCommands":
		f.setMyCommands(w, r)
	case "setWebhook":
		f.mu.Lock()
		f.webhooks = append(f.webhooks, r.Form.Get("secret_token"))
		f.webhookURL = r.Form.Get("url")
		json.Unmarshal([]byte(r.Form.Get("allowed_updates")), &f.allowed)
		f.notify()
		f.mu.Unlock()
		f.reply(w, true)
	case "deleteWebhook":
		f.mu.Lock()
		f.webhookURL = ""
		f.notify()
		f.mu.Unlock()
		f.reply(w, true)
	default:
		f.refuse(w, http.StatusNotFound, "Not Found", 0)
	}
}

// invalidf records a request a real server would refuse and answers 400.
func (f *Server) invalidf(w http.ResponseWriter, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	f.mu.Lock()
	f.invalid = append(f.invalid, msg)
	f.notify()
	f.mu.Unlock()
	f.refuse(w, http.StatusBadRequest, "Bad Request: "+msg, 0)
}

func (f *Server) getUpdates(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	hook := f.webhookURL
	f.mu.Unlock()
	if hook != "" {
		f.refuse(w, http.StatusConflict, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", 0)
		return
	}
	f.mu.Lock()
	json.Unmarshal([]byte(r.Form.Get("allowed_updates")), &f.allowed)
	f.mu.Unlock()
	offset, _ := strconv.Atoi(r.Form.Get("offset"))
	timeout, _ := strconv.Atoi(r.Form.Get("timeout"))
	limit, _ := strconv.Atoi(r.Form.Get("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		// Like Telegram: an offset confirms every update below it, and
		// confirmed updates are gone for good. Updates are kept in id
		// order.
		i, _ := slices.BinarySearchFunc(f.updates, offset, func(u tgbotapi.Update, id int) int { return u.UpdateID - id })
		if i > 0 {
			clear(f.updates[:i])
			f.updates = f.updates[i:]
			f.notify()
		}
		kept := f.updates
		arrived := f.arrived
		if len(kept) > 0 || timeout == 0 {
			out := make([]json.RawMessage, 0, min(limit, len(kept)))
			for _, u := range kept[:min(limit, len(kept))] {
				raw, ok := f.raw[u.UpdateID]
				if !ok {
					raw, _ = json.Marshal(u)
				}
				out = append(out, raw)
			}
			f.mu.Unlock()
			f.reply(w, out)
			return
		}
		f.mu.Unlock()
		var done bool
		f.parked(&f.polling, func() {
			select {
			case <-arrived:
			case <-deadline.C:
				f.reply(w, []tgbotapi.Update{})
				done = true
			case <-r.Context().Done():
				done = true
			}
		})
		if done {
			return
		}
	}
}

// parked counts a request in *n, guarded by f.mu, while wait runs.
func (f *Server) parked(n *int, wait func()) {
	f.mu.Lock()
	*n++
	f.notify()
	f.mu.Unlock()
	wait()
	f.mu.Lock()
	*n--
	f.notify()
	f.mu.Unlock()
}

func (f *Server) setMyCommands(w http.ResponseWriter, r *http.Request) {
	var cmds []tgbotapi.BotCommand
	if err := json.Unmarshal([]byte(r.Form.Get("commands")), &cmds); err != nil {
		f.invalidf(w, "setMyCommands: commands: %v", err)
		return
	}
	if len(cmds) > 100 {
		f.invalidf(w, "setMyCommands: %d commands", len(cmds))
		return
	}
	for _, c := range cmds {
		if !commandRE.MatchString(c.Command) {
			f.invalidf(w, "setMyCommands: command %q", c.Command)
			return
		}
		if n := utf8.RuneCountInString(c.Description); n < 1 || n > 256 {
			f.invalidf(w, "setMyCommands: description of %q is %d characters", c.Command, n)
			return
		}
	}
	f.mu.Lock()
	f.commands = append(f.commands, Commands{Lang: r.Form.Get("language_code"), Commands: cmds})
	f.notify()
	f.mu.Unlock()
	f.reply(w, true)
}

var commandRE = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

func (f *Server) sendMessage(w http.ResponseWriter, r *http.Request, method string, arrived time.Time) {
	chat, err := strconv.ParseInt(r.Form.Get("chat_id"), 10, 64)
	text := r.Form.Get("text")
	var problems []string
	if err != nil {
		problems = append(problems, "bad chat_id")
	}
	if n := utf16Len(text); n < 1 || n > MaxMessage {
		problems = append(problems, fmt.Sprintf("text is %d UTF-16 units", n))
	}
	switch r.Form.Get("parse_mode") {
	case "HTML":
		if err := ValidateHTML(text); err != nil {
			problems = append(problems, "can't parse entities: "+err.Error())
		}
	case "":
		if !utf8.ValidString(text) {
			problems = append(problems, "invalid UTF-8")
		}
	default:
		problems = append(problems, "parse_mode "+r.Form.Get("parse_mode"))
	}
	kb := r.Form.Get("reply_markup")
	if kb != "" {
		if err := validateKeyboard(kb); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if len(problems) > 0 {
		f.invalidf(w, "%s %v: %q", method, problems, text)
		return
	}
	f.mu.Lock()
	known := f.chats[chat]
	delay := f.slowChats[chat]
	gate := f.held[chat]
	f.mu.Unlock()
	if !known {
		f.refuse(w, http.StatusBadRequest, "Bad Request: chat not found", 0)
		return
	}
	if gate != nil {
		var gone bool
		f.parked(&f.holding, func() {
			select {
			case <-gate:
			case <-r.Context().Done():
				gone = true
			}
		})
		if gone {
			return
		}
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	f.mu.Lock()
	s := Sent{Chat: chat, Text: text, Keyboard: kb, ReplyTo: r.Form.Get("reply_to_message_id"), At: arrived}
	if method == "editMessageText" {
		s.ID, _ = strconv.Atoi(r.Form.Get("message_id"))
		f.edits = append(f.edits, s)
	} else {
		s.ID = len(f.sent) + 1
		f.sent = append(f.sent, s)
	}
	f.notify()
	f.mu.Unlock()
	f.reply(w, tgbotapi.Message{MessageID: s.ID, Date: int(s.At.Unix()), Chat: &tgbotapi.Chat{ID: chat},
		From: &tgbotapi.User{ID: BotID, IsBot: true, UserName: BotUsername}, Text: text})
}

func validateKeyboard(kb string) error {
	var markup tgbotapi.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(kb), &markup); err != nil {
		return fmt.Errorf("bad reply_markup: %v", err)
	}
	if len(markup.InlineKeyboard) == 0 {
		return fmt.Errorf("reply_markup without buttons")
	}
	for _, row := range markup.InlineKeyboard {
		if len(row) == 0 || len(row) > 8 {
			return fmt.Errorf("keyboard row of %d buttons", len(row))
		}
		for _, b := range row {
			if b.Text == "" {
				return fmt.Errorf("button without text")
			}
			kinds := 0
			for _, set := range []bool{b.CallbackData != nil, b.URL != nil, b.SwitchInlineQuery != nil, b.SwitchInlineQueryCurrentChat != nil} {
				if set {
					kinds++
				}
			}
			switch {
			case kinds != 1:
				return fmt.Errorf("button %q with %d actions, want exactly one", b.Text, kinds)
			case b.CallbackData != nil && (len(*b.CallbackData) < 1 || len(*b.CallbackData) > 64):
				return fmt.Errorf("callback_data outside 1-64 bytes")
			case b.URL != nil && !strings.HasPrefix(*b.URL, "https://") && !strings.HasPrefix(*b.URL, "tg://"):
				return fmt.Errorf("button URL %q", *b.URL)
			case b.SwitchInlineQuery != nil && utf8.RuneCountInString(*b.SwitchInlineQuery) > 256:
				return fmt.Errorf("switch_inline_query of %d characters", utf8.RuneCountInString(*b.SwitchInlineQuery))
			}
		}
	}
	return nil
}

// InlineAnswer is an answerInlineQuery the fake accepted.
type InlineAnswer struct {
	QueryID    string
	Results    []InlineResult
	NextOffset string
	CacheTime  int
	IsPersonal bool
	// Button is the results button's text and StartParameter its start
	// payload, "" for none.
	Button, StartParameter string
	At                     time.Time
}

// InlineResult is one article result of an answer, with the message it
// posts when chosen.
type InlineResult struct {
	Type        string `json:"type"`
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Content     struct {
		Text      string `json:"message_text"`
		ParseMode string `json:"parse_mode"`
	} `json:"input_message_content"`
	ReplyMarkup json.RawMessage `json:"reply_markup"`
}

// startParam is what Telegram takes as a start payload.
var startParam = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// answerInlineQuery takes an answer as Telegram does: to an inline query
// it sent and nobody answered yet, at most 50 article results with ids of
// 1-64 bytes, unique, a title and a message of 1-4096 characters in valid
// HTML, next_offset of at most 64 bytes, a results button with text and a
// start parameter Telegram accepts.
func (f *Server) answerInlineQuery(w http.ResponseWriter, r *http.Request) {
	a := InlineAnswer{QueryID: r.Form.Get("inline_query_id"), NextOffset: r.Form.Get("next_offset"), At: time.Now()}
	a.IsPersonal = r.Form.Get("is_personal") == "true"
	var err error
	if v := r.Form.Get("cache_time"); v != "" {
		if a.CacheTime, err = strconv.Atoi(v); err != nil || a.CacheTime < 0 {
			f.invalidf(w, "answerInlineQuery: cache_time %q", v)
			return
		}
	}
	f.mu.Lock()
	answered, known := f.inline[a.QueryID]
	f.mu.Unlock()
	if !known || answered {
		f.invalidf(w, "answerInlineQuery: query is too old and response timeout expired or query ID is invalid (%q)", a.QueryID)
		return
	}
	if err := json.Unmarshal([]byte(r.Form.Get("results")), &a.Results); err != nil {
		f.invalidf(w, "answerInlineQuery: results: %v", err)
		return
	}
	if err := checkInline(a, r.Form.Get("button"), r.Form.Get("switch_pm_parameter")); err != nil {
		f.invalidf(w, "answerInlineQuery: %v", err)
		return
	}
	if b := r.Form.Get("button"); b != "" {
		var btn struct {
			Text           string `json:"text"`
			StartParameter string `json:"start_parameter"`
		}
		json.Unmarshal([]byte(b), &btn)
		a.Button, a.StartParameter = btn.Text, btn.StartParameter
	}
	f.mu.Lock()
	f.inline[a.QueryID] = true
	f.answers = append(f.answers, a)
	f.notify()
	f.mu.Unlock()
	f.reply(w, true)
}

func checkInline(a InlineAnswer, button, switchPM string) error {
	if len(a.Results) > 50 {
		return fmt.Errorf("%d results", len(a.Results))
	}
	if len(a.NextOffset) > 64 {
		return fmt.Errorf("next_offset of %d bytes", len(a.NextOffset))
	}
	ids := map[string]bool{}
	for _, res := range a.Results {
		switch {
		case res.Type != "article":
			return fmt.Errorf("result type %q", res.Type)
		case len(res.ID) < 1 || len(res.ID) > 64:
			return fmt.Errorf("result id %q", res.ID)
		case ids[res.ID]:
			return fmt.Errorf("result id %q twice", res.ID)
		case strings.TrimSpace(res.Title) == "" || !utf8.ValidString(res.Title+res.Description):
			return fmt.Errorf("result %q: title %q", res.ID, res.Title)
		case strings.TrimSpace(res.Content.Text) == "" || utf16Len(res.Content.Text) > MaxMessage:
			return fmt.Errorf("result %q: message of %d characters", res.ID, utf16Len(res.Content.Text))
		}
		ids[res.ID] = true
		if res.Content.ParseMode == "HTML" {
			if err := ValidateHTML(res.Content.Text); err != nil {
				return fmt.Errorf("result %q: %v", res.ID, err)
			}
		}
		if len(res.ReplyMarkup) > 0 {
			if err := validateKeyboard(string(res.ReplyMarkup)); err != nil {
				return fmt.Errorf("result %q: %v", res.ID, err)
			}
		}
	}
	if button != "" {
		var btn struct {
			Text           string `json:"text"`
			StartParameter string `json:"start_parameter"`
		}
		if err := json.Unmarshal([]byte(button), &btn); err != nil || btn.Text == "" || !startParam.MatchString(btn.StartParameter) {
			return fmt.Errorf("button %s", button)
		}
	}
	if switchPM != "" && !startParam.MatchString(switchPM) {
		return fmt.Errorf("switch_pm_parameter %q", switchPM)
	}
	return nil
}

// InlineAnswers lists the answers to inline queries so far.
func (f *Server) InlineAnswers() []InlineAnswer {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.answers)
}

// WaitInlineAnswer waits for the answer to the inline query id.
func (f *Server) WaitInlineAnswer(id string) InlineAnswer {
	var got InlineAnswer
	f.Until(func() bool {
		for _, a := range f.InlineAnswers() {
			if a.QueryID == id {
				got = a
				return true
			}
		}
		return false
	})
	return got
}

// AllowedUpdates is the allowed_updates of the last getUpdates or
// setWebhook.
func (f *Server) AllowedUpdates() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.allowed)
}

// InlineQuery is a user typing "@bot query" in a chat; offset is the
// next_offset of the answer whose results they scrolled past, "" for the
// first page. Every query gets an id of its own.
func (f *Server) InlineQuery(user int64, query, offset, lang string) tgbotapi.Update {
	f.mu.Lock()
	f.inlineSeq++
	n := f.inlineSeq
	f.mu.Unlock()
	return tgbotapi.Update{InlineQuery: &tgbotapi.InlineQuery{ID: fmt.Sprintf("iq%d-%d", user, n), Query: query, Offset: offset, ChatType: "supergroup",
		From: &tgbotapi.User{ID: user, FirstName: "u", LanguageCode: lang}}}
}

// Push queues updates as Telegram would, giving them ids, and makes their
// chats known.
func (f *Server) Push(us ...tgbotapi.Update) []int { return f.push(us, nil) }

// push queues us; with f.mu held, it calls each (if not nil) with each
// update's id before any long poll can see it.
func (f *Server) push(us []tgbotapi.Update, each func(id int)) []int {
	f.mu.Lock()
	var ids []int
	for _, u := range us {
		u.UpdateID = f.nextID
		f.nextID++
		if each != nil {
			each(u.UpdateID)
		}
		ids = append(ids, u.UpdateID)
		f.updates = append(f.updates, u)
		switch {
		case u.Message != nil && u.Message.Chat != nil:
			f.chats[u.Message.Chat.ID] = true
		case u.CallbackQuery != nil && u.CallbackQuery.Message != nil && u.CallbackQuery.Message.Chat != nil:
			f.chats[u.CallbackQuery.Message.Chat.ID] = true
		case u.InlineQuery != nil:
			f.inline[u.InlineQuery.ID] = false
		}
	}
	// Wake every waiting long poll.
	close(f.arrived)
	f.arrived = make(chan struct{})
	f.notify()
	f.mu.Unlock()
	return ids
}

// PushRaw queues an update whose JSON is fields (the members of an
// object, without update_id, which the fake adds) exactly as given: an update the
// library cannot read, a field of an unexpected type. It returns the id.
func (f *Server) PushRaw(fields string) int {
	return f.push([]tgbotapi.Update{{}}, func(id int) {
		f.raw[id] = json.RawMessage(fmt.Sprintf(`{"update_id":%d,%s}`, id, fields))
	})[0]
}

// Reset forgets the messages sent, edits, callbacks and refusals so far.
func (f *Server) Reset() {
	f.mu.Lock()
	f.sent, f.edits, f.callbacks, f.invalid, f.failures = nil, nil, nil, nil, nil
	f.notify()
	f.mu.Unlock()
}

// Pending is how many pushed updates are not yet confirmed by an offset.
func (f *Server) Pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.updates)
}

// Sent returns the messages sent so far, in the order they were accepted.
func (f *Server) Sent() []Sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Sent(nil), f.sent...)
}

// Edits returns the editMessageText calls accepted.
func (f *Server) Edits() []Sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Sent(nil), f.edits...)
}

// Invalid lists what a real server would have refused.
func (f *Server) Invalid() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.invalid...)
}

// Failures lists the failures injected so far.
func (f *Server) Failures() []Failure {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Failure(nil), f.failures...)
}

// Requests is how many calls to method arrived.
func (f *Server) Requests(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[method]
}

// Callbacks lists the callback query ids answered.
func (f *Server) Callbacks() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.callbacks...)
}

// CommandMenus lists the setMyCommands calls.
func (f *Server) CommandMenus() []Commands {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Commands(nil), f.commands...)
}

// Commands lists the language codes of setMyCommands calls.
func (f *Server) Commands() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.commands {
		out = append(out, c.Lang)
	}
	return out
}

// Webhooks lists the secret tokens of setWebhook calls.
func (f *Server) Webhooks() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.webhooks...)
}

// WebhookURL is the webhook set now, "" for none.
func (f *Server) WebhookURL() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.webhookURL
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

// WaitRequests waits until at least n calls to method have arrived.
func (f *Server) WaitRequests(method string, n int) {
	f.Until(func() bool { return f.Requests(method) >= n })
}

// WaitSent waits until at least n messages were sent and returns them
// all.
func (f *Server) WaitSent(n int) []Sent {
	var sent []Sent
	f.Until(func() bool {
		sent = f.Sent()
		return len(sent) >= n
	})
	return sent
}

// PrivateText is a user's message in a private chat.
func PrivateText(chat int64, text string, lang string) tgbotapi.Update {
	m := &tgbotapi.Message{MessageID: int(chat%1000) + 1, From: &tgbotapi.User{ID: chat, FirstName: "u", LanguageCode: lang},
		Chat: &tgbotapi.Chat{ID: chat, Type: "private"}, Date: int(time.Now().Unix()), Text: text}
	AddEntities(m)
	return tgbotapi.Update{Message: m}
}

// GroupText is a message in a supergroup.
func GroupText(chat, user int64, text string) tgbotapi.Update {
	m := &tgbotapi.Message{MessageID: 77, From: &tgbotapi.User{ID: user, FirstName: "u"},
		Chat: &tgbotapi.Chat{ID: chat, Type: "supergroup"}, Date: int(time.Now().Unix()), Text: text}
	AddEntities(m)
	return tgbotapi.Update{Message: m}
}

var mentionRE = regexp.MustCompile(`@[A-Za-z0-9_]{3,32}`)

// AddEntities marks a leading /command and every @mention the way
// Telegram does, with offsets and lengths in UTF-16 units.
func AddEntities(m *tgbotapi.Message) {
	m.Entities = nil
	if strings.HasPrefix(m.Text, "/") {
		end := strings.IndexAny(m.Text, " \n")
		if end < 0 {
			end = len(m.Text)
		}
		m.Entities = append(m.Entities, tgbotapi.MessageEntity{Type: "bot_command", Offset: 0, Length: utf16Len(m.Text[:end])})
	}
	for _, loc := range mentionRE.FindAllStringIndex(m.Text, -1) {
		if loc[0] > 0 && strings.HasPrefix(m.Text, "/") && !strings.ContainsAny(m.Text[:loc[0]], " \n") {
			continue // the @bot of /cmd@bot belongs to the command
		}
		m.Entities = append(m.Entities, tgbotapi.MessageEntity{Type: "mention", Offset: utf16Len(m.Text[:loc[0]]), Length: utf16Len(m.Text[loc[0]:loc[1]])})
	}
}

// ButtonPress is a press of an inline button in a private chat.
func ButtonPress(chat int64, data string) tgbotapi.Update {
	return tgbotapi.Update{CallbackQuery: &tgbotapi.CallbackQuery{ID: "cq" + strconv.FormatInt(chat, 10), Data: data,
		From:    &tgbotapi.User{ID: chat, FirstName: "u"},
		Message: &tgbotapi.Message{MessageID: 5, From: &tgbotapi.User{ID: BotID, IsBot: true}, Chat: &tgbotapi.Chat{ID: chat, Type: "private"}}}}
}

// ValidateHTML checks text the way Telegram's HTML parse mode does: only
// its tags (b, strong, i, em, u, ins, s, strike, del, span
// class="tg-spoiler", tg-spoiler, a href, code, pre, blockquote), properly
// nested, no link inside a link, attributes double-quoted, only the named
// entities &lt; &gt; &amp; &quot; and numeric ones, no bare <, > or &,
// valid UTF-8.
func ValidateHTML(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("invalid UTF-8")
	}
	var stack []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return fmt.Errorf("unclosed tag at %d", i)
			}
			tag := s[i+1 : i+end]
			if strings.ContainsRune(tag, '<') {
				return fmt.Errorf("bare < at %d", i)
			}
			i += end + 1
			if name, ok := strings.CutPrefix(tag, "/"); ok {
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
			case "span":
				if attrs != `class="tg-spoiler"` {
					return fmt.Errorf("bad <span %s>", attrs)
				}
			case "a":
				v, ok := strings.CutPrefix(attrs, `href="`)
				if !ok || !strings.HasSuffix(v, `"`) || len(v) < 2 {
					return fmt.Errorf("bad <a %s>", attrs)
				}
				v = v[:len(v)-1]
				if strings.ContainsAny(v, `"<>`) {
					return fmt.Errorf("bad href %q", v)
				}
				if err := entities(v); err != nil {
					return fmt.Errorf("href: %v", err)
				}
				for _, open := range stack {
					if open == "a" {
						return fmt.Errorf("link inside a link")
					}
				}
			default:
				return fmt.Errorf("tag <%s> not allowed", name)
			}
			stack = append(stack, name)
		case '>':
			return fmt.Errorf("bare > at %d", i)
		case '&':
			n, err := entity(s[i:])
			if err != nil {
				return fmt.Errorf("at %d: %v", i, err)
			}
			i += n
		default:
			i++
		}
	}
	if len(stack) > 0 {
		return fmt.Errorf("unclosed <%s>", stack[len(stack)-1])
	}
	return nil
}

var entityRE = regexp.MustCompile(`^&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});`)

// entity checks the character reference at the start of s and returns its
// length.
func entity(s string) (int, error) {
	m := entityRE.FindString(s)
	if m == "" {
		return 0, fmt.Errorf("bare & or unknown entity %.12q", s)
	}
	return len(m), nil
}

// entities checks every & in an attribute value.
func entities(v string) error {
	for i := 0; i < len(v); i++ {
		if v[i] == '&' {
			n, err := entity(v[i:])
			if err != nil {
				return err
			}
			i += n - 1
		}
	}
	return nil
}
