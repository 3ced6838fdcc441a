// Package jobmatch finds the NOC 2021 unit groups whose duties match a
// person's own description of their job ("I code diagnoses from patient
// charts…", a pasted job posting, "我的工作是给病历编码…").
//
// It reads each unit group's lead statement, main duties (each with the
// role sub-heading it sits under) and titles. A description is split into
// duty phrases; each phrase is scored against every group with BM25F (the
// lead statement weighing most, titles least) and saturated, so that a
// phrase counts at most once: a group that covers several of the person's
// duties beats one that repeats one word. The whole description, a job
// title of the group written in it and whether the person manages others
// add weaker signals. Chinese descriptions, and everyday English words and
// tools, are read through nocbot's own duty word lists and Chinese
// occupation names.
//
// It knows profiles and words; it never knows conversations, intents or
// chat platforms, and it keeps nothing of a description after answering.
package jobmatch

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/longbridgeapp/opencc"

	"github.com/nocbot/nocbot/knowledge"
)

// params are the weights of the signals, chosen on the development set
// and the leave-out evaluation (see eval_test.go).
type params struct {
	// sat saturates a phrase's BM25F b for a group: it counts
	// b/(b+sat), at most 1.
	sat float64
	// floor is taken from every phrase's share: a phrase that shares one
	// common word with a group adds nothing.
	floor float64
	bag   float64 // the whole description, BM25F over the group's text, relative to the best group
	title float64 // the whole description against the group's titles (cosine)
	named float64 // the group's title named in the description
	// other is what a title counts when the words before it make it
	// someone else ("my editor", "assist the cook"), not the person.
	other float64
	// self is what it counts when they make it the person ("I am a
	// cook", a posting's heading).
	self  float64
	alias float64 // the group's Chinese name or alias named in the description
	// weights of BM25F's fields: lead statement, duties, titles, everyday
	// words.
	weights [fields]float64
	// level is added to a group that manages or supervises when the
	// description does (and taken, times levelDown, from one that does
	// when the description does not): people describe the work they
	// oversee, and its words alone point to the workers' groups.
	level, levelDown float64
	// rerank weighs the second stage's signals (see rerank.go).
	rerank [nFeatures + 1]float64
}

var defaultParams = params{sat: 20, floor: 0.1, bag: 0.5, title: 0.25, named: 0.25, other: 0.25, self: 2, alias: 1, weights: [fields]float64{3, 1, 0.5, 1}, level: 0.3, levelDown: 0.5}

// When a match is good enough to offer (Result.Good): the share of the
// description the best group covers (the first stage's score, not
// Match.Score), and one phrase of the person's matching one of its
// sentences at least this well. MinPairSim is also the similarity at
// which a phrase and a duty sentence count as matched at all: below it a
// phrase would be shown beside a duty about something else.
const (
	minShare   = 0.12
	MinPairSim = 0.25
	// coveredRatio is how close to its best group's share a phrase's
	// share for a group must come for the group to cover it.
	coveredRatio = 0.5
	defaultTopK  = 5
)

// OfferRatio is how close to the best group's score another group must
// come to be offered after it (with a phrase pointing to it). Chosen on
// the development sets (testdata/dev.tsv, dev2.tsv, train.tsv; 603
// descriptions matched well, 593 with an accepted group in the first 3):
// 0.1 kept an accepted group offered for 583 and offered 843 of the 1,809
// groups listed; 0.05 kept 5 more for 121 more groups offered, 0.2 dropped
// 10 for 91 fewer.
const OfferRatio = 0.1

