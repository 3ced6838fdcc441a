package jobmatch

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/nocbot/nocbot/knowledge"
)

// Result is what a description matched.
type Result struct {
	Lang knowledge.Lang // the description's language
	// Phrases is how many duty phrases were read; Truncated says the
	// description was cut (over MaxInput bytes or MaxPhrases phrases).
	Phrases   int
	Truncated bool
	// Words and Known count the English words of the description (stop
	// words aside) and those NOC 2021 uses: a description in another
	// language knows few.
	Words, Known int
	terms        int // distinct known terms, Chinese words read as theirs
	// Matches are the best unit groups, best first.
	Matches []Match
}

// Match is one unit group a description matched.
type Match struct {
	Code  string
	Title knowledge.Text
	TEER  int
	// Lead is the group's lead statement: what the group is, to check a
	// match against.
	Lead knowledge.Text
	// Score is from 0 to 1: how likely the matcher holds this group to be
	// the one, among the groups it read closely (the second stage's
	// scores, normalised to sum to 1 over them).
	Score float64
	// share is from 0 to 1: the share of the description the group
	// covers (the first stage's score).
	share float64
	// Pairs are the person's phrases beside the group's own sentences they
	// matched, best first.
	Pairs []Pair
	// covered is how many of the person's phrases of two words or more
	// the group's text (with its everyday words) covers well, whether or
	// not one duty sentence matches them.
	covered int
}

// Pair is a phrase of the description and the group's duty sentence it
// matched.
type Pair struct {
	Phrase     string
	Duty       string
	Similarity float64
	terms      int // known words of the phrase
}

// Duties are the group's own sentences the description matched, best
// first, each once.
func (m Match) Duties() []string {
	var out []string
	for _, p := range m.Pairs {
		if !slices.Contains(out, p.Duty) {
			out = append(out, p.Duty)
		}
	}
	return out
}

// minKnownWords is how many distinct words NOC 2021 knows a description needs
// when one phrase of it is all that matches.
const minKnownWords = 3

// Good reports whether the best match is good enough to offer: a
// description of too few or unknown words ("hello", a text in another
// language) matches nothing well, and the answer should ask for duties
// instead of listing weak guesses.
func (r Result) Good() bool {
	if len(r.Matches) == 0 {
		return false
	}
	m := r.Matches[0]
	if m.share < minShare || r.Known*2 < r.Words {
		return false
	}
	// Two phrases of two words or more must point to the group, or one
	// such phrase match one of its duties in a description of three known
	// words or more: a job title alone ("bartender") or a passing
	// question ("what's the weather today?") is no description of duties.
	if m.covered >= 2 {
		return true
	}
	if r.terms < minKnownWords {
		return false
	}
	for _, p := range m.Pairs {
		if p.Similarity >= MinPairSim && p.terms >= 2 {
			return true
		}
	}
	return false
}

// Offered returns the groups worth offering, at most k, best first: none
// when the result is not Good, else the best group and each next one
// that a phrase of the description points to (a duty of its own matched,
// or a phrase it covers) with a score of at least OfferRatio of the
// best. Weaker guesses would only mislead. k < 1 offers the best group
// alone.
func (r Result) Offered(k int) []Match {
	if !r.Good() {
		return nil
	}
	out := []Match{r.Matches[0]}
	for _, m := range r.Matches[1:] {
		if len(out) >= k {
			break
		}
		if (len(m.Pairs) > 0 || m.covered > 0) && m.Score >= OfferRatio*r.Matches[0].Score {
			out = append(out, m)
		}
	}
	return out
}

// query is a description read into duty phrases of known terms.
type query struct {
	lang      knowledge.Lang
	phrases   []qphrase
	all       []int32 // every known term, once
	plain     []int32 // every known term without the English term list's, once (for BM25)
	truncated bool
	words     int  // English words read, stop words aside
	known     int  // of which NOC 2021 uses
	leads     bool // the person manages or supervises others
}

type qphrase struct {
	text  string
	terms []int32
	// named are the groups whose title, Chinese name or alias the phrase
	// names, with how strongly: a long title few groups share is a
	// stronger hint than "clerk".
	named []namedGroup
}

