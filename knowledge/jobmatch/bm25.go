package jobmatch

import (
	"math"
	"slices"
)

// bm25 is plain Okapi BM25 (k1 = 1.2, b = 0.75) over the same per-group
// text as the matcher (lead statement, duties with their headings,
// titles), the same words and stems, with the whole description as one
// query: the baseline the evaluation measures the matcher against.
type bm25 struct {
	post   [][]groupTF
	length []float32 // per group, in terms
	avg    float64
	idf    []float64
}

type groupTF struct {
	group int32
	tf    int32
}

const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

func newBM25(x *Index, extra []extraField) bm25 {
	b := bm25{post: make([][]groupTF, len(x.idf)), length: make([]float32, len(x.groups)), idf: make([]float64, len(x.idf))}
	add := func(g int32, t int32, n uint16) {
		p := b.post[t]
		if k := len(p) - 1; k >= 0 && p[k].group == g {
			p[k].tf += int32(n)
		} else {
			b.post[t] = append(p, groupTF{group: g, tf: int32(n)})
		}
		b.length[g] += float32(n)
	}
	for gi, g := range x.groups {
		for _, u := range g.units {
			for i, t := range x.units[u].terms {
				add(int32(gi), t, x.units[u].tf[i])
			}
		}
		for _, e := range extra {
			for i, t := range e.terms[gi] {
				add(int32(gi), t, e.tf[gi][i])
			}
		}
	}
	var total float64
	for _, l := range b.length {
		total += float64(l)
	}
	b.avg = total / float64(max(1, len(b.length)))
	n := float64(len(x.groups))
	for t, p := range b.post {
		b.idf[t] = bm25IDF(float64(len(p)), n)
	}
	return b
}

// exclusion is what the left-out sentences of a group held, to take out
// of its text; nil when nothing is left out. A word only they held leaves
// the group's text, so it is rarer by one group: goneText lists those
// words for the lead and duties (BM25F, whose rarity leaves titles
// aside); BM25 tells its own from tf.
type exclusion struct {
	group    int32
	tf       map[int32]int32
	len      float32
	goneText map[int32]bool
}

// exclude is what lo takes out of the index.
func (x *Index) exclude(lo *leaveOut) *exclusion {
	if lo == nil {
		return nil
	}
	ex := &exclusion{group: lo.group, tf: map[int32]int32{}, goneText: map[int32]bool{}}
	for _, u := range lo.units {
		for i, t := range x.units[u].terms {
			ex.tf[t] += int32(x.units[u].tf[i])
			ex.len += float32(x.units[u].tf[i])
		}
	}
	for t, n := range ex.tf {
		if x.fields.textTF(t, lo.group) == n {
			ex.goneText[t] = true
		}
	}
	return ex
}

// tfIn is how often group g's text holds term t.
func (b *bm25) tfIn(t, g int32) int32 {
	p := b.post[t]
	if i, ok := slices.BinarySearchFunc(p, g, func(e groupTF, g int32) int { return int(e.group - g) }); ok {
		return p[i].tf
	}
	return 0
}

// idfOf is term t's idf with ex's sentences out of the index.
func (b *bm25) idfOf(t int32, ex *exclusion) float64 {
	if ex != nil && ex.tf[t] > 0 && b.tfIn(t, ex.group) == ex.tf[t] {
		return bm25IDF(float64(len(b.post[t])-1), float64(len(b.length)))
	}
	return b.idf[t]
}

// bm25IDF is BM25's idf of a word df of n documents hold (at least one).
func bm25IDF(df, n float64) float64 {
	df = max(df, 1)
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

// scores adds each group's BM25 for the distinct terms to sc.bag, lists
// the groups in sc.gtouched (after those already there) and returns the
// highest score.
func (b *bm25) scores(terms []int32, ex *exclusion, sc *scratch) float32 {
	var top float32
	for _, t := range terms {
		idf := b.idfOf(t, ex)
		for _, p := range b.post[t] {
			tf, length := float64(p.tf), float64(b.length[p.group])
			if ex != nil && p.group == ex.group {
				tf -= float64(ex.tf[t])
				length -= float64(ex.len)
				if tf <= 0 {
					continue
				}
			}
			v := float32(idf * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*length/b.avg)))
			if sc.bag[p.group] == 0 {
				sc.gtouched = append(sc.gtouched, p.group)
			}
			sc.bag[p.group] += v
			top = max(top, sc.bag[p.group])
		}
	}
	return top
}

// bm25Match ranks the groups for a query by BM25 over the whole
// description, best first, k of them: over the words as written (plain),
// or with the words the English term list adds; over the groups' NOC
// text, or with their everyday words too (everyday).
func (x *Index) bm25Match(q query, k int, lo *leaveOut, plain, everyday bool) Result {
	r := Result{Lang: q.lang, Phrases: len(q.phrases), Truncated: q.truncated}
	terms := q.all
	if plain {
		terms = q.plain
	}
	if len(terms) == 0 {
		return r
	}
	sc := x.pool.Get().(*scratch)
	defer x.pool.Put(sc)
	b := &x.baselines().plain
	if everyday {
		b = &x.baselines().words
	}
	b.scores(terms, x.exclude(lo), sc)
	for _, g := range sc.gtouched {
		sc.score[g] = float64(sc.bag[g])
		sc.scored = append(sc.scored, g)
		sc.bag[g] = 0
	}
	sc.gtouched = sc.gtouched[:0]
	for _, gi := range x.top(sc, k) {
		g := &x.groups[gi]
		r.Matches = append(r.Matches, Match{Code: g.code, Title: g.title, TEER: g.teer, Score: sc.score[gi]})
	}
	x.clear(sc)
	return r
}
