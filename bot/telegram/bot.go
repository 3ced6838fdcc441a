package telegram

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/nocbot/nocbot/bot"
)

// platform names Telegram in messages, metrics and the state table.
const platform = "telegram"

// allowedUpdates are the update kinds the bot asks for.
func allowedUpdates() []string { return []string{"message", "callback_query", "inline_query"} }

// Bot serves one Telegram bot. Create it with New, then Run it; in webhook
// mode serve its Routes on an HTTP listener.
type Bot struct {
	cfg      Config
	db       *sql.DB
	core     bot.Handler
	events   bot.Events
	log      *slog.Logger
	redactor *bot.Redactor
	limits   *limits
	queue    *bot.Queue
	life     bot.Lifecycle
	bg       sync.WaitGroup // callback answers and command menus
	// cpu admits as many core calls at once as there are processors: the
	// core is pure computation, and more at once only makes each slower,
	// while sends (the slow part) go on in parallel.
	cpu chan struct{}
	// reqs bounds the HTTP requests in flight (not the long poll).
	reqs chan struct{}

	// connected is closed once Run has asked getMe, loaded the ledger and
	// started serving: api, self and ledger are set before and never
	// change after.
	connected chan struct{}
	api       *tgbotapi.BotAPI
	self      tgbotapi.User
	ledger    *ledger

	// hooks is held (read) by every webhook delivery being taken, so
	// shutdown knows none is half taken once it holds it.
	hooks sync.RWMutex
	// work is the context replies are sent under: it outlives Run's
	// context by the shutdown timeout, so replies in flight get out.
	workMu sync.Mutex
	work   context.Context

	pollMu    sync.Mutex
	pollSince time.Time // start of the long poll in progress, zero when none
}

// New returns a bot ready to Run; it does no network I/O (Run connects).
// db is a nocbot database (its platform_state table holds the update
// offset and the pending updates); nil keeps them in memory. events and
// log may be nil. core is wrapped in bot.Recover: a panic in it is an
// apology to the user, never a crash.
func New(cfg Config, core bot.Handler, db *sql.DB, events bot.Events, log *slog.Logger) (*Bot, error) {
	if core == nil {
		return nil, errors.New("no handler")
	}
	if cfg.Token == "" {
		return nil, errors.New("no token")
	}
	cfg.setDefaults()
	if events == nil {
		events = bot.NopEvents{}
	}
	if log == nil {
		log = slog.Default()
	}
	log = log.With("platform", platform)
	b := &Bot{cfg: cfg, db: db, core: bot.Recover(core, log), events: events, log: log,
		redactor:  bot.NewRedactor(cfg.Token),
		queue:     bot.NewQueue(),
		cpu:       make(chan struct{}, runtime.GOMAXPROCS(0)),
		reqs:      make(chan struct{}, cfg.MaxRequests),
		connected: make(chan struct{}),
		work:      context.Background()}
	b.limits = newLimits(&b.cfg)
	return b, nil
}

// Name implements bot.Platform.
func (b *Bot) Name() string { return platform }

// connect makes the library's client, whose constructor asks getMe. The
// Bot API can be out of reach for a moment (a container starting before
// its network, a 5xx): that is retried with backoff until ctx ends, each
// failure logged. A refused token (401, 404) is an error at once: waiting
// cannot fix it.
func (b *Bot) connect(ctx context.Context) (*tgbotapi.BotAPI, error) {
	bo := bot.NewBackoff(b.cfg.RetryBase, 0)
	for {
		// The library's logger is package-global and only used with Debug,
		// which stays off: it would print request URLs, token included.
		api, err := tgbotapi.NewBotAPIWithClient(b.cfg.Token, b.cfg.endpoint(), ctxClient{c: b.cfg.HTTPClient, ctx: ctx})
		if err == nil {
			return api, nil
		}
		err = fmt.Errorf("connect (getMe): %w", b.redactor.Error(err))
		b.life.Report(err)
		var apiErr *tgbotapi.Error
		if errors.As(err, &apiErr) && (apiErr.Code == http.StatusUnauthorized || apiErr.Code == http.StatusNotFound) {
			return nil, err
		}
		if ctx.Err() != nil {
			// Stopped while waiting: the caller's cancellation, which a
			// shutdown does not count as a failure.
			return nil, fmt.Errorf("%w (%w)", ctx.Err(), err)
		}
		wait := bo.Next(retryAfter(err))
		b.log.Warn("Bot API out of reach at start", "err", err, "retry_in", wait.Round(time.Millisecond))
		if !bot.Sleep(ctx, wait) {
			return nil, fmt.Errorf("%w (%w)", ctx.Err(), err)
		}
	}
}

