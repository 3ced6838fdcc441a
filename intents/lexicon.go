package intents

import (
	_ "embed"
	"strings"
)

// englishWords is SCOWL's small American English list (lexicon/COPYING):
// lower-case words of 4 to 24 letters, one a line, sorted by byte value.
//
//go:embed lexicon/words.txt
var englishWords string

// lexicon is a sorted list of real English words, one a line, searched
// where it lies: nothing is split or copied at start-up. Typo correction
// leaves them alone: "better" is not a misspelt "letter", nor "cancel" a
// misspelt "cancer", however near they are to a word the matcher knows.
type lexicon string

func newLexicon(sorted string) lexicon { return lexicon(sorted) }

// has bisects the list by bytes, reading the line each midpoint falls in.
func (l lexicon) has(w string) bool {
	lo, hi := 0, len(l) // the answer's line starts in [lo, hi)
	for lo < hi {
		mid := lo + (hi-lo)/2
		start := strings.LastIndexByte(string(l[:mid]), '\n') + 1
		end := strings.IndexByte(string(l[mid:]), '\n')
		if end < 0 {
			end = len(l)
		} else {
			end += mid
		}
		switch line := string(l[start:end]); {
		case line == w:
			return true
		case line < w:
			lo = end + 1
		default:
			hi = start
		}
	}
	return false
}

// words lists the lexicon, for tests.
func (l lexicon) words() []string {
	return strings.Split(strings.TrimSuffix(string(l), "\n"), "\n")
}
