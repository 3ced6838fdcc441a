package knowledge

import (
	"bytes"
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/nocbot/nocbot/internal/radix"
	"github.com/nocbot/nocbot/internal/strset"
)

// TitleKind says which part of a profile a title comes from.
type TitleKind uint8

// Title kinds. Lookups prefer, when scores tie, a profile's own titles
// (All titles, Example Titles, the group's name, an alias, in that order)
// to a mention elsewhere.
const (
	KindTitle     TitleKind = iota // All titles
	KindExample                    // Example Titles
	KindGroup                      // the unit group's own name
	KindElsewhere                  // Classified elsewhere: belongs to another group
	KindAlias                      // an everyday Chinese word nocbot takes for the group (Profile.Aliases)
)

// preference orders kinds for ranking: own titles before mentions
// elsewhere.
func (k TitleKind) preference() int {
	switch k {
	case KindAlias:
		return int(KindElsewhere)
	case KindElsewhere:
		return int(KindAlias)
	}
	return int(k)
}

// TitleMatch is a job title found for a query.
type TitleMatch struct {
	Code   string // unit group the title belongs to
	Listed string // profile that lists it; differs from Code for classified-elsewhere titles
	Title  Text
	Kind   TitleKind
	Score  float64 // weighted share of the title's words (or Chinese bigrams) the query holds, 0..1
	// Weight is how much of the query the title accounts for: the summed
	// weights of the title's words the query holds. Of two titles the
	// query holds in full, the one with more (or rarer) words weighs more.
	Weight float64
	// Fuzzy is set when a word of the title was matched through an
	// abbreviation or a typo ("tech", "helth"), not as the title spells
	// it: the caller may want to confirm before answering.
	Fuzzy bool
}

// Elsewhere reports whether the title is only mentioned by a profile as
// classified in another unit group.
func (m TitleMatch) Elsewhere() bool { return m.Kind == KindElsewhere }

// TopMatches returns the leading matches of a Lookup result that are as
// good as the first one (same weight and score, both exact or both
// fuzzy), one per unit group: several when the query is a title that
// several groups list, so the caller can offer the choice.
func TopMatches(ms []TitleMatch) []TitleMatch {
	if len(ms) == 0 {
		return nil
	}
	out := []TitleMatch{ms[0]}
	for _, m := range ms[1:] {
		if m.Weight != ms[0].Weight || m.Score != ms[0].Score || m.Fuzzy != ms[0].Fuzzy {
			break
		}
		if !slices.ContainsFunc(out, func(o TitleMatch) bool { return o.Code == m.Code }) {
			out = append(out, m)
		}
	}
	return out
}

// Match quality of one title word, by how the query spelled it.
const (
	qualityExact  = 1.0
	qualityPrefix = 0.9  // "tech" for "technician"
	qualityFuzzy  = 0.85 // one edit away: "helth" for "health"
	// minTitleScore is the weighted share of a title a query must hold to
	// match it: every word of a title, with at most a typo or an
	// abbreviation, or all but words that many titles share (technician,
	// supervisor).
	minTitleScore = 0.75
	minPrefixLen  = 3
	// minPrefixRest: a prefix stands for a longer word only when it is an
	// abbreviation ("tech", "admin"), not the word itself with a suffix
	// ("code" is not "coder", "teach" is not "teacher").
	minPrefixRest = 3
	// maxPrefixWords: a prefix shared by more title words than this is
	// too unspecific to be an abbreviation.
	maxPrefixWords = 24
	// minFuzzyLen: shorter words are too often another real word one
	// edit away ("code" and "core", "cope", "cod").
	minFuzzyLen = 5
	// maxTitleTerms bounds the words (or bigrams) indexed per title;
	// titles are short, this keeps a pathological one from costing more.
	maxTitleTerms = 64
	// maxSuggestScan bounds how many titles Suggest reads for one word
	// that very many titles share, when the query has no rarer one.
	maxSuggestScan = 1024
)

// maxLookupBytes bounds the text a lookup reads; titles are found in
// questions, not in documents.
const maxLookupBytes = 4096

