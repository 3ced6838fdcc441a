package telegram

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/nocbot/nocbot/bot"
)

// Handler answers a message: the conversation core.
type Handler interface {
	Handle(ctx context.Context, msg bot.Message) bot.Reply
}

// platform names Telegram in messages, metrics and the state table.
const platform = "telegram"

// SecretHeader carries the webhook secret on every delivery.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// Bot serves one Telegram bot.
type Bot struct {
	cfg    Config
	api    *tgbotapi.BotAPI
	self   tgbotapi.User
	core   Handler
	db     *sql.DB
	events bot.Events
	log    *slog.Logger
	limits *limits
	track  *tracker
	queue  *chatQueue
	// cpu admits as many core calls at once as there are processors: the
	// core is pure computation, and more at once only makes each slower,
	// while sends (the slow part) go on in parallel.
	cpu chan struct{}

	// work is the context replies are sent under: it outlives Run's
	// context by the shutdown timeout, so replies in flight get out.
	workMu sync.Mutex
	work   context.Context

	healthMu sync.Mutex
	health   error
}

// New connects to the Bot API (getMe) and returns a bot ready to Run. db
// holds the update offset (a nocbot database); events and log may be nil.
func New(ctx context.Context, cfg Config, core Handler, db *sql.DB, events bot.Events, log *slog.Logger) (*Bot, error) {
	cfg.setDefaults()
	if events == nil {
		events = bot.NopEvents{}
	}
	if log == nil {
		log = slog.Default()
	}
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, cfg.APIURL+"/bot%s/%s", cfg.HTTPClient)
	if err != nil {
		return nil, fmt.Errorf("telegram: connect: %w", redact(err, cfg.Token))
	}
	b := &Bot{cfg: cfg, api: api, self: api.Self, core: core, db: db, events: events,
		log: log.With("platform", platform), queue: newChatQueue(64), cpu: make(chan struct{}, runtime.GOMAXPROCS(0)),
		work: context.Background()}
	b.limits = newLimits(&b.cfg)
	offset, err := b.loadOffset(ctx)
	if err != nil {
		return nil, err
	}
	b.track = newTracker(offset)
	return b, nil
}

// Username is the bot's @name, as groups mention it.
func (b *Bot) Username() string { return b.self.UserName }

// Healthy is nil while the Bot API answers.
func (b *Bot) Healthy() error {
	b.healthMu.Lock()
	defer b.healthMu.Unlock()
	return b.health
}

func (b *Bot) setHealth(err error) {
	b.healthMu.Lock()
	b.health = err
	b.healthMu.Unlock()
}

// Run serves until ctx is cancelled: it sets the command menus, then long
// polls (or registers the webhook and waits for deliveries to
// WebhookHandler). On cancel it stops taking updates, finishes the replies
// in flight within the shutdown timeout and stores the offset.
func (b *Bot) Run(ctx context.Context) error {
	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	b.workMu.Lock()
	b.work = work
	b.workMu.Unlock()

	b.setCommands()
	var err error
	if b.cfg.WebhookURL != "" {
		err = b.runWebhook(ctx)
	} else {
		err = b.poll(ctx)
	}
	if !b.queue.wait(b.cfg.ShutdownTimeout) {
		b.log.Warn("shutdown timeout: replies still in flight are abandoned", "timeout", b.cfg.ShutdownTimeout)
		cancelWork()
		b.queue.wait(time.Second)
	}
	saveCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if serr := b.saveOffset(saveCtx, b.track.watermark()); serr != nil {
		err = errors.Join(err, serr)
	}
	return err
}

func (b *Bot) workContext() context.Context {
	b.workMu.Lock()
	defer b.workMu.Unlock()
	return b.work
}

