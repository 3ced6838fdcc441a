// Package discord serves the conversation core on Discord, through
// github.com/bwmarrin/discordgo: slash commands, buttons, direct messages
// and mentions.
//
// What the bot answers:
//
//   - Slash commands, registered with one bulk overwrite when it starts:
//     /ask question: for a free-text question, and the core's commands
//     (/duties, /education, /advance, /titles, /related, /source, /noc code:,
//     /lang language:, /help), described in English with zh-CN
//     localisations. The user's Discord locale (zh-CN, zh-TW: Chinese) is the
//     default reply language.
//   - Button presses on its replies, as bot.Message.Button; answered with a
//     new message, the same way as a command.
//   - Autocomplete of the options naming an occupation (/noc code:, the
//     section commands' occupation:, /ask question:), answered from
//     Config.Finder within the 3 seconds, apart from the conversations'
//     queues; profile replies end with a link to the official page.
//   - Direct messages, and messages in servers that mention it (the mention
//     is removed from the text). Messages of bots, its own included, are
//     ignored, and so are server messages that do not mention it.
//
// Every interaction is answered within Discord's 3 seconds: if the handler
// has the answer before Config.DeferAfter, it is the response; otherwise
// the response is a deferral ("thinking…") that is then edited into the
// answer. A reply longer than 2000 characters is split with bot.Split;
// the parts after the first are follow-up messages (interactions) or
// further messages (direct messages, mentions); buttons go on the last
// part. /help and /lang are answered ephemerally (only the user sees them).
//
// The Message Content intent. Without it (the default) Discord still sends
// the bot the content of direct messages, of messages that mention it, and
// slash commands need no intent at all, so the bot works fully. With
// Config.MessageContent the bot asks for the privileged MESSAGE_CONTENT
// intent, which must then be enabled for the application in the Developer
// Portal (else the gateway closes with 4014 and Run says so), and the one
// thing it changes is that a reply to one of the bot's messages is
// answered even when the user turned the reply's ping off (without the
// intent such a reply arrives with empty content). The bot never answers
// server messages that are not addressed to it, with or without it.
//
// discordgo reconnects the gateway (resuming the session when it can) and
// waits out rate limits itself, retrying a request that got 429; every
// such wait is reported as bot.Events.RateLimited, every message sent as
// Sent, every message given up on as SendFailed (and logged).
//
// The token never appears in logs or errors: discordgo's own log lines go
// through a bridge that redacts it (and interaction tokens), and errors
// are redacted before they are returned or logged.
package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/nocbot/nocbot/bot"
)

// platform is the name of this platform in bot.Message and bot.Events.
const platform = "discord"

// Bot is the Discord adapter. Run it once.
type Bot struct {
	cfg      Config
	answers  *bot.Ordered // the handler, one conversation at a time
	events   bot.Events
	log      *slog.Logger
	redactor *bot.Redactor
	logIDKey []byte             // hashes the event ids in discordgo's log lines
	session  *discordgo.Session // the gateway, commands and channel messages
	rest     *restPool          // interaction responses
	client   *http.Client
	life     bot.Lifecycle

	slots chan struct{} // bounds the work in flight

	// work is the context of replies in flight; cancelled when the
	// shutdown timeout runs out.
	work       context.Context
	cancelWork context.CancelFunc

	mu        sync.Mutex
	stopping  bool
	stopCh    chan struct{} // closed when stopping
	wg        sync.WaitGroup
	connected bool
	ready     bool
	me        string // the bot's user id, from READY
	appID     string
}