// Index is the unit groups, ready to match descriptions against. Build it
// once with New; it is read-only and safe for concurrent use.
type Index struct {
	groups []group
	units  []unit
	terms  map[string]int32 // stem → term id
	idf    []float32
	// tpost: term → groups whose titles hold it; tnorm the length of
	// each title bag.
	tpost [][]int32
	tnorm []float32
	// titles: a title's stems joined by spaces → the groups that list it;
	// titleMax the most words a title has.
	titles   map[string][]int32
	titleMax int
	// one is every title on its own, for the re-ranker: its group and
	// the sum of its terms' squared idf; onePost lists, per term, the
	// titles that hold it.
	one     []oneTitle
	onePost [][]int32
	// verbs are the stems of the words duty sentences begin with ("May"
	// aside): where a person's sentence turns to another duty.
	verbs map[string]bool
	// baselines are plain BM25 for the evaluation, built when it first
	// asks: a matching process never does.
	baselines func() *baselines
	// fields is BM25F over lead, duties and titles: the matcher's.
	fields bm25f
	lex    *lexicon
	// simplified reads Traditional Chinese as Simplified, which the word
	// lists and names are in: the caller's converter (WithSimplifier), or
	// an OpenCC converter of the index's own, made on first use.
	simplified func(string) string
	pool       sync.Pool // *scratch
	p          params
}

// baselines are plain BM25 over lead, duties and titles, and over the
// same text and the everyday words (the matcher's text).
type baselines struct{ plain, words bm25 }

type oneTitle struct {
	group int32
	terms []int32
	mass  float32
}

type group struct {
	code      string
	title     knowledge.Text
	lead      knowledge.Text
	teer      int
	sentences []string // sentence 0 is the lead statement; then the duties
	roles     []string // the role sub-heading of each sentence, "" for none
	// leads says the group manages or supervises others: a management
	// occupation (TEER 0) or one whose title or lead statement says it
	// supervises.
	leads bool
	units []int32
}

// unit is one sentence of a group as matched: the lead statement or a
// duty with its role heading.
type unit struct {
	group    int32
	sentence int32 // in group.sentences
	terms    []int32
	tf       []uint16 // per term, for BM25
	norm     float32
}

// Option configures an Index.
type Option func(*Index)

// WithSimplifier has the index read Traditional Chinese through simplify
// (the question classifier's normaliser, say), so a process loads one set
// of conversion dictionaries, not one per reader.
func WithSimplifier(simplify func(string) string) Option {
	return func(x *Index) {
		if simplify != nil {
			x.simplified = simplify
		}
	}
}

// ownSimplifier converts with an OpenCC converter loaded on first use,
// leaving s as it is when the converter cannot be had.
func ownSimplifier() func(string) string {
	load := sync.OnceValues(func() (*opencc.OpenCC, error) { return opencc.New("t2s") })
	return func(s string) string {
		t2s, err := load()
		if err != nil {
			return s
		}
		if conv, err := t2s.Convert(s); err == nil && len(conv) > 0 {
			return conv
		}
		return s
	}
}