type namedGroup struct {
	group int32
	v     float32
	alias bool // a Chinese name or alias, not an English title
}

// leaveOut is a group's sentences taken out of the index for the
// leave-out evaluation: the group is matched as if it did not have them.
type leaveOut struct {
	group int32
	units []int32
}

func (l *leaveOut) excludes(u int32) bool { return l != nil && slices.Contains(l.units, u) }

// read splits a description into duty phrases and their known terms. It
// keeps nothing but the phrases' text, for the pairs of the result.
func (x *Index) read(description string) query {
	s, truncated := cut(description)
	q := query{lang: knowledge.EN, truncated: truncated}
	if isChinese(s) {
		q.lang = knowledge.ZH
	}
	var buf []string
	var clauses []string
	for _, sentence := range splitPhrases(s) {
		if len(q.phrases) == MaxPhrases {
			q.truncated = true
			break
		}
		if knowledge.HasHan(sentence) {
			// Read in Simplified, which the word lists and names are in;
			// shown back as the person wrote it.
			if read := x.simplified(sentence); !isBoilerplate(read) {
				buf = x.readPhrase(&q, sentence, read, buf)
			}
			continue
		}
		if isBoilerplate(sentence) {
			continue
		}
		clauses, buf = splitClauses(sentence, x.isVerb, buf)
		for _, text := range clauses {
			if len(q.phrases) == MaxPhrases {
				q.truncated = true
				break
			}
			buf = x.readPhrase(&q, text, text, buf)
		}
	}
	return q
}

// readPhrase adds one duty phrase to q, read from text (Chinese in
// Simplified) and shown as written: its terms and the groups it names; a
// phrase of more than maxPhraseTokens words is several.
func (x *Index) readPhrase(q *query, written, text string, buf []string) []string {
	var ph phrase
	if knowledge.HasHan(text) {
		buf = x.lex.read(text, &ph, buf)
	} else {
		buf = x.lex.readEnglish(text, &ph, buf)
	}
	for _, t := range ph.Seq {
		if leadWords[t] {
			q.leads = true
		}
		q.words++
		if _, ok := x.terms[t]; ok {
			q.known++
		}
	}
	for _, t := range ph.Plain {
		if id, ok := x.terms[t]; ok && !slices.Contains(q.plain, id) {
			q.plain = append(q.plain, id)
		}
	}
	// A long run without a full stop is several duties.
	for first := true; first || len(ph.Terms) > 0; first = false {
		n := min(len(ph.Terms), maxPhraseTokens)
		qp := qphrase{text: written}
		for _, t := range ph.Terms[:n] {
			if id, ok := x.terms[t]; ok && !slices.Contains(qp.terms, id) {
				qp.terms = append(qp.terms, id)
			}
		}
		for _, code := range ph.Titles {
			if gi, ok := x.groupIndex(code); ok {
				qp.named = x.addNamed(qp.named, namedGroup{group: gi, v: 1, alias: true})
			}
		}
		qp.named = x.findTitles(ph.Seq, ph.Raw, ph.Who, qp.named)
		ph.Titles, ph.Seq, ph.Raw, ph.Who = nil, nil, nil, nil
		ph.Terms = ph.Terms[n:]
		if len(qp.terms) == 0 && len(qp.named) == 0 {
			continue
		}
		if len(q.phrases) == MaxPhrases {
			q.truncated = true
			break
		}
		q.phrases = append(q.phrases, qp)
		for _, t := range qp.terms {
			if !slices.Contains(q.all, t) {
				q.all = append(q.all, t)
			}
		}
	}
	return buf
}