type titleEntry struct {
	TitleMatch
	natural bool // not in the index form "technician, medical records"
	current bool // a NOC 2021 code (five digits)
}

// entry is one language of a title: its English words or its Chinese
// bigrams, each a term, rarest first.
type entry struct {
	title  int32
	zh     bool
	off    int32 // terms are ix.entTerms[off:off+n]
	n      int32
	weight float32 // sum of the terms' weights
}

// delKey is one title word, or that word less one letter, for finding
// typos (symmetric delete): a typo and the word share such a key.
type delKey struct {
	hash uint32 // a collision only costs a comparison
	term int32
}

// TitleIndex finds job titles in free text, in English or Chinese, tolerant
// of plurals, abbreviations and single typos in English words.
//
// Every title is a set of terms (English word stems or Chinese character
// bigrams), each weighted by how rare it is among titles (inverse document
// frequency: "technician", "supervisor", 技术人员's bigrams weigh little).
// A title matches when the query holds minTitleScore of its weight. A
// title is indexed only under its rarest terms, as many as it takes to
// hold more than 1-minTitleScore of its weight (prefix filtering): a title
// none of whose rarest terms is in the query cannot reach the threshold.
// So a lookup reads only the titles that can match, however many titles
// share a common word, and scores them in scratch arrays reused across
// queries.
//
// It is built once from the profiles and read-only afterwards, so safe for
// concurrent use.
type TitleIndex struct {
	titles   []titleEntry
	entries  []entry
	entTerms []int32
	vocab    *strset.Set // term -> id
	terms    []string    // id -> term
	weight   []float32   // id -> weight
	// sig: term -> the entries it is among the rarest terms of;
	// all: term -> every entry that has it (for Suggest).
	sigOff, sigPost []int32
	allOff, allPost []int32
	english         []int32  // ids of the English terms, by term, for prefixes
	dels            []delKey // by hash
	delIndex        radix.Index
	scratch         sync.Pool
}

// scratch is one query's working memory, reused through a pool. Stamps
// say which query last wrote a slot, so nothing is cleared between
// queries.
type scratch struct {
	stamp     uint32
	termStamp []uint32
	termQ     []float32
	touched   []int32 // terms the query matched
	entStamp  []uint32
	cands     []int32
	titleSeen []uint32
	titleAt   []int32
	hits      []hit
	norm      []byte
	bigrams   []string
}

type hit struct {
	title  int32
	score  float32
	weight float32 // summed weights of the terms the query holds
	fuzzy  bool
}

func (s *scratch) next() {
	s.stamp++
	if s.stamp == 0 { // wrapped: forget every stamp
		clear(s.termStamp)
		clear(s.entStamp)
		clear(s.titleSeen)
		s.stamp = 1
	}
	s.touched, s.cands, s.hits = s.touched[:0], s.cands[:0], s.hits[:0]
}

