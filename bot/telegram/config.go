// Package telegram connects the conversation core to Telegram through the
// Bot API (github.com/go-telegram-bot-api/telegram-bot-api/v5): long
// polling with a loop of its own (or a webhook), updates kept in SQLite
// until they are answered, replies as HTML with inline keyboards, paced to
// Telegram's rate limits and retried on 429, 5xx and network errors
// without losing or doubling a reply. Inline queries ("@nocbot weld",
// with inline mode on in @BotFather) are answered from Config.Finder at
// once, apart from the chats' queues, and never stored: a late answer is
// worth nothing.
//
// Delivery: an update is confirmed to Telegram (by the next getUpdates
// offset) only once its reply is sent or it is stored as pending in the
// platform_state table; pending updates are answered after a restart. So
// a slow chat holds back no other chat, and a restart, even a crash,
// loses nothing. A crash between sending a reply and recording it can
// send that reply again.
package telegram

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Config configures a Bot. Zero fields take the defaults noted.
type Config struct {
	Token  string // from @BotFather; never logged
	APIURL string // default https://api.telegram.org; the bot appends /bot<token>/<method>

	WebhookURL    string // empty: long polling
	WebhookSecret string // required with WebhookURL: checked on every delivery

	PollTimeout time.Duration // long-poll wait, default 50s

	// Pacing of sendMessage. A negative value turns that limit off (for
	// benchmarks); zero takes the default.
	ChatRate    float64 // messages per second per chat, default 1
	ChatBurst   int     // messages a chat may get at once, default 3
	GroupPerMin float64 // messages per minute per group, default 20 (burst 3)
	GlobalRate  float64 // messages per second in all, default 30

	MaxRetries      int           // retries of one request after the first try, default 5
	RetryBase       time.Duration // first backoff on 5xx and network errors, default 500ms (doubles, with jitter, up to 30s)
	ShutdownTimeout time.Duration // to finish in-flight replies on shutdown, default 10s

	// MaxInFlight bounds the updates taken and not yet answered; polling
	// waits when it is reached. Default 10,000.
	MaxInFlight int
	// ChatBacklog bounds the updates waiting in one chat: more (a flood)
	// are skipped and logged. Default 100.
	ChatBacklog int
	// MaxRequests bounds the HTTP requests in flight at once, default 64.
	MaxRequests int

	HTTPClient *http.Client // default: one with a timeout above PollTimeout

	// Finder answers inline queries ("@nocbot weld" in any chat) with the
	// occupations they name; nil: inline queries find nothing.
	Finder Finder
}

// ConfigFromEnv reads TELEGRAM_TOKEN, TELEGRAM_API_URL, TELEGRAM_WEBHOOK_URL
// and TELEGRAM_WEBHOOK_SECRET. ok is false when no token is set (Telegram is
// not configured); invalid values are errors naming the variable, never
// showing the token or the secret.
func ConfigFromEnv(getenv func(string) string) (cfg Config, ok bool, err error) {
	cfg.Token = strings.TrimSpace(getenv("TELEGRAM_TOKEN"))
	if cfg.Token == "" {
		return cfg, false, nil
	}
	if !validToken(cfg.Token) {
		return cfg, false, errors.New("TELEGRAM_TOKEN: not a bot token (want <digits>:<secret> from @BotFather)")
	}
	cfg.APIURL = strings.TrimRight(strings.TrimSpace(getenv("TELEGRAM_API_URL")), "/")
	if cfg.APIURL != "" {
		u, err := url.Parse(cfg.APIURL)
		if err != nil {
			return cfg, false, errors.New("TELEGRAM_API_URL: not a URL")
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return cfg, false, fmt.Errorf("TELEGRAM_API_URL: %q is not an http(s) base URL", u.Redacted())
		}
	}
	cfg.WebhookURL = strings.TrimSpace(getenv("TELEGRAM_WEBHOOK_URL"))
	cfg.WebhookSecret = strings.TrimSpace(getenv("TELEGRAM_WEBHOOK_SECRET"))
	if cfg.WebhookURL != "" {
		u, err := url.Parse(cfg.WebhookURL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return cfg, false, errors.New("TELEGRAM_WEBHOOK_URL: not an https URL (Telegram delivers webhooks over https only)")
		}
		if !validSecret(cfg.WebhookSecret) {
			return cfg, false, errors.New("TELEGRAM_WEBHOOK_SECRET: required with a webhook, 16-256 characters of A-Z a-z 0-9 _ -")
		}
	} else if cfg.WebhookSecret != "" && !validSecret(cfg.WebhookSecret) {
		return cfg, false, errors.New("TELEGRAM_WEBHOOK_SECRET: 16-256 characters of A-Z a-z 0-9 _ -")
	}
	return cfg, true, nil
}

func validToken(t string) bool {
	id, secret, ok := strings.Cut(t, ":")
	if !ok || id == "" || len(secret) < 10 {
		return false
	}
	for _, c := range id {
		if c < '0' || c > '9' {
			return false
		}
	}
	for _, c := range secret {
		if !secretChar(c) && c != ':' {
			return false
		}
	}
	return true
}

// validSecret is Telegram's rule for secret_token (1-256 of A-Z a-z 0-9 _
// -), with at least 16 characters so it cannot be guessed.
func validSecret(s string) bool {
	if len(s) < 16 || len(s) > 256 {
		return false
	}
	for _, c := range s {
		if !secretChar(c) {
			return false
		}
	}
	return true
}

func secretChar(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

func (c *Config) setDefaults() {
	c.APIURL = strings.TrimRight(c.APIURL, "/")
	if c.APIURL == "" {
		c.APIURL = "https://api.telegram.org"
	}
	if c.PollTimeout <= 0 {
		c.PollTimeout = 50 * time.Second
	}
	if c.ChatRate == 0 {
		c.ChatRate = 1
	}
	if c.ChatBurst <= 0 {
		c.ChatBurst = 3
	}
	if c.GroupPerMin == 0 {
		c.GroupPerMin = 20
	}
	if c.GlobalRate == 0 {
		c.GlobalRate = 30
	}
	if c.MaxRetries <= 0 {
		c.MaxRetries = 5
	}
	if c.RetryBase <= 0 {
		c.RetryBase = 500 * time.Millisecond
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = 10 * time.Second
	}
	if c.MaxInFlight <= 0 {
		c.MaxInFlight = 10000
	}
	if c.ChatBacklog <= 0 {
		c.ChatBacklog = 100
	}
	if c.MaxRequests <= 0 {
		c.MaxRequests = 64
	}
	if c.HTTPClient == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = c.MaxRequests
		c.HTTPClient = &http.Client{Timeout: c.PollTimeout + 15*time.Second, Transport: tr}
	}
}

// endpoint is the library's format for request URLs (token, method).
func (c *Config) endpoint() string {
	return strings.ReplaceAll(c.APIURL, "%", "%%") + "/bot%s/%s"
}