// New returns a Bot answering with h; it does no network I/O (Run
// connects). h is wrapped in bot.Recover: a panic in it is an apology to
// the user, never a crash. events may be nil (bot.NopEvents), logger may
// be nil (slog.Default()).
func New(cfg Config, h bot.Handler, events bot.Events, logger *slog.Logger) (*Bot, error) {
	if h == nil {
		return nil, errors.New("no handler")
	}
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("discord configuration: %w", err)
	}
	if cfg.ShardCount == 0 {
		cfg.ShardCount = 1
	}
	if cfg.DeferAfter <= 0 {
		cfg.DeferAfter = DefaultDeferAfter
	}
	cfg.DeferAfter = min(cfg.DeferAfter, maxDeferAfter)
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = DefaultMaxConcurrent
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = DefaultShutdownTimeout
	}
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = DefaultSendTimeout
	}
	if events == nil {
		events = bot.NopEvents{}
	}
	if logger == nil {
		logger = slog.Default()
	}
	logger = logger.With("platform", platform)
	b := &Bot{
		cfg: cfg, answers: bot.InOrder(bot.Recover(h, logger)), events: events, log: logger,
		redactor: redactor(cfg.Token),
		client:   httpClient(cfg),
		slots:    make(chan struct{}, cfg.MaxConcurrent),
		stopCh:   make(chan struct{}),
		appID:    cfg.AppID,
		logIDKey: newLogIDKey(),
	}
	b.work, b.cancelWork = context.WithCancel(context.Background())
	b.rest = &restPool{rotateAfter: 5 * time.Minute, make: b.newSession, now: time.Now}

	s := b.newSession()
	s.Identify.Intents = gatewayIntents(cfg.MessageContent)
	s.ShardID, s.ShardCount = cfg.ShardID, cfg.ShardCount
	if cfg.Dialer != nil {
		s.Dialer = cfg.Dialer
	}
	s.AddHandler(b.onReady)
	s.AddHandler(b.onConnect)
	s.AddHandler(b.onDisconnect)
	s.AddHandler(b.onInteraction)
	s.AddHandler(b.onMessage)
	b.session = s
	return b, nil
}

// Name implements bot.Platform.
func (b *Bot) Name() string { return platform }

// gatewayIntents are the gateway intents the bot asks for.
func gatewayIntents(messageContent bool) discordgo.Intent {
	i := discordgo.IntentGuilds | discordgo.IntentGuildMessages | discordgo.IntentDirectMessages
	if messageContent {
		i |= discordgo.IntentMessageContent
	}
	return i
}

// newSession returns a discordgo session set up as the bot wants it: no
// state cache (the bot needs none), handlers called in the gateway's
// goroutine (the bot starts its own, bounded), quiet logging, 429s waited
// out and reported.
func (b *Bot) newSession() *discordgo.Session {
	s, _ := discordgo.New("Bot " + b.cfg.Token) // never fails
	s.Client = b.client
	s.LogLevel = discordgo.LogWarning
	s.StateEnabled = false
	s.SyncEvents = true
	s.ShouldRetryOnRateLimit = true
	s.ShouldReconnectOnError = true
	s.AddHandler(b.onRateLimit)
	return s
}

// Run connects to Discord, registers the slash commands and serves until
// ctx is cancelled; then it disconnects and waits up to
// Config.ShutdownTimeout for the replies in flight. It returns nil after a
// clean shutdown, an error when it cannot connect for good (a bad token,
// intents not enabled for the application, a bad shard) or cannot
// register the commands. Connection failures that may pass are retried.
func (b *Bot) Run(ctx context.Context) error {
	if err := b.life.Begin(); err != nil {
		return err
	}
	registerLogs(b)
	defer unregisterLogs(b)

	if err := b.connect(ctx); err != nil {
		b.finish(err)
		return err
	}
	if ctx.Err() != nil {
		b.shutdown()
		b.finish(nil)
		return nil
	}
	if err := b.registerCommands(ctx); err != nil {
		b.shutdown()
		if ctx.Err() != nil {
			err = nil // cancelled while registering: a clean shutdown
		}
		b.finish(err)
		return err
	}
	b.log.Info("discord ready", "app", b.applicationID(), "guild", b.cfg.GuildID,
		"shard", b.cfg.ShardID, "shards", b.cfg.ShardCount, "message_content", b.cfg.MessageContent)
	<-ctx.Done()
	b.shutdown()
	b.finish(nil)
	return nil
}

