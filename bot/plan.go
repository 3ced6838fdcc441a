package bot

import (
	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

// plan is what the core decided to answer to one message, before a word
// of it is written: decide makes it from the message, the session and the
// matcher's reading; render words it. It names profiles by code and holds
// no text of its own.
type plan struct {
	Kind planKind
	Lang knowledge.Lang
	// Intent is what the core understood, as the reply and the question
	// log report it; for section answers and choices, the first section.
	Intent intents.Intent
	// Also are the further sections of a compound question, answered (or
	// carried by the choice buttons) after Intent.
	Also []intents.Intent
	// Answered is false when the profiles do not hold the answer: out of
	// scope, an unknown title, code or occupation, a section the profile
	// says nothing on.
	Answered bool
	// Profile is the code of the profile the reply answers from (section
	// answers, a looked-up title's group), or else the one the
	// conversation is about, whose follow-ups the reply offers; "" for
	// none.
	Profile string
	// Full asks for the long form of a section (every title).
	Full bool
	// Category is the TEER category (0–5) a question asks about with no
	// occupation named ("what does TEER 2 mean"); -1 or unused otherwise
	// (only read for planTEER with no Profile asked about).
	Category int
	// AboutCategory says Category is what the plan is about.
	AboutCategory bool
	// Asked is the old NOC 2011/2016 code the question named when the
	// answer comes from the NOC 2021 group that continues it (1253 →
	// 12112): the reply says what became of it.
	Asked string
	// Title is the job title a lookup found.
	Title knowledge.TitleMatch
	// Suggest are job titles with words like the question's, to offer
	// when what it names is not known.
	Suggest []knowledge.TitleMatch
	// Topic is the career topic an out-of-scope question is about.
	Topic topic
	// Occupation is an occupation the question names that no profile
	// covers; Code a NOC code it names that no profile has; Command a
	// command the core does not know.
	Occupation, Code, Command string
	// Offer is what the profile buttons of an unknown occupation or code
	// ask about.
	Offer intents.Intent
	// More is what "tell me more" continues a section answer with: the
	// Data of a Button, "" for nothing more.
	More string
	// Session is what the core remembers after this message.
	Session session
}

// planKind is the kind of answer a plan gives.
type planKind int

const (
	planHelp              planKind = iota // what the bot can do and the profiles it has
	planUnknownCommand                    // help, after saying the Command is not known
	planGreeting                          // hello, and what to ask
	planSections                          // Intent and Also from Profile, Full or short
	planNothingMore                       // the profile says no more on Intent
	planWelcome                           // the reply to thanks
	planAcknowledge                       // the reply to "ok"
	planFarewell                          // the reply to "bye"
	planLookup                            // the unit group Title belongs to
	planNoSuchTitle                       // no profile lists the title a lookup asks for
	planNotATitle                         // a few words no profile lists as a title; Suggest
	planOutOfScope                        // the profiles do not cover Topic
	planUnknownOccupation                 // no profile covers Occupation
	planUnknownCode                       // no profile for Code
	planChoose                            // which profile Intent and Also are about
	planLangSet                           // the reply language is now Lang
	planLangMenu                          // which reply language
	planTEER                              // Profile's NOC 2021 code and TEER, and what Asked became
	planChooseTitle                       // Title is a title in several unit groups: Suggest them
)

// topic is a career topic people often ask about that the profiles do
// not cover, named in the reply so it says plainly what it cannot answer.
type topic = intents.Topic

const (
	noTopic          = intents.NoTopic
	topicPay         = intents.TopicPay
	topicImmigration = intents.TopicImmigration
	topicOutlook     = intents.TopicOutlook
	topicConditions  = intents.TopicConditions
)
