package jobmatch

// bm25f is BM25 over a unit group's text read as three fields of their
// own weight and length: the lead statement (what the occupation is and
// where it works, said once), the main duties, and the titles (dozens of
// them, which plain BM25 counts as length against the group). The matcher
// reads phrases with it; the baseline stays plain BM25.
type bm25f struct {
	post [][]fieldTF
	len  [fields][]float32
	avg  [fields]float64
	idf  []float64
	df   []int32 // groups whose lead or duties hold the term
	w    [fields]float64
}

type fieldTF struct {
	group int32
	field uint8
	tf    uint16
}

const (
	fieldLead = iota
	fieldDuties
	fieldTitles
	// fieldEveryday is nocbot's everyday words for the group
	// (EverydayFile).
	fieldEveryday
	fields
)

// inText reports whether a field is one of the group's running text,
// which rarity is counted over.
func inText(f uint8) bool { return f == fieldLead || f == fieldDuties || f == fieldEveryday }

// extraField is a field of every group besides its sentences: its terms
// and their frequencies, by group.
type extraField struct {
	field uint8
	terms [][]int32
	tf    [][]uint16
}

func newBM25F(x *Index, extra []extraField, w [fields]float64) bm25f {
	b := bm25f{post: make([][]fieldTF, len(x.idf)), idf: make([]float64, len(x.idf)), w: w}
	for f := range b.len {
		b.len[f] = make([]float32, len(x.groups))
	}
	df := make([]int32, len(x.idf))
	last := make([]int32, len(x.idf))
	for i := range last {
		last[i] = -1
	}
	add := func(g int32, f uint8, t int32, n uint16) {
		// One posting per group and field: a group's duties are one text.
		if p := b.post[t]; len(p) > 0 && p[len(p)-1].group == g && p[len(p)-1].field == f {
			p[len(p)-1].tf += n
		} else {
			b.post[t] = append(p, fieldTF{group: g, field: f, tf: n})
		}
		b.len[f][g] += float32(n)
		if last[t] != g && inText(f) {
			last[t] = g
			df[t]++
		}
	}
	for gi, g := range x.groups {
		for _, u := range g.units {
			f := uint8(fieldDuties)
			if x.units[u].sentence == 0 {
				f = fieldLead
			}
			for i, t := range x.units[u].terms {
				add(int32(gi), f, t, x.units[u].tf[i])
			}
		}
		for _, e := range extra {
			for i, t := range e.terms[gi] {
				add(int32(gi), e.field, t, e.tf[gi][i])
			}
		}
	}
	// A field's average length is over the groups that have it: a list
	// some groups lack is not shorter for the others.
	for f := range b.avg {
		var total float64
		var have int
		for _, l := range b.len[f] {
			if l > 0 {
				total += float64(l)
				have++
			}
		}
		b.avg[f] = max(1, total/float64(max(1, have)))
	}
	n := float64(len(x.groups))
	// A word's rarity is counted over the lead statements and duties: the
	// titles' dozens of names per group would make every job noun common.
	for t := range b.idf {
		b.idf[t] = bm25IDF(float64(df[t]), n)
	}
	b.df = df
	return b
}

// textTF is how often group g's lead statement and duties hold term t.
func (b *bm25f) textTF(t, g int32) int32 {
	var n int32
	for _, p := range b.post[t] {
		if p.group == g && inText(p.field) {
			n += int32(p.tf)
		}
	}
	return n
}

// idfOf is term t's idf with ex's sentences out of the index.
func (b *bm25f) idfOf(t int32, ex *exclusion) float64 {
	if ex != nil && ex.goneText[t] {
		return bm25IDF(float64(b.df[t]-1), float64(len(b.len[0])))
	}
	return b.idf[t]
}

// normTF is a posting's term frequency normalised by its field's length
// (BM25's b), with ex's sentences out of the index; false when they held
// every occurrence.
func (b *bm25f) normTF(p fieldTF, t int32, ex *exclusion) (float64, bool) {
	tf, length := float64(p.tf), float64(b.len[p.field][p.group])
	if ex != nil && p.group == ex.group && p.field == fieldDuties {
		tf -= float64(ex.tf[t])
		length -= float64(ex.len)
		if tf <= 0 {
			return 0, false
		}
	}
	return tf / (1 - bm25B + bm25B*length/b.avg[p.field]), true
}

// scores adds each group's BM25F for the distinct terms to sc.bag, lists
// the groups in sc.gtouched (after those already there) and returns the
// highest score.
func (b *bm25f) scores(terms []int32, ex *exclusion, sc *scratch) float32 {
	var top float32
	for _, t := range terms {
		idf := b.idfOf(t, ex)
		for _, p := range b.post[t] {
			tf, ok := b.normTF(p, t, ex)
			if !ok {
				continue
			}
			if sc.tf[p.group] == 0 {
				sc.tfTouched = append(sc.tfTouched, p.group)
			}
			sc.tf[p.group] += float32(b.w[p.field] * tf)
		}
		for _, g := range sc.tfTouched {
			tf := float64(sc.tf[g])
			sc.tf[g] = 0
			if sc.bag[g] == 0 {
				sc.gtouched = append(sc.gtouched, g)
			}
			sc.bag[g] += float32(idf * tf * (bm25K1 + 1) / (tf + bm25K1))
			top = max(top, sc.bag[g])
		}
		sc.tfTouched = sc.tfTouched[:0]
	}
	return top
}