// setCommands publishes the command menus in English and Chinese.
func (b *Bot) setCommands() {
	var en, zh []tgbotapi.BotCommand
	for _, c := range bot.Commands() {
		en = append(en, tgbotapi.BotCommand{Command: c.Name, Description: c.Description.EN})
		zh = append(zh, tgbotapi.BotCommand{Command: c.Name, Description: c.Description.ZH})
	}
	scope := tgbotapi.NewBotCommandScopeDefault()
	for _, cfg := range []tgbotapi.SetMyCommandsConfig{
		tgbotapi.NewSetMyCommandsWithScope(scope, en...),
		tgbotapi.NewSetMyCommandsWithScopeAndLanguage(scope, "zh", zh...),
	} {
		if _, err := b.api.Request(cfg); err != nil {
			b.log.Warn("set command menu", "lang", cfg.LanguageCode, "err", redact(err, b.cfg.Token))
		}
	}
}

// poll is the long-polling loop. It confirms to Telegram only updates
// whose replies are sent (the tracker's watermark), and stores that offset.
func (b *Bot) poll(ctx context.Context) error {
	poller := *b.api
	poller.Client = ctxClient{c: b.cfg.HTTPClient, ctx: ctx}
	saved := b.track.watermark()
	backoff := b.cfg.RetryBase
	for ctx.Err() == nil {
		if w := b.track.watermark(); w != saved {
			if err := b.saveOffset(ctx, w); err != nil {
				b.log.Error("store update offset", "err", err)
			} else {
				saved = w
			}
		}
		updates, err := poller.GetUpdates(tgbotapi.UpdateConfig{
			Offset: b.track.watermark(), Limit: 100, Timeout: int(b.cfg.PollTimeout / time.Second),
			AllowedUpdates: []string{"message", "callback_query"},
		})
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			err = redact(err, b.cfg.Token)
			b.setHealth(err)
			wait := backoff
			if ra := retryAfter(err); ra > 0 {
				wait = ra
				b.events.RateLimited(platform, ra)
			} else {
				backoff = min(backoff*2, 30*time.Second)
			}
			b.log.Warn("get updates", "err", err, "retry_in", wait)
			sleep(ctx, wait)
			continue
		}
		b.setHealth(nil)
		backoff = b.cfg.RetryBase
		fresh := 0
		for _, u := range updates {
			if b.track.start(u.UpdateID) {
				fresh++
				b.dispatch(u)
			}
		}
		if fresh == 0 && len(updates) > 0 {
			// Only updates already in flight came back: wait for one to
			// finish instead of asking again at once.
			select {
			case <-b.track.changed:
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}
	return nil
}

// inbound is an update reduced to what the core needs.
type inbound struct {
	msg        bot.Message
	chatID     int64
	group      bool
	replyTo    int    // message to reply to in groups
	callbackID string // to answer
}

// dispatch queues an update for its chat, or finishes it at once when it
// is not for the bot.
func (b *Bot) dispatch(u tgbotapi.Update) {
	in, ok := b.inbound(u)
	if !ok {
		if u.CallbackQuery != nil {
			b.answerCallback(u.CallbackQuery.ID)
		}
		b.track.finish(u.UpdateID)
		return
	}
	b.queue.submit(in.chatID, func() {
		defer b.track.finish(u.UpdateID)
		b.handle(in)
	})
}

// inbound decides whether an update is for the bot: everything in private
// chats; in groups only commands to it, replies to it and mentions of it.
func (b *Bot) inbound(u tgbotapi.Update) (inbound, bool) {
	if cq := u.CallbackQuery; cq != nil {
		if cq.Message == nil || cq.Message.Chat == nil || cq.From == nil {
			return inbound{}, false
		}
		chat := cq.Message.Chat
		return inbound{chatID: chat.ID, group: !chat.IsPrivate(), callbackID: cq.ID, msg: bot.Message{
			Platform: platform, Chat: strconv.FormatInt(chat.ID, 10), User: strconv.FormatInt(cq.From.ID, 10),
			UserLang: cq.From.LanguageCode, Button: cq.Data,
		}}, true
	}
	m := u.Message
	if m == nil || m.Chat == nil || m.From == nil || m.From.IsBot || strings.TrimSpace(m.Text) == "" {
		return inbound{}, false
	}
	text := m.Text
	group := !m.Chat.IsPrivate()
	if group {
		addressed := false
		switch {
		case m.IsCommand():
			cmd := m.CommandWithAt()
			if at := strings.IndexByte(cmd, '@'); at >= 0 {
				if !strings.EqualFold(cmd[at+1:], b.self.UserName) {
					return inbound{}, false // a command for another bot
				}
			}
			addressed = true
		case m.ReplyToMessage != nil && m.ReplyToMessage.From != nil && m.ReplyToMessage.From.ID == b.self.ID:
			addressed = true
		}
		if mention := "@" + b.self.UserName; b.self.UserName != "" && containsFold(text, mention) {
			text = strings.TrimSpace(replaceFold(text, mention, " "))
			addressed = true
		}
		if !addressed {
			return inbound{}, false
		}
	}
	return inbound{chatID: m.Chat.ID, group: group, replyTo: m.MessageID, msg: bot.Message{
		Platform: platform, Chat: strconv.FormatInt(m.Chat.ID, 10), User: strconv.FormatInt(m.From.ID, 10),
		UserLang: m.From.LanguageCode, Text: text,
	}}, true
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

func replaceFold(s, old, new string) string {
	i := strings.Index(strings.ToLower(s), strings.ToLower(old))
	if i < 0 {
		return s
	}
	return s[:i] + new + s[i+len(old):]
}

// handle answers one inbound message: the callback first (so the button
// stops spinning), then the reply, part by part.
func (b *Bot) handle(in inbound) {
	ctx := b.workContext()
	b.events.Received(platform)
	if in.callbackID != "" {
		b.answerCallback(in.callbackID)
	}
	b.cpu <- struct{}{}
	reply := b.core.Handle(ctx, in.msg)
	<-b.cpu
	parts, keyboard := render(reply)
	for i, text := range parts {
		msg := tgbotapi.NewMessage(in.chatID, text)
		msg.ParseMode = tgbotapi.ModeHTML
		msg.DisableWebPagePreview = true
		if i == 0 && in.group && in.replyTo != 0 {
			msg.ReplyToMessageID = in.replyTo
			msg.AllowSendingWithoutReply = true
		}
		if i == len(parts)-1 && keyboard != nil {
			msg.ReplyMarkup = keyboard
		}
		if err := b.send(ctx, in.chatID, in.group, msg); err != nil {
			// The rest of a split reply makes no sense without this part.
			dropped := len(parts) - i
			b.log.Error("reply dropped", "chat_type", chatType(in.group), "parts", dropped, "err", err)
			for range dropped {
				b.events.SendFailed(platform, err)
			}
			return
		}
		b.events.Sent(platform, reply.Lang)
	}
}

func chatType(group bool) string {
	if group {
		return "group"
	}
	return "private"
}

func (b *Bot) answerCallback(id string) {
	ctx := b.workContext()
	if err := b.send(ctx, 0, false, tgbotapi.NewCallback(id, "")); err != nil {
		b.log.Warn("answer callback query", "err", err)
	}
}

// send delivers one request: paced by the rate limits (chat 0: not a chat
// message), retried after a 429's retry_after, and with exponential backoff
// on 5xx and network errors, up to MaxRetries. Client errors (400, 403)
// are not retried: the same request would fail again.
func (b *Bot) send(ctx context.Context, chatID int64, group bool, c tgbotapi.Chattable) error {
	sender := *b.api
	sender.Client = ctxClient{c: b.cfg.HTTPClient, ctx: ctx}
	backoff := b.cfg.RetryBase
	for attempt := 0; ; attempt++ {
		if chatID != 0 {
			waited, err := b.limits.wait(ctx, chatID, group)
			if err != nil {
				return err
			}
			if waited > 0 {
				b.events.RateLimited(platform, waited)
			}
		}
		_, err := sender.Request(c)
		if err == nil {
			return nil
		}
		err = redact(err, b.cfg.Token)
		if ctx.Err() != nil {
			return err
		}
		wait := backoff + time.Duration(rand.Int64N(int64(backoff)/2+1))
		var apiErr *tgbotapi.Error
		switch {
		case retryAfter(err) > 0:
			wait = retryAfter(err)
			b.events.RateLimited(platform, wait)
		case errors.As(err, &apiErr) && apiErr.Code >= 400 && apiErr.Code < 500:
			return err
		}
		if attempt >= b.cfg.MaxRetries {
			return fmt.Errorf("after %d attempts: %w", attempt+1, err)
		}
		b.log.Warn("send failed, retrying", "attempt", attempt+1, "retry_in", wait, "err", err)
		if !sleep(ctx, wait) {
			return ctx.Err()
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

// retryAfter is the wait a 429 asks for, 0 for other errors.
func retryAfter(err error) time.Duration {
	var apiErr *tgbotapi.Error
	if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
		return time.Duration(apiErr.RetryAfter) * time.Second
	}
	return 0
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// ctxClient binds the library's context-free requests to a context, so a
// long poll ends at shutdown.
type ctxClient struct {
	c   *http.Client
	ctx context.Context
}

func (c ctxClient) Do(req *http.Request) (*http.Response, error) {
	return c.c.Do(req.WithContext(c.ctx))
}

// redactedError hides the bot token, which the library puts in request
// URLs and so in network errors.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func redact(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), token, "<redacted>"), err: redactUnwrap(err, token)}
}

// redactUnwrap keeps the API error (for retry_after and codes) reachable
// but drops wrapped errors whose text holds the token.
func redactUnwrap(err error, token string) error {
	var apiErr *tgbotapi.Error
	if errors.As(err, &apiErr) && !strings.Contains(apiErr.Error(), token) {
		return apiErr
	}
	return nil
}

func (b *Bot) offsetKey() string { return "offset:" + strconv.FormatInt(b.self.ID, 10) }

func (b *Bot) loadOffset(ctx context.Context) (int, error) {
	if b.db == nil {
		return 0, nil
	}
	var v string
	err := b.db.QueryRowContext(ctx, `SELECT value FROM platform_state WHERE platform = ? AND key = ?`, platform, b.offsetKey()).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("telegram: load update offset: %w", err)
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("telegram: stored update offset %q: %w", v, err)
	}
	return n, nil
}

func (b *Bot) saveOffset(ctx context.Context, offset int) error {
	if b.db == nil {
		return nil
	}
	_, err := b.db.ExecContext(ctx, `INSERT INTO platform_state (platform, key, value) VALUES (?, ?, ?)
		ON CONFLICT (platform, key) DO UPDATE SET value = excluded.value`, platform, b.offsetKey(), strconv.Itoa(offset))
	if err != nil {
		return fmt.Errorf("telegram: store update offset: %w", err)
	}
	return nil
}

// runWebhook registers the webhook with its secret (v5.5.1's WebhookConfig
// has no secret_token, so the request is made by hand) and waits.
func (b *Bot) runWebhook(ctx context.Context) error {
	allowed, _ := json.Marshal([]string{"message", "callback_query"})
	params := tgbotapi.Params{"url": b.cfg.WebhookURL, "secret_token": b.cfg.WebhookSecret, "allowed_updates": string(allowed)}
	backoff := b.cfg.RetryBase
	for {
		_, err := b.api.MakeRequest("setWebhook", params)
		if err == nil {
			b.setHealth(nil)
			break
		}
		err = redact(err, b.cfg.Token)
		b.setHealth(err)
		b.log.Warn("set webhook", "err", err, "retry_in", backoff)
		if !sleep(ctx, backoff) {
			return nil
		}
		backoff = min(backoff*2, 30*time.Second)
	}
	<-ctx.Done()
	return nil
}

// maxUpdateBytes bounds a webhook delivery.
const maxUpdateBytes = 1 << 20

// WebhookHandler receives webhook deliveries. Mount it on the server's own
// mux. A request without the right secret is refused with 401 and not
// read; an update delivered again is answered once.
func (b *Bot) WebhookHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get(SecretHeader)
		if b.cfg.WebhookSecret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(b.cfg.WebhookSecret)) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		var u tgbotapi.Update
		if err := json.NewDecoder(io.LimitReader(r.Body, maxUpdateBytes)).Decode(&u); err != nil {
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		if b.track.start(u.UpdateID) {
			b.dispatch(u)
		}
		w.WriteHeader(http.StatusOK)
	})
}
