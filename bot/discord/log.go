package discord

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/bwmarrin/discordgo"

	"github.com/nocbot/nocbot/bot"
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
	// The arguments are redacted as values before formatting: discordgo
	// logs whole events with %#v, which prints their byte slices as
	// numbers that no match on the formatted text would find.
	for _, b := range bots {
		a = b.redactor.Args(a)
	}
	msg := strings.TrimSpace(fmt.Sprintf(format, a...))
	for _, b := range bots {
		msg = b.redactor.String(msg)
	}
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

// redactor removes the bot token and interaction tokens from what is bound
// for a log or an error.
func redactor(token string) *bot.Redactor {
	return bot.NewRedactor(token).WithInteractionTokens()
}
