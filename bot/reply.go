// Package bot is the conversation core every chat platform shares: it
// takes a platform-free Message, keeps a session per user, reads the
// question with intents, answers from knowledge, and returns a Reply of
// neutral rich text that adapters render for their platform. It never
// formats for a platform.
package bot

import (
	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

// Message is one thing a user sent.
type Message struct {
	Platform string // "telegram", "discord", "terminal", ...
	Chat     string // conversation id on the platform
	User     string // user id on the platform; never stored in clear
	Text     string // what the user typed; empty for a button press
	// UserLang is the user's language setting on the platform, if it
	// gives one ("zh-CN", "en-US"); the reply language until the user's
	// questions or /lang say otherwise.
	UserLang string
	// Button is the Data of a pressed Button; empty for typed text.
	Button string
	// ID is the platform's id of the update, interaction or message, when
	// it has one: the question log records each once, however often it is
	// delivered or replayed.
	ID string
}

// BlockKind says how a block of a reply reads.
type BlockKind int

// Block kinds.
const (
	Heading   BlockKind = iota // a short title line
	Paragraph                  // running text
	List                       // bullet items
	Link                       // a URL with a label
)

// Block is one piece of a reply.
type Block struct {
	Kind  BlockKind
	Text  string   // Heading, Paragraph, Link label
	Items []string // List
	URL   string   // Link
}

// Button is a suggested follow-up the user can press. Data comes back in
// Message.Button and is at most MaxButtonData bytes (Telegram's limit for
// callback data).
type Button struct {
	Label string
	Data  string
}

// MaxButtonData bounds Button.Data.
const MaxButtonData = 64

// Reply is the answer to a Message, in neutral rich text.
type Reply struct {
	Lang    knowledge.Lang
	Blocks  []Block
	Buttons []Button
	// Share, on a reply that answers from a profile, lets the user pass
	// the profile on; nil on any other reply.
	Share *Share
	// Intent is what the core understood; Answered is false when it could
	// not answer from the profiles (out of scope, unknown title or code).
	Intent   intents.Intent
	Answered bool
	// Private is true when the message may describe the person's own
	// job: logs keep its intent and nothing of its text.
	Private bool
	// Failed is true when answering failed and the reply is an apology
	// (Recover): a platform may show it to the asker alone.
	Failed bool
}
