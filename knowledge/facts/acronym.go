package facts

import "strings"

// acronymsOf learns a profile's acronyms from its own text: those it
// spells out, "Member of Parliament (MP)", and the initials of the names
// it writes with capitals, "Canadian Health Information Management
// Association" (CHIMA), which people ask about by their initials. Each
// maps the lower-case acronym to the long form's lower-case words.
func acronymsOf(sents []Sentence) map[string]acronym {
	out := map[string]acronym{}
	for i := range sents {
		s := &sents[i]
		for _, acr := range spelledOut(s.Text.EN) {
			if long := wordsSpelling(s.words, acr.before, acr.short); long != nil {
				out[strings.ToLower(acr.short)] = acronym{long: long, spelled: true}
			}
		}
		for _, name := range capitalisedNames(s.words) {
			var initials strings.Builder
			for _, w := range name {
				if !connective(w.lower) {
					initials.WriteByte(w.lower[0])
				}
			}
			if _, taken := out[initials.String()]; !taken {
				out[initials.String()] = acronym{long: written(name)}
			}
		}
	}
	return out
}

// acronym is what a short form stands for in a profile: the long form's
// words, and whether the profile spells it out itself.
type acronym struct {
	long    []string
	spelled bool
}

type spelled struct {
	short  string
	before int // words of the sentence before the parenthesis
}

// spelledOut finds "(ACR)" in text: two to eight capital letters in
// parentheses, with how many words come before it.
func spelledOut(text string) []spelled {
	var out []spelled
	for i := 0; i < len(text); i++ {
		if text[i] != '(' {
			continue
		}
		j := i + 1
		for j < len(text) && text[j] >= 'A' && text[j] <= 'Z' {
			j++
		}
		if j < len(text) && text[j] == ')' && j-i-1 >= 2 && j-i-1 <= 8 {
			out = append(out, spelled{short: text[i+1 : j], before: len(englishWords(text[:i]))})
		}
	}
	return out
}

// wordsSpelling is the run of words ending just before the words[end]
// whose initials, connectives aside, spell acr; nil when none does.
func wordsSpelling(words []word, end int, acr string) []string {
	acr = strings.ToLower(acr)
	k := len(acr)
	for start := end - 1; start >= 0 && end-start <= 2*len(acr)+2; start-- {
		w := words[start]
		if connective(w.lower) {
			continue
		}
		k--
		if k < 0 || w.lower[0] != acr[k] {
			return nil
		}
		if k == 0 {
			return written(words[start:end])
		}
	}
	return nil
}

// capitalisedNames are the runs of three or more capitalised words
// (connectives inside allowed) in a sentence: the names of bodies and
// credentials.
func capitalisedNames(words []word) [][]word {
	var out [][]word
	start, caps := -1, 0
	flush := func(end int) {
		for end > start && start >= 0 && connective(words[end-1].lower) {
			end--
		}
		if start >= 0 && caps >= 3 {
			out = append(out, words[start:end])
		}
		start, caps = -1, 0
	}
	for i, w := range words {
		switch {
		case w.capital && len(w.lower) > 1 && !isDigits(w.lower):
			if start < 0 {
				start = i
			}
			caps++
		case start >= 0 && connective(w.lower):
		default:
			flush(i)
		}
	}
	flush(len(words))
	return out
}

// initialsIn finds, for an acronym the profile does not spell out
// (HIM), runs of content words whose initials spell it ("health
// information management"), each as its stems.
func initialsIn(sents []Sentence, acr string) [][]string {
	var out [][]string
	seen := map[string]bool{}
	n := len(acr)
	for i := range sents {
		ws := englishWords(sents[i].Text.EN)
	next:
		for start := 0; start+n <= len(ws); start++ {
			for k := 0; k < n; k++ {
				w := ws[start+k]
				if w.lower[0] != acr[k] || stopWord(w.lower) || isDigits(w.lower) {
					continue next
				}
			}
			run := ws[start : start+n]
			key := strings.Join(lowers(run), " ")
			if !seen[key] {
				seen[key] = true
				out = append(out, stemsOf(run))
			}
		}
	}
	return out
}

func connective(w string) bool {
	switch w {
	case "of", "and", "the", "for", "de", "du", "des", "in", "on":
		return true
	}
	return false
}

func lowers(ws []word) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.lower
	}
	return out
}

// written gives words back as written, as far as the index keeps them: a
// capital initial where there was one.
func written(ws []word) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.lower
		if w.capital {
			out[i] = strings.ToUpper(w.lower[:1]) + w.lower[1:]
		}
	}
	return out
}

func stemsOf(ws []word) []string {
	var out []string
	for _, w := range ws {
		if !connective(w.lower) {
			out = append(out, w.stem)
		}
	}
	return out
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