// NewTitleIndex indexes every title of the profiles: the unit group names
// (with nocbot's Chinese names), example titles, all titles, the
// classified-elsewhere titles that name a unit group, and the Chinese
// aliases.
func NewTitleIndex(profiles []Profile) *TitleIndex {
	n := 0
	for i := range profiles {
		p := &profiles[i]
		n += 1 + len(p.AllTitles) + len(p.ExampleTitles) + len(p.Elsewhere) + len(p.Aliases)
	}
	ix := &TitleIndex{
		titles:  make([]titleEntry, 0, n),
		entries: make([]entry, 0, n+n/8),
	}
	// Titles seen, by a hash of code, lower-case English and Chinese; a
	// hash shared by two different titles only keeps both.
	seen := make(map[uint64]int32, n)
	same := func(a, b *TitleMatch) bool {
		return a.Code == b.Code && strings.EqualFold(a.Title.EN, b.Title.EN) && a.Title.ZH == b.Title.ZH
	}
	var norm, core []byte
	var bigrams []string
	var df []int32
	var entry1 entryBuilder
	entry1.ix, entry1.df, entry1.ids = ix, &df, make(map[string]int32, n/2)
	add := func(m TitleMatch) {
		key := titleHash(m.Code, m.Title.EN, m.Title.ZH)
		if at, ok := seen[key]; ok && same(&ix.titles[at].TitleMatch, &m) {
			return
		}
		if m.Kind == KindElsewhere {
			// A mention elsewhere of a title its own group lists adds
			// nothing.
			if at, ok := seen[titleHash(m.Code, m.Title.EN, "")]; ok && ix.titles[at].Code == m.Code && strings.EqualFold(ix.titles[at].Title.EN, m.Title.EN) {
				return
			}
		}
		id := int32(len(ix.titles))
		seen[key] = id
		if m.Kind != KindElsewhere && m.Title.ZH != "" {
			seen[titleHash(m.Code, m.Title.EN, "")] = id
		}
		ix.titles = append(ix.titles, titleEntry{TitleMatch: m, natural: !inverted(m.Title.EN), current: len(m.Code) == 5})
		norm = normalizeWords(norm[:0], m.Title.EN)
		entry1.start()
		for w := range wordsOf(norm) {
			entry1.term(w)
		}
		entry1.finish(id, false)
		// "registered nurse - call centre", "zipper machine tender
		// (except plastic products)": the title without its qualifier is
		// found too.
		if c := titleCore(m.Title.EN); c != m.Title.EN {
			if core = normalizeWords(core[:0], c); len(core) > 0 && string(core) != string(norm) {
				entry1.start()
				for w := range wordsOf(core) {
					entry1.term(w)
				}
				entry1.finish(id, false)
			}
		}
		bigrams = chineseBigrams(m.Title.ZH, bigrams[:0])
		entry1.start()
		for _, bg := range bigrams {
			entry1.term([]byte(bg))
		}
		entry1.finish(id, true)
	}
	for i := range profiles {
		p := &profiles[i]
		add(TitleMatch{Code: p.Code, Listed: p.Code, Title: p.Title, Kind: KindGroup})
		for _, t := range p.AllTitles {
			add(TitleMatch{Code: p.Code, Listed: p.Code, Title: t, Kind: KindTitle})
		}
		for _, t := range p.ExampleTitles {
			add(TitleMatch{Code: p.Code, Listed: p.Code, Title: t, Kind: KindExample})
		}
		for _, t := range p.Aliases {
			add(TitleMatch{Code: p.Code, Listed: p.Code, Title: t, Kind: KindAlias})
		}
	}
	// After every group's own titles, so that a mention of one of them
	// is recognised as such.
	for i := range profiles {
		p := &profiles[i]
		for _, r := range p.Elsewhere {
			// A minor group is not an occupation to answer about; its
			// unit groups' own titles find it.
			if r.Level != MinorGroup {
				add(TitleMatch{Code: r.Code, Listed: p.Code, Title: r.Title, Kind: KindElsewhere})
			}
		}
	}
	ix.vocab = strset.New(ix.terms)
	// Independent of each other: the typo table is built on another core.
	done := make(chan struct{})
	go func() {
		defer close(done)
		ix.buildTypos()
	}()
	ix.weigh(df)
	<-done
	return ix
}

// titleHash is the FNV-1a hash of a title's code, lower-case English and
// Chinese.
func titleHash(code, en, zh string) uint64 {
	h := uint64(14695981039346656037)
	for _, s := range [...]string{code, en, zh} {
		for i := range len(s) {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			h ^= uint64(c)
			h *= 1099511628211
		}
		h ^= 0xff // separator: no byte of UTF-8 text
		h *= 1099511628211
	}
	return h
}

// entryBuilder adds one entry's terms to the index.
type entryBuilder struct {
	ix  *TitleIndex
	df  *[]int32
	ids map[string]int32 // term -> id, while building
	off int32
}

func (b *entryBuilder) start() { b.off = int32(len(b.ix.entTerms)) }

