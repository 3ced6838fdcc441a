package discord

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// Defaults.
const (
	DefaultDeferAfter      = 2 * time.Second
	DefaultMaxConcurrent   = 32
	DefaultShutdownTimeout = 10 * time.Second
	DefaultSendTimeout     = 30 * time.Second

	// maxDeferAfter leaves the deferral time to reach Discord within
	// its 3 seconds.
	maxDeferAfter = 2500 * time.Millisecond
)

// Config configures a Bot. Token is required; the rest is optional.
type Config struct {
	// Token is the bot token from the Developer Portal, with or without
	// the "Bot " prefix.
	Token string
	// AppID is the application id. Empty: the one READY reports.
	AppID string
	// GuildID, when set, registers the commands in that server only,
	// where they are updated at once (global commands are for
	// production).
	GuildID string
	// ShardID and ShardCount shard the gateway connection (Discord
	// requires sharding from 2500 servers). ShardCount 0 means 1.
	ShardID, ShardCount int
	// APIURL sends REST calls to this base URL instead of
	// https://discord.com (a REST proxy, for instance): the path of each
	// call (/api/v9/...) is appended to it. The gateway is wherever
	// GET /gateway through it says.
	APIURL string
	// MessageContent asks for the privileged MESSAGE_CONTENT intent; see
	// the package documentation for what that changes.
	MessageContent bool

	// HTTPClient makes the REST calls; nil: a client with a 20 s
	// timeout. Its Transport may point requests elsewhere (tests).
	HTTPClient *http.Client
	// Dialer opens the gateway websocket; nil: websocket.DefaultDialer.
	Dialer *websocket.Dialer
	// DeferAfter is how long an interaction waits for the handler before
	// it is deferred and the answer sent as an edit. Default 2 s, at most
	// 2.5 s: Discord allows 3 s for the first response. A message waits
	// as long before the bot shows itself typing.
	DeferAfter time.Duration
	// MaxConcurrent bounds the messages and interactions handled at once;
	// past it, the gateway waits. Default 32.
	MaxConcurrent int
	// ShutdownTimeout bounds how long Run waits for replies in flight once
	// its context is cancelled. Default 10 s.
	ShutdownTimeout time.Duration
	// SendTimeout bounds one REST call, rate-limit waits included.
	// Default 30 s.
	SendTimeout time.Duration
	// Finder suggests occupations while a user types an option that
	// names one (autocomplete); nil: no suggestions.
	Finder Finder
}

// ConfigFromEnv reads the configuration from DISCORD_TOKEN (required),
// DISCORD_APP_ID, DISCORD_GUILD_ID, DISCORD_SHARD_ID, DISCORD_SHARD_COUNT,
// DISCORD_API_URL and DISCORD_MESSAGE_CONTENT (true/false, yes/no, on/off,
// 1/0). An invalid value is refused with the variable's name; the token's
// value is never part of an error.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	cfg := Config{
		Token:   get("DISCORD_TOKEN"),
		AppID:   get("DISCORD_APP_ID"),
		GuildID: get("DISCORD_GUILD_ID"),
		APIURL:  get("DISCORD_API_URL"),
	}
	var errs []error
	for _, v := range []struct {
		key string
		dst *int
	}{{"DISCORD_SHARD_ID", &cfg.ShardID}, {"DISCORD_SHARD_COUNT", &cfg.ShardCount}} {
		s := get(v.key)
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: want a whole number", v.key, s))
			continue
		}
		*v.dst = n
	}
	if get("DISCORD_SHARD_ID") != "" && get("DISCORD_SHARD_COUNT") == "" {
		errs = append(errs, errors.New("DISCORD_SHARD_ID is set without DISCORD_SHARD_COUNT"))
	}
	if s := get("DISCORD_MESSAGE_CONTENT"); s != "" {
		switch strings.ToLower(s) {
		case "1", "true", "yes", "on":
			cfg.MessageContent = true
		case "0", "false", "no", "off":
		default:
			errs = append(errs, fmt.Errorf("DISCORD_MESSAGE_CONTENT=%q: want true or false", s))
		}
	}
	if err := cfg.validate(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return Config{}, fmt.Errorf("discord configuration: %w", errors.Join(errs...))
	}
	return cfg, nil
}

// validate checks a configuration, naming the environment variable of each
// bad value.
func (c *Config) validate() error {
	var errs []error
	c.Token = strings.TrimSpace(c.Token)
	if t, ok := cutPrefixFold(c.Token, "Bot "); ok {
		c.Token = strings.TrimSpace(t)
	}
	switch {
	case c.Token == "":
		errs = append(errs, errors.New("DISCORD_TOKEN is not set"))
	case strings.ContainsFunc(c.Token, func(r rune) bool { return r <= ' ' || r >= 0x7f }):
		errs = append(errs, errors.New("DISCORD_TOKEN holds spaces or characters a token cannot have"))
	}
	for _, v := range []struct{ key, val string }{{"DISCORD_APP_ID", c.AppID}, {"DISCORD_GUILD_ID", c.GuildID}} {
		if v.val != "" && !isSnowflake(v.val) {
			errs = append(errs, fmt.Errorf("%s=%q: want a numeric Discord id", v.key, v.val))
		}
	}
	count := c.ShardCount
	if count == 0 {
		count = 1
	}
	switch {
	case c.ShardCount < 0:
		errs = append(errs, fmt.Errorf("DISCORD_SHARD_COUNT=%d: want 1 or more", c.ShardCount))
	case c.ShardID < 0:
		errs = append(errs, fmt.Errorf("DISCORD_SHARD_ID=%d: want 0 or more", c.ShardID))
	case c.ShardID >= count:
		errs = append(errs, fmt.Errorf("DISCORD_SHARD_ID=%d: want less than DISCORD_SHARD_COUNT=%d", c.ShardID, count))
	}
	if c.APIURL != "" {
		// The URL may hold a password: an error shows it redacted, and
		// url.Parse's own error, which quotes the URL whole, only by its
		// cause.
		u, err := url.Parse(c.APIURL)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("DISCORD_API_URL: not a URL: %v", errors.Unwrap(err)))
		case u.Scheme != "http" && u.Scheme != "https", u.Host == "":
			errs = append(errs, fmt.Errorf("DISCORD_API_URL=%q: want an http or https URL such as http://proxy:8080", u.Redacted()))
		case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
			errs = append(errs, fmt.Errorf("DISCORD_API_URL=%q: want a base URL without user, query or fragment", u.Redacted()))
		}
	}
	return errors.Join(errs...)
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// isSnowflake reports whether s is a Discord id: a 64-bit unsigned number.
func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}
