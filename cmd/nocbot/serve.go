package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	stdlog "log"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/discord"
	"github.com/nocbot/nocbot/bot/questions"
	"github.com/nocbot/nocbot/bot/telegram"
	"github.com/nocbot/nocbot/metrics"
)

// serveConfig is everything `nocbot serve` is configured with. Each field
// has a flag and an environment variable (optionally from a .env file);
// the flag wins over the environment, the environment over .env.
type serveConfig struct {
	kb              kbFlags
	httpAddr        string
	logFormat       string
	logLevel        slog.Level
	shutdownTimeout time.Duration
	retention       time.Duration
	maxSessions     int
	sessionTTL      time.Duration
	home            string
}

// setting is one configuration variable, listed in the README table.
type setting struct {
	env, flag, def, help string
	// emptyMeans: set empty, the variable means something of its own
	// (NOCBOT_HTTP_ADDR= is no listener), not the default.
	emptyMeans bool
}

func serveSettings() []setting {
	return []setting{
		{"NOCBOT_DB", "db", "", "database file (default $XDG_DATA_HOME/nocbot/nocbot.db)", false},
		{"NOCBOT_SEEDS", "seeds", "", "directory of profile files (default: the built-in profiles)", false},
		{"NOCBOT_HTTP_ADDR", "http", "127.0.0.1:8080", "address of /healthz and /metrics (empty: none)", true},
		{"NOCBOT_LOG_FORMAT", "log-format", "text", "log format: text or json", false},
		{"NOCBOT_LOG_LEVEL", "log-level", "info", "log level: debug, info, warn or error (debug logs message text)", false},
		{"NOCBOT_SHUTDOWN_TIMEOUT", "shutdown-timeout", "10s", "time to finish replies in flight on SIGTERM", false},
		{"NOCBOT_RETENTION", "retention", "2160h", "how long the question log keeps entries", false},
		{"NOCBOT_MAX_SESSIONS", "max-sessions", "10000", "conversations remembered at once", false},
		{"NOCBOT_SESSION_TTL", "session-ttl", "30m", "how long an idle conversation is remembered", false},
		{"NOCBOT_HOME", "home", defaultHome, "NOC code of the occupation a question that names none is about (none: ask which)", false},
	}
}

// serveEnv returns a lookup that reads the process environment, then the
// .env file (NOCBOT_ENV_FILE or --env-file, default ./.env when present).
// A variable set empty in the environment gives way to the file's value.
func serveEnv(e env, args []string) (func(string) (string, bool), error) {
	path, explicit := e.getenv("NOCBOT_ENV_FILE"), false
	if path != "" {
		explicit = true
	}
	for i, a := range args {
		if v, ok := strings.CutPrefix(strings.TrimLeft(a, "-"), "env-file="); ok && strings.HasPrefix(a, "-") {
			path, explicit = v, true
		} else if (a == "--env-file" || a == "-env-file") && i+1 < len(args) {
			path, explicit = args[i+1], true
		}
	}
	if path == "" {
		path = ".env"
	}
	fileVars := map[string]string{}
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		if fileVars, err = parseDotenv(data); err != nil {
			return nil, fmt.Errorf("env file %s: %w", path, err)
		}
	case explicit || !errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("env file: %w", err)
	}
	return func(k string) (string, bool) {
		v, set := e.lookup(k)
		if v != "" {
			return v, true
		}
		if fv, ok := fileVars[k]; ok {
			return fv, true
		}
		return v, set
	}, nil
}

