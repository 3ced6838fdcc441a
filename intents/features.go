package intents

import (
	"strings"
	"unicode/utf8"
)

// Features are hashed into a fixed table: no feature dictionary to build or
// look up, no allocation per question.
const (
	featureBits  = 16
	featureCount = 1 << featureBits
)

// Feature namespaces, so an English word and a Chinese n-gram never share
// a hash by construction.
const (
	nsBias byte = iota + 1
	nsWord
	nsWordPair
	nsHan1
	nsHan2
	nsHan3
	nsCode
	nsSection
)

type hasher uint32

func newHasher(ns byte) hasher { return hasher(2166136261).byte(ns) }

func (h hasher) byte(b byte) hasher { return (h ^ hasher(b)) * 16777619 }

func (h hasher) str(s string) hasher {
	for i := 0; i < len(s); i++ {
		h = h.byte(s[i])
	}
	return h
}

func (h hasher) index() uint32 {
	x := uint32(h)
	return (x ^ x>>featureBits) & (featureCount - 1)
}

// features appends the hashed features of normalised tokens: English word
// stems and stem pairs (a classification's year, "2021", counts as a word),
// Chinese character 1-, 2- and 3-grams, a marker for a NOC code, the
// profile section each word belongs to (see sectionWords), and a bias. They need no tokeniser for Chinese and work on mixed-language
// questions.
func features(tokens []string, sections *sectionWords, out []uint32) []uint32 {
	out = append(out, newHasher(nsBias).index())
	prev := ""
	for _, tok := range tokens {
		if tok[0] >= utf8.RuneSelf {
			prev = ""
			out = hanGrams(tok, out)
			out = sections.appendHan(tok, out)
			continue
		}
		if tok == titleToken {
			// The title's words are gone; what remains is the question.
			prev = ""
			continue
		}
		if isNumber(tok) && !classificationYear(tok) {
			if isCode(tok) {
				out = append(out, newHasher(nsCode).index())
			}
			prev = ""
			continue
		}
		// A classification's year is a word: "noc 2021" asks about the
		// new classification, not about a unit group.
		s := stemWord(tok)
		out = append(out, newHasher(nsWord).str(s).index())
		if len(tok) >= 3 {
			if sec := sections.en[s]; sec > 0 {
				out = append(out, newHasher(nsSection).byte(sec).index())
			}
		}
		if prev != "" {
			out = append(out, newHasher(nsWordPair).str(prev).byte(' ').str(s).index())
		}
		prev = s
	}
	return out
}

func hanGrams(run string, out []uint32) []uint32 {
	// Byte offsets of the last three characters seen.
	var starts [3]int
	n := 0
	for i, r := range run {
		end := i + utf8.RuneLen(r)
		starts[0], starts[1], starts[2] = starts[1], starts[2], i
		n++
		out = append(out, newHasher(nsHan1).str(run[i:end]).index())
		if n >= 2 {
			out = append(out, newHasher(nsHan2).str(run[starts[1]:end]).index())
		}
		if n >= 3 {
			out = append(out, newHasher(nsHan3).str(run[starts[0]:end]).index())
		}
	}
	return out
}

// stemWord strips common English inflections so "duties", "duty";
// "requirements", "required"; "promoted", "promotion" meet.
func stemWord(w string) string {
	switch {
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		w = w[:len(w)-3] + "y"
	case len(w) > 5 && strings.HasSuffix(w, "ing"):
		w = w[:len(w)-3]
	case len(w) > 5 && strings.HasSuffix(w, "ions"):
		w = w[:len(w)-4]
	case len(w) > 5 && strings.HasSuffix(w, "ion"):
		w = w[:len(w)-3]
	case len(w) > 5 && strings.HasSuffix(w, "ments"):
		w = w[:len(w)-5]
	case len(w) > 5 && strings.HasSuffix(w, "ment"):
		w = w[:len(w)-4]
	case len(w) > 4 && strings.HasSuffix(w, "ed"):
		w = w[:len(w)-2]
	case len(w) > 4 && (strings.HasSuffix(w, "ses") || strings.HasSuffix(w, "xes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes")):
		w = w[:len(w)-2]
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:len(w)-1]
	}
	// "title" and "titles", "promote" and "promoted" meet without the e.
	if len(w) > 3 && strings.HasSuffix(w, "e") {
		w = w[:len(w)-1]
	}
	return w
}