// Username is the bot's @name, as groups mention it; "" before Run has
// connected.
func (b *Bot) Username() string {
	select {
	case <-b.connected:
		return b.self.UserName
	default:
		return ""
	}
}

// Healthy is nil while the bot runs, its last contact with the Bot API
// succeeded (an answer, even a refusal of one request, is contact; a
// network error, a 5xx, 401 or 409 is not), its last commit of the
// delivery state succeeded, and no long poll hangs past its timeout.
func (b *Bot) Healthy() error {
	if err := b.life.Healthy(); err != nil {
		return err
	}
	if err := b.ledger.lastCommitErr(); err != nil {
		return err
	}
	b.pollMu.Lock()
	defer b.pollMu.Unlock()
	if !b.pollSince.IsZero() {
		if d := time.Since(b.pollSince); d > b.cfg.PollTimeout+30*time.Second {
			return fmt.Errorf("long poll unanswered for %v", d.Round(time.Second))
		}
	}
	return nil
}

// contact records the outcome of a request for Healthy.
func (b *Bot) contact(err error) {
	var apiErr *tgbotapi.Error
	if err != nil && errors.As(err, &apiErr) {
		switch c := apiErr.Code; {
		case c == http.StatusUnauthorized, c == http.StatusNotFound, c == http.StatusConflict, c >= 500:
		default:
			err = nil // the API answered
		}
	}
	b.life.Report(err)
}

func (b *Bot) polling(since time.Time) {
	b.pollMu.Lock()
	b.pollSince = since
	b.pollMu.Unlock()
}

// Run serves until ctx is cancelled: it connects (getMe, retried while
// the Bot API is out of reach), sets the command menus, answers the
// updates left pending by the last run, then long polls (or registers the
// webhook and takes deliveries through Routes). On cancel it stops taking
// updates, gives the replies in flight the shutdown timeout to go out,
// and stores the offset and whatever is still pending.
func (b *Bot) Run(ctx context.Context) error {
	if err := b.life.Begin(); err != nil {
		return err
	}
	api, err := b.connect(ctx)
	if err != nil {
		if ctx.Err() != nil {
			b.life.Stop(nil)
			return nil // stopped while connecting: a clean stop
		}
		b.life.Stop(err)
		return err
	}
	api.Client = b.cfg.HTTPClient
	api.Debug = false
	b.api, b.self = api, api.Self
	b.ledger = newLedger(b.db, api.Self.ID, b.cfg.WebhookURL != "", b.log)
	replay, err := b.ledger.load(ctx)
	if err != nil {
		b.life.Stop(err)
		return err
	}
	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	b.workMu.Lock()
	b.work = work
	b.workMu.Unlock()
	stopCommitter := make(chan struct{})
	committed := make(chan struct{})
	go b.committer(stopCommitter, committed)

	b.bg.Add(1)
	go func() {
		defer b.bg.Done()
		b.setCommands(work)
	}()
	// Serving, and the updates left pending by the last run queued, before
	// any webhook delivery is taken (deliveries hold hooks): a chat's old
	// updates are answered before its new ones.
	b.hooks.Lock()
	b.life.Set(bot.StateServing)
	if len(replay) > 0 {
		b.log.Info("answering updates left pending by the last run", "updates", len(replay))
	}
	for _, in := range replay {
		if in.Callback != "" {
			b.answerCallback(in.Callback)
		}
		b.enqueue(in, 0)
	}
	b.hooks.Unlock()
	close(b.connected)

	if b.cfg.WebhookURL != "" {
		err = b.runWebhook(ctx)
	} else {
		err = b.poll(ctx)
	}

	// Shutdown: take nothing more, let the replies in flight go out.
	// Replies being sent are finished; queued ones stay pending for the
	// next run, so shutdown is bounded by the slowest reply, not the queue.
	b.hooks.Lock()
	b.life.Set(bot.StateStopping)
	b.hooks.Unlock()
	waitCtx, cancelWait := context.WithTimeout(context.Background(), b.cfg.ShutdownTimeout)
	if !b.queue.Wait(waitCtx) {
		n := b.ledger.inFlight()
		b.log.Warn("shutdown timeout: replies still in flight are left for the next run", "updates", n, "timeout", b.cfg.ShutdownTimeout)
		cancelWork()
		graceCtx, cancelGrace := context.WithTimeout(context.Background(), 2*time.Second)
		b.queue.Wait(graceCtx)
		cancelGrace()
	}
	cancelWait()
	cancelWork()
	bgDone := make(chan struct{})
	go func() { b.bg.Wait(); close(bgDone) }()
	select {
	case <-bgDone:
	case <-time.After(2 * time.Second): // callback answers are best effort
	}
	close(stopCommitter)
	<-committed
	saveCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if serr := b.ledger.commit(saveCtx); serr != nil {
		err = errors.Join(err, serr)
	}
	b.life.Stop(err)
	return err
}