func (b *entryBuilder) term(t []byte) {
	ix := b.ix
	id, ok := b.ids[string(t)]
	if !ok {
		id = int32(len(ix.terms))
		s := string(t)
		b.ids[s] = id
		ix.terms = append(ix.terms, s)
		*b.df = append(*b.df, 0)
	}
	if !slices.Contains(ix.entTerms[b.off:], id) && len(ix.entTerms)-int(b.off) < maxTitleTerms {
		ix.entTerms = append(ix.entTerms, id)
		(*b.df)[id]++
	}
}

func (b *entryBuilder) finish(title int32, zh bool) {
	if k := int32(len(b.ix.entTerms)) - b.off; k > 0 {
		b.ix.entries = append(b.ix.entries, entry{title: title, zh: zh, off: b.off, n: k})
	}
}

// wordsOf yields the space-separated words of normalizeWords' output.
func wordsOf(norm []byte) func(func([]byte) bool) {
	return func(yield func([]byte) bool) {
		for len(norm) > 0 {
			i := bytes.IndexByte(norm, ' ')
			if i < 0 {
				i = len(norm)
			}
			if i > 0 && !yield(norm[:i]) {
				return
			}
			norm = norm[min(i+1, len(norm)):]
		}
	}
}

// weigh gives every term its weight, orders each entry's terms rarest
// first and builds the posting lists.
func (ix *TitleIndex) weigh(df []int32) {
	total := float64(len(ix.entries))
	ix.weight = make([]float32, len(ix.terms))
	for id, n := range df {
		ix.weight[id] = termWeight(total, n)
	}
	sigCount := make([]int32, len(ix.terms)+1)
	allCount := make([]int32, len(ix.terms)+1)
	sigLen := make([]int32, len(ix.entries))
	for e := range ix.entries {
		en := &ix.entries[e]
		terms := ix.entTerms[en.off : en.off+en.n]
		slices.SortFunc(terms, func(a, b int32) int {
			return cmp.Or(cmp.Compare(ix.weight[b], ix.weight[a]), cmp.Compare(a, b))
		})
		for _, t := range terms {
			en.weight += ix.weight[t]
		}
		// The rarest terms holding more than 1-minTitleScore of the
		// weight, with a margin for rounding.
		need, held := (1-minTitleScore)*float64(en.weight)*1.001, 0.0
		for _, t := range terms {
			sigLen[e]++
			sigCount[t+1]++
			held += float64(ix.weight[t])
			if held > need {
				break
			}
		}
		for _, t := range terms {
			allCount[t+1]++
		}
	}
	ix.sigOff, ix.allOff = postings(sigCount), postings(allCount)
	ix.sigPost = make([]int32, ix.sigOff[len(ix.terms)])
	ix.allPost = make([]int32, ix.allOff[len(ix.terms)])
	sigFill := slices.Clone(ix.sigOff[:len(ix.terms)])
	allFill := slices.Clone(ix.allOff[:len(ix.terms)])
	for e := range ix.entries {
		en := &ix.entries[e]
		for i, t := range ix.entTerms[en.off : en.off+en.n] {
			if int32(i) < sigLen[e] {
				ix.sigPost[sigFill[t]] = int32(e)
				sigFill[t]++
			}
			ix.allPost[allFill[t]] = int32(e)
			allFill[t]++
		}
	}
}

// termWeight is the weight of a term n of total entries hold.
func termWeight(total float64, n int32) float32 {
	return float32(math.Log(1 + total/float64(n)))
}

