package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"

	"github.com/bwmarrin/discordgo"
)

// discordgo logs through a package variable, discordgo.Logger, not through
// the session. The first Bot to run installs a bridge that sends those
// lines, redacted, to the logger of every running Bot (there is one in
// practice; discordgo does not say which session a line is about), and
// sessions log at warning level and above only: below that discordgo logs
// identify packets and raw gateway payloads.
var (
	bridgeOnce sync.Once
	bridgeMu   sync.Mutex
	running    = map[*Bot]struct{}{}
)

func registerLogs(b *Bot) {
	bridgeOnce.Do(func() { discordgo.Logger = bridgeLog })
	bridgeMu.Lock()
	running[b] = struct{}{}
	bridgeMu.Unlock()
}

func unregisterLogs(b *Bot) {
	bridgeMu.Lock()
	delete(running, b)
	bridgeMu.Unlock()
}

func bridgeLog(level, _ int, format string, a ...any) {
	bridgeMu.Lock()
	bots := make([]*Bot, 0, len(running))
	for b := range running {
		bots = append(bots, b)
	}
	bridgeMu.Unlock()
	msg := fmt.Sprintf(format, a...)
	for _, b := range bots {
		msg = b.redact(msg)
	}
	msg = redactInteractionTokens(strings.TrimSpace(msg))
	lvl := slog.LevelDebug
	switch level {
	case discordgo.LogError:
		lvl = slog.LevelError
	case discordgo.LogWarning:
		lvl = slog.LevelWarn
	case discordgo.LogInformational:
		lvl = slog.LevelInfo
	}
	for _, b := range bots {
		b.log.Log(context.Background(), lvl, "discordgo: "+msg)
	}
}

// interactionTokenRE finds the token of an interaction or webhook in a
// URL: a credential for 15 minutes, no business of a log.
var interactionTokenRE = regexp.MustCompile(`((?:interactions|webhooks)/[0-9]+/)[A-Za-z0-9._\-]+`)

func redactInteractionTokens(s string) string {
	return interactionTokenRE.ReplaceAllString(s, "${1}[redacted]")
}

// redact removes the bot token and interaction tokens from text bound for
// a log or an error.
func (b *Bot) redact(s string) string {
	if b.cfg.Token != "" && strings.Contains(s, b.cfg.Token) {
		s = strings.ReplaceAll(s, b.cfg.Token, "[redacted]")
	}
	return redactInteractionTokens(s)
}

// redactedError is an error whose text has been through redact. It keeps
// the original for errors.Is and errors.As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func (b *Bot) redactErr(err error) error {
	if err == nil {
		return nil
	}
	var re *redactedError
	if errors.As(err, &re) && re == err {
		return err
	}
	return &redactedError{msg: b.redact(err.Error()), err: err}
}