func parseServeConfig(e env, args []string) (serveConfig, func(string) string, error) {
	var cfg serveConfig
	lookup, err := serveEnv(e, args)
	if err != nil {
		return cfg, nil, err
	}
	getenv := func(k string) string { v, _ := lookup(k); return v }
	fset := newFlagSet("serve", e)
	fset.String("env-file", "", "read settings from this `FILE` (default ./.env when present)")
	values := map[string]*string{}
	for _, s := range serveSettings() {
		def := s.def
		if v, set := lookup(s.env); v != "" || (set && s.emptyMeans) {
			def = v
		}
		values[s.env] = fset.String(s.flag, def, s.help+" ($"+s.env+")")
	}
	if _, err := parseInterspersed(fset, args); err != nil {
		return cfg, nil, err
	}
	get := func(k string) string { return strings.TrimSpace(*values[k]) }
	bad := func(k string, err error) error {
		return fmt.Errorf("%w: %s=%q: %v", errUsage, k, get(k), err)
	}
	cfg.kb = kbFlags{db: get("NOCBOT_DB"), seeds: get("NOCBOT_SEEDS")}
	cfg.httpAddr = get("NOCBOT_HTTP_ADDR")
	if cfg.httpAddr != "" {
		if _, _, err := net.SplitHostPort(cfg.httpAddr); err != nil {
			return cfg, nil, bad("NOCBOT_HTTP_ADDR", err)
		}
	}
	switch cfg.logFormat = get("NOCBOT_LOG_FORMAT"); cfg.logFormat {
	case "text", "json":
	default:
		return cfg, nil, bad("NOCBOT_LOG_FORMAT", errors.New("want text or json"))
	}
	if err := cfg.logLevel.UnmarshalText([]byte(get("NOCBOT_LOG_LEVEL"))); err != nil {
		return cfg, nil, bad("NOCBOT_LOG_LEVEL", errors.New("want debug, info, warn or error"))
	}
	for _, d := range []struct {
		key string
		dst *time.Duration
	}{{"NOCBOT_SHUTDOWN_TIMEOUT", &cfg.shutdownTimeout}, {"NOCBOT_RETENTION", &cfg.retention}, {"NOCBOT_SESSION_TTL", &cfg.sessionTTL}} {
		v, err := time.ParseDuration(get(d.key))
		if err != nil || v <= 0 {
			return cfg, nil, bad(d.key, errors.New("want a positive duration such as 30s, 10m or 2160h"))
		}
		*d.dst = v
	}
	n, err := strconv.Atoi(get("NOCBOT_MAX_SESSIONS"))
	if err != nil || n < 1 {
		return cfg, nil, bad("NOCBOT_MAX_SESSIONS", errors.New("want a positive whole number"))
	}
	cfg.maxSessions = n
	cfg.home = homeOccupation(func(string) string { return get("NOCBOT_HOME") })
	return cfg, getenv, nil
}

func newLogger(w io.Writer, format string, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// health reports, for /healthz, each part that can fail on its own: the
// database (a test write, not a ping: a read-only or full disk answers
// pings), the question log (its last write) and each platform.
type health struct {
	db        *writeProbe
	questions *watchedLog
	platforms []bot.Platform
}

// writeProbe is the database's write check for /healthz, made at most once
// per interval: a burst of health requests (a misconfigured prober, a
// flood) then costs the database one write, not one each.
type writeProbe struct {
	db    *sql.DB
	every time.Duration
	now   func() time.Time

	mu  sync.Mutex // held during a check: concurrent requests wait for its result
	at  time.Time
	err error
}

func newWriteProbe(db *sql.DB) *writeProbe {
	return &writeProbe{db: db, every: 5 * time.Second, now: time.Now}
}

func (p *writeProbe) check(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.at.IsZero() && p.now().Sub(p.at) < p.every {
		return p.err
	}
	// Not the request's context: a client that gives up must not leave
	// "context canceled" as the database's health for the interval.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	p.err, p.at = testWrite(wctx, p.db), p.now()
	return p.err
}

func (h health) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	status := map[string]string{}
	ok := true
	report := func(name string, err error) {
		if err != nil {
			status[name], ok = "error: "+err.Error(), false
		} else {
			status[name] = "ok"
		}
	}
	report("database", h.db.check(ctx))
	if h.questions != nil {
		report("question_log", h.questions.Healthy())
	}
	for _, p := range h.platforms {
		report(p.Name(), p.Healthy())
	}
	w.Header().Set("Content-Type", "application/json")
	if !ok {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	json.NewEncoder(w).Encode(status)
}

// watchedLog is the question log with its last write's outcome kept for
// /healthz: the core only logs a failed write and answers on.
type watchedLog struct {
	bot.QuestionLog
	mu  sync.Mutex
	err error
}

func (l *watchedLog) Record(ctx context.Context, q bot.LoggedQuestion) error {
	err := l.QuestionLog.Record(ctx, q)
	l.mu.Lock()
	l.err = err
	l.mu.Unlock()
	return err
}

// Healthy is the last write's error, nil once one succeeds again.
func (l *watchedLog) Healthy() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return fmt.Errorf("last write failed: %w", l.err)
	}
	return nil
}

