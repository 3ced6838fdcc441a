package bot

import (
	"cmp"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/nocbot/nocbot/knowledge"
)

// Suggestion is an occupation offered for what a user is typing: in
// Discord's autocomplete, in Telegram's inline results.
type Suggestion struct {
	Code  string         // the profile's code: what choosing it asks for
	Lang  knowledge.Lang // the language Title and Lead are in
	Title string         // the occupation's name in Lang (nocbot's own Chinese for NOC 2021)
	Lead  string         // its lead statement, in Lang where the profile has it, else English
	// TEER is the NOC 2021 TEER category when HasTEER.
	TEER    int
	HasTEER bool
}

// Label is the suggestion as a one-line choice, "31301 Registered nurses
// and registered psychiatric nurses", cut to at most max characters.
func (s Suggestion) Label(max int) string {
	return Clip(s.Code+" "+s.Title, max)
}

// Lookups cap what one query costs and returns, whatever the user types.
const (
	// maxQueryRunes bounds the part of a query a search reads: names of
	// occupations are short; the rest of a pasted paragraph is ignored.
	maxQueryRunes = 100
	// maxQueryTokens bounds the words of a query a search matches.
	maxQueryTokens = 8
	// MaxSuggestions bounds the suggestions one query gives, over all its
	// pages.
	MaxSuggestions = 200
)

// Finder ranks occupations for what a user is typing, from memory: the
// names, example titles and all titles of every profile, by word prefix
// ("weld", "reg nur"), NOC code prefix ("1211"), Chinese name or alias
// ("病历", "护士"), and, when those find nothing, the title index's
// typo-tolerant suggestions ("helth records"). It is built once and
// read-only afterwards, so safe for concurrent use.
type Finder struct {
	lib    *knowledge.Library
	groups []finderGroup
	byCode map[string]int32
	words  []string  // every English title word, sorted
	posts  [][]int32 // titles holding words[i]
	titles []finderTitle
	zh     []finderZH
	// scripts reads a query typed in Traditional characters as Simplified,
	// which the profiles are in, and words its suggestions back in
	// Traditional.
	scripts *converters
	// marks are findWords' per-title marks (*titleMarks), reused: a
	// search runs at every keystroke.
	marks sync.Pool
}

// titleMarks are, per title, the query words it holds as the start of one
// of its words, and those it holds whole; a bit per query word.
type titleMarks struct{ prefix, exact []uint8 }

// finderGroup is one occupation a search can offer.
type finderGroup struct {
	code          string
	title, lead   knowledge.Text
	teer          int
	hasTEER       bool
	flyabroadLead knowledge.Text // a FLYabroad counterpart's bilingual lead, for Chinese
}

type finderTitle struct {
	group int32
	kind  int8 // 3 the group's name, 2 an example title, 1 another title
	words int8 // how many words it has, capped
}

type finderZH struct {
	group int32
	kind  int8
	text  string
}

// Kinds of title, by how much a match on one says about the occupation.
const (
	kindOther   = 1
	kindExample = 2
	kindName    = 3
)

// NewFinder indexes the profiles of lib. A FLYabroad NOC 2011 profile
// whose occupation NOC 2021 continues whole (1252 → 12111) is found under
// the NOC 2021 code, with its titles and its Chinese text: one occupation
// is offered once, in the current classification.
func NewFinder(lib *knowledge.Library) *Finder { return newFinder(lib, newConverters()) }