func (b *Bot) workContext() context.Context {
	b.workMu.Lock()
	defer b.workMu.Unlock()
	return b.work
}

// committer stores the delivery state as soon as a reply is out, so that
// a crash re-sends as little as possible: every reply answered but not yet
// committed is sent again after a kill -9. It does not wait to gather
// replies: those that finish while a commit is being written go together
// in the next one.
func (b *Bot) committer(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	for {
		select {
		case <-b.ledger.dirty:
		case <-stop:
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := b.ledger.commit(ctx); err != nil {
			b.log.Error("store delivery state", "err", err)
		}
		cancel()
	}
}

// setCommands publishes the command menus: English by default, Chinese
// for users whose Telegram is set to Chinese.
func (b *Bot) setCommands(ctx context.Context) {
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
		if err := b.send(ctx, 0, false, cfg); err != nil {
			b.log.Warn("set command menu", "lang", cfg.LanguageCode, "err", err)
		}
	}
}

// poll is the long-polling loop. Before each getUpdates, whose offset
// confirms to Telegram every update below it, it commits: each of those
// is then answered or stored as pending.
func (b *Bot) poll(ctx context.Context) error {
	poller := *b.api
	poller.Client = ctxClient{c: b.cfg.HTTPClient, ctx: ctx}
	bo := bot.NewBackoff(b.cfg.RetryBase, 0)
	retry := func(what string, err error) {
		wait := bo.Next(retryAfter(err))
		b.log.Warn(what, "err", err, "retry_in", wait.Round(time.Millisecond))
		bot.Sleep(ctx, wait)
	}
	for ctx.Err() == nil {
		if err := b.ledger.commit(ctx); err != nil {
			if ctx.Err() != nil {
				break
			}
			retry("store delivery state", err)
			continue
		}
		for b.ledger.inFlight() >= b.cfg.MaxInFlight && ctx.Err() == nil {
			select {
			case <-b.ledger.changed:
			case <-ctx.Done():
			}
		}
		if ctx.Err() != nil {
			break
		}
		b.polling(time.Now())
		// The raw result, read update by update (decodeUpdates): the
		// library's GetUpdates fails the whole batch on one it cannot
		// read, and the same offset would fetch it again forever.
		resp, err := poller.Request(tgbotapi.UpdateConfig{
			Offset: b.ledger.offset(), Limit: 100, Timeout: int(b.cfg.PollTimeout / time.Second),
			AllowedUpdates: allowedUpdates(),
		})
		var updates []tgbotapi.Update
		var bad []badUpdate
		if err == nil {
			updates, bad, err = decodeUpdates(resp.Result)
		}
		b.polling(time.Time{})
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			err = b.redactor.Error(err)
			b.contact(err)
			var apiErr *tgbotapi.Error
			if errors.As(err, &apiErr) && apiErr.Code == http.StatusConflict && strings.Contains(strings.ToLower(apiErr.Message), "webhook") {
				// Configured for polling, but a webhook is set (a previous
				// webhook run): Telegram keeps the updates; take them here.
				b.log.Warn("a webhook is set: deleting it to poll")
				if derr := b.send(ctx, 0, false, tgbotapi.DeleteWebhookConfig{}); derr == nil {
					continue
				}
			}
			if ra := retryAfter(err); ra > 0 {
				b.events.RateLimited(platform, ra)
			}
			retry("get updates", err)
			continue
		}
		b.contact(nil)
		bo.Reset()
		for _, u := range bad {
			b.skip(u)
		}
		for _, u := range updates {
			b.take(u)
		}
	}
	return nil
}

