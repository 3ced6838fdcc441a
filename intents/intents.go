// Package intents reads a question in Chinese or English: its language,
// what it asks (one of a fixed set of intents), and the NOC code or job
// title it names. It knows nothing of chat platforms or of how answers are
// worded.
package intents

import "github.com/nocbot/nocbot/knowledge"

// Intent is what a question asks for. The names are a stable interface:
// tools outside nocbot score the matcher by them.
type Intent string

// The intents: the stable set `nocbot classify` and `nocbot eval` use.
const (
	Description  Intent = "description"
	Duties       Intent = "duties"
	Requirements Intent = "requirements"
	Advancement  Intent = "advancement"
	Titles       Intent = "titles"
	Related      Intent = "related"
	Lookup       Intent = "lookup"
	Teer         Intent = "teer"
	Match        Intent = "match"
	Source       Intent = "source"
	Help         Intent = "help"
	Greeting     Intent = "greeting"
	Thanks       Intent = "thanks"
	OutOfScope   Intent = "out_of_scope"
)

// All lists every intent in a fixed order.
func All() []Intent {
	return []Intent{Description, Duties, Requirements, Advancement, Titles, Related,
		Lookup, Teer, Source, Help, Greeting, Thanks, OutOfScope, Match}
}

// Section reports whether i is answered from a section of a profile
// (description, duties, requirements, advancement, titles, related,
// source). Teer is not: the NOC 2021 code, its TEER and what an old code
// became come from the code and the correspondence, so a compound question
// never lists it among its sections.
func (i Intent) Section() bool {
	switch i {
	case Description, Duties, Requirements, Advancement, Titles, Related, Source:
		return true
	}
	return false
}

// Valid reports whether i is one of the intents.
func (i Intent) Valid() bool {
	for _, x := range All() {
		if x == i {
			return true
		}
	}
	return false
}

// Langs lists the languages nocbot understands.
func Langs() []knowledge.Lang { return []knowledge.Lang{knowledge.EN, knowledge.ZH} }
