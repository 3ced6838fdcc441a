package jobmatch

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/nocbot/nocbot/knowledge"
)

var updateWeights = flag.Bool("update-weights", false, "retrain the re-ranker and write "+weightsFile)

const weightsFile = "rerank_weights.go"

// featureNames name the signals in the generated file, in their order.
func featureNames() [nFeatures]string {
	return [nFeatures]string{"score", "cover", "whole", "titlecos", "named", "lead", "duties", "titles", "everyday", "onetitle", "pairmax", "pairshare", "leadsboth", "leadsgroup", "rank"}
}

// The re-ranker learns from the labelled descriptions of the development
// sets (never the blind ones) and from leave-out queries: for every unit
// group, a few duty sentences taken out of the index, drawn apart from
// the leave-out evaluation's draw.
var (
	trainingSets  = []string{"testdata/dev.tsv", "testdata/dev2.tsv", "testdata/train.tsv"}
	leaveOutDraws = []struct {
		seed   uint64
		duties int
	}{{99, 3}, {98, 2}}
	leaveOutWeight = 0.3 // each leave-out query counts this much beside a written description
)

// trainingQuery is one description's candidates as the second stage sees
// them, and which of them the description's labels accept.
type trainingQuery struct {
	f        []features
	accepted []bool
	weight   float64
	written  bool // a written description, not a leave-out query
	lang     knowledge.Lang
	first    int // the first stage's rank of an accepted group, -1 if none
}

// candidatesFor reads a description the way match does, up to the second
// stage.
func candidatesFor(x *Index, q query, lo *leaveOut, codes []string, weight float64, lang knowledge.Lang) trainingQuery {
	var cs []candidate
	x.scoring(q, lo, func(sc *scratch) { cs = x.candidatesOf(q, lo, sc, candidates) })
	tq := trainingQuery{weight: weight, lang: lang, first: -1}
	for i, c := range cs {
		ok := slices.Contains(codes, x.groups[c.group].code)
		tq.f = append(tq.f, c.f)
		tq.accepted = append(tq.accepted, ok)
		if ok && tq.first < 0 {
			tq.first = i
		}
	}
	return tq
}

func writtenQueries(x *Index, set []labelled) []trainingQuery {
	var out []trainingQuery
	for _, ex := range set {
		tq := candidatesFor(x, x.read(ex.text), nil, ex.codes, 1, ex.lang)
		tq.written = true
		out = append(out, tq)
	}
	return out
}

func leaveOutTraining(x *Index, seed uint64, k int) []trainingQuery {
	rng := rand.New(rand.NewPCG(seed, 7))
	var out []trainingQuery
	for gi, g := range x.groups {
		var duties []int32
		for _, u := range g.units {
			if x.units[u].sentence > 0 {
				duties = append(duties, u)
			}
		}
		if len(duties) <= k {
			continue
		}
		rng.Shuffle(len(duties), func(i, j int) { duties[i], duties[j] = duties[j], duties[i] })
		var text []byte
		for _, u := range duties[:k] {
			text = append(append(text, g.sentences[x.units[u].sentence]...), '\n')
		}
		lo := leaveOut{group: int32(gi), units: slices.Clone(duties[:k])}
		out = append(out, candidatesFor(x, x.read(string(text)), &lo, []string{g.code}, leaveOutWeight, knowledge.EN))
	}
	return out
}

// train fits the weights by pairwise logistic regression: for every
// description, each accepted candidate should outscore each other one.
// Features are standardised while fitting; the weights returned apply to
// the raw features, the last one being the intercept. Plain gradient
// descent from zero, in a fixed order: the same data gives the same
// weights.
func train(qs []trainingQuery) [nFeatures + 1]float64 {
	const (
		iterations = 300
		rate       = 1.0
		l2         = 0.01
	)
	var mean, sd features
	var n float64
	for _, q := range qs {
		for _, f := range q.f {
			for j, v := range f {
				mean[j] += v
			}
			n++
		}
	}
	for j := range mean {
		mean[j] /= n
	}
	for _, q := range qs {
		for _, f := range q.f {
			for j, v := range f {
				sd[j] += (v - mean[j]) * (v - mean[j])
			}
		}
	}
	for j := range sd {
		sd[j] = math.Sqrt(sd[j]/n) + 1e-9
	}
	std := func(f features) features {
		for j := range f {
			f[j] = (f[j] - mean[j]) / sd[j]
		}
		return f
	}
	var total float64
	for _, q := range qs {
		total += q.weight
	}
	var w features
	for range iterations {
		var grad features
		for _, q := range qs {
			var pos, neg []features
			for i, f := range q.f {
				if q.accepted[i] {
					pos = append(pos, std(f))
				} else {
					neg = append(neg, std(f))
				}
			}
			if len(pos) == 0 || len(neg) == 0 {
				continue
			}
			scale := q.weight / total / float64(len(pos)*len(neg))
			for _, p := range pos {
				for _, m := range neg {
					var d float64
					for j := range w {
						d += w[j] * (p[j] - m[j])
					}
					s := scale / (1 + math.Exp(d))
					for j := range grad {
						grad[j] -= s * (p[j] - m[j])
					}
				}
			}
		}
		for j := range w {
			w[j] -= rate * (grad[j] + l2*w[j])
		}
	}
	var out [nFeatures + 1]float64
	for j := range w {
		out[j] = w[j] / sd[j]
		out[nFeatures] -= w[j] * mean[j] / sd[j]
	}
	return out
}