// New indexes the NOC 2021 unit groups among profiles (others are
// ignored), reading Chinese through terms (the bilingual duty word list,
// see ParseTerms) and the profiles' Chinese names and aliases.
func New(profiles []knowledge.Profile, terms []Term, opts ...Option) *Index {
	x := &Index{terms: map[string]int32{}, titles: map[string][]int32{}, verbs: map[string]bool{}, lex: newLexicon(terms, profiles), p: defaultParams,
		simplified: ownSimplifier()}
	x.p.rerank = *trainedWeights()
	for _, o := range opts {
		o(x)
	}
	var nocProfiles []knowledge.Profile
	for _, p := range profiles {
		if p.IsNOC2021() {
			nocProfiles = append(nocProfiles, p)
		}
	}
	sort.Slice(nocProfiles, func(i, j int) bool { return nocProfiles[i].Code < nocProfiles[j].Code })
	var buf []string
	// The same few thousand words recur through 516 groups and 28,000
	// titles: each is stemmed once.
	stems := map[string]int32{}
	termOf := func(w string) int32 {
		id, ok := stems[w]
		if !ok {
			id = x.termID(stem(w))
			stems[w] = id
		}
		return id
	}
	at := map[int32]int{} // term → its place in ids, for one text
	termsOf := func(text string) ([]int32, []uint16) {
		buf = words(text, buf[:0])
		var ids []int32
		var tf []uint16
		clear(at)
		for _, w := range buf {
			if stopwords[w] {
				continue
			}
			id := termOf(w)
			if k, ok := at[id]; ok {
				tf[k]++
				continue
			}
			at[id] = len(ids)
			ids = append(ids, id)
			tf = append(tf, 1)
		}
		return ids, tf
	}
	starts := map[string]int{} // stems duty sentences begin with, how often
	titleTerms := make([][]int32, len(nocProfiles))
	titleTF := make([][]uint16, len(nocProfiles))
	dayTerms := make([][]int32, len(nocProfiles))
	dayTF := make([][]uint16, len(nocProfiles))
	everyday := map[string][]string{}   // English phrases by group
	everydayZH := map[string][]string{} // Chinese words by group
	for _, t := range terms {
		switch {
		case t.Code == "":
		case knowledge.HasHan(t.Word):
			everydayZH[t.Code] = append(everydayZH[t.Code], t.Word)
		default:
			everyday[t.Code] = append(everyday[t.Code], t.Word)
		}
	}
	for gi, p := range nocProfiles {
		g := group{code: p.Code, title: p.Title, lead: p.Lead, teer: p.TEER, sentences: []string{p.Lead.EN}, roles: []string{""}, leads: leads(p)}
		addUnit := func(text string, sentence int) {
			ids, tf := termsOf(text)
			if len(ids) == 0 {
				return
			}
			g.units = append(g.units, int32(len(x.units)))
			x.units = append(x.units, unit{group: int32(gi), sentence: int32(sentence), terms: ids, tf: tf})
		}
		addUnit(p.Lead.EN, 0)
		heading := ""
		for _, d := range p.Duties {
			if d.Heading {
				heading = d.EN
				continue
			}
			g.sentences = append(g.sentences, d.EN)
			g.roles = append(g.roles, heading)
			buf = words(d.EN, buf[:0])
			if len(buf) > 1 && buf[0] == "may" {
				buf = buf[1:]
			}
			if len(buf) > 0 && !stopwords[buf[0]] {
				starts[stem(buf[0])]++
			}
			addUnit(heading+" "+d.EN, len(g.sentences)-1)
		}
		var titles []string
		for _, t := range p.OwnTitles() {
			titles = append(titles, t.EN)
			buf = words(t.EN, buf[:0])
			var key []string
			var ids []int32
			last := ""
			for _, w := range buf {
				if !stopwords[w] {
					key = append(key, stem(w))
					last = w
					if id := termOf(w); !slices.Contains(ids, id) {
						ids = append(ids, id)
					}
				}
			}
			if len(ids) > 0 {
				x.one = append(x.one, oneTitle{group: int32(gi), terms: ids})
			}
			if len(key) == 0 || len(key) > 6 {
				continue
			}
			k := joinWords(key)
			if len(key) == 1 {
				k = oneWordTitle(last)
			}
			if gs := x.titles[k]; len(gs) == 0 || gs[len(gs)-1] != int32(gi) {
				x.titles[k] = append(gs, int32(gi))
			}
			x.titleMax = max(x.titleMax, len(key))
		}
		titleTerms[gi], titleTF[gi] = termsOf(joinSpace(titles))
		dayTerms[gi], dayTF[gi] = termsOf(joinSpace(everyday[p.Code]))
		for _, w := range everydayZH[p.Code] {
			if id := x.termID(zhTermPrefix + w); !slices.Contains(dayTerms[gi], id) {
				dayTerms[gi] = append(dayTerms[gi], id)
				dayTF[gi] = append(dayTF[gi], 1)
			}
		}
		x.groups = append(x.groups, g)
	}
	// A word a few duties begin with is a verb; one that begins one or two
	// ("Legal…") may be a noun.
	for w, n := range starts {
		if n >= 3 {
			x.verbs[w] = true
		}
	}
	n := len(x.terms)
	x.tpost = make([][]int32, n)
	// df counts the groups whose text (lead, duties, titles) holds a term.
	df := make([]int32, n)
	last := make([]int32, n)
	for t := range last {
		last[t] = -1
	}
	count := func(t, g int32) {
		if last[t] != g {
			last[t] = g
			df[t]++
		}
	}
	for gi, g := range x.groups {
		for _, ui := range g.units {
			for _, t := range x.units[ui].terms {
				count(t, int32(gi))
			}
		}
		for _, t := range titleTerms[gi] {
			x.tpost[t] = append(x.tpost[t], int32(gi))
			count(t, int32(gi))
		}
		for _, t := range dayTerms[gi] {
			count(t, int32(gi))
		}
	}
	x.idf = make([]float32, n)
	groups := float64(len(x.groups))
	for t := range x.idf {
		x.idf[t] = float32(math.Log(1 + groups/float64(max(df[t], 1))))
	}
	for ui := range x.units {
		x.units[ui].norm = x.length(x.units[ui].terms)
	}
	x.onePost = make([][]int32, n)
	for i := range x.one {
		t := &x.one[i]
		for _, id := range t.terms {
			t.mass += x.idf[id] * x.idf[id]
			x.onePost[id] = append(x.onePost[id], int32(i))
		}
	}
	x.tnorm = make([]float32, len(x.groups))
	for gi := range x.groups {
		x.tnorm[gi] = x.length(titleTerms[gi])
	}
	titles := extraField{field: fieldTitles, terms: titleTerms, tf: titleTF}
	day := extraField{field: fieldEveryday, terms: dayTerms, tf: dayTF}
	x.baselines = sync.OnceValue(func() *baselines {
		return &baselines{plain: newBM25(x, []extraField{titles}), words: newBM25(x, []extraField{titles, day})}
	})
	x.fields = newBM25F(x, []extraField{titles, day}, x.p.weights)
	x.pool.New = func() any { return x.newScratch() }
	return x
}

