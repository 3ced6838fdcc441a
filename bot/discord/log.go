package discord

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/nocbot/nocbot/bot"
)

// discordgo logs through a package variable, discordgo.Logger, not through
// the session. The first Bot to run installs a bridge that sends those
// lines to the logger of every running Bot (there is one in practice;
// discordgo does not say which session a line is about), and sessions log
// at warning level and above only: below that discordgo logs identify
// packets and raw gateway payloads.
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
		b.log.Log(context.Background(), lvl, "discordgo: "+b.logLine(format, a))
	}
}

// logLine formats one of discordgo's log lines without the payloads it
// may carry: discordgo logs whole gateway events (%#v of an Event, whose
// raw JSON prints as a byte dump; string(RawData) on unknown events),
// with interaction tokens and what users wrote. Every argument is
// replaced by a summary unless its type is known to be harmless, and
// the redactor then removes the bot token and token-bearing URLs from
// what is left.
func (b *Bot) logLine(format string, args []any) string {
	safe := make([]any, len(args))
	for i, a := range args {
		safe[i] = summarize(a, b.logIDKey)
	}
	msg := strings.Join(strings.Fields(fmt.Sprintf(format, safe...)), " ")
	return b.redactor.String(msg)
}

// summary is a stand-in argument: it prints as itself under every verb,
// so %#v of a summary is not a quoted Go string.
type summary string

func (s summary) Format(f fmt.State, _ rune) { io.WriteString(f, string(s)) }

// summarize returns what of a log argument may be logged: numbers,
// durations, errors and plain strings as they are (the redactor still
// sees them), gateway events and payloads as their type, op, sequence,
// size and hashed id, and anything else as its type alone.
func summarize(a any, key []byte) any {
	switch v := a.(type) {
	case nil:
		return nil
	case *discordgo.Event:
		if v == nil {
			return summary("<nil event>")
		}
		return eventSummary(*v, key)
	case discordgo.Event:
		return eventSummary(v, key)
	case json.RawMessage:
		return payloadSummary(v, key)
	case []byte:
		return payloadSummary(v, key)
	case string:
		if looksLikePayload(v) {
			return payloadSummary([]byte(v), key)
		}
		return v
	case error, time.Duration, time.Time:
		return v
	}
	switch reflect.TypeOf(a).Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return a
	}
	return summary(fmt.Sprintf("<%T>", a))
}

// looksLikePayload reports whether a string argument is JSON: a gateway
// message or event data, which discordgo formats as a string on unknown
// events and ops.
func looksLikePayload(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[")
}

func eventSummary(e discordgo.Event, key []byte) summary {
	return summary(fmt.Sprintf("event{type=%s op=%d seq=%d%s bytes=%d}",
		eventType(e.Type), e.Operation, e.Sequence, hashedID(e.RawData, key), len(e.RawData)))
}

// payloadSummary describes JSON from the gateway: a whole message (op, s,
// t, d) or the data of an event.
func payloadSummary(data []byte, key []byte) summary {
	var frame struct {
		Op   *int            `json:"op"`
		Seq  int64           `json:"s"`
		Type string          `json:"t"`
		D    json.RawMessage `json:"d"`
	}
	if json.Unmarshal(data, &frame) == nil && frame.Op != nil {
		return summary(fmt.Sprintf("payload{type=%s op=%d seq=%d%s bytes=%d}",
			eventType(frame.Type), *frame.Op, frame.Seq, hashedID(frame.D, key), len(data)))
	}
	return summary(fmt.Sprintf("payload{%s bytes=%d}", strings.TrimSpace(hashedID(data, key)), len(data)))
}

// eventTypeRE is the shape of Discord's event names; anything else in the
// field is not repeated.
var eventTypeRE = regexp.MustCompile(`^[A-Z0-9_]{1,64}$`)

func eventType(t string) string {
	switch {
	case t == "":
		return "-"
	case eventTypeRE.MatchString(t):
		return t
	}
	return "?"
}

// hashedID is " id=<hash>" for event data with an id (an interaction's, a
// message's), keyed per process: lines about one event can be matched up
// without the log naming it.
func hashedID(data []byte, key []byte) string {
	var d struct {
		ID json.RawMessage `json:"id"`
	}
	if len(data) == 0 || json.Unmarshal(data, &d) != nil || len(d.ID) == 0 {
		return ""
	}
	m := hmac.New(sha256.New, key)
	m.Write(d.ID)
	return " id=" + hex.EncodeToString(m.Sum(nil)[:6])
}

// newLogIDKey is the key of hashedID, one per Bot.
func newLogIDKey() []byte {
	k := make([]byte, 16)
	rand.Read(k)
	return k
}

// redactor removes the bot token and interaction tokens from what is bound
// for a log or an error.
func redactor(token string) *bot.Redactor {
	return bot.NewRedactor(token).WithInteractionTokens()
}
