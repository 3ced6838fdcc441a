// Package telegram connects the conversation core to Telegram through the
// Bot API (github.com/go-telegram-bot-api/telegram-bot-api/v5): long
// polling with an offset kept in SQLite, or a webhook; replies as HTML with
// inline keyboards; paced to Telegram's rate limits; retried on 429, 5xx
// and network errors without losing or doubling a reply.
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
	WebhookSecret string // required with WebhookURL: checked on every request

	PollTimeout time.Duration // long-poll wait, default 50s

	// Pacing. ChatRate <= 0 turns per-chat pacing off (benchmarks).
	ChatRate    float64 // messages per second per chat, default 1
	ChatBurst   int     // default 3
	GroupPerMin float64 // messages per minute per group, default 20
	GlobalRate  float64 // messages per second in all, default 30

	MaxRetries      int           // per message, default 5
	RetryBase       time.Duration // first backoff, default 500ms
	ShutdownTimeout time.Duration // to finish in-flight replies, default 10s

	HTTPClient *http.Client // default: one with a timeout above PollTimeout
}

// ConfigFromEnv reads TELEGRAM_TOKEN, TELEGRAM_API_URL, TELEGRAM_WEBHOOK_URL
// and TELEGRAM_WEBHOOK_SECRET. ok is false when no token is set (Telegram is
// not configured); invalid values are errors naming the variable.
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
		if u, err := url.Parse(cfg.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return cfg, false, fmt.Errorf("TELEGRAM_API_URL: %q is not an http(s) URL", cfg.APIURL)
		}
	}
	cfg.WebhookURL = strings.TrimSpace(getenv("TELEGRAM_WEBHOOK_URL"))
	cfg.WebhookSecret = strings.TrimSpace(getenv("TELEGRAM_WEBHOOK_SECRET"))
	if cfg.WebhookURL != "" {
		if u, err := url.Parse(cfg.WebhookURL); err != nil || u.Scheme != "https" || u.Host == "" {
			return cfg, false, fmt.Errorf("TELEGRAM_WEBHOOK_URL: %q is not an https URL", cfg.WebhookURL)
		}
		if len(cfg.WebhookSecret) < 16 || strings.Trim(cfg.WebhookSecret, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != "" {
			return cfg, false, errors.New("TELEGRAM_WEBHOOK_SECRET: required with a webhook, 16-256 characters of A-Z a-z 0-9 _ -")
		}
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
	return !strings.ContainsAny(t, " /\t\n")
}

func (c *Config) setDefaults() {
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
	if c.GroupPerMin <= 0 {
		c.GroupPerMin = 20
	}
	if c.GlobalRate <= 0 {
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
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: c.PollTimeout + 15*time.Second}
	}
}