// oneWordTitle is the key of a title of one word: the word itself, not
// its stem, so that "interpreter" names 51114 and "interpret" does not.
func oneWordTitle(w string) string {
	if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		w = w[:len(w)-1]
	}
	return "=" + w
}

// leads reports whether a unit group manages or supervises others: TEER 0,
// or "supervisor" in its title or "supervise" at the start of its lead
// statement.
func leads(p knowledge.Profile) bool {
	if p.TEER == 0 && p.HasTEER {
		return true
	}
	t := strings.ToLower(p.Title.EN)
	return strings.Contains(t, "supervisor") || strings.Contains(t, "manager") || strings.Contains(t, "executive housekeeper") ||
		strings.Contains(strings.ToLower(firstWords(p.Lead.EN, 12)), "supervise")
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	return strings.Join(f[:min(n, len(f))], " ")
}

func joinSpace(ss []string) string {
	n := 0
	for _, s := range ss {
		n += len(s) + 1
	}
	b := make([]byte, 0, n)
	for _, s := range ss {
		b = append(b, s...)
		b = append(b, ' ')
	}
	return string(b)
}

func (x *Index) termID(s string) int32 {
	if id, ok := x.terms[s]; ok {
		return id
	}
	id := int32(len(x.terms))
	x.terms[s] = id
	return id
}

// length is the Euclidean length of a set of terms weighted by idf.
func (x *Index) length(terms []int32) float32 {
	var s float64
	for _, t := range terms {
		w := float64(x.idf[t])
		s += w * w
	}
	return float32(math.Sqrt(s))
}

// shown is sentence i as a match shows it, with its role: "Insurance
// managers: Plan, organize…".
func (g *group) shown(i int32) string {
	if g.roles[i] != "" {
		return g.roles[i] + ": " + g.sentences[i]
	}
	return g.sentences[i]
}

// Groups is the number of unit groups indexed.
func (x *Index) Groups() int { return len(x.groups) }
