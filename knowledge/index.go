package knowledge

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TitleKind says which part of a profile a title comes from.
type TitleKind uint8

// Title kinds, in the order lookups prefer them when scores tie.
const (
	KindTitle     TitleKind = iota // All titles
	KindExample                    // Example Titles
	KindGroup                      // the unit group's own name
	KindElsewhere                  // Classified elsewhere: belongs to another group
	KindAlias                      // an everyday Chinese word nocbot takes for the group (Profile.Aliases)
)

// TitleMatch is a job title found for a query.
type TitleMatch struct {
	Code   string // unit group the title belongs to
	Listed string // profile that lists it; differs from Code for classified-elsewhere titles
	Title  Text
	Kind   TitleKind
	Score  float64 // share of the title's words (or Chinese bigrams) the query holds, 0..1
}

// Elsewhere reports whether the title is only mentioned by a profile as
// classified in another unit group.
func (m TitleMatch) Elsewhere() bool { return m.Kind == KindElsewhere }

// Match quality of one title word, by how the query spelled it.
const (
	qualityExact  = 1.0
	qualityPrefix = 0.9  // "tech" for "technician"
	qualityFuzzy  = 0.85 // one edit away: "helth" for "health"
	// minTitleScore is the share of a title a query must hold to match it:
	// three of four words, or every word of a shorter title with at most a
	// typo or an abbreviation.
	minTitleScore = 0.75
	minPrefixLen  = 3
	minFuzzyLen   = 4
)

type titleEntry struct {
	TitleMatch
	enWords   int // content words of the English title
	zhBigrams int // distinct bigrams of the Chinese title
}

type wordPos struct {
	title int32
	pos   uint8
}

// TitleIndex finds job titles in free text, in English or Chinese, tolerant
// of plurals, abbreviations and single typos in English words. It is built
// once from the profiles and read-only afterwards, so safe for concurrent
// use.
type TitleIndex struct {
	titles   []titleEntry
	words    map[string][]wordPos // English word stem -> where titles use it
	prefixes map[string][]string  // prefix of a title word -> the words
	deletes  map[string][]string  // a title word less one letter -> the words
	bigrams  map[string][]int32   // Chinese character bigram -> titles
}

// NewTitleIndex indexes every title of the profiles: the unit group names,
// example titles, all titles and the classified-elsewhere titles.
func NewTitleIndex(profiles []Profile) *TitleIndex {
	// Sized up front: with hundreds of profiles, growing the maps one
	// rehash at a time was most of the build.
	n := 0
	for i := range profiles {
		n += 1 + len(profiles[i].AllTitles) + len(profiles[i].ExampleTitles) + len(profiles[i].Elsewhere)
	}
	ix := &TitleIndex{
		titles:   make([]titleEntry, 0, n),
		words:    make(map[string][]wordPos, n/2),
		prefixes: make(map[string][]string, n),
		deletes:  make(map[string][]string, 2*n),
		bigrams:  make(map[string][]int32, 2*n),
	}
	seen := make(map[string]bool, n)
	add := func(m TitleMatch) {
		key := m.Code + "\x00" + strings.ToLower(m.Title.EN) + "\x00" + m.Title.ZH
		if seen[key] {
			return
		}
		seen[key] = true
		id := int32(len(ix.titles))
		e := titleEntry{TitleMatch: m}
		for pos, w := range dedupe(englishWords(m.Title.EN)) {
			if pos > 255 {
				break
			}
			if len(ix.words[w]) == 0 {
				ix.addVocabulary(w)
			}
			ix.words[w] = append(ix.words[w], wordPos{id, uint8(pos)})
			e.enWords++
		}
		for _, bg := range dedupe(chineseBigrams(m.Title.ZH, nil)) {
			ix.bigrams[bg] = append(ix.bigrams[bg], id)
			e.zhBigrams++
		}
		ix.titles = append(ix.titles, e)
	}
	for _, p := range profiles {
		add(TitleMatch{Code: p.Code, Listed: p.Code, Title: p.Title, Kind: KindGroup})
		for _, t := range p.AllTitles {
			add(TitleMatch{Code: p.Code, Listed: p.Code, Title: t, Kind: KindTitle})
		}
		for _, t := range p.ExampleTitles {
			add(TitleMatch{Code: p.Code, Listed: p.Code, Title: t, Kind: KindExample})
		}
		for _, r := range p.Elsewhere {
			add(TitleMatch{Code: r.Code, Listed: p.Code, Title: r.Title, Kind: KindElsewhere})
		}
		for _, t := range p.Aliases {
			add(TitleMatch{Code: p.Code, Listed: p.Code, Title: t, Kind: KindAlias})
		}
	}
	return ix
}