// connect opens the gateway, retrying with backoff until it works, ctx
// ends or the error says retrying is pointless.
func (b *Bot) connect(ctx context.Context) error {
	bo := bot.NewBackoff(time.Second, time.Minute)
	for {
		// Open takes no context and waits for HELLO and READY without a
		// deadline: it runs on its own so that cancelling ctx is never
		// stuck behind a gateway that accepted the connection and went
		// quiet.
		opened := make(chan error, 1)
		go func() { opened <- b.session.Open() }()
		var err error
		select {
		case err = <-opened:
		case <-ctx.Done():
			return nil
		}
		if err == nil {
			return nil
		}
		// Classified before redaction: an error whose text quotes the token
		// is no longer reachable through the redacted one.
		fatal := fatalOpenError(err)
		err = b.redactor.Error(fmt.Errorf("connect to the gateway: %w", explainOpenError(err)))
		b.life.Report(err)
		if fatal {
			return err
		}
		wait := bo.Next(0)
		b.log.Warn("discord connect failed; retrying", "err", err, "in", wait.Round(time.Millisecond))
		if !bot.Sleep(ctx, wait) {
			return nil
		}
	}
}

// explainOpenError says what the gateway's close codes mean.
func explainOpenError(err error) error {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return err
	}
	var why string
	switch ce.Code {
	case 4004:
		why = "authentication failed: check DISCORD_TOKEN"
	case 4010, 4011:
		why = "bad sharding: check DISCORD_SHARD_ID and DISCORD_SHARD_COUNT (4011: this bot needs more shards)"
	case 4012, 4013:
		why = "invalid intents"
	case 4014:
		why = "disallowed intents: enable the Message Content intent for the application in the Developer Portal, or unset DISCORD_MESSAGE_CONTENT"
	default:
		return err
	}
	return fmt.Errorf("%w (%s)", err, why)
}

func fatalOpenError(err error) bool {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		switch ce.Code {
		case 4004, 4010, 4011, 4012, 4013, 4014:
			return true
		}
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		switch re.Response.StatusCode {
		case http.StatusUnauthorized, http.StatusForbidden:
			return true
		}
	}
	return errors.Is(err, discordgo.ErrWSShardBounds) || errors.Is(err, discordgo.ErrUnauthorized)
}

// registerCommands puts the slash commands in place with one bulk
// overwrite: in GuildID's server when set, globally otherwise.
func (b *Bot) registerCommands(ctx context.Context) error {
	app := b.applicationID()
	if app == "" {
		return errors.New("no application id (set DISCORD_APP_ID)")
	}
	ctx, cancel := context.WithTimeout(ctx, b.cfg.SendTimeout)
	defer cancel()
	cmds := slashCommands()
	if _, err := b.session.ApplicationCommandBulkOverwrite(app, b.cfg.GuildID, cmds, discordgo.WithContext(ctx)); err != nil {
		where := "global"
		if b.cfg.GuildID != "" {
			where = "server " + b.cfg.GuildID
		}
		return b.redactor.Error(fmt.Errorf("register %d slash commands (%s): %w", len(cmds), where, err))
	}
	return nil
}

func (b *Bot) applicationID() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.appID
}

func (b *Bot) botUserID() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.me
}

// shutdown stops taking work, closes the gateway and waits for the work in
// flight, at most ShutdownTimeout.
func (b *Bot) shutdown() {
	b.mu.Lock()
	if b.stopping {
		b.mu.Unlock()
		return
	}
	b.stopping = true
	close(b.stopCh)
	b.mu.Unlock()
	b.life.Set(bot.StateStopping)

	closed := make(chan struct{})
	go func() {
		// discordgo's Close waits a second for the server's close frame.
		if err := b.session.Close(); err != nil {
			b.log.Warn("discord close", "err", b.redactor.Error(err))
		}
		close(closed)
	}()
	done := make(chan struct{})
	go func() {
		b.wg.Wait()
		close(done)
	}()
	timer := time.NewTimer(b.cfg.ShutdownTimeout)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		b.log.Warn("discord shutdown: replies still in flight abandoned", "after", b.cfg.ShutdownTimeout)
	}
	b.cancelWork()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		// Close waits for an Open still stuck in its handshake.
		b.log.Warn("discord shutdown: the gateway connection did not close")
	}
}