// runPlatforms runs every platform until ctx ends, then gives them the
// shutdown timeout to finish what is in flight. A platform that fails
// stops the others; its error is named by the platform.
func runPlatforms(ctx context.Context, platforms []bot.Platform, log *slog.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, len(platforms))
	for _, p := range platforms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			log.Info("platform starting", "platform", p.Name())
			if err := p.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
				errs <- fmt.Errorf("%s: %w", p.Name(), err)
				cancel()
				return
			}
			log.Info("platform stopped", "platform", p.Name())
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// startHTTP serves /healthz and /metrics on ln, or on addr when ln is
// nil, until ctx ends.
func startHTTP(ctx context.Context, addr string, ln net.Listener, h http.Handler, m *metrics.Metrics, routes map[string]http.Handler, log *slog.Logger) (stop func(), err error) {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", h)
	mux.Handle("GET /metrics", m.Handler())
	for pattern, route := range routes {
		mux.Handle(pattern, route)
	}
	if ln == nil {
		if ln, err = net.Listen("tcp", addr); err != nil {
			return nil, fmt.Errorf("listen on %s (NOCBOT_HTTP_ADDR): %w", addr, err)
		}
	}
	// Bounded in every way a client could hold it: a slow body or an idle
	// keep-alive is cut off, and past maxConns a new connection waits for
	// one to close instead of taking a descriptor the bot needs.
	srv := &http.Server{Handler: mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelError),
	}
	limited := limitListener(ln, maxConns)
	srv.ConnState = limited.ConnState
	go func() {
		if err := srv.Serve(limited); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server", "err", err)
		}
	}()
	log.Info("http listening", "addr", ln.Addr().String())
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}, nil
}

// newServeCore builds the core with the question log, as serve runs it:
// its retention runs hourly until ctx is done, and it comes back watched,
// for /healthz.
func newServeCore(ctx context.Context, cfg serveConfig, base *kb, questionsKey string, log *slog.Logger) (*bot.Core, *watchedLog, error) {
	ql, err := openQuestionLog(ctx, base.store, questionsKey, cfg.retention, log)
	if err != nil {
		return nil, nil, err
	}
	go ql.Run(ctx)
	qlog := &watchedLog{QuestionLog: ql}
	jobs, err := jobMatcher(base)
	if err != nil {
		return nil, nil, err
	}
	coreCfg := bot.Config{
		MaxSessions: cfg.maxSessions, SessionTTL: cfg.sessionTTL, Home: cfg.home,
		Log: qlog, Logger: log, Jobs: jobs,
	}
	return bot.New(base.lib, base.matcher, coreCfg), qlog, nil
}

// warmUp loads beside the start what the core would load on the first
// message needing it (the script converters, the job matcher's index), so
// that message is not the one kept waiting. The returned function stops
// the warm-up and waits for it; calling it again does nothing more.
func warmUp(ctx context.Context, core *bot.Core, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		start := time.Now()
		switch err := core.Warm(ctx); {
		case err == nil:
			log.Info("warmed up", "took", time.Since(start).Round(time.Millisecond))
		case ctx.Err() != nil:
			log.Info("warm-up cut short by the shutdown")
		default:
			log.Warn("warm-up", "err", err)
		}
	})
	return func() {
		cancel()
		wg.Wait()
	}
}

// serveHandler is the handler serve gives every platform: Observe outside
// Recover, so a message whose handling panicked is still counted and
// logged, with the apology it got. The adapters' own Recover then finds
// nothing to recover.
func serveHandler(core bot.Handler, m *metrics.Metrics, log *slog.Logger) bot.Handler {
	return bot.Observe(bot.Recover(core, log), m, log, nil)
}

// useDefaultLogger makes l the logger of code that is handed none: slog's
// default and the log package's (which slog.SetDefault points at l). The
// returned function restores both as they were, since serve also runs in
// process in tests.
func useDefaultLogger(l *slog.Logger) (restore func()) {
	prev, out, flags := slog.Default(), stdlog.Writer(), stdlog.Flags()
	slog.SetDefault(l)
	return func() {
		slog.SetDefault(prev)
		stdlog.SetOutput(out)
		stdlog.SetFlags(flags)
	}
}

