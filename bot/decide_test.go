package bot

import (
	"reflect"
	"testing"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

// decideFor reads a message as the core does and decides it, without
// wording anything.
func decideFor(t *testing.T, profiles int, sess session, msg Message) plan {
	t.Helper()
	c := newTestCore(t, profiles, Config{})
	return decide(c.lib, sess, c.read(msg), c.cfg.Home)
}

const (
	en = knowledge.EN
	zh = knowledge.ZH
)

// What the core decides to answer, and what it remembers, for a message
// in a given state of the conversation.
func TestDecide(t *testing.T) {
	afterRequirements := session{Lang: en, Profile: "1252", LastIntent: intents.Requirements}
	afterTitles := session{Lang: en, Profile: "1252", LastIntent: intents.Titles, More: "all:1252"}
	pinnedZH := session{Lang: zh, LangPinned: true}
	// The tables check which title a lookup found and whether titles of
	// similar words are offered, not how the title index ranks them.
	suggested := []knowledge.TitleMatch{{}}
	tests := []struct {
		name     string
		profiles int
		sess     session
		msg      Message // Text or Button; Platform, Chat, User are filled in
		want     plan
	}{
		// Typed questions, in the order the recognisers try them.
		{"nothing typed asks for help", 1, session{}, Message{Text: "  "},
			plan{Kind: planHelp, Lang: en, Intent: intents.Help, Answered: true, Profile: "1252", Session: session{Lang: en, LastIntent: intents.Help}}},
		{"a language switch says the last answer again", 1, afterRequirements, Message{Text: "用中文回答"},
			plan{Kind: planSections, Lang: zh, Intent: intents.Requirements, Answered: true, Profile: "1252",
				Session: session{Lang: zh, LangPinned: true, Profile: "1252", LastIntent: intents.Requirements}}},
		{"a language switch with nothing answered greets", 2, session{}, Message{Text: "in English please"},
			plan{Kind: planGreeting, Lang: en, Intent: intents.Greeting, Answered: true,
				Session: session{Lang: en, LangPinned: true, LastIntent: intents.Greeting}}},
		{"tell me more lists all titles", 1, afterTitles, Message{Text: "tell me more"},
			plan{Kind: planSections, Lang: en, Intent: intents.Titles, Answered: true, Profile: "1252", Full: true,
				Session: session{Lang: en, Profile: "1252", LastIntent: intents.Titles}}},
		{"tell me more with no more to tell", 1, afterRequirements, Message{Text: "详细一点"},
			plan{Kind: planNothingMore, Lang: zh, Intent: intents.Requirements, Answered: true, Profile: "1252",
				Session: session{Lang: zh, Profile: "1252", LastIntent: intents.Requirements}}},
		{"goodbye", 1, afterRequirements, Message{Text: "bye!"},
			plan{Kind: planFarewell, Lang: en, Intent: intents.Thanks, Answered: true,
				Session: session{Lang: en, Profile: "1252", LastIntent: intents.Thanks}}},
		{"an acknowledgement offers what else to ask", 1, afterRequirements, Message{Text: "ok"},
			plan{Kind: planAcknowledge, Lang: en, Intent: intents.Thanks, Answered: true, Profile: "1252",
				Session: session{Lang: en, Profile: "1252", LastIntent: intents.Thanks}}},
		{"an insult is answered as one, not as a greeting", 2, afterRequirements, Message{Text: "你好蠢"},
			plan{Kind: planInsult, Lang: zh, Intent: intents.OutOfScope, Answered: true, Profile: "1252",
				Session: session{Lang: zh, Profile: "1252", LastIntent: intents.Requirements}}},
		{"who are you is a request for help", 2, session{}, Message{Text: "你是谁"},
			plan{Kind: planHelp, Lang: zh, Intent: intents.Help, Answered: true, Session: session{Lang: zh, LastIntent: intents.Help}}},
		{"small talk with a question is a question", 1, session{}, Message{Text: "ok what education do I need"},
			plan{Kind: planSections, Lang: en, Intent: intents.Requirements, Answered: true, Profile: "1252",
				Session: session{Lang: en, Profile: "1252", LastIntent: intents.Requirements}}},
		{"a greeting with several profiles names none", 2, session{}, Message{Text: "hello"},
			plan{Kind: planGreeting, Lang: en, Intent: intents.Greeting, Answered: true, Session: session{Lang: en, LastIntent: intents.Greeting}}},
		{"thanks", 1, afterRequirements, Message{Text: "thanks!"},
			plan{Kind: planWelcome, Lang: en, Intent: intents.Thanks, Answered: true, Profile: "1252",
				Session: session{Lang: en, Profile: "1252", LastIntent: intents.Thanks}}},
		{"a title classified elsewhere is looked up, its group has no profile", 1, afterRequirements,
			Message{Text: "what is the NOC code for health records clerks"},
			plan{Kind: planLookup, Lang: en, Intent: intents.Lookup, Answered: true, Title: knowledge.TitleMatch{Code: "1411"},
				Session: session{Lang: en, Profile: "1252", LastIntent: intents.Lookup}}},
		{"a title no profile lists is not guessed", 1, session{}, Message{Text: "what is the noc code of a software engineer"},
			plan{Kind: planNoSuchTitle, Lang: en, Intent: intents.Lookup, Session: session{Lang: en}}},
		{"a known title in unplaced words is looked up and discussed", 2, session{}, Message{Text: "我想了解病历技师"},
			plan{Kind: planLookup, Lang: zh, Intent: intents.Lookup, Answered: true, Title: knowledge.TitleMatch{Code: "1252"}, Profile: "1252",
				Session: session{Lang: zh, Profile: "1252", LastIntent: intents.Lookup}}},
		{"a few words that may be a title get titles of similar words", 1, session{}, Message{Text: "medical coder"},
			plan{Kind: planNotATitle, Lang: en, Intent: intents.OutOfScope, Suggest: suggested, Session: session{Lang: en}}},
		{"a few words naming an occupation no profile covers", 1, session{}, Message{Text: "software engineer"},
			plan{Kind: planUnknownOccupation, Lang: en, Intent: intents.OutOfScope, Occupation: "engineer", Offer: intents.Description,
				Session: session{Lang: en}}},
		{"a topic the profiles do not cover is named", 1, afterRequirements, Message{Text: "how much do they earn?"},
			plan{Kind: planOutOfScope, Lang: en, Intent: intents.OutOfScope, Topic: topicPay, Profile: "1252", Session: afterRequirements}},
		{"an out-of-scope question with many words", 2, session{}, Message{Text: "what's the weather like for coders in the summer of next year"},
			plan{Kind: planOutOfScope, Lang: en, Intent: intents.OutOfScope, Session: session{Lang: en}}},
		{"a section of an occupation no profile covers", 1, session{}, Message{Text: "what education does a dentist need"},
			plan{Kind: planUnknownOccupation, Lang: en, Intent: intents.Requirements, Occupation: "dentist", Offer: intents.Requirements,
				Session: session{Lang: en}}},

		// Section questions: which profile they are about.
		{"the only profile", 1, session{}, Message{Text: "what do they do"},
			plan{Kind: planSections, Lang: en, Intent: intents.Description, Answered: true, Profile: "1252", More: "i:duties:1252",
				Session: session{Lang: en, Profile: "1252", LastIntent: intents.Description, More: "i:duties:1252"}}},
		{"with several profiles and none discussed, a choice", 2, session{}, Message{Text: "有哪些职责？"},
			plan{Kind: planChoose, Lang: zh, Intent: intents.Duties, Answered: true, Session: session{Lang: zh, LastIntent: intents.Duties}}},
		{"a compound question's choice carries every section", 2, session{}, Message{Text: "duties and requirements"},
			plan{Kind: planChoose, Lang: en, Intent: intents.Duties, Also: []intents.Intent{intents.Requirements}, Answered: true,
				Session: session{Lang: en, LastIntent: intents.Duties}}},
		{"a compound question answers each section; the last is remembered", 1, session{}, Message{Text: "what do they do and what education do they need?"},
			plan{Kind: planSections, Lang: en, Intent: intents.Description, Also: []intents.Intent{intents.Requirements}, Answered: true, Profile: "1252",
				Session: session{Lang: en, Profile: "1252", LastIntent: intents.Requirements}}},
		{"a bare code after a section asks the same section", 2, session{Lang: en, Profile: "1252", LastIntent: intents.Advancement},
			Message{Text: "what about 1253?"},
			plan{Kind: planSections, Lang: en, Intent: intents.Advancement, Profile: "1253",
				Session: session{Lang: en, Profile: "1253", LastIntent: intents.Advancement}}},
		{"a code no profile has", 2, session{}, Message{Text: "what are the duties of 9999"},
			plan{Kind: planUnknownCode, Lang: en, Intent: intents.Duties, Code: "9999", Offer: intents.Duties, Session: session{Lang: en}}},
		{"a pinned language stays", 1, pinnedZH, Message{Text: "titles"},
			plan{Kind: planSections, Lang: zh, Intent: intents.Titles, Answered: true, Profile: "1252", More: "all:1252",
				Session: session{Lang: zh, LangPinned: true, Profile: "1252", LastIntent: intents.Titles, More: "all:1252"}}},
		{"a code alone keeps the language", 1, session{Lang: zh}, Message{Text: "1252"},
			plan{Kind: planSections, Lang: zh, Intent: intents.Description, Answered: true, Profile: "1252", More: "i:duties:1252",
				Session: session{Lang: zh, Profile: "1252", LastIntent: intents.Description, More: "i:duties:1252"}}},

		// Commands.
		{"a section command in the platform's language", 1, session{}, Message{Text: "/duties", UserLang: "zh-hans"},
			plan{Kind: planSections, Lang: zh, Intent: intents.Duties, Answered: true, Profile: "1252",
				Session: session{Lang: zh, Profile: "1252", LastIntent: intents.Duties}}},
		{"a section command with a code", 2, session{}, Message{Text: "/education@nocbot 1253"},
			plan{Kind: planSections, Lang: en, Intent: intents.Requirements, Answered: true, Profile: "1253",
				Session: session{Lang: en, Profile: "1253", LastIntent: intents.Requirements}}},
		{"a section command's Chinese words ask in Chinese", 1, session{}, Message{Text: "/duties 病历技师", UserLang: "en-US"},
			plan{Kind: planSections, Lang: zh, Intent: intents.Duties, Answered: true, Profile: "1252",
				Session: session{Lang: zh, Profile: "1252", LastIntent: intents.Duties}}},
		{"a section command's English words keep the platform's language", 1, session{}, Message{Text: "/duties medical records technician", UserLang: "zh-hans"},
			plan{Kind: planSections, Lang: zh, Intent: intents.Duties, Answered: true, Profile: "1252",
				Session: session{Lang: zh, Profile: "1252", LastIntent: intents.Duties}}},
		{"a section command with several profiles and none discussed", 2, session{}, Message{Text: "/advance"},
			plan{Kind: planChoose, Lang: en, Intent: intents.Advancement, Answered: true, Session: session{Lang: en, LastIntent: intents.Advancement}}},
		{"/noc reads the code as the matcher does", 2, session{}, Message{Text: "/noc １２５３"},
			plan{Kind: planSections, Lang: en, Intent: intents.Description, Answered: true, Profile: "1253", More: "i:duties:1253",
				Session: session{Lang: en, Profile: "1253", LastIntent: intents.Description, More: "i:duties:1253"}}},
		{"/noc with a code no profile has", 2, session{}, Message{Text: "/noc 1411"},
			plan{Kind: planUnknownCode, Lang: en, Intent: intents.Description, Code: "1411", Offer: intents.Description, Session: session{Lang: en}}},
		{"/start greets", 2, session{}, Message{Text: "/start"},
			plan{Kind: planGreeting, Lang: en, Intent: intents.Help, Answered: true, Session: session{Lang: en, LastIntent: intents.Help}}},
		{"a slash alone asks for help", 1, session{}, Message{Text: "/"},
			plan{Kind: planHelp, Lang: en, Intent: intents.Help, Answered: true, Profile: "1252", Session: session{Lang: en, LastIntent: intents.Help}}},
		{"/lang pins the language", 1, session{Lang: en}, Message{Text: "/lang zh"},
			plan{Kind: planLangSet, Lang: zh, Intent: intents.Help, Answered: true, Profile: "1252",
				Session: session{Lang: zh, LangPinned: true, LastIntent: intents.Help}}},
		{"/lang with no language it knows asks which", 1, session{}, Message{Text: "/lang klingon"},
			plan{Kind: planLangMenu, Lang: en, Intent: intents.Help, Answered: true, Session: session{Lang: en, LastIntent: intents.Help}}},
		{"an unknown command", 1, afterRequirements, Message{Text: "/Frobnicate now"},
			plan{Kind: planUnknownCommand, Lang: en, Intent: intents.Help, Profile: "1252", Command: "frobnicate", Session: afterRequirements}},

		// Buttons.
		{"a choice button carries a compound question", 2, session{Lang: en}, Message{Button: "i:duties+requirements:1253"},
			plan{Kind: planSections, Lang: en, Intent: intents.Duties, Also: []intents.Intent{intents.Requirements}, Answered: true, Profile: "1253",
				Session: session{Lang: en, Profile: "1253", LastIntent: intents.Requirements}}},
		{"all titles", 1, afterTitles, Message{Button: "all:1252"},
			plan{Kind: planSections, Lang: en, Intent: intents.Titles, Answered: true, Profile: "1252", Full: true,
				Session: session{Lang: en, Profile: "1252", LastIntent: intents.Titles}}},
		{"an intent that is no section gets the overview and nothing more", 1, session{}, Message{Button: "i:help:1252"},
			plan{Kind: planSections, Lang: en, Intent: intents.Description, Answered: true, Profile: "1252",
				Session: session{Lang: en, Profile: "1252", LastIntent: intents.Description}}},
		{"a compound with a section too many answers the first", 1, session{}, Message{Button: "i:duties+titles+related+source:1252"},
			plan{Kind: planSections, Lang: en, Intent: intents.Duties, Answered: true, Profile: "1252",
				Session: session{Lang: en, Profile: "1252", LastIntent: intents.Duties}}},
		{"a button of a profile since removed", 1, afterRequirements, Message{Button: "i:duties:0000"},
			plan{Kind: planHelp, Lang: en, Intent: intents.Help, Profile: "1252", Session: afterRequirements}},
		{"a button number beyond those offered", 1, session{Lang: en, Profile: "1252", LastIntent: intents.Requirements, Offered: 3}, Message{Text: "4"},
			plan{Kind: planPickRange, Lang: en, Intent: intents.Help, Answered: true, Range: 3, Profile: "1252", Offer: intents.Requirements,
				Session: session{Lang: en, Profile: "1252", LastIntent: intents.Requirements, Offered: 3}}},
		{"what the NOC is", 1, session{}, Message{Text: "what's NOC?"},
			plan{Kind: planAboutNOC, Lang: en, Intent: intents.Help, Answered: true, Profile: "1252", Session: session{Lang: en, LastIntent: intents.Help}}},
		{"all titles, not the examples again", 1, afterTitles, Message{Text: "all titles"},
			plan{Kind: planSections, Lang: en, Intent: intents.Titles, Answered: true, Profile: "1252", Full: true,
				Session: session{Lang: en, Profile: "1252", LastIntent: intents.Titles}}},
		{"two codes compared", 2, session{}, Message{Text: "compare 1252 and 1253"},
			plan{Kind: planCompare, Lang: en, Intent: intents.Description, Answered: true, Profile: "1252", Other: "1253",
				Session: session{Lang: en, LastIntent: intents.Description}}},
		{"Traditional Chinese chosen", 1, session{}, Message{Text: "/lang zh-hant"},
			plan{Kind: planLangSet, Lang: zh, Intent: intents.Help, Answered: true, Profile: "1252", Script: traditional,
				Session: session{Lang: zh, LangPinned: true, LastIntent: intents.Help, Script: traditional, ScriptPinned: true}}},
		{"a language button", 1, session{}, Message{Button: "lang:zh"},
			plan{Kind: planLangSet, Lang: zh, Intent: intents.Help, Answered: true, Profile: "1252",
				Session: session{Lang: zh, LangPinned: true, LastIntent: intents.Help}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := tt.msg
			msg.Platform, msg.Chat, msg.User = "test", "c", "u"
			got := decideFor(t, tt.profiles, tt.sess, msg)
			got.Title = knowledge.TitleMatch{Code: got.Title.Code}
			if len(got.Suggest) > 0 {
				got.Suggest = suggested
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%q %q:\n got %+v\nwant %+v", tt.msg.Text, tt.msg.Button, got, tt.want)
			}
		})
	}
}
