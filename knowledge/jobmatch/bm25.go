package jobmatch

import "math"

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

func newBM25(x *Index, titleTerms [][]int32, titleTF [][]uint16) bm25 {
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
		for i, t := range titleTerms[gi] {
			add(int32(gi), t, titleTF[gi][i])
		}
	}
	var total float64
	for _, l := range b.length {
		total += float64(l)
	}
	b.avg = total / float64(max(1, len(b.length)))
	n := float64(len(x.groups))
	for t, p := range b.post {
		df := float64(len(p))
		b.idf[t] = math.Log(1 + (n-df+0.5)/(df+0.5))
	}
	return b
}

// exclusion is what the left-out sentences of a group held, to take out
// of its text; nil when nothing is left out.
type exclusion struct {
	group int32
	tf    map[int32]int32
	len   float32
}

func (b *bm25) exclude(x *Index, lo *leaveOut) *exclusion {
	if lo == nil {
		return nil
	}
	ex := &exclusion{group: lo.group, tf: map[int32]int32{}}
	for _, u := range lo.units {
		for i, t := range x.units[u].terms {
			ex.tf[t] += int32(x.units[u].tf[i])
			ex.len += float32(x.units[u].tf[i])
		}
	}
	return ex
}

// scores adds each group's BM25 for the distinct terms to sc.bag, lists
// the groups in sc.gtouched (after those already there) and returns the
// highest score.
func (b *bm25) scores(terms []int32, ex *exclusion, sc *scratch) float32 {
	var top float32
	for _, t := range terms {
		for _, p := range b.post[t] {
			tf, length := float64(p.tf), float64(b.length[p.group])
			if ex != nil && p.group == ex.group {
				tf -= float64(ex.tf[t])
				length -= float64(ex.len)
				if tf <= 0 {
					continue
				}
			}
			v := float32(b.idf[t] * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*length/b.avg)))
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
// or with the words the English term list adds.
func (x *Index) bm25Match(q query, k int, lo *leaveOut, plain bool) Result {
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
	x.bm.scores(terms, x.bm.exclude(x, lo), sc)
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
