// Package facts finds the sentences of an occupation profile that hold
// what a question asks: every sentence of a profile (lead statement,
// duties with their role headings, employment requirements, additional
// information, titles, inclusions and exclusions), in both languages where
// the profile has them, indexed by its content words, and matched against
// a question's content words, folded plurals and endings, the profile's
// own acronyms and nocbot's small bilingual term list.
//
// It knows profile text and words; it never knows intents, conversations,
// replies or chat platforms.
package facts

import (
	"fmt"
	"slices"
	"sync"

	"github.com/nocbot/nocbot/knowledge"
)

// Section is the part of a profile a sentence comes from.
type Section uint8

// The sections of a profile.
const (
	Lead Section = iota + 1
	Duties
	Requirements
	Additional
	ExampleTitles
	AllTitles
	Inclusions
	Exclusions
)

// Sentence is one sentence of a profile, in the languages it has.
type Sentence struct {
	Section Section
	Text    knowledge.Text
	// Role is the role heading a duty or requirement falls under
	// ("Insurance managers"); empty when the section has none.
	Role knowledge.Text
	// Heading marks a role heading itself.
	Heading bool

	// words are the English words in order, kept only while the index
	// learns the profile's acronyms: the rare question that needs them
	// again splits the sentence again.
	words []word
	stems []string // English content stems, unique
	// hedged: the sentence says "may", "possible", 可能; negated: "not",
	// 不; requires: it states a requirement, "require", "is required", 需要.
	hedged, negated, requires bool
}

// word is one English word of a sentence: lower case, its stem, and
// whether it was written with a capital.
type word struct {
	lower, stem string
	capital     bool
}

// Index holds the sentences of every profile of a library. A profile's
// sentences are split and indexed the first time a question is about it:
// a one-shot `nocbot ask` pays for one profile, not 517. Safe for
// concurrent use.
type Index struct {
	byCode map[string]*entry
	terms  *termList
}

type entry struct {
	once    sync.Once
	profile *knowledge.Profile
	sents   []Sentence
	// acronyms are the short forms the profile spells out, "long form
	// (ACR)", and the initials of its capitalised names (Canadian Health
	// Information Management Association → chima): lower-case acronym →
	// the long form's words.
	acronyms map[string]acronym
}

// New indexes the profiles of lib with nocbot's term list. Nothing is
// split until asked.
func New(lib *knowledge.Library) (*Index, error) {
	terms, err := parseTerms(termsTSV)
	if err != nil {
		return nil, fmt.Errorf("the term list: %w", err)
	}
	all := lib.Profiles()
	x := &Index{byCode: make(map[string]*entry, len(all)), terms: terms}
	for i := range all {
		x.byCode[all[i].Code] = &entry{profile: &all[i]}
	}
	return x, nil
}

// Sentences returns the sentences of the profile with the given code, nil
// for a code the library does not have.
func (x *Index) Sentences(code string) []Sentence {
	e := x.entry(code)
	if e == nil {
		return nil
	}
	return e.sents
}

// BuildAll splits and indexes every profile now, for a server that would
// rather pay at start-up than on first questions.
func (x *Index) BuildAll() {
	for code := range x.byCode {
		x.entry(code)
	}
}

func (x *Index) entry(code string) *entry {
	e := x.byCode[code]
	if e == nil {
		return nil
	}
	e.once.Do(func() {
		e.sents = sentencesOf(e.profile)
		e.acronyms = acronymsOf(e.sents)
		for i := range e.sents {
			e.sents[i].words = nil
		}
	})
	return e
}

// sentencesOf splits a profile into its sentences, section by section.
func sentencesOf(p *knowledge.Profile) []Sentence {
	var out []Sentence
	add := func(sec Section, t knowledge.Text, role knowledge.Text, heading bool) {
		for _, s := range splitPair(t) {
			out = append(out, newSentence(sec, s, role, heading))
		}
	}
	add(Lead, p.Lead, knowledge.Text{}, false)
	roled := func(sec Section, items []knowledge.Text) {
		var role knowledge.Text
		for _, t := range items {
			if t.Heading {
				role = knowledge.Text{ZH: t.ZH, EN: t.EN}
				add(sec, role, knowledge.Text{}, true)
				continue
			}
			add(sec, t, role, false)
		}
	}
	if p.DutiesIntro.EN != "" || p.DutiesIntro.ZH != "" {
		add(Duties, p.DutiesIntro, knowledge.Text{}, false)
	}
	roled(Duties, p.Duties)
	roled(Requirements, p.Requirements)
	for _, t := range p.Additional {
		add(Additional, t, knowledge.Text{}, false)
	}
	whole := func(sec Section, items []knowledge.Text) {
		for _, t := range items {
			out = append(out, newSentence(sec, knowledge.Text{ZH: t.ZH, EN: t.EN}, knowledge.Text{}, false))
		}
	}
	whole(ExampleTitles, p.ExampleTitles)
	whole(AllTitles, p.AllTitles)
	whole(Inclusions, p.Inclusions)
	for _, ref := range p.Elsewhere {
		t := ref.Title
		if g := ref.Group; g.EN != "" || g.ZH != "" {
			t = knowledge.Text{EN: joinNonEmpty(ref.Title.EN, g.EN, " — "), ZH: joinNonEmpty(ref.Title.ZH, g.ZH, " — ")}
		}
		out = append(out, newSentence(Exclusions, t, knowledge.Text{}, false))
	}
	return out
}

func joinNonEmpty(a, b, sep string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + sep + b
}

func newSentence(sec Section, t, role knowledge.Text, heading bool) Sentence {
	s := Sentence{Section: sec, Text: t, Role: role, Heading: heading}
	s.words = englishWords(t.EN)
	s.stems = make([]string, 0, len(s.words))
	for _, w := range s.words {
		if !stopWord(w.lower) && !slices.Contains(s.stems, w.stem) {
			s.stems = append(s.stems, w.stem)
		}
	}
	s.stems = slices.Clip(s.stems)
	s.hedged, s.negated, s.requires = hedged(s.words, t.ZH), negated(s.words, t.ZH), requires(s.words, t.ZH)
	return s
}
