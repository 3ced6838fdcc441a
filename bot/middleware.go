package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

// Recover returns a Handler that turns a panic in h into an apology in the
// asker's language, logged without the message: the panic value may quote
// it, and the message may describe the asker's own job, which is never
// logged, so only the panic's type is logged, and its stack (function
// names and lines, no text) at debug level. The apology is Private (no
// middleware logs the message's text) and Failed, so a platform can show
// it to the asker alone.
func Recover(h Handler, log *slog.Logger) Handler {
	return HandlerFunc(func(ctx context.Context, msg Message) (r Reply) {
		defer func() {
			if p := recover(); p != nil {
				log.Error("handler panicked; sent an apology", "platform", msg.Platform, "panic_type", fmt.Sprintf("%T", p))
				log.Debug("handler panic", "platform", msg.Platform, "stack", string(debug.Stack()))
				r = Apology(msg)
				r.Private = true
			}
		}()
		return h.Handle(ctx, msg)
	})
}

// Apology is the reply when answering failed: in Chinese when the asker's
// platform is set to Chinese or the message holds Chinese, else English.
func Apology(msg Message) Reply {
	if l, ok := knowledge.ParseLang(msg.UserLang); (ok && l == knowledge.ZH) || knowledge.HasHan(msg.Text) {
		return Reply{Lang: knowledge.ZH, Failed: true, Blocks: []Block{{Kind: Paragraph, Text: "抱歉，出了点问题，请再试一次。"}}}
	}
	return Reply{Lang: knowledge.EN, Failed: true, Blocks: []Block{{Kind: Paragraph, Text: "Sorry, something went wrong. Please try again."}}}
}

// HandledRecorder counts handled messages, for metrics.
type HandledRecorder interface {
	Handled(platform string, lang knowledge.Lang, intent string, answered bool, took time.Duration)
}

// Observe returns a Handler that records every message h handles: one
// "message" log line at info level with the platform, language, intent
// and latency (never the text or a user id; the text only at debug
// level), and the same in rec when rec is not nil. now is the clock
// (time.Now when nil).
func Observe(h Handler, rec HandledRecorder, log *slog.Logger, now func() time.Time) Handler {
	if now == nil {
		now = time.Now
	}
	return HandlerFunc(func(ctx context.Context, msg Message) Reply {
		start := now()
		r := h.Handle(ctx, msg)
		took := now().Sub(start)
		if rec != nil {
			rec.Handled(msg.Platform, r.Lang, string(r.Intent), r.Answered, took)
		}
		log.Info("message", "platform", msg.Platform, "lang", r.Lang, "intent", r.Intent,
			"answered", r.Answered, "button", msg.Button != "", "latency", took)
		if !r.Private && r.Intent != intents.Match {
			// A description of someone's own job is theirs: only its
			// intent and the codes it matched are kept (see Core.Handle).
			log.Debug("message text", "platform", msg.Platform, "text", msg.Text)
		}
		return r
	})
}

// Conversation is the key of the conversation a message belongs to: one
// user in one chat on one platform, the unit the core keeps a session
// for and the unit whose messages are handled in order.
func Conversation(msg Message) string {
	return msg.Platform + "\x00" + msg.Chat + "\x00" + msg.User
}
