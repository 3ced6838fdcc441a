package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strings"
	"time"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/knowledge/facts"
)

// QuestionLog records the questions the core handled, for operators.
type QuestionLog interface {
	Record(ctx context.Context, q LoggedQuestion) error
}

// LoggedQuestion is one handled question as the operator log keeps it: no
// user id in clear, only a salted hash.
type LoggedQuestion struct {
	Time       time.Time
	Platform   string
	UserHash   string
	Lang       knowledge.Lang
	Intent     intents.Intent
	Confidence float64
	Answered   bool
	Text       string
	// Occupation is one the question named that no profile covers.
	Occupation string
	// ID is the platform's id of the update (bot.Message.ID), if any.
	ID string
}

// Config tunes a Core. The zero value is usable.
type Config struct {
	MaxSessions int           // default 10,000
	SessionTTL  time.Duration // default 30 minutes
	Log         QuestionLog   // nil: questions are not recorded
	Salt        string        // for hashing user ids in the log
	Logger      *slog.Logger  // nil: slog.Default()
	Now         func() time.Time
	// Home is the code of the occupation the deployment serves: a question
	// that names no occupation, in a conversation about none yet, is about
	// it. "" for none: such a question gets "which occupation?".
	Home string
	// Jobs matches descriptions of people's own duties (/match); nil: one
	// built from the library on first use, without nocbot's duty word
	// lists.
	Jobs JobMatcher
}

// Core is the conversation core. It is safe for concurrent use by any
// number of adapters.
type Core struct {
	lib      *knowledge.Library
	matcher  *intents.Matcher
	facts    *facts.Index // nil: answers by whole sections only
	scripts  *converters
	sessions *sessions
	cfg      Config
}

// New returns a core answering from lib, reading questions with matcher.
func New(lib *knowledge.Library, matcher *intents.Matcher, cfg Config) *Core {
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = 10000
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 30 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	var simplify func(string) string
	if matcher != nil {
		simplify = matcher.Normalizer().Simplified
	}
	if cfg.Jobs == nil {
		cfg.Jobs = lazyJobs(lib, simplify)
	}
	c := &Core{lib: lib, matcher: matcher, cfg: cfg, scripts: newConverters(),
		sessions: newSessions(cfg.MaxSessions, cfg.SessionTTL, cfg.Now)}
	if matcher != nil {
		c.scripts.t2s = matcher.Normalizer() // one set of dictionaries for questions, searches and job matching
	}
	// The index splits each profile the first time a question is about it.
	if x, err := facts.New(lib); err != nil {
		cfg.Logger.Error("fact answers are off", "err", err)
	} else {
		c.facts = x
	}
	return c
}

// Handle answers one message. It never fails: whatever the input, the
// reply says something useful. Each message goes one way: read (the
// matcher), decide (a plan), word (the reply); the session and the
// question log keep what the plan says.
func (c *Core) Handle(ctx context.Context, msg Message) Reply {
	key := Conversation(msg)
	sess, _ := c.sessions.get(key)
	in := c.read(msg)
	switch {
	case in.Button == "" && in.Command == nil:
		in.Script = c.scripts.questionScript(in.Text, in.Res.Normalized, sess, msg.UserLang)
	case in.Command != nil && knowledge.HasHan(in.Command.Rest):
		// A command's own words ("/match 我在餐廳…") are written in a
		// script as a question is.
		in.Script = c.scripts.questionScript(in.Command.Rest, c.matcher.Normalize(in.Command.Rest), sess, msg.UserLang)
	default:
		in.Script = conversationScript(sess, msg.UserLang)
	}
	p := decide(c.lib, sess, in, c.cfg.Home)
	r := render(p, c.lib)
	r.Share = shareOf(p, c.lib)
	r.Private = private(p, in)
	r = c.scripts.inScript(r, p.Script)
	p.Session.Offered = len(r.Buttons)
	c.sessions.put(key, p.Session)
	if c.cfg.Log != nil && in.Button == "" && ctx.Value(unrecordedKey{}) == nil {
		err := c.cfg.Log.Record(ctx, LoggedQuestion{
			Time: c.cfg.Now(), Platform: msg.Platform, UserHash: c.hashUser(msg),
			Lang: p.Lang, Intent: p.Intent, Confidence: in.Res.Confidence, Answered: p.Answered, Text: loggedText(p, in),
			Occupation: in.Res.Occupation, ID: msg.ID,
		})
		if err != nil {
			c.cfg.Logger.Warn("record question", "err", err)
		}
	}
	return r
}

type unrecordedKey struct{}

// Unrecorded marks the message handled under ctx as one the client sends
// on its own (the terminal's greeting /start), not one the user typed: it
// is answered but not recorded as a question.
func Unrecorded(ctx context.Context) context.Context {
	return context.WithValue(ctx, unrecordedKey{}, true)
}

// read is what the matcher reads in a message: a typed question's intent,
// language, code and titles; a command's code argument in canonical form.
func (c *Core) read(msg Message) input {
	in := input{Button: msg.Button, Text: strings.TrimSpace(msg.Text), UserLang: msg.UserLang}
	if c.facts != nil {
		in.Facts = c.facts
	}
	switch {
	case in.Button != "":
	case strings.HasPrefix(in.Text, "/"):
		cmd := parseCommand(in.Text)
		if cmd.Name == "start" && len(cmd.Args) > 0 {
			// A deep link: "/start noc_12111" is "/noc 12111".
			if opened, ok := parseStartPayload(cmd.Args[0]); ok {
				cmd = opened
			}
		}
		if len(cmd.Args) > 0 && takesCode(cmd.Name) {
			cmd.Code = strings.TrimSpace(c.matcher.Normalize(cmd.Args[0]))
			if !isDigits(cmd.Code) {
				// Words, not a code ("/duties nurse"): read them for a title.
				in.Res = c.matcher.Classify(strings.Join(cmd.Args, " "))
			}
		}
		in.Command = &cmd
		if cmd.Name == "match" && cmd.Rest != "" {
			r := c.cfg.Jobs.Match(cmd.Rest, matchShown)
			in.Jobs = &r
		}
	default:
		in.Res = c.matcher.Classify(in.Text)
		if wantsMatch(in.Res) {
			r := c.cfg.Jobs.Match(in.Text, matchShown)
			in.Jobs = &r
		}
	}
	return in
}

func (c *Core) hashUser(msg Message) string {
	h := sha256.Sum256([]byte(c.cfg.Salt + "\x00" + msg.Platform + "\x00" + msg.User))
	return hex.EncodeToString(h[:12])
}
