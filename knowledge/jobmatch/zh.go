package jobmatch

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nocbot/nocbot/knowledge"
)

// The files of nocbot's own duty word lists, as shipped in seeds/noc2021:
// Chinese words (TermsFileZH) and everyday English words, tools and
// jargon (TermsFileEN), each with the words NOC 2021 says them with.
const (
	TermsFileZH = "duties.zh.tsv"
	TermsFileEN = "duties.en.tsv"
	// EverydayFile is nocbot's own everyday words for each unit group:
	// the titles people use for the job, the tasks, tools, software and
	// settings they name ("grade 10 math teacher", "QuickBooks", "service
	// rig"), which the official text never says; EverydayFileZH the
	// Chinese words people use (病案编码员, 全盘账, 叉车).
	EverydayFile   = "everyday.en.tsv"
	EverydayFileZH = "everyday.zh.tsv"
)

// TermsFiles lists them.
func TermsFiles() []string {
	return []string{TermsFileZH, TermsFileEN, EverydayFile, EverydayFileZH}
}

// zhTermPrefix marks an index term that is a Chinese word of a group's
// everyday words, matched as written rather than through English stems.
const zhTermPrefix = "zh:"

// maxTermsFileSize bounds the term list; the shipped one is a few
// kilobytes.
const maxTermsFileSize = 1 << 20

// Term is one line of a term list: a word people write for a duty, tool
// or workplace — Chinese (编码, 焊接) or everyday English ("forklift",
// "help desk") — and the English words NOC 2021 says it with ("code
// classify", "weld", "lift truck").
type Term struct {
	Word string
	EN   string
	// Code is set for a unit group's everyday words (EverydayFile): the
	// group they are said of; EN is then empty.
	Code string
	Line int
}

