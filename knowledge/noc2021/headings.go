package noc2021

import (
	"strings"
	"unicode"
)

// Some 190 unit groups split their Main duties (and a few their Employment
// requirements) by role, with sub-heading rows the file does not mark:
//
//	Insurance managers
//	Plan, organize, direct, control and evaluate the operations of … insurance
//	Real estate service managers
//	…
//
// Within a role's list only the last row ends in a full stop, so a
// sub-heading is a row that:
//
//   - comes first in the list, or right after a row that ends a sentence;
//   - does not end a sentence itself, and is not the list's last row;
//   - is short (at most maxHeadingWords words: the longest heading has 12,
//     "Curatorial assistants, museum extension officers, …");
//   - is a role, not a duty: its first word is not a verb the file's own
//     duties open with, or its last word names the occupation (it appears,
//     singular or plural, in the unit group's title or All examples; this
//     keeps "Record producers" and "Research assistants", whose first words
//     also open duties).
//
// A list either starts with a sub-heading or has none: rows that pass the
// test only later in a list are duties whose predecessor wrongly ended in a
// full stop (31201 "… medical histories." then "Communicate and collaborate
// with other health care professionals"). A first row that passes alone is
// the first duty of an ordinary list ("Enact, amend or repeal laws and
// regulations" in 00010).
const maxHeadingWords = 12

// markHeadings reports which rows of one list are sub-headings. isTitleWord
// tells whether a lower-case word is one of the unit group's title words.
func markHeadings(rows []string, verbs map[string]bool, isTitleWord func(string) bool) []bool {
	heading := make([]bool, len(rows))
	candidate := func(i int) bool {
		s := rows[i]
		if i == len(rows)-1 || endsSentence(s) || (i > 0 && !endsSentence(rows[i-1])) {
			return false
		}
		if len(strings.Fields(s)) > maxHeadingWords {
			return false
		}
		if !verbs[firstWord(s)] {
			return true
		}
		last := lastWord(s)
		return isTitleWord(last) || isTitleWord(singular(last))
	}
	if len(rows) < 2 || !candidate(0) {
		return heading
	}
	heading[0] = true
	split := false
	for i := 1; i < len(rows); i++ {
		if candidate(i) {
			heading[i], split = true, true
		}
	}
	if !split {
		heading[0] = false
	}
	return heading
}

// dutyVerbs collects the first words of the rows that cannot be
// sub-headings — those that follow a row not ending a sentence — in every
// Main duties list of the file: "Plan", "Prepare", "May", … The file's own
// words, so no hand-made list of English verbs goes stale.
func dutyVerbs(units []*elementsUnit) map[string]bool {
	verbs := map[string]bool{}
	for _, u := range units {
		rows := u.rowsByType[dutyType]
		for i := 2; i < len(rows); i++ { // rows[0] is the introduction
			if !endsSentence(rows[i-1].text) {
				verbs[firstWord(rows[i].text)] = true
			}
		}
	}
	return verbs
}

// titleWords returns a test for the lower-case words of a unit group's
// title and example titles. The set is built on first use: few lists need
// it.
func titleWords(title string, examples []string) func(string) bool {
	var words map[string]bool
	return func(w string) bool {
		if words == nil {
			words = map[string]bool{}
			eachWord(strings.ToLower(title), func(w string) { words[w] = true })
			for _, s := range examples {
				eachWord(strings.ToLower(s), func(w string) { words[w] = true })
			}
		}
		return words[w]
	}
}

// eachWord calls fn with every run of letters in s.
func eachWord(s string, fn func(string)) {
	start := -1
	for i, r := range s {
		switch {
		case !notLetter(r) && start < 0:
			start = i
		case notLetter(r) && start >= 0:
			fn(s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		fn(s[start:])
	}
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) }

// endsSentence reports a final full stop (or ? or !), also inside a
// closing quote: `… the title "Professional Technologist."`. Not inside a
// parenthesis: "Doctors of podiatric medicine (D.P.M.)" is a heading.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, `"'”’`)
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!")
}

// firstWord is the leading word, as written: "Plan" in "Plan, organize …".
func firstWord(s string) string {
	end := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' && r != '\'' })
	if end < 0 {
		return s
	}
	return s[:end]
}

// lastWord is the last word in lower case, not counting a final
// parenthesis: "writers" in "Content writers (non-technical)".
func lastWord(s string) string {
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, "("); i > 0 {
			s = s[:i]
		}
	}
	last := ""
	eachWord(strings.ToLower(s), func(w string) { last = w })
	return last
}

// singular undoes the English plural well enough to find a title word:
// "managers" → "manager", "secretaries" → "secretary", "coaches" → "coach".
func singular(w string) string {
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "xes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && len(w) > 2:
		return w[:len(w)-1]
	}
	return w
}