func newFinder(lib *knowledge.Library, scripts *converters) *Finder {
	f := &Finder{lib: lib, byCode: map[string]int32{}, scripts: scripts}
	profiles := lib.Profiles()
	for i := range profiles {
		p := &profiles[i]
		if !p.IsNOC2021() {
			if c, ok := lib.Counterpart(p.Code); ok && c.IsNOC2021() {
				continue
			}
		}
		f.byCode[p.Code] = int32(len(f.groups))
		f.groups = append(f.groups, finderGroup{code: p.Code, title: p.Title, lead: p.Lead, teer: p.TEER, hasTEER: p.HasTEER})
	}
	wordIDs := map[string]int32{}
	var posts [][]int32
	add := func(g int32, kind int8, t knowledge.Text) {
		words := asciiWords(t.EN)
		if len(words) > 0 {
			id := int32(len(f.titles))
			f.titles = append(f.titles, finderTitle{group: g, kind: kind, words: int8(min(len(words), 127))})
			for _, w := range words {
				wid, ok := wordIDs[w]
				if !ok {
					wid = int32(len(posts))
					wordIDs[w] = wid
					posts = append(posts, nil)
				}
				if p := posts[wid]; len(p) == 0 || p[len(p)-1] != id {
					posts[wid] = append(p, id)
				}
			}
		}
		if zh := strings.ToLower(strings.TrimSpace(t.ZH)); zh != "" && knowledge.HasHan(zh) {
			f.zh = append(f.zh, finderZH{group: g, kind: kind, text: zh})
		}
	}
	for i := range profiles {
		p := &profiles[i]
		g, ok := f.byCode[p.Code]
		if !ok {
			c, _ := lib.Counterpart(p.Code)
			g = f.byCode[c.Code]
			if gr := &f.groups[g]; p.Lead.Has(knowledge.ZH) {
				gr.flyabroadLead = p.Lead
			}
		}
		add(g, kindName, p.Title)
		for _, t := range p.ExampleTitles {
			add(g, kindExample, t)
		}
		for _, t := range p.AllTitles {
			add(g, kindOther, t)
		}
		for _, t := range p.Aliases {
			add(g, kindExample, t)
		}
	}
	f.words = make([]string, 0, len(wordIDs))
	for w := range wordIDs {
		f.words = append(f.words, w)
	}
	sort.Strings(f.words)
	f.posts = make([][]int32, len(f.words))
	for i, w := range f.words {
		f.posts[i] = posts[wordIDs[w]]
	}
	f.marks.New = func() any {
		return &titleMarks{prefix: make([]uint8, len(f.titles)), exact: make([]uint8, len(f.titles))}
	}
	return f
}

// SearchLang is the language suggestions for query are worded in: Chinese
// for a query in Chinese characters or a user whose platform is set to
// Chinese (userLang "zh-CN", "zh-hans", "zh-TW"), else English.
func SearchLang(query, userLang string) knowledge.Lang {
	if knowledge.HasHan(query) {
		return knowledge.ZH
	}
	if l, ok := knowledge.ParseLang(userLang); ok {
		return l
	}
	return knowledge.EN
}

// Find returns the occupations query names, best first, worded in lang: at
// most MaxSuggestions, none for a query with nothing to search by (empty,
// only punctuation). Chinese typed in Traditional characters finds what
// it does in Simplified, and its Chinese suggestions are worded in
// Traditional. Any input is accepted.
func (f *Finder) Find(query string, lang knowledge.Lang) []Suggestion {
	q, sc := f.read(NormalizeQuery(query))
	words, digits, han := queryTokens(q)
	score := make([]int32, len(f.groups)) // best title score per group, 0: no match
	shortest := make([]int8, len(f.groups))
	found := false
	switch {
	case len(han) > 0:
		found = f.findChinese(han, score, shortest)
	case len(words) > 0:
		found = f.findWords(words, score, shortest)
	case len(digits) > 0:
		found = f.findCode(digits[0], score)
	}
	if len(digits) > 0 && found && (len(words) > 0 || len(han) > 0) {
		// Words and a code: the occupations both name.
		for g := range f.groups {
			if !strings.HasPrefix(f.groups[g].code, digits[0]) {
				score[g] = 0
			}
		}
	}
	if !slices.ContainsFunc(score, func(s int32) bool { return s > 0 }) && len(words) > 0 {
		// Nothing by prefix: perhaps a typo the title index forgives. The
		// titles it finds whole come first, then those sharing a word.
		ms := append(f.lib.LookupTitle(q), f.lib.SuggestTitles(q, MaxSuggestions)...)
		for i, m := range ms[:min(len(ms), MaxSuggestions)] {
			if g, ok := f.groupOf(m.Code); ok && score[g] == 0 && !m.Elsewhere() {
				score[g] = int32(MaxSuggestions - i)
			}
		}
	}
	order := make([]int32, 0, 64)
	for g, s := range score {
		if s > 0 {
			order = append(order, int32(g))
		}
	}
	slices.SortFunc(order, func(a, b int32) int {
		return cmp.Or(cmp.Compare(score[b], score[a]), cmp.Compare(shortest[a], shortest[b]),
			strings.Compare(f.groups[a].code, f.groups[b].code))
	})
	order = order[:min(len(order), MaxSuggestions)]
	out := make([]Suggestion, len(order))
	for i, g := range order {
		out[i] = f.suggestion(g, lang, sc)
	}
	return out
}