// ParseTerms reads a term list (word<TAB>english words; "#" starts a
// comment line). A word is Chinese, or lower-case English of letters,
// digits, spaces and "+#-./". Errors name file:line.
func ParseTerms(file string, data []byte) ([]Term, error) {
	var out []Term
	seen := map[string]int{}
	err := knowledge.ReadTSV(file, data, maxTermsFileSize, 0, func(f []string, ln int) error {
		if len(f) != 2 {
			return &knowledge.ParseError{File: file, Line: ln, Msg: "want two tab-separated fields: a word, its English words"}
		}
		word, en := f[0], f[1]
		if word == "" || strings.TrimSpace(word) != word || (!knowledge.HasHan(word) && !isEnglishKey(word)) {
			return &knowledge.ParseError{File: file, Line: ln, Msg: fmt.Sprintf("%q is neither Chinese nor lower-case English words", truncate(word, 20))}
		}
		if strings.TrimSpace(en) == "" || knowledge.HasHan(en) {
			return &knowledge.ParseError{File: file, Line: ln, Msg: fmt.Sprintf("%q is not English words", truncate(en, 40))}
		}
		if prev, dup := seen[word]; dup {
			return &knowledge.ParseError{File: file, Line: ln, Msg: fmt.Sprintf("%q is already given at line %d", word, prev)}
		}
		seen[word] = ln
		out = append(out, Term{Word: word, EN: strings.TrimSpace(en), Line: ln})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// maxEverydayPhrases bounds the phrases one unit group's line may give.
const maxEverydayPhrases = 100

// ParseEveryday reads a list of everyday words by unit group
// (code<TAB>phrase | phrase | …; "#" starts a comment line): each phrase
// is English words, or one Chinese word of Han characters only. Errors
// name file:line.
func ParseEveryday(file string, data []byte) ([]Term, error) {
	var out []Term
	seen := map[string]int{}
	err := knowledge.ReadTSV(file, data, maxTermsFileSize, 0, func(f []string, ln int) error {
		if len(f) != 2 {
			return &knowledge.ParseError{File: file, Line: ln, Msg: "want two tab-separated fields: a unit group code, its phrases separated by |"}
		}
		code, list := f[0], f[1]
		if len(code) != 5 || !allDigits(code) {
			return &knowledge.ParseError{File: file, Line: ln, Msg: fmt.Sprintf("%q is not a 5-digit unit group code", truncate(code, 20))}
		}
		if prev, dup := seen[code]; dup {
			return &knowledge.ParseError{File: file, Line: ln, Msg: fmt.Sprintf("%s is already given at line %d", code, prev)}
		}
		seen[code] = ln
		phrases := strings.Split(list, "|")
		if len(phrases) > maxEverydayPhrases {
			return &knowledge.ParseError{File: file, Line: ln, Msg: fmt.Sprintf("%d phrases, over the limit of %d", len(phrases), maxEverydayPhrases)}
		}
		for _, ph := range phrases {
			ph = strings.TrimSpace(ph)
			if knowledge.HasHan(ph) {
				if !allHan(ph) {
					return &knowledge.ParseError{File: file, Line: ln, Msg: fmt.Sprintf("%q is not one Chinese word", truncate(ph, 40))}
				}
			} else if len(words(ph, nil)) == 0 {
				return &knowledge.ParseError{File: file, Line: ln, Msg: fmt.Sprintf("%q is not English words", truncate(ph, 40))}
			}
			out = append(out, Term{Word: ph, Code: code, Line: ln})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// isEnglishKey reports whether s is lower-case English words as the
// matcher reads them: letters, digits, single spaces and "+#-./".
func isEnglishKey(s string) bool {
	if strings.Contains(s, "  ") {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', strings.ContainsRune(" +#-./", r):
		default:
			return false
		}
	}
	return strings.ContainsFunc(s, func(r rune) bool { return r >= 'a' && r <= 'z' })
}

// allHan reports whether s is Han characters only.
func allHan(s string) bool {
	for _, r := range s {
		if !isHan(r) {
			return false
		}
	}
	return s != ""
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// lexicon reads Chinese duty phrases: the longest word of the term list
// or of the Chinese occupation names at each point of a run of Chinese
// characters. A term gives English stems; a name or alias gives the unit
// group it names. It also holds the everyday English words of the term
// list (keyed by their words joined with one space), read in English
// phrases.
type lexicon struct {
	words  map[string]zhWord
	maxLen int // in runes
	en     map[string][]string
	enMax  int // in words
}

type zhWord struct {
	stems []string
	codes []string // unit groups named
}

func newLexicon(terms []Term, profiles []knowledge.Profile) *lexicon {
	c := &lexicon{words: map[string]zhWord{}, en: map[string][]string{}}
	add := func(zh string, f func(*zhWord)) {
		w := c.words[zh]
		f(&w)
		c.words[zh] = w
		c.maxLen = max(c.maxLen, utf8.RuneCountInString(zh))
	}
	var everydayZH []string
	for _, t := range terms {
		if t.Code != "" {
			// A unit group's everyday words are a field of the index of
			// their own; a Chinese one is also a word to read.
			if knowledge.HasHan(t.Word) {
				everydayZH = append(everydayZH, t.Word)
			}
			continue
		}
		var stems []string
		for _, w := range words(t.EN, nil) {
			if !stopwords[w] {
				stems = append(stems, stem(w))
			}
		}
		if !knowledge.HasHan(t.Word) {
			key := words(t.Word, nil)
			c.en[strings.Join(key, " ")] = stems
			c.enMax = max(c.enMax, len(key))
			continue
		}
		add(t.Word, func(w *zhWord) { w.stems = append(w.stems, stems...) })
	}
	for _, p := range profiles {
		names := []string{p.Title.ZH}
		for _, a := range p.Aliases {
			names = append(names, a.ZH)
		}
		for _, n := range names {
			if n == "" || utf8.RuneCountInString(n) < 2 {
				continue
			}
			add(n, func(w *zhWord) { w.codes = append(w.codes, p.Code) })
		}
	}
	// An everyday Chinese word stands for itself, and for what its parts
	// already say: read whole, 出院小结 must not lose 出院's "discharge".
	// Parts are read before any everyday word is added, so one does not
	// stand for another.
	parts := make([]phrase, len(everydayZH))
	for i, word := range everydayZH {
		if _, known := c.words[word]; !known {
			c.read(word, &parts[i], nil)
		}
	}
	for i, word := range everydayZH {
		ph := parts[i]
		add(word, func(w *zhWord) {
			for _, k := range append(ph.Terms, zhTermPrefix+word) {
				if !slices.Contains(w.stems, k) {
					w.stems = append(w.stems, k)
				}
			}
			for _, code := range ph.Titles {
				if !slices.Contains(w.codes, code) {
					w.codes = append(w.codes, code)
				}
			}
		})
	}
	return c
}

// read appends the stems and named groups of a phrase: Chinese runs are
// read word by word, longest first; Latin words as English.
func (c *lexicon) read(s string, ph *phrase, scratch []string) []string {
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if !isHan(rs[i]) {
			j := i
			for j < len(rs) && !isHan(rs[j]) {
				j++
			}
			scratch = c.readEnglish(string(rs[i:j]), ph, scratch)
			i = j
			continue
		}
		n := min(c.maxLen, len(rs)-i)
		found := false
		for ; n >= 1; n-- {
			if n > 1 && !unicode.Is(unicode.Han, rs[i+n-1]) {
				continue
			}
			w, ok := c.words[string(rs[i:i+n])]
			if !ok {
				continue
			}
			ph.Terms = append(ph.Terms, w.stems...)
			ph.Plain = append(ph.Plain, w.stems...)
			ph.Titles = append(ph.Titles, w.codes...)
			i += n
			found = true
			break
		}
		if !found {
			i++
		}
	}
	return scratch
}

// isChinese reports whether a description is written in Chinese: more
// Chinese characters than Latin letters.
func isChinese(s string) bool {
	han, latin := 0, 0
	for _, r := range s {
		switch {
		case isHan(r):
			han++
		case r < utf8.RuneSelf && unicode.IsLetter(r):
			latin++
		}
	}
	return han > 0 && han*3 >= latin
}

// readEnglish appends the stems of an English phrase, and after each word
// or run of words of the term list (longest first) the stems it stands
// for.
func (c *lexicon) readEnglish(s string, ph *phrase, scratch []string) []string {
	scratch = words(s, scratch[:0])
	covered := 0 // words up to here are inside a term found already
	for i, w := range scratch {
		if !stopwords[w] {
			ph.Terms = append(ph.Terms, stem(w))
			ph.Seq = append(ph.Seq, stem(w))
			ph.Raw = append(ph.Raw, w)
			ph.Who = append(ph.Who, whoIs(scratch[:i]))
			ph.Plain = append(ph.Plain, stem(w))
		}
		if i < covered {
			continue
		}
		for n := min(c.enMax, len(scratch)-i); n >= 1; n-- {
			if stems, ok := c.en[joinWords(scratch[i:i+n])]; ok {
				ph.Terms = append(ph.Terms, stems...)
				covered = i + n
				break
			}
		}
	}
	return scratch
}

// Who a job title names, told by the words before it.
const (
	whoOther   int8 = -1 // someone the person works with or for
	whoUnknown int8 = 0
	whoSelf    int8 = 1 // the person
)

// whoIs tells from the words before a job title whether it names the
// person ("I am a line cook", "work as an editor") or someone they work
// with or for ("my editor", "assist the cook", "supervise cooks", "refer
// them to physicians").
func whoIs(before []string) int8 {
	for k := len(before) - 1; k >= 0 && k >= len(before)-3; k-- {
		w := before[k]
		switch {
		case otherDeterminers[w] || otherVerbs[stem(w)]:
			return whoOther
		case w == "am" || w == "as" || w == "im" || (w == "m" && k > 0 && before[k-1] == "i"):
			return whoSelf
		case w != "the" && w != "other" && w != "all" && w != "and" && w != "a" && w != "an":
			return whoUnknown
		}
	}
	return whoUnknown
}

var otherDeterminers = map[string]bool{"my": true, "our": true, "their": true, "his": true, "her": true, "with": true,
	"to": true, "for": true, "from": true, "by": true}

var otherVerbs = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"supervise", "manage", "train", "assist", "help", "support", "direct", "hire", "schedule", "lead", "coordinate", "oversee", "refer", "mentor"} {
		m[stem(w)] = true
	}
	return m
}()

func joinWords(ws []string) string {
	if len(ws) == 1 {
		return ws[0]
	}
	return strings.Join(ws, " ")
}