// titleCore is a title without what qualifies it: its parenthesised parts
// and what follows " - ".
func titleCore(t string) string {
	if i := strings.Index(t, " - "); i > 0 {
		t = t[:i]
	}
	if !strings.Contains(t, "(") {
		return t
	}
	var b strings.Builder
	depth := 0
	for _, r := range t {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// postings turns counts (shifted by one) into offsets.
func postings(count []int32) []int32 {
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	return count
}

// buildTypos lists the English terms in order, for prefixes, and their
// one-letter deletions, for typos.
func (ix *TitleIndex) buildTypos() {
	for id, t := range ix.terms {
		if t[0] < utf8.RuneSelf {
			ix.english = append(ix.english, int32(id))
		}
	}
	slices.SortFunc(ix.english, func(a, b int32) int { return strings.Compare(ix.terms[a], ix.terms[b]) })
	for _, id := range ix.english {
		w := ix.terms[id]
		if len(w) < minFuzzyLen-1 {
			continue
		}
		ix.dels = append(ix.dels, delKey{hashWithout(w, -1), id})
		if len(w) >= minFuzzyLen {
			for i := range len(w) {
				ix.dels = append(ix.dels, delKey{hashWithout(w, i), id})
			}
		}
	}
	// A comparison sort of the hundred thousand keys was a fifth of the
	// build.
	radix.Sort(ix.dels, delHash)
	ix.delIndex = radix.NewIndex(ix.dels, delHash)
}

func delHash(d *delKey) uint32 { return d.hash }

// hashWithout is the FNV-1a hash of w less its byte at skip (none for -1).
func hashWithout(w string, skip int) uint32 {
	h := uint32(2166136261)
	for i := range len(w) {
		if i != skip {
			h ^= uint32(w[i])
			h *= 16777619
		}
	}
	return h
}

// putScratch returns s to the pool without the query's text: a question
// is not kept past its answer.
func (ix *TitleIndex) putScratch(s *scratch) {
	clear(s.bigrams)
	clear(s.norm)
	s.bigrams, s.norm = s.bigrams[:0], s.norm[:0]
	ix.scratch.Put(s)
}

func (ix *TitleIndex) getScratch() *scratch {
	if s, ok := ix.scratch.Get().(*scratch); ok {
		return s
	}
	return &scratch{
		termStamp: make([]uint32, len(ix.terms)),
		termQ:     make([]float32, len(ix.terms)),
		entStamp:  make([]uint32, len(ix.entries)),
		titleSeen: make([]uint32, len(ix.titles)),
		titleAt:   make([]int32, len(ix.titles)),
	}
}

// match records that the query holds term with quality q.
func (s *scratch) match(term int32, q float32) {
	if s.termStamp[term] != s.stamp {
		s.termStamp[term] = s.stamp
		s.termQ[term] = q
		s.touched = append(s.touched, term)
	} else if q > s.termQ[term] {
		s.termQ[term] = q
	}
}

// quality is how well the current query holds term, 0 when it does not.
func (s *scratch) quality(term int32) float32 {
	if s.termStamp[term] != s.stamp {
		return 0
	}
	return s.termQ[term]
}

// readQuery finds the terms of the query: English words exactly, by
// prefix (from minPrefixLen letters, when prefix is set) and with one typo
// (from fuzzyLen letters), and Chinese bigrams.
func (ix *TitleIndex) readQuery(s *scratch, query string, prefix bool, fuzzyLen int) {
	if len(query) > maxLookupBytes {
		query = query[:maxLookupBytes]
	}
	s.norm = normalizeWords(s.norm[:0], query)
	for at := 0; at < len(s.norm); {
		end := bytes.IndexByte(s.norm[at:], ' ')
		if end < 0 {
			end = len(s.norm)
		} else {
			end += at
		}
		word, before := s.norm[at:end], s.norm[:at]
		at = end + 1
		if len(word) == 0 || holdsWord(before, word) {
			continue
		}
		if id, ok := ix.vocab.FindBytes(word); ok {
			s.match(id, qualityExact)
			continue
		}
		w := string(word) // on the stack: it outlives neither call
		if prefix && len(w) >= minPrefixLen {
			ix.prefixed(w, func(id int32) { s.match(id, qualityPrefix) })
		}
		if len(w) >= fuzzyLen {
			ix.fuzzy(w, func(id int32) { s.match(id, qualityFuzzy) })
		}
	}
	s.bigrams = chineseBigrams(query, s.bigrams[:0])
	for _, bg := range s.bigrams {
		if id, ok := ix.vocab.Find(bg); ok {
			s.match(id, qualityExact)
		}
	}
}

// holdsWord reports whether the space-separated words hold word.
func holdsWord(words, word []byte) bool {
	for w := range wordsOf(words) {
		if bytes.Equal(w, word) {
			return true
		}
	}
	return false
}

// prefixed calls f for the title words w abbreviates.
func (ix *TitleIndex) prefixed(w string, f func(int32)) {
	// The first term not before w, bisected by hand: the generic search
	// would move w to the heap.
	lo, hi := 0, len(ix.english)
	for lo < hi {
		if mid := int(uint(lo+hi) >> 1); ix.terms[ix.english[mid]] < w {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	hi = lo
	for hi < len(ix.english) && strings.HasPrefix(ix.terms[ix.english[hi]], w) {
		hi++
		if hi-lo > maxPrefixWords {
			return
		}
	}
	for _, id := range ix.english[lo:hi] {
		if rest := ix.terms[id][len(w):]; len(rest) >= minPrefixRest && !derivation(rest) {
			f(id)
		}
	}
}

// derivation reports the suffixes that make another word of a word rather
// than abbreviate it ("account" is not "accountant").
func derivation(rest string) bool {
	switch rest {
	case "ist", "ian", "ant", "ent", "ing", "ion", "ers", "ors", "ary":
		return true
	}
	return false
}

// fuzzy calls f for every title word one insertion, deletion,
// substitution or transposition away from w, except the word with an "r"
// added or removed at its end: "code" is not a typo of "coder".
func (ix *TitleIndex) fuzzy(w string, f func(int32)) {
	try := func(h uint32) {
		lo, hi := ix.delIndex.Bucket(h)
		for i := lo; i < hi; i++ {
			if ix.dels[i].hash != h {
				continue
			}
			full := ix.terms[ix.dels[i].term]
			if full != w && WithinOneEdit(w, full) && w+"r" != full && full+"r" != w {
				f(ix.dels[i].term)
			}
		}
	}
	try(hashWithout(w, -1))
	for i := range len(w) {
		try(hashWithout(w, i))
	}
}

// Lookup returns the titles the query names, best first: several when the
// query names several jobs or a title several groups list (see
// TopMatches), none when it names no title the profiles know.
func (ix *TitleIndex) Lookup(query string) []TitleMatch {
	if len(ix.titles) == 0 {
		return nil
	}
	s := ix.getScratch()
	defer ix.putScratch(s)
	s.next()
	ix.readQuery(s, query, true, minFuzzyLen)
	for _, t := range s.touched {
		for _, e := range ix.sigPost[ix.sigOff[t]:ix.sigOff[t+1]] {
			if s.entStamp[e] != s.stamp {
				s.entStamp[e] = s.stamp
				s.cands = append(s.cands, e)
			}
		}
	}
	for _, e := range s.cands {
		en := &ix.entries[e]
		sum, held, matched, fuzzy := float32(0), float32(0), int32(0), false
		for _, t := range ix.entTerms[en.off : en.off+en.n] {
			if q := s.quality(t); q > 0 {
				sum += q * ix.weight[t]
				held += ix.weight[t]
				matched++
				fuzzy = fuzzy || q < qualityExact
			}
		}
		// Half the words of an English title at least, and two of a
		// longer one: "records" alone names no title.
		if !en.zh && (2*matched < en.n || matched < min(2, en.n)) {
			continue
		}
		score := sum / en.weight
		if score < minTitleScore-1e-6 {
			continue
		}
		s.addHit(hit{title: en.title, score: min(score, 1), weight: held, fuzzy: fuzzy})
	}
	return ix.ranked(s, len(s.hits))
}

// addHit keeps the best of a title's hits (English, its English without
// the qualifier, Chinese).
func (s *scratch) addHit(h hit) {
	if s.titleSeen[h.title] == s.stamp {
		at := &s.hits[s.titleAt[h.title]]
		if h.weight > at.weight || (h.weight == at.weight && h.score > at.score) {
			*at = h
		}
		return
	}
	s.titleSeen[h.title] = s.stamp
	s.titleAt[h.title] = int32(len(s.hits))
	s.hits = append(s.hits, h)
}

// ranked orders the hits best first and returns the first n as matches:
// by how much of the query the title accounts for (weight: the most
// specific title the query names); by score (the title the query holds
// most of); an exact match before a fuzzy one; a profile's own title
// before a mention elsewhere; a title in the words people say before its
// index form; the current classification (NOC 2021) before NOC 2011; the
// shorter title (the closer to the query); then by code and title, so
// that the order never depends on the index's.
func (ix *TitleIndex) ranked(s *scratch, n int) []TitleMatch {
	slices.SortFunc(s.hits, func(a, b hit) int {
		ta, tb := &ix.titles[a.title], &ix.titles[b.title]
		return cmp.Or(
			cmp.Compare(b.weight, a.weight),
			cmp.Compare(b.score, a.score),
			compareBool(a.fuzzy, b.fuzzy),
			cmp.Compare(ta.Kind.preference(), tb.Kind.preference()),
			compareBool(tb.natural, ta.natural),
			compareBool(tb.current, ta.current),
			cmp.Compare(len(ta.Title.EN), len(tb.Title.EN)),
			strings.Compare(ta.Code, tb.Code),
			strings.Compare(ta.Title.EN, tb.Title.EN),
			strings.Compare(ta.Title.ZH, tb.Title.ZH),
		)
	})
	n = min(n, len(s.hits))
	if n == 0 {
		return nil
	}
	out := make([]TitleMatch, n)
	for i, h := range s.hits[:n] {
		out[i] = ix.titles[h.title].TitleMatch
		out[i].Score = float64(h.score)
		out[i].Weight = float64(h.weight)
		out[i].Fuzzy = h.fuzzy
	}
	return out
}

// compareBool orders false before true.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// Suggest returns up to n titles that share a distinctive word with the
// query, for when Lookup finds none: "coder" or "medical coder" give the
// coder titles, "编码员" the 编码 ones. A title's weight is the sum of the
// weights of the query's words and Chinese bigrams it holds (a rare word
// weighs more, so "medical coder" ranks a coder title above the many
// medical ones). English words match exactly (as stems) or, from five
// letters, with one typo. Titles are read from the query's rarer words;
// a word more than maxSuggestScan titles share only adds to their weight,
// unless the query has nothing rarer.
func (ix *TitleIndex) Suggest(query string, n int) []TitleMatch {
	if n <= 0 || len(ix.titles) == 0 {
		return nil
	}
	s := ix.getScratch()
	defer ix.putScratch(s)
	s.next()
	ix.readQuery(s, query, false, minFuzzyLen)
	if len(s.touched) == 0 {
		return nil
	}
	rarest := s.touched[0]
	for _, t := range s.touched {
		if ix.allOff[t+1]-ix.allOff[t] < ix.allOff[rarest+1]-ix.allOff[rarest] {
			rarest = t
		}
	}
	for _, t := range s.touched {
		post := ix.allPost[ix.allOff[t]:ix.allOff[t+1]]
		if len(post) > maxSuggestScan {
			if t != rarest {
				continue
			}
			post = post[:maxSuggestScan]
		}
		for _, e := range post {
			if s.entStamp[e] != s.stamp {
				s.entStamp[e] = s.stamp
				s.cands = append(s.cands, e)
			}
		}
	}
	for _, e := range s.cands {
		en := &ix.entries[e]
		sum := float32(0)
		for _, t := range ix.entTerms[en.off : en.off+en.n] {
			if s.quality(t) > 0 {
				sum += ix.weight[t]
			}
		}
		s.addSuggestion(hit{title: en.title, score: sum, weight: sum})
	}
	// Only the best are ranked in full: those weighing at least the n-th
	// heaviest (ties kept).
	if len(s.hits) > 4*n {
		scores := make([]float32, len(s.hits))
		for i, h := range s.hits {
			scores[i] = h.score
		}
		slices.Sort(scores)
		cut := scores[len(scores)-4*n]
		s.hits = slices.DeleteFunc(s.hits, func(h hit) bool { return h.score < cut })
	}
	out := ix.ranked(s, len(s.hits))
	// "technician, medical records" is "medical records technician" again:
	// keep one, in the words people say.
	var kept []TitleMatch
	at := map[string]int{}
	for _, m := range out {
		m.Fuzzy, m.Weight = false, 0
		words := englishWords(m.Title.EN)
		slices.Sort(words)
		key := m.Code + "\x00" + strings.Join(words, " ")
		if len(words) == 0 {
			key += "\x00" + m.Title.ZH
		}
		if i, ok := at[key]; ok {
			if inverted(kept[i].Title.EN) && !inverted(m.Title.EN) {
				kept[i].Title = m.Title
			}
			continue
		}
		at[key] = len(kept)
		kept = append(kept, m)
	}
	return kept[:min(n, len(kept))]
}

// addSuggestion adds a title's weight from one of its languages to its
// other's.
func (s *scratch) addSuggestion(h hit) {
	if s.titleSeen[h.title] == s.stamp {
		at := &s.hits[s.titleAt[h.title]]
		at.score += h.score
		at.weight += h.weight
		return
	}
	s.titleSeen[h.title] = s.stamp
	s.titleAt[h.title] = int32(len(s.hits))
	s.hits = append(s.hits, h)
}

// inverted reports whether a title is in the index form "technician,
// medical records".
func inverted(title string) bool { return strings.Contains(title, ",") }

// WithinOneEdit reports whether a and b differ by at most one insertion,
// deletion, substitution or adjacent transposition: how far a typo may
// take a word from the one meant.
func WithinOneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		if i == len(a) {
			return true
		}
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case 1:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return a[i:] == b[i+1:]
	}
	return false
}

// normalizeWords appends to dst the English words of s as lower-case ASCII
// stems, space-separated, without the words that carry no meaning in a job
// title. Anything but ASCII letters and digits separates words.
func normalizeWords(dst []byte, s string) []byte {
	start := len(dst)
	word := func() {
		w := stemBytes(dst[start:])
		// "R.N.": initials are not words.
		if (len(w) == 1 && w[0] >= 'a') || titleStopword(string(w)) {
			w = w[:0]
		}
		dst = dst[:start+len(w)]
		if len(w) > 0 {
			dst = append(dst, ' ')
		}
		start = len(dst)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			dst = append(dst, c)
		case 'A' <= c && c <= 'Z':
			dst = append(dst, c+'a'-'A')
		default:
			word()
		}
	}
	word()
	if n := len(dst); n > 0 && dst[n-1] == ' ' {
		dst = dst[:n-1]
	}
	return dst
}

// englishWords splits text into lower-case ASCII word stems, without the
// words that carry no meaning in a job title.
func englishWords(s string) []string {
	return strings.Fields(string(normalizeWords(nil, s)))
}

// stemBytes strips English plurals in place, enough to match "clerks" with
// "clerk".
func stemBytes(w []byte) []byte {
	n := len(w)
	switch {
	case n > 4 && string(w[n-3:]) == "ies":
		w[n-3] = 'y'
		return w[:n-2]
	case n > 3 && w[n-1] == 's' && w[n-2] != 's' && w[n-2] != 'u' && !(w[n-2] == 'i'):
		return w[:n-1]
	}
	return w
}

func titleStopword(w string) bool {
	switch w {
	case "a", "an", "the", "of", "in", "and", "or", "for", "to", "at", "on", "as", "is", "are", "do", "what", "which", "who",
		// "Health information management occupations" is the group of
		// health information management: the word names no job.
		"occupation":
		return true
	}
	return false
}

// chineseBigrams appends the character bigrams of every run of Han
// characters in s (a run of one character gives that character). A
// bigram may come twice: the callers count each once.
func chineseBigrams(s string, out []string) []string {
	start, prevStart, n := -1, -1, 0
	flush := func(end int) {
		if n == 1 {
			out = append(out, s[start:end])
		}
		start, prevStart, n = -1, -1, 0
	}
	for i, r := range s {
		if !unicode.Is(unicode.Han, r) {
			if n > 0 {
				flush(i)
			}
			continue
		}
		if n == 0 {
			start = i
		} else {
			out = append(out, s[prevStart:i+utf8.RuneLen(r)])
		}
		prevStart = i
		n++
	}
	if n > 0 {
		flush(len(s))
	}
	return out
}