// findTitles adds the groups whose titles the stems name, longest title
// first at each word: a title n groups share counts 1/n, a one-word title
// half as much as a longer one. A title that names the person (all the
// phrase is, as a posting's heading, or after "I am a") counts self times
// as much, one that names someone else other times.
func (x *Index) findTitles(seq, raw []string, who []int8, named []namedGroup) []namedGroup {
	for i := 0; i < len(seq); i++ {
		for n := min(x.titleMax, len(seq)-i); n >= 1; n-- {
			key := joinWords(seq[i : i+n])
			if n == 1 {
				key = oneWordTitle(raw[i])
			}
			gs, ok := x.titles[key]
			if !ok {
				continue
			}
			v := float32(1) / float32(len(gs))
			if n == 1 {
				v /= 2
			}
			switch {
			case i < len(who) && who[i] == whoOther:
				v *= float32(x.p.other)
			case i < len(who) && who[i] == whoSelf, i == 0 && n == len(seq):
				v *= float32(x.p.self)
			}
			for _, g := range gs {
				named = x.addNamed(named, namedGroup{group: g, v: v})
			}
			i += n - 1
			break
		}
	}
	return named
}

// addNamed adds a group named, weighted by how it is named: an alias
// counts as p.alias, a title as p.named.
func (x *Index) addNamed(named []namedGroup, ng namedGroup) []namedGroup {
	w := x.p.named
	if ng.alias {
		w = x.p.alias
	}
	ng.v *= float32(w)
	for i := range named {
		if named[i].group == ng.group {
			named[i].v = max(named[i].v, ng.v)
			return named
		}
	}
	return append(named, ng)
}

// isVerb reports whether a word is one the duties of NOC 2021 begin with
// ("classify", "operate", "prepare").
func (x *Index) isVerb(w string) bool { return !stopwords[w] && x.verbs[stem(w)] }

// leadWords are the stems of the words people use for managing or
// supervising others.
var leadWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"supervise", "supervisor", "manage", "manager", "oversee", "head", "direct", "director", "foreman", "forewoman", "charge"} {
		m[stem(w)] = true
	}
	return m
}()

func isBoilerplate(phrase string) bool {
	l := strings.ToLower(phrase)
	return containsAny(l, boilerplate) || containsAny(l, postingWords) && containsAny(l, postingCues)
}

func containsAny(s string, subs []string) bool {
	for _, b := range subs {
		if strings.Contains(s, b) {
			return true
		}
	}
	return false
}

func (x *Index) groupIndex(code string) (int32, bool) {
	i, ok := slices.BinarySearchFunc(x.groups, code, func(g group, c string) int { return strings.Compare(g.code, c) })
	return int32(i), ok
}

// scratch is one match's working memory, reused through a pool and left
// zeroed.
type scratch struct {
	gtouched  []int32   // groups with a bag
	bag       []float32 // per group: BM25F, or the title cosine
	score     []float64 // per group
	scored    []int32   // groups with a score
	named     []float32 // per group: how strongly the description names it
	tf        []float32 // per group: one term's weighted frequency (BM25F)
	tfTouched []int32
	// The parts of a group's score, which the re-ranker reads: the
	// phrases' saturated coverage, the whole description's BM25F
	// relative to the best, the title cosine.
	cover, whole, tcos []float32
	covered            []uint8 // phrases of two words or more a group covers (coveredRatio)
	// slot is each candidate group's place in the re-ranker's list, -1
	// for others.
	slot []int16
	// mark is, per term, the number of the phrase pairs last marked it
	// (gen): a phrase's terms are those marked with the current gen.
	mark []uint32
	gen  uint32
	// held is, per title, the squared idf of its terms the description
	// holds (for the one-title signal); heldTouched the titles with some.
	held        []float32
	heldTouched []int32
	// ex is what the leave-out evaluation takes out of the index for this
	// match (nil in use), as score read it.
	ex *exclusion
}

func (x *Index) newScratch() *scratch {
	n := len(x.groups)
	sc := &scratch{bag: make([]float32, n), score: make([]float64, n), named: make([]float32, n), tf: make([]float32, n),
		cover: make([]float32, n), covered: make([]uint8, n), whole: make([]float32, n), tcos: make([]float32, n), slot: make([]int16, n),
		mark: make([]uint32, len(x.terms)), held: make([]float32, len(x.one))}
	for i := range sc.slot {
		sc.slot[i] = -1
	}
	return sc
}