func (b *Bot) finish(err error) {
	b.mu.Lock()
	b.connected = false
	b.mu.Unlock()
	b.life.Stop(err)
	b.cancelWork()
}

// Healthy reports whether the bot is connected to the gateway and has had
// READY: nil when it is, else what is wrong.
func (b *Bot) Healthy() error {
	if state, since := b.life.State(); state == bot.StateConnecting && b.hasBeenReady() {
		return fmt.Errorf("gateway disconnected %s ago; reconnecting", time.Since(since).Round(time.Second))
	}
	return b.life.Healthy()
}

func (b *Bot) hasBeenReady() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ready
}

// serving moves the lifecycle to Serving once the gateway is connected
// and READY, back to Connecting when it drops.
func (b *Bot) serving() {
	b.mu.Lock()
	up := b.connected && b.ready && !b.stopping
	down := !b.connected && b.ready && !b.stopping
	b.mu.Unlock()
	switch {
	case up:
		b.life.Set(bot.StateServing)
	case down:
		b.life.Set(bot.StateConnecting)
	}
}

// Gateway event handlers. discordgo calls them in its gateway goroutine
// (SyncEvents), one at a time and in order.

func (b *Bot) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	b.mu.Lock()
	b.ready = true
	if r.User != nil {
		b.me = r.User.ID
	}
	if b.appID == "" && r.Application != nil {
		b.appID = r.Application.ID
	}
	b.mu.Unlock()
	b.serving()
}

func (b *Bot) onConnect(s *discordgo.Session, _ *discordgo.Connect) {
	b.mu.Lock()
	b.connected = true
	stopping := b.stopping
	b.mu.Unlock()
	b.serving()
	if stopping {
		// discordgo's reconnect loop opened the gateway again after
		// shutdown closed it.
		go s.Close()
		return
	}
	b.log.Debug("discord gateway connected")
}

func (b *Bot) onDisconnect(_ *discordgo.Session, _ *discordgo.Disconnect) {
	b.mu.Lock()
	was := b.connected
	b.connected = false
	stopping := b.stopping
	b.mu.Unlock()
	b.serving()
	if was && !stopping {
		b.log.Warn("discord gateway disconnected; reconnecting")
	}
}

func (b *Bot) onRateLimit(_ *discordgo.Session, rl *discordgo.RateLimit) {
	var wait time.Duration
	if rl.TooManyRequests != nil {
		wait = rl.RetryAfter
	}
	b.events.RateLimited(platform, wait)
	b.log.Info("discord rate limited; waiting", "wait", wait, "url", b.redactor.String(rl.URL))
}

// spawn queues msg for the handler behind its conversation's earlier
// messages and runs answer, which waits for the reply and sends it, in its
// own goroutine once a slot is free, unless the bot is stopping. It is
// called from the gateway goroutine, so one conversation's messages reach
// the handler in the order they arrived. It blocks while every slot is
// taken: past MaxConcurrent the bot reads no more events.
func (b *Bot) spawn(msg bot.Message, answer func(ctx context.Context, replies <-chan bot.Reply)) bool {
	select {
	case b.slots <- struct{}{}:
	case <-b.stopCh:
		return false
	}
	b.mu.Lock()
	if b.stopping {
		b.mu.Unlock()
		<-b.slots
		return false
	}
	b.wg.Add(1)
	b.mu.Unlock()
	b.events.Received(platform)
	replies := b.answers.Submit(b.work, msg)
	go func() {
		defer func() {
			<-b.slots
			b.wg.Done()
		}()
		answer(b.work, replies)
	}()
	return true
}