// skip passes over an update nocbot cannot read: logged (why, never its
// text), counted, and marked done so the offset moves past it.
func (b *Bot) skip(u badUpdate) {
	b.log.Error("skipping an update nocbot cannot read", "update_id", u.id, "err", u.err)
	if c, ok := b.events.(skipCounter); ok {
		c.Skipped(platform)
	}
	if u.id > 0 {
		b.ledger.take(u.id, inbound{}, false)
	}
}

// skipCounter counts updates skipped unread (metrics.Metrics does).
type skipCounter interface {
	Skipped(platform string)
}

// take starts handling one update, unless it was seen before (a webhook
// redelivery) or is not for the bot.
func (b *Bot) take(u tgbotapi.Update) {
	in, ok := b.inbound(u)
	if !b.ledger.take(u.UpdateID, in, ok) {
		return
	}
	if q := u.InlineQuery; q != nil && q.ID != "" {
		b.answerInline(q)
		return
	}
	if cq := u.CallbackQuery; cq != nil {
		b.answerCallback(cq.ID)
	}
	if ok {
		in.ID = u.UpdateID
		b.enqueue(in, b.cfg.ChatBacklog)
	}
}

// enqueue queues an update's reply behind the chat's earlier ones.
func (b *Bot) enqueue(in inbound, backlog int) {
	job := func() {
		if b.deliver(in) {
			b.ledger.finish(in.ID)
		}
	}
	if !b.queue.Submit(strconv.FormatInt(in.Chat, 10), job, backlog) {
		b.log.Warn("chat backlog full: update skipped", "chat_type", chatType(in.Group), "backlog", backlog)
		b.ledger.finish(in.ID)
	}
}

func chatType(group bool) string {
	if group {
		return "group"
	}
	return "private"
}

// deliver answers one update: the core's reply, rendered and split, part
// by part, the keyboard on the last. It reports false when shutdown came
// before it started, or cut it short before any part went out: the update
// stays pending for the next run.
func (b *Bot) deliver(in inbound) bool {
	ctx := b.workContext()
	if ctx.Err() != nil || !b.life.Serving() {
		return false
	}
	b.events.Received(platform)
	reply := b.handle(ctx, in.Msg)
	if !b.self.SupportsInlineQueries {
		// The share button starts an inline query, which leads nowhere
		// until BotFather's /setinline turns inline mode on.
		reply.Share = nil
	}
	parts, kb := render(reply)
	for i, text := range parts {
		msg := tgbotapi.NewMessage(in.Chat, text)
		msg.ParseMode = tgbotapi.ModeHTML
		msg.DisableWebPagePreview = true
		if i == 0 && in.ReplyTo != 0 {
			msg.ReplyToMessageID = in.ReplyTo
			msg.AllowSendingWithoutReply = true
		}
		if i == len(parts)-1 && kb != nil {
			msg.ReplyMarkup = kb
		}
		err := b.sendMessage(ctx, in, msg)
		if err == nil {
			b.events.Sent(platform, reply.Lang)
			continue
		}
		if ctx.Err() != nil && i == 0 {
			return false
		}
		// The rest of a split reply makes no sense without this part.
		dropped := len(parts) - i
		b.log.Error("reply dropped", "chat_type", chatType(in.Group), "parts", dropped, "of", len(parts), "err", err)
		for range dropped {
			b.events.SendFailed(platform, err)
		}
		return true
	}
	return true
}