// Match returns the k best unit groups for a description (k ≤ 0: 5; at
// most 20, the groups the second stage reads).
func (x *Index) Match(description string, k int) Result {
	return x.match(x.read(description), k, nil)
}

func (x *Index) match(q query, k int, lo *leaveOut) Result {
	if k <= 0 {
		k = defaultTopK
	}
	// The second stage reads the first stage's best candidates groups and
	// no more: the scores are among them, whatever k asks.
	k = min(k, candidates)
	r := Result{Lang: q.lang, Phrases: len(q.phrases), Truncated: q.truncated, Words: q.words, Known: q.known, terms: len(q.all)}
	if len(q.phrases) == 0 {
		return r
	}
	total := float64(len(q.phrases))*(1-x.p.floor) + x.p.bag + x.p.title
	var named float32
	for _, p := range q.phrases {
		for _, ng := range p.named {
			named = max(named, ng.v)
		}
	}
	total += float64(named)
	x.scoring(q, lo, func(sc *scratch) {
		cs := x.candidatesOf(q, lo, sc, candidates)
		rerank(cs, &x.p.rerank)
		// A softmax over the candidates: the best group's score says how
		// far it stands above the others.
		var sum float64
		for _, c := range cs {
			sum += math.Exp(c.z - cs[0].z)
		}
		for _, c := range cs[:min(k, len(cs))] {
			g := &x.groups[c.group]
			r.Matches = append(r.Matches, Match{Code: g.code, Title: g.title, TEER: g.teer, Lead: g.lead,
				Score: math.Exp(c.z-cs[0].z) / sum, share: min(1, c.score/total), Pairs: c.pairs, covered: c.covered})
		}
	})
	return r
}

// scoring runs the first stage for q in a pooled scratch, calls f with
// it, and leaves the scratch clean for the next match.
func (x *Index) scoring(q query, lo *leaveOut, f func(sc *scratch)) {
	sc := x.pool.Get().(*scratch)
	defer x.pool.Put(sc)
	x.score(q, lo, sc)
	defer x.clear(sc)
	f(sc)
}

// score fills sc.score with each group's raw score and sc.scored with the
// groups that have one.
func (x *Index) score(q query, lo *leaveOut, sc *scratch) {
	add := func(g int32, v float64) {
		if sc.score[g] == 0 && v > 0 {
			sc.scored = append(sc.scored, g)
		}
		sc.score[g] += v
	}
	ex := x.exclude(lo)
	sc.ex = ex // for the second stage
	for _, ph := range q.phrases {
		// Each phrase counts once for a group, saturated: its BM25F b
		// counts b/(b+sat), up to 1 however many of its words the group
		// repeats.
		x.fields.scores(ph.terms, ex, sc)
		var best float64
		for _, g := range sc.gtouched {
			b := float64(sc.bag[g])
			best = max(best, b/(b+x.p.sat)-x.p.floor)
		}
		for _, g := range sc.gtouched {
			b := float64(sc.bag[g])
			v := max(0, b/(b+x.p.sat)-x.p.floor)
			add(g, v)
			sc.cover[g] += float32(v)
			// The phrase is covered by the groups it points to most.
			if v > 0 && v >= coveredRatio*best && len(ph.terms) >= 2 {
				sc.covered[g]++
			}
			sc.bag[g] = 0
		}
		sc.gtouched = sc.gtouched[:0]
		for _, ng := range ph.named {
			sc.named[ng.group] = max(sc.named[ng.group], ng.v)
		}
	}
	// The whole description: BM25F over each group's text, relative to
	// the best; and the cosine against each group's titles.
	if top := x.fields.scores(q.all, ex, sc); top > 0 {
		for _, g := range sc.gtouched {
			add(g, x.p.bag*float64(sc.bag[g]/top))
			if sc.score[g] != 0 { // listed in sc.scored, so clear resets it
				sc.whole[g] = sc.bag[g] / top
			}
			sc.bag[g] = 0
		}
	}
	sc.gtouched = sc.gtouched[:0]
	qn := x.length(q.all)
	for _, t := range q.all {
		w := x.idf[t] * x.idf[t]
		for _, g := range x.tpost[t] {
			if sc.bag[g] == 0 {
				sc.gtouched = append(sc.gtouched, g)
			}
			sc.bag[g] += w
		}
	}
	for _, g := range sc.gtouched {
		cos := sc.bag[g] / (qn * x.tnorm[g])
		add(g, x.p.title*float64(cos))
		if sc.score[g] != 0 {
			sc.tcos[g] = cos
		}
		sc.bag[g] = 0
	}
	sc.gtouched = sc.gtouched[:0]
	for g, v := range sc.named {
		if v > 0 {
			add(int32(g), float64(v))
		}
	}
	if x.p.level > 0 {
		for _, g := range sc.scored {
			switch {
			case x.groups[g].leads && q.leads:
				sc.score[g] *= 1 + x.p.level
			case x.groups[g].leads:
				sc.score[g] *= 1 - x.p.level*x.p.levelDown
			}
		}
	}
}