// rerankedRanks scores a set's queries with weights w: hits by language,
// and the first stage's hits for comparison.
func rerankedRanks(qs []trainingQuery, w *[nFeatures + 1]float64) (second, first map[knowledge.Lang]*hits) {
	second = map[knowledge.Lang]*hits{knowledge.EN: {}, knowledge.ZH: {}}
	first = map[knowledge.Lang]*hits{knowledge.EN: {}, knowledge.ZH: {}}
	for _, q := range qs {
		cs := make([]candidate, len(q.f))
		for i := range q.f {
			cs[i] = candidate{group: int32(i), f: q.f[i]}
		}
		rerank(cs, w)
		rk := -1
		for r, c := range cs {
			if q.accepted[c.group] {
				rk = r
				break
			}
		}
		second[q.lang].add(rk)
		first[q.lang].add(q.first)
	}
	return second, first
}

// leaveOutSet is the training's leave-out queries over the shipped
// index, which they read the first stage of.
func leaveOutSet(tb testing.TB) (*Index, []trainingQuery) {
	if testing.Short() {
		tb.Skip("reads all of NOC 2021")
	}
	x, _ := shippedIndex(tb)
	var qs []trainingQuery
	for _, d := range leaveOutDraws {
		qs = append(qs, leaveOutTraining(x, d.seed, d.duties)...)
	}
	return x, qs
}

// TestRerankWeights retrains the re-ranker from the shipped data and the
// development sets and checks that rerank_weights.go holds what it
// learns: a change to the signals or the sets must be followed by
// go test ./knowledge/jobmatch -run TestRerankWeights -update-weights.
func TestRerankWeights(t *testing.T) {
	x, qs := leaveOutSet(t)
	for _, file := range trainingSets {
		qs = append(qs, writtenQueries(x, readLabelled(t, file, x))...)
	}
	w := train(qs)
	if *updateWeights {
		var b bytes.Buffer
		fmt.Fprintf(&b, "// Code generated by go test -run TestRerankWeights -update-weights; DO NOT EDIT.\n\npackage jobmatch\n\n")
		fmt.Fprintf(&b, "// trainedWeights are the second stage's weights, one per signal and\n// the intercept, learnt from %v\n// and %d leave-out queries (rerank_train_test.go).\n", trainingSets, len(qs)-countWritten(qs))
		fmt.Fprintf(&b, "func trainedWeights() *[nFeatures + 1]float64 {\n\treturn &[nFeatures + 1]float64{\n")
		for j, v := range w {
			name := "intercept"
			if j < nFeatures {
				name = featureNames()[j]
			}
			fmt.Fprintf(&b, "\t\t%v, // %s\n", v, name)
		}
		b.WriteString("\t}\n}\n")
		src, err := format.Source(b.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(weightsFile, src, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	shipped := trainedWeights()
	for j, v := range w {
		if math.Abs(v-shipped[j]) > 1e-6*max(1, math.Abs(v)) {
			t.Errorf("weight %d is %v, retrained %v: run go test ./knowledge/jobmatch -run TestRerankWeights -update-weights", j, shipped[j], v)
		}
	}
}

func countWritten(qs []trainingQuery) int {
	n := 0
	for _, q := range qs {
		if q.written {
			n++
		}
	}
	return n
}

// TestRerankCrossValidated measures the second stage on descriptions it
// did not learn from: trained on the leave-out queries and one half of
// the development sets, tested on the other half, both ways. It fails
// when the second stage loses top-1 to the first stage on either half.
func TestRerankCrossValidated(t *testing.T) {
	x, lo := leaveOutSet(t)
	a := writtenQueries(x, append(readLabelled(t, "testdata/dev.tsv", x), readLabelled(t, "testdata/dev2.tsv", x)...))
	b := writtenQueries(x, readLabelled(t, "testdata/train.tsv", x))
	for _, fold := range []struct {
		name        string
		train, test []trainingQuery
	}{
		{"learnt from train.tsv, tested on dev.tsv+dev2.tsv", b, a},
		{"learnt from dev.tsv+dev2.tsv, tested on train.tsv", a, b},
	} {
		w := train(append(slices.Clone(lo), fold.train...))
		second, first := rerankedRanks(fold.test, &w)
		for _, l := range []knowledge.Lang{knowledge.EN, knowledge.ZH} {
			t.Logf("%s, %s: first stage %s, re-ranked %s", fold.name, l, first[l], second[l])
		}
		en, en1 := second[knowledge.EN], first[knowledge.EN]
		if en.rate(1) < en1.rate(1)-0.01 {
			t.Errorf("%s: re-ranked English top-1 %.3f below the first stage's %.3f", fold.name, en.rate(1), en1.rate(1))
		}
	}
}