// handle asks the core, admitted one call per processor.
func (b *Bot) handle(ctx context.Context, msg bot.Message) bot.Reply {
	b.cpu <- struct{}{}
	defer func() { <-b.cpu }()
	return b.core.Handle(ctx, msg)
}

// sendMessage sends one part. Should Telegram refuse its HTML (it should
// not: the renderer escapes everything), the part goes as plain text
// rather than not at all.
func (b *Bot) sendMessage(ctx context.Context, in inbound, msg tgbotapi.MessageConfig) error {
	err := b.send(ctx, in.Chat, in.Group, msg)
	var apiErr *tgbotapi.Error
	if err != nil && errors.As(err, &apiErr) && apiErr.Code == http.StatusBadRequest && strings.Contains(apiErr.Message, "can't parse entities") {
		b.log.Error("Telegram refused the HTML of a reply; sending it as plain text", "err", err)
		msg.ParseMode = ""
		msg.Text = plainText(msg.Text)
		err = b.send(ctx, in.Chat, in.Group, msg)
	}
	return err
}

// answerCallback stops the button's spinner. It is sent at once, apart
// from the chat's queue, whatever becomes of the reply.
func (b *Bot) answerCallback(id string) {
	ctx := b.workContext()
	b.bg.Add(1)
	go func() {
		defer b.bg.Done()
		err := b.send(ctx, 0, false, tgbotapi.NewCallback(id, ""))
		var apiErr *tgbotapi.Error
		switch {
		case err == nil:
		case errors.As(err, &apiErr) && apiErr.Code == http.StatusBadRequest:
			b.log.Debug("answer callback query", "err", err) // too old: answered before a restart
		default:
			b.log.Warn("answer callback query", "err", err)
		}
	}()
}

// send makes one request: paced by the rate limits (chat 0: not a chat
// message, not paced), retried after a 429's retry_after, and with
// exponential backoff and jitter on 5xx and network errors, up to
// MaxRetries retries. Other refusals (400, 403) are not retried: the same
// request would fail again. Errors never hold the token.
func (b *Bot) send(ctx context.Context, chatID int64, group bool, c tgbotapi.Chattable) error {
	return b.request(ctx, chatID, group, func(api *tgbotapi.BotAPI) error {
		_, err := api.Request(c)
		return err
	})
}

// request makes one call as send does: call makes it with a client bound
// to ctx.
func (b *Bot) request(ctx context.Context, chatID int64, group bool, call func(api *tgbotapi.BotAPI) error) error {
	sender := *b.api
	sender.Client = ctxClient{c: b.cfg.HTTPClient, ctx: ctx}
	bo := bot.NewBackoff(b.cfg.RetryBase, 0)
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
		select {
		case b.reqs <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		err := call(&sender)
		<-b.reqs
		if err == nil {
			b.contact(nil)
			return nil
		}
		err = b.redactor.Error(err)
		if ctx.Err() != nil {
			return err
		}
		b.contact(err)
		var apiErr *tgbotapi.Error
		if retryAfter(err) == 0 && errors.As(err, &apiErr) && apiErr.Code >= 400 && apiErr.Code < 500 {
			return err // refused (400, 403): the same request would fail again
		}
		wait := bo.Next(retryAfter(err))
		if retryAfter(err) > 0 {
			b.events.RateLimited(platform, wait)
		}
		if attempt >= b.cfg.MaxRetries {
			return fmt.Errorf("after %d attempts: %w", attempt+1, err)
		}
		b.log.Warn("request failed, retrying", "attempt", attempt+1, "retry_in", wait.Round(time.Millisecond), "err", err)
		if !bot.Sleep(ctx, wait) {
			return ctx.Err()
		}
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

// ctxClient binds the library's context-free requests to a context, so a
// long poll ends at shutdown.
type ctxClient struct {
	c   *http.Client
	ctx context.Context
}

func (c ctxClient) Do(req *http.Request) (*http.Response, error) {
	return c.c.Do(req.WithContext(c.ctx))
}