// top returns the k groups of highest score, best first; ties go to the
// lower code, so results are deterministic.
func (x *Index) top(sc *scratch, k int) []int32 {
	out := make([]int32, 0, k+1)
	better := func(a, b int32) bool {
		if sc.score[a] != sc.score[b] {
			return sc.score[a] > sc.score[b]
		}
		return a < b
	}
	for _, g := range sc.scored {
		if len(out) == k && !better(g, out[k-1]) {
			continue
		}
		i, _ := slices.BinarySearchFunc(out, g, func(e, t int32) int {
			if better(e, t) {
				return -1
			}
			return 1
		})
		out = slices.Insert(out, i, g)
		if len(out) > k {
			out = out[:k]
		}
	}
	return out
}

func (x *Index) clear(sc *scratch) {
	for _, g := range sc.scored {
		sc.score[g] = 0
		sc.cover[g], sc.whole[g], sc.tcos[g], sc.covered[g] = 0, 0, 0, 0
	}
	clear(sc.named)
	sc.ex = nil
	sc.scored = sc.scored[:0]
}

// pairs matches each phrase to the group's sentence it is most like,
// keeping those alike enough and sharing two words or more (one, for a
// phrase of one or two), best first; a sentence shown for one phrase
// is not shown again for a weaker one.
func (x *Index) pairs(q query, gi int32, lo *leaveOut, sc *scratch) []Pair {
	g := &x.groups[gi]
	var out []Pair
	for _, ph := range q.phrases {
		qn := x.length(ph.terms)
		if qn == 0 {
			continue
		}
		// The phrase's terms are marked with a number of their own, so
		// each sentence's terms are looked up, not searched for.
		if sc.gen++; sc.gen == 0 { // wrapped: old marks could match
			clear(sc.mark)
			sc.gen = 1
		}
		for _, t := range ph.terms {
			sc.mark[t] = sc.gen
		}
		var best float32
		bestU := int32(-1)
		for _, u := range g.units {
			if lo.excludes(u) || x.units[u].sentence == 0 {
				continue // the lead statement counts in the score, but is no duty to show
			}
			var dot float32
			shared := 0
			for _, t := range x.units[u].terms {
				if sc.mark[t] == sc.gen {
					dot += x.idf[t] * x.idf[t]
					shared++
				}
			}
			// One word in common is no pair for a phrase of three or more
			// ("I teach grade 10 math" is not "May supervise student
			// teachers").
			if need := min(2, max(1, len(ph.terms)-1)); shared < need {
				continue
			}
			if sim := dot / (qn * x.units[u].norm); sim > best {
				best, bestU = sim, u
			}
		}
		if bestU >= 0 && best >= MinPairSim {
			out = append(out, Pair{Phrase: ph.text, Duty: g.shown(x.units[bestU].sentence), Similarity: float64(best), terms: len(ph.terms)})
		}
	}
	slices.SortStableFunc(out, func(a, b Pair) int { return cmp.Compare(b.Similarity, a.Similarity) })
	seen := map[string]bool{}
	return slices.DeleteFunc(out, func(p Pair) bool {
		dup := seen[p.Duty]
		seen[p.Duty] = true
		return dup
	})
}