// read is a normalised query as the index reads it, in Simplified, and the
// script its Chinese suggestions are worded in: Traditional when it was
// typed so.
func (f *Finder) read(q string) (string, script) {
	if !knowledge.HasHan(q) {
		return q, simplified
	}
	if s := f.scripts.t2s.Simplified(q); s != q {
		return s, traditional
	}
	return q, simplified
}

// Named returns the occupations a question names by a whole job title
// ("what do welders do" names 72106), best first, worded in lang: none
// when it names none, however many words it shares with titles.
func (f *Finder) Named(text string, lang knowledge.Lang) []Suggestion {
	var out []Suggestion
	seen := map[int32]bool{}
	q, sc := f.read(NormalizeQuery(text))
	for _, m := range f.lib.LookupTitle(q) {
		if g, ok := f.groupOf(m.Code); ok && !seen[g] && len(out) < MaxSuggestions {
			seen[g] = true
			out = append(out, f.suggestion(g, lang, sc))
		}
	}
	return out
}

func (f *Finder) groupOf(code string) (int32, bool) {
	if g, ok := f.byCode[code]; ok {
		return g, true
	}
	if c, ok := f.lib.Counterpart(code); ok {
		g, ok := f.byCode[c.Code]
		return g, ok
	}
	return 0, false
}

// suggestion is group g worded in lang, its Chinese in sc.
func (f *Finder) suggestion(g int32, lang knowledge.Lang, sc script) Suggestion {
	gr := &f.groups[g]
	s := Suggestion{Code: gr.code, Lang: lang, Title: oneLineText(gr.title.In(lang)), TEER: gr.teer, HasTEER: gr.hasTEER}
	lead := gr.lead
	if lang == knowledge.ZH && !lead.Has(knowledge.ZH) && gr.flyabroadLead.Has(knowledge.ZH) {
		lead = gr.flyabroadLead
	}
	s.Lead = oneLineText(lead.In(lang))
	if lang == knowledge.ZH && sc.isTraditional() {
		s.Title = f.scripts.convertReply(s.Title, sc)
		s.Lead = f.scripts.convertReply(s.Lead, sc)
	}
	return s
}

// findWords scores the titles holding every word of the query as the
// start of one of theirs: an exact word counts most, then the kind of
// title; a group takes its best title's score.
func (f *Finder) findWords(words []string, score []int32, shortest []int8) bool {
	m := f.marks.Get().(*titleMarks)
	defer func() {
		clear(m.prefix)
		clear(m.exact)
		f.marks.Put(m)
	}()
	mask, exact := m.prefix, m.exact
	var cands []int32
	mark := func(i, k int, isExact bool) {
		for _, t := range f.posts[k] {
			if i == 0 && mask[t] == 0 {
				cands = append(cands, t)
			}
			mask[t] |= 1 << i
			if isExact {
				exact[t] |= 1 << i
			}
		}
	}
	for i, w := range words {
		lo := sort.SearchStrings(f.words, w)
		k := lo
		for ; k < len(f.words) && strings.HasPrefix(f.words[k], w); k++ {
			mark(i, k, f.words[k] == w)
		}
		if k == lo && len(w) >= minTypoLen {
			// No title word starts so: a word one typo away ("helth").
			for k, tw := range f.words {
				if len(tw) >= len(w)-1 && len(tw) <= len(w)+1 && knowledge.WithinOneEdit(w, tw) {
					mark(i, k, false)
				}
			}
		}
	}
	full := uint8(1<<len(words) - 1)
	found := false
	for _, t := range cands {
		if mask[t] != full {
			continue
		}
		ti := &f.titles[t]
		s := int32(4*bits.OnesCount8(exact[t])) + int32(ti.kind)
		if s > score[ti.group] || (s == score[ti.group] && ti.words < shortest[ti.group]) {
			score[ti.group], shortest[ti.group] = s, ti.words
		}
		found = true
	}
	return found
}

