package intents

import (
	_ "embed"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/nocbot/nocbot/knowledge"
)

// Occupations people ask about (occupations/en.txt, occupations/zh.txt):
// the words that tell a question is about a job no profile covers.
var (
	//go:embed occupations/en.txt
	occupationsEN string
	//go:embed occupations/zh.txt
	occupationsZH string
)

// occupations finds, in a question, an occupation no profile's own titles
// name: "what education does a dentist need" asked of a library without
// dentists is not a question about the profiles it has.
type occupations struct {
	en map[string]bool   // singular English words
	zh map[rune][]string // Chinese words by their first character, longest first
}

// ownTitleText is the words (lower case) of the profiles' own titles (unit
// group name, example titles, all titles) and their Chinese, one title a
// line; read once, for the matcher's vocabulary and for the occupations.
func ownTitleText(profiles []knowledge.Profile) (words []string, zh string) {
	var b strings.Builder
	for _, p := range profiles {
		for _, t := range p.OwnTitles() {
			words = append(words, splitTokens(t.EN)...)
			b.WriteString(t.ZH)
			b.WriteByte('\n')
		}
	}
	return words, b.String()
}

// newOccupations keeps the listed occupations that none of the profiles'
// own titles use (ownTitleText). Titles a profile only mentions as
// classified elsewhere do not count: nocbot has no profile for them
// either.
func newOccupations(ownWords []string, ownZH string) *occupations {
	ownEN := make(map[string]bool, len(ownWords))
	for _, w := range ownWords {
		ownEN[singular(w)] = true
	}
	o := &occupations{en: map[string]bool{}, zh: map[rune][]string{}}
	for _, w := range listLines(occupationsEN) {
		if !ownEN[w] {
			o.en[w] = true
		}
	}
	for _, w := range listLines(occupationsZH) {
		if strings.Contains(ownZH, w) { // one search of all the titles per word
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		o.zh[r] = append(o.zh[r], w)
	}
	for _, ws := range o.zh {
		// The longest first: "外科医生" before "医生".
		slices.SortFunc(ws, func(a, b string) int { return len(b) - len(a) })
	}
	return o
}

// listLines returns the non-empty lines of a list, without '#' comments.
func listLines(s string) []string {
	var out []string
	for line := range strings.Lines(s) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

// find returns the first listed occupation in the normalised tokens that
// the question is about, "" for none. The asker's own job is not what the
// question is about: "I am a nurse, what education do I need?" asks about
// the occupation being discussed.
func (o *occupations) find(tokens []string) string {
	for i, tok := range tokens {
		if tok[0] < utf8.RuneSelf {
			w := tok
			if !o.en[w] {
				w = singular(tok)
			}
			if o.en[w] && !ownJobEN(tokens[:i]) {
				return w
			}
			continue
		}
		for j, r := range tok {
			for _, w := range o.zh[r] {
				if strings.HasPrefix(tok[j:], w) && !ownJobZH(tok[:j]) {
					return w
				}
			}
		}
	}
	return ""
}

// ownJobEN reports whether the words before an occupation introduce the
// asker's own job: "i am a", "i m an", "as a", "i work as a", "i was a",
// "i used to be a".
func ownJobEN(before []string) bool {
	n := len(before)
	if n > 0 && (before[n-1] == "a" || before[n-1] == "an") {
		n--
	}
	if n == 0 {
		return false
	}
	switch before[n-1] {
	case "as":
		return true
	case "am", "m", "im", "was", "been":
		return n == 1 || before[n-2] == "i" || before[n-1] == "im" || before[n-2] == "ve" || before[n-2] == "have"
	case "be": // "i used to be a"
		return n >= 3 && before[n-2] == "to" && before[n-3] == "used"
	}
	return false
}

// ownJobZH reports whether the text before an occupation introduces the
// asker's own job: 我是（一名）, 作为（一名）, 我当过, 我做过, 我以前是.
func ownJobZH(before string) bool {
	for _, measure := range []string{"一名", "一个", "一位"} {
		before = strings.TrimSuffix(before, measure)
	}
	for _, intro := range []string{"我是", "作为", "我当过", "我做过", "我曾是", "本人是", "我以前是", "我之前是", "我原来是"} {
		if strings.HasSuffix(before, intro) {
			return true
		}
	}
	return false
}

// singular undoes the English plural of an occupation: nurses, secretaries,
// waitresses, policemen.
func singular(w string) string {
	switch {
	case strings.HasSuffix(w, "men") && len(w) > 4:
		return w[:len(w)-3] + "man"
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && len(w) > 3:
		return w[:len(w)-1]
	}
	return w
}