// runServe runs every configured chat platform on one core and one
// database, with /healthz and /metrics, until SIGINT or SIGTERM.
func runServe(ctx context.Context, e env, args []string) error {
	cfg, getenv, err := parseServeConfig(e, args)
	if err != nil {
		return err
	}
	tgCfg, haveTelegram, err := telegram.ConfigFromEnv(getenv)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	tgCfg.ShutdownTimeout = cfg.shutdownTimeout
	var dcCfg discord.Config
	haveDiscord := getenv("DISCORD_TOKEN") != ""
	if haveDiscord {
		if dcCfg, err = discord.ConfigFromEnv(getenv); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		dcCfg.ShutdownTimeout = cfg.shutdownTimeout
	}
	if !haveTelegram && !haveDiscord {
		return fmt.Errorf("no chat platform configured: set TELEGRAM_TOKEN (Telegram) and/or DISCORD_TOKEN and DISCORD_APP_ID (Discord) in the environment or .env; see the README. (`nocbot chat` needs no token: it talks to you in the terminal.)")
	}
	// Every log line of the process goes through the redactor: whichever
	// package writes it, the tokens never reach the log.
	redactor := bot.NewRedactor(tgCfg.Token, dcCfg.Token, tgCfg.WebhookSecret).WithInteractionTokens()
	log := slog.New(redactor.Handler(newLogger(e.stderr, cfg.logFormat, cfg.logLevel).Handler()))
	defer useDefaultLogger(log)()

	dbFile, err := dbPath(cfg.kb.db, e, true)
	if err != nil {
		return err
	}
	cfg.kb.db = dbFile
	release, err := lockDatabase(dbFile)
	if err != nil {
		return err
	}
	defer release()
	base, err := openKB(ctx, cfg.kb, e, true)
	if err != nil {
		return err
	}
	defer base.Close()
	if err := checkWritable(ctx, base.store.DB(), dbFile); err != nil {
		return err
	}
	if err := checkHome(base.lib, cfg.home); err != nil {
		return err
	}
	m := metrics.New()
	if e.onMetrics != nil {
		e.onMetrics(m)
	}
	core, qlog, err := newServeCore(ctx, cfg, base, getenv(questions.KeyEnv), log)
	if err != nil {
		return err
	}
	handler := serveHandler(core, m, log)
	stopWarm := warmUp(ctx, core, log)
	defer stopWarm()

	// One search over the profiles for every platform's search while
	// typing (Telegram inline mode, Discord autocomplete), sharing the
	// core's converters.
	finder := core.Finder()
	tgCfg.Finder, dcCfg.Finder = finder, finder
	var platforms []bot.Platform
	if haveTelegram {
		tg, err := telegram.New(tgCfg, handler, base.store.DB(), m, log)
		if err != nil {
			return fmt.Errorf("telegram: %w", err)
		}
		platforms = append(platforms, tg)
	}
	if haveDiscord {
		dc, err := discord.New(dcCfg, handler, m, log)
		if err != nil {
			return fmt.Errorf("discord: %w", err)
		}
		platforms = append(platforms, dc)
	}
	routes := map[string]http.Handler{}
	for _, p := range platforms {
		m.Platform(p.Name())
		if r, ok := p.(bot.Router); ok {
			maps.Copy(routes, r.Routes())
		}
	}

	if cfg.httpAddr != "" {
		stop, err := startHTTP(ctx, cfg.httpAddr, e.httpListener, health{db: newWriteProbe(base.store.DB()), questions: qlog, platforms: platforms}, m, routes, log)
		if err != nil {
			return err
		}
		defer stop()
	} else if len(routes) > 0 {
		return fmt.Errorf("%w: a webhook needs NOCBOT_HTTP_ADDR", errUsage)
	}
	log.Info("serving", "platforms", len(platforms), "profiles", len(base.lib.Profiles()))
	err = runPlatforms(ctx, platforms, log)
	stopWarm()
	log.Info("stopped")
	return dbAdvice(dbFile, err)
}

// runHealth asks a running `nocbot serve` for /healthz: the container
// health check, with no curl in the image.
func runHealth(ctx context.Context, e env, args []string) error {
	fset := newFlagSet("health", e)
	def := e.getenv("NOCBOT_HTTP_ADDR")
	if def == "" {
		def = "127.0.0.1:8080"
	}
	addr := fset.String("http", def, "address of nocbot serve's HTTP listener ($NOCBOT_HTTP_ADDR)")
	if _, err := parseInterspersed(fset, args); err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(*addr)
	if err != nil {
		return fmt.Errorf("%w: --http %q: %v", errUsage, *addr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	fmt.Fprintf(e.stdout, "%s", body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unhealthy: %s", resp.Status)
	}
	return nil
}