func (ix *TitleIndex) addVocabulary(w string) {
	for n := minPrefixLen; n < len(w); n++ {
		ix.prefixes[w[:n]] = append(ix.prefixes[w[:n]], w)
	}
	if len(w) >= minFuzzyLen {
		for i := range len(w) {
			d := w[:i] + w[i+1:]
			ix.deletes[d] = append(ix.deletes[d], w)
		}
	}
}

// Lookup returns the titles the query names, best first: several when the
// query names several jobs or is ambiguous, none when it names no title
// the profiles know.
func (ix *TitleIndex) Lookup(query string) []TitleMatch {
	if len(query) > maxLookupBytes {
		query = query[:maxLookupBytes]
	}
	type hit struct {
		quality [8]float64 // best quality per title word position
		bigrams int
	}
	// Hits live in a slice, found by a scan while there are few of them
	// (most questions touch a handful of titles) and through a map after.
	var hitBuf [16]hit
	var idBuf [16]int32
	hits, ids := hitBuf[:0], idBuf[:0]
	var where map[int32]int
	get := func(id int32) *hit {
		if where == nil {
			for i, x := range ids {
				if x == id {
					return &hits[i]
				}
			}
			if len(ids) == cap(idBuf) {
				where = make(map[int32]int, 2*len(ids))
				for i, x := range ids {
					where[x] = i
				}
			}
		} else if i, ok := where[id]; ok {
			return &hits[i]
		}
		if where != nil {
			where[id] = len(hits)
		}
		hits = append(hits, hit{})
		ids = append(ids, id)
		return &hits[len(hits)-1]
	}
	credit := func(word string, q float64) {
		for _, wp := range ix.words[word] {
			if wp.pos < 8 {
				h := get(wp.title)
				h.quality[wp.pos] = max(h.quality[wp.pos], q)
			}
		}
	}
	for _, w := range englishWords(query) {
		if _, ok := ix.words[w]; ok {
			credit(w, qualityExact)
			continue
		}
		if len(w) >= minPrefixLen {
			for _, full := range ix.prefixes[w] {
				credit(full, qualityPrefix)
			}
		}
		if len(w) >= minFuzzyLen {
			ix.fuzzy(w, func(full string) { credit(full, qualityFuzzy) })
		}
	}
	var bgBuf [64]string
	for _, bg := range dedupe(chineseBigrams(query, bgBuf[:0])) {
		for _, id := range ix.bigrams[bg] {
			get(id).bigrams++
		}
	}

	var out []TitleMatch
	for i := range hits {
		h, e := &hits[i], &ix.titles[ids[i]]
		score := 0.0
		if e.enWords > 0 {
			sum, matched := 0.0, 0
			for _, q := range h.quality {
				sum += q
				if q > 0 {
					matched++
				}
			}
			if matched >= min(2, e.enWords) {
				score = sum / float64(min(e.enWords, len(h.quality)))
			}
		}
		if e.zhBigrams > 0 {
			score = max(score, float64(h.bigrams)/float64(e.zhBigrams))
		}
		if score >= minTitleScore {
			m := e.TitleMatch
			m.Score = score
			out = append(out, m)
		}
	}
	rank(out)
	return out
}

// rank orders matches best first: by score, a profile's own title before
// a mention elsewhere, a title in the words people say before its index
// form, the more specific (longer) title, then by code and
// title so that the order never depends on map iteration.
func rank(out []TitleMatch) {
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if ia, ib := inverted(a.Title.EN), inverted(b.Title.EN); ia != ib {
			return ib // "medical records technician" before "technician, medical records"
		}
		if la, lb := len(a.Title.EN), len(b.Title.EN); la != lb {
			return la > lb
		}
		return a.Code+a.Title.EN+a.Title.ZH < b.Code+b.Title.EN+b.Title.ZH
	})
}

