package jobmatch

import (
	"cmp"
	"math"
	"slices"
)

// The first stage ranks every group by a few hand-set signals; the
// second reads the best of them again by more signals, weighed by a
// linear model learnt from labelled descriptions (see rerank_train_test.go):
// which groups win between neighbours (secondary and elementary teachers,
// bookkeepers and accounting clerks) is decided there.

// candidates is how many of the first stage's best groups are read again.
const candidates = 20

// The signals the second stage reads, each for one candidate group.
const (
	fScore      = iota // the first stage's score, relative to the best candidate's
	fCover             // the phrases' saturated coverage, per phrase
	fWhole             // the whole description's BM25F, relative to the best group's
	fTitleCos          // cosine of the description and the group's titles
	fNamed             // the group's title or Chinese name written in the description
	fLead              // BM25 against the lead statement alone, relative to the best candidate's
	fDuties            // against the duties alone, likewise
	fTitles            // against the titles alone, likewise
	fEveryday          // against nocbot's everyday words for the group alone, likewise
	fOneTitle          // the share of one title's words (by idf) the description holds, the best title's
	fPairMax           // the best similarity of a phrase and one of the group's duties
	fPairShare         // the share of phrases matching one of its duties
	fLeadsBoth         // the group and the person both manage or supervise
	fLeadsGroup        // the group does, the person does not say so
	fRank              // 1/(1+rank) in the first stage
	nFeatures
)

type features [nFeatures]float64

// candidate is a group the second stage reads, with its signals and the
// pairs of phrases and duties it matched.
type candidate struct {
	group   int32
	f       features
	pairs   []Pair
	score   float64 // the first stage's, for Match.share
	covered int     // phrases the group covers (scratch.covered)
	z       float64 // the second stage's
}

// candidatesOf reads the first stage's n best groups again, from sc as
// score left it.
func (x *Index) candidatesOf(q query, lo *leaveOut, sc *scratch, n int) []candidate {
	top := x.top(sc, n)
	if len(top) == 0 {
		return nil
	}
	cs := make([]candidate, len(top))
	best := sc.score[top[0]]
	for i, g := range top {
		sc.slot[g] = int16(i)
		c := &cs[i]
		c.group, c.score, c.covered = g, sc.score[g], int(sc.covered[g])
		c.f[fScore] = sc.score[g] / best
		c.f[fCover] = float64(sc.cover[g]) / float64(len(q.phrases))
		c.f[fWhole] = float64(sc.whole[g])
		c.f[fTitleCos] = float64(sc.tcos[g])
		c.f[fNamed] = float64(sc.named[g])
		c.f[fRank] = 1 / float64(1+i)
		if x.groups[g].leads {
			if q.leads {
				c.f[fLeadsBoth] = 1
			} else {
				c.f[fLeadsGroup] = 1
			}
		}
		c.pairs = x.pairs(q, g, lo, sc)
		for _, p := range c.pairs {
			c.f[fPairMax] = max(c.f[fPairMax], p.Similarity)
		}
		c.f[fPairShare] = float64(len(c.pairs)) / float64(len(q.phrases))
	}
	x.fieldFeatures(q.all, sc.ex, sc, cs)
	x.oneTitleFeature(q.all, sc, cs)
	for _, c := range cs {
		sc.slot[c.group] = -1
	}
	return cs
}

// fieldFeatures sets each candidate's BM25 against its lead statement,
// duties, titles and everyday words, each field alone, relative to the
// best candidate's.
func (x *Index) fieldFeatures(terms []int32, ex *exclusion, sc *scratch, cs []candidate) {
	b := &x.fields
	var acc [fields][]float64
	for f := range acc {
		acc[f] = make([]float64, len(cs))
	}
	for _, t := range terms {
		idf := b.idfOf(t, ex)
		for _, p := range b.post[t] {
			i := sc.slot[p.group]
			if i < 0 {
				continue
			}
			tf, ok := b.normTF(p, t, ex)
			if !ok {
				continue
			}
			acc[p.field][i] += idf * tf * (bm25K1 + 1) / (tf + bm25K1)
		}
	}
	for f, feature := range [fields]int{fLead, fDuties, fTitles, fEveryday} {
		top := slices.Max(acc[f])
		if top == 0 {
			continue
		}
		for i := range cs {
			cs[i].f[feature] = acc[f][i] / top
		}
	}
}

// oneTitleFeature sets, for each candidate, how much of its best single
// title the description holds: "high school teacher" written whole says
// more than "teacher" and "school" found across the group's titles.
func (x *Index) oneTitleFeature(terms []int32, sc *scratch, cs []candidate) {
	for _, t := range terms {
		w := x.idf[t] * x.idf[t]
		for _, ti := range x.onePost[t] {
			if sc.slot[x.one[ti].group] >= 0 {
				if sc.held[ti] == 0 {
					sc.heldTouched = append(sc.heldTouched, ti)
				}
				sc.held[ti] += w
			}
		}
	}
	for _, ti := range sc.heldTouched {
		w := sc.held[ti]
		sc.held[ti] = 0
		t := &x.one[ti]
		c := &cs[sc.slot[t.group]]
		// A title of rare words counts more than one of common words:
		// the share is weighed by how much the title says.
		share := float64(w/t.mass) * math.Min(1, float64(t.mass)/oneTitleMass)
		c.f[fOneTitle] = max(c.f[fOneTitle], share)
	}
	sc.heldTouched = sc.heldTouched[:0]
}

// oneTitleMass is the squared-idf mass at which a title is specific
// enough to count whole: about two rare words.
const oneTitleMass = 40

// rerank orders the candidates by the second stage's score, best first;
// ties keep the first stage's order.
func rerank(cs []candidate, w *[nFeatures + 1]float64) {
	for i := range cs {
		z := w[nFeatures]
		for j, v := range cs[i].f {
			z += w[j] * v
		}
		cs[i].z = z
	}
	slices.SortStableFunc(cs, func(a, b candidate) int { return cmp.Compare(b.z, a.z) })
}
