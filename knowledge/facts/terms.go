package facts

import (
	_ "embed"
	"iter"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/nocbot/nocbot/knowledge"
)

//go:embed terms.tsv
var termsTSV string

// maxTermsBytes bounds the term list; the shipped one is a few kilobytes.
const maxTermsBytes = 1 << 20

// termList is nocbot's bilingual term list: families of words that ask
// for the same thing.
type termList struct {
	families []family
	byStem   map[string]int // English stem → family
	zh       []zhForm       // every Chinese form, longest first
	// byFirst lists the Chinese forms by their first character, longest
	// first; framing the question words (zhFraming) the same way.
	byFirst map[rune][]string
	framing map[rune][]string
}

type family struct {
	en []string // stems
	zh []string
}

type zhForm struct {
	form   string
	family int
}

// parseTerms reads the term list: '#' comments, then rows of English
// forms and Chinese forms, each comma-separated, split by a tab.
func parseTerms(text string) (*termList, error) {
	t := &termList{byStem: map[string]int{}}
	err := knowledge.ReadTSV("terms.tsv", []byte(text), maxTermsBytes, 2, func(fields []string, line int) error {
		en, zh := fields[0], fields[1]
		f := family{}
		id := len(t.families)
		for _, w := range strings.Split(en, ",") {
			w = strings.ToLower(strings.TrimSpace(w))
			if w == "" {
				return &knowledge.ParseError{File: "terms.tsv", Line: line, Msg: "empty English form"}
			}
			s := Stem(w)
			f.en = append(f.en, s)
			if _, dup := t.byStem[s]; !dup {
				t.byStem[s] = id
			}
		}
		for _, w := range strings.Split(zh, ",") {
			w = strings.TrimSpace(w)
			if w == "" {
				return &knowledge.ParseError{File: "terms.tsv", Line: line, Msg: "empty Chinese form"}
			}
			f.zh = append(f.zh, w)
			t.zh = append(t.zh, zhForm{w, id})
		}
		t.families = append(t.families, f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Longest first, so 管理别人 is found before 管理.
	slices.SortStableFunc(t.zh, func(a, b zhForm) int { return len(b.form) - len(a.form) })
	t.byFirst = byFirstRune(func(yield func(string) bool) {
		for _, f := range t.zh {
			if !yield(f.form) {
				return
			}
		}
	})
	t.framing = byFirstRune(strings.FieldsSeq(zhFraming))
	return t, nil
}

// byFirstRune groups phrases by their first character, longest first,
// without repeats.
func byFirstRune(phrases iter.Seq[string]) map[rune][]string {
	m := map[rune][]string{}
	for p := range phrases {
		r, _ := utf8.DecodeRuneInString(p)
		if !slices.Contains(m[r], p) {
			m[r] = append(m[r], p)
		}
	}
	for _, list := range m {
		slices.SortStableFunc(list, func(a, b string) int { return len(b) - len(a) })
	}
	return m
}

// formAt is the longest Chinese form of the list s starts with.
func (t *termList) formAt(s string) (string, bool) {
	r, _ := utf8.DecodeRuneInString(s)
	for _, f := range t.byFirst[r] {
		if strings.HasPrefix(s, f) {
			return f, true
		}
	}
	return "", false
}

// framingAt is the length of the longest framing word s starts with, 0
// for none.
func (t *termList) framingAt(s string) int {
	r, _ := utf8.DecodeRuneInString(s)
	for _, f := range t.framing[r] {
		if strings.HasPrefix(s, f) {
			return len(f)
		}
	}
	return 0
}

// chineseTerm is the term a Chinese form of the list asks for: the form
// itself, the other forms of its families, their English words. A form
// in several families (大学: university, and the college FLYabroad
// translates as 大学) asks for any of them.
func (t *termList) chineseTerm(form string) Term {
	term := Term{Asked: form, zh: true, alts: []alt{{zh: form, literal: true}}}
	for _, g := range t.zh {
		if g.form != form {
			continue
		}
		fam := t.families[g.family]
		for _, z := range fam.zh {
			if z != form {
				term.alts = append(term.alts, alt{zh: z})
			}
		}
		for _, s := range fam.en {
			term.alts = append(term.alts, alt{stems: []string{s}})
		}
	}
	return term
}
