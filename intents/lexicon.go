package intents

import (
	_ "embed"
	"sort"
	"strings"
)

// englishWords is SCOWL's small American English list (lexicon/COPYING):
// lower-case words of 4 to 24 letters, one a line, sorted by byte value.
//
//go:embed lexicon/words.txt
var englishWords string

// lexicon is a sorted list of real English words. Typo correction leaves
// them alone: "better" is not a misspelt "letter", nor "cancel" a misspelt
// "cancer", however near they are to a word the matcher knows.
type lexicon []string

func newLexicon(sorted string) lexicon {
	return strings.Split(strings.TrimSuffix(sorted, "\n"), "\n")
}

func (l lexicon) has(w string) bool {
	i := sort.SearchStrings(l, w)
	return i < len(l) && l[i] == w
}