// Suggest returns up to n titles that share a distinctive word with the
// query, for when Lookup finds none: "coder" or "medical coder" give the
// coder titles, "编码员" the 编码 ones. A shared word weighs more the fewer
// titles use it (inverse document frequency), so "medical coder" ranks a
// coder title above the many medical ones; a title's weight is the sum over
// the query's words and Chinese bigrams it holds. English words match
// exactly (as stems) or, from five letters, with one typo.
func (ix *TitleIndex) Suggest(query string, n int) []TitleMatch {
	if n <= 0 || len(ix.titles) == 0 {
		return nil
	}
	if len(query) > maxLookupBytes {
		query = query[:maxLookupBytes]
	}
	total := float64(len(ix.titles))
	weight := map[int32]float64{}
	credit := func(ids []int32) {
		// Each query term counts once per title, however often it
		// occurs there.
		idf := math.Log(1 + total/float64(len(ids)))
		for i, id := range ids {
			if i > 0 && ids[i-1] == id {
				continue
			}
			weight[id] += idf
		}
	}
	var ids []int32
	for _, w := range dedupe(englishWords(query)) {
		matched := map[string]bool{}
		if _, ok := ix.words[w]; ok {
			matched[w] = true
		} else if len(w) >= minSuggestFuzzyLen {
			ix.fuzzy(w, func(full string) { matched[full] = true })
		}
		ids = ids[:0]
		for full := range matched {
			for _, wp := range ix.words[full] {
				ids = append(ids, wp.title)
			}
		}
		if len(ids) > 0 {
			slices.Sort(ids)
			credit(ids)
		}
	}
	for _, bg := range dedupe(chineseBigrams(query, nil)) {
		if len(ix.bigrams[bg]) > 0 {
			credit(ix.bigrams[bg])
		}
	}
	out := make([]TitleMatch, 0, len(weight))
	for id, w := range weight {
		m := ix.titles[id].TitleMatch
		m.Score = w
		out = append(out, m)
	}
	rank(out)
	// "technician, medical records" is "medical records technician" again:
	// keep one, in the words people say.
	var kept []TitleMatch
	at := map[string]int{}
	for _, m := range out {
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

// inverted reports whether a title is in the index form "technician,
// medical records".
func inverted(title string) bool { return strings.Contains(title, ",") }

// minSuggestFuzzyLen: shorter words are too often another real word one
// edit away ("code" and "coder").
const minSuggestFuzzyLen = 5

// maxLookupBytes bounds the text a lookup reads; titles are found in
// questions, not in documents.
const maxLookupBytes = 4096

// fuzzy calls f for every title word one insertion, deletion, substitution
// or transposition away from w (symmetric delete: a typo and the word share
// a one-letter deletion).
func (ix *TitleIndex) fuzzy(w string, f func(string)) {
	// A word has few neighbours: a scan beats a map here.
	var seenBuf [8]string
	seen := seenBuf[:0]
	try := func(key string) {
		for _, full := range ix.deletes[key] {
			if !slices.Contains(seen, full) && editDistanceAtMostOne(w, full) {
				seen = append(seen, full)
				f(full)
			}
		}
		if _, ok := ix.words[key]; ok && !slices.Contains(seen, key) {
			seen = append(seen, key)
			f(key)
		}
	}
	try(w)
	for i := range len(w) {
		try(w[:i] + w[i+1:])
	}
}

// editDistanceAtMostOne reports whether a and b differ by at most one
// insertion, deletion, substitution or adjacent transposition.
func editDistanceAtMostOne(a, b string) bool {
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

// englishWords splits text into lower-case ASCII word stems, without the
// words that carry no meaning in a job title.
func englishWords(s string) []string {
	var out []string
	for f := range strings.FieldsFuncSeq(s, func(r rune) bool {
		return !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	}) {
		w := stem(strings.ToLower(f))
		if !titleStopword(w) {
			out = append(out, w)
		}
	}
	return out
}

// stem strips English plurals, enough to match "clerks" with "clerk".
func stem(w string) string {
	switch {
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:len(w)-1]
	}
	return w
}

func titleStopword(w string) bool {
	switch w {
	case "a", "an", "the", "of", "in", "and", "or", "for", "to", "at", "on", "as", "is", "are", "do", "what", "which", "who":
		return true
	}
	return false
}

// chineseBigrams appends the character bigrams of every run of Han
// characters in s (a run of one character gives that character).
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

// dedupe drops repeated strings, keeping the first of each, in place: the
// callers own the slices, and a lookup should not allocate for this.
func dedupe(xs []string) []string {
	out := xs[:0]
	if len(xs) > 32 {
		seen := make(map[string]bool, len(xs))
		for _, x := range xs {
			if !seen[x] {
				seen[x] = true
				out = append(out, x)
			}
		}
		return out
	}
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