// findChinese scores the Chinese names, aliases and titles holding every
// run of Chinese characters of the query; the whole name counts most.
func (f *Finder) findChinese(han []string, score []int32, shortest []int8) bool {
	found := false
	for _, z := range f.zh {
		ok := true
		for _, h := range han {
			if !strings.Contains(z.text, h) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		s := int32(z.kind)
		if len(han) == 1 && z.text == han[0] {
			s += 4
		}
		n := int8(min(utf8.RuneCountInString(z.text), 127))
		if s > score[z.group] || (s == score[z.group] && n < shortest[z.group]) {
			score[z.group], shortest[z.group] = s, n
		}
		found = true
	}
	return found
}

// findCode offers the occupations whose code starts with the digits, and
// for a whole NOC 2011/2016 code the NOC 2021 groups it became.
func (f *Finder) findCode(digits string, score []int32) bool {
	found := false
	for g := range f.groups {
		if strings.HasPrefix(f.groups[g].code, digits) {
			score[g] = 2
			found = true
		}
	}
	if len(digits) == 4 {
		for _, p := range f.lib.Current(digits) {
			if g, ok := f.byCode[p.Code]; ok && score[g] == 0 {
				score[g] = 1
				found = true
			}
		}
	}
	return found
}

// NormalizeQuery is what a search reads of a query: valid UTF-8, at most
// maxQueryRunes characters, lower case, full-width letters and digits as
// ASCII, every run of anything but letters and digits one space, trimmed.
// It is idempotent.
func NormalizeQuery(s string) string {
	var b strings.Builder
	n := 0
	space := false
	for _, r := range s {
		if n >= maxQueryRunes {
			break
		}
		n++
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII
			r -= 0xFEE0
		}
		r = unicode.ToLower(r)
		if r == utf8.RuneError || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// queryTokens splits a normalised query into its English words (ASCII
// letters, possibly with digits), its codes (ASCII digits) and its runs of
// Chinese characters, at most maxQueryTokens in all; other scripts are
// not searched.
func queryTokens(q string) (words, digits, han []string) {
	n := 0
	for _, field := range strings.Fields(q) {
		for len(field) > 0 && n < maxQueryTokens {
			r, _ := utf8.DecodeRuneInString(field)
			end := strings.IndexFunc(field, func(c rune) bool { return isHanRune(c) != isHanRune(r) || (c >= 0x80) != (r >= 0x80) })
			if end < 0 {
				end = len(field)
			}
			tok := field[:end]
			field = field[end:]
			switch {
			case isHanRune(r):
				han = append(han, tok)
			case r >= 0x80: // another script: nothing to search by
				continue
			case isDigits(tok):
				digits = append(digits, tok)
			default:
				words = append(words, tok)
			}
			n++
		}
	}
	return words, digits, han
}

// asciiWords are the lower-case ASCII words and numbers of a title.
// minTypoLen: shorter words are too often another word one typo away.
const minTypoLen = 5

func asciiWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	})
}

func isHanRune(r rune) bool { return unicode.Is(unicode.Han, r) }

// oneLineText folds a text's white space into single spaces.
func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

// Clip cuts s to at most max characters, ending with "…" when cut.
func Clip(s string, max int) string {
	if max <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimRightFunc(string(r[:max-1]), unicode.IsSpace) + "…"
}
