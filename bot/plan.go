package bot

import (
	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/knowledge/facts"
	"github.com/nocbot/nocbot/knowledge/jobmatch"
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
	// Fact is what the profile holds of a question about a specific fact
	// (planFact): the sentences to quote, and what none of them holds.
	Fact facts.Finding
	// Other is the second profile a comparison is about (planCompare),
	// OtherAsked the old code the question named for it, as Asked is for
	// Profile.
	Other, OtherAsked string
	// Topics are the career topics of the out-of-scope parts of a
	// compound question, in the order asked: each intents.OutOfScope in
	// Intent and Also takes the next.
	Topics []topic
	// Range is how many buttons the last reply offered (planPickRange).
	Range int
	// Script is the Chinese script of the reply (Simplified unless the
	// asker writes or chose Traditional).
	Script script
	// Jobs is what a description of someone's own duties matched
	// (planMatch, planNoMatch); nil for no description.
	Jobs *jobmatch.Result
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
	planInsult                            // the reply to "you're useless": what the bot can do
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
	planFact                              // the sentences of Profile that hold Fact, or that none does
	planCompare                           // Intent of Profile and of Other, one after the other
	planPickRange                         // a button number beyond the Range offered
	planAboutNOC                          // what the NOC is
	planMatch                             // the unit groups whose duties match Jobs' description
	planNoMatch                           // no unit group matches a description well: ask for duties
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
