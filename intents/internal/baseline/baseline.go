// Package baseline is the plain text classifier nocbot's intent matcher is
// measured against: TF-IDF over character n-grams with multinomial
// logistic regression, the usual first model anyone would try. It knows
// labelled strings and nothing of intents, occupations or languages, so
// it gets no help the matcher's own design does not earn.
package baseline

import (
	"fmt"
	"math"
	"slices"
)

// Settings of the peer: character 1- to 4-grams of the text padded with a
// space at each end, sublinear term frequency, smoothed inverse document
// frequency, L2-normalised rows; L2-regularised logistic regression with
// inverse strength C, trained by full-batch gradient descent with
// Nesterov momentum from zero weights, so training is deterministic.
const (
	MinGram    = 1
	MaxGram    = 4
	C          = 10.0
	iterations = 300
	step       = 2.0
	momentum   = 0.9
)

// Model is a trained peer classifier.
type Model struct {
	labels  []string
	grams   map[string]int32
	idf     []float64
	weights []float64 // len(grams)*len(labels), row-major by gram
	bias    []float64
}

// entry is one non-zero of a TF-IDF row.
type entry struct {
	col int32
	val float64
}

// Train fits the peer to texts labelled with labels (already normalised:
// the peer lowercases nothing itself).
func Train(texts, labels []string) (*Model, error) {
	if len(texts) == 0 || len(texts) != len(labels) {
		return nil, fmt.Errorf("train baseline: %d texts, %d labels", len(texts), len(labels))
	}
	m := &Model{grams: map[string]int32{}}
	classOf := map[string]int{}
	y := make([]int, len(labels))
	for i, l := range labels {
		c, ok := classOf[l]
		if !ok {
			c = len(m.labels)
			classOf[l] = c
			m.labels = append(m.labels, l)
		}
		y[i] = c
	}
	// Document frequencies over a vocabulary in first-seen order.
	var df []int
	counts := make([]map[string]int, len(texts))
	for i, t := range texts {
		counts[i] = gramCounts(t)
		for _, g := range sortedKeys(counts[i]) {
			col, ok := m.grams[g]
			if !ok {
				col = int32(len(df))
				m.grams[g] = col
				df = append(df, 0)
			}
			df[col]++
		}
	}
	n := float64(len(texts))
	m.idf = make([]float64, len(df))
	for col, d := range df {
		m.idf[col] = math.Log((1+n)/(1+float64(d))) + 1
	}
	rows := make([][]entry, len(texts))
	for i := range texts {
		rows[i] = m.row(counts[i])
	}
	m.fit(rows, y)
	return m, nil
}

// Predict returns the most probable label for a normalised text and its
// probability.
func (m *Model) Predict(text string) (label string, prob float64) {
	probs := m.probs(m.row(gramCounts(text)))
	best := 0
	for c, p := range probs {
		if p > probs[best] {
			best = c
		}
	}
	return m.labels[best], probs[best]
}

// gramCounts counts the character n-grams of " text ".
func gramCounts(text string) map[string]int {
	s := " " + text + " "
	var starts []int
	for i := range s {
		starts = append(starts, i)
	}
	starts = append(starts, len(s))
	out := map[string]int{}
	runes := len(starts) - 1
	for i := range runes {
		for n := MinGram; n <= MaxGram && i+n <= runes; n++ {
			g := s[starts[i]:starts[i+n]]
			if n == 1 && g == " " {
				continue
			}
			out[g]++
		}
	}
	return out
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// row is the L2-normalised sublinear TF-IDF row of counted grams; grams
// never seen in training carry nothing.
func (m *Model) row(counts map[string]int) []entry {
	var out []entry
	sum := 0.0
	for _, g := range sortedKeys(counts) {
		col, ok := m.grams[g]
		if !ok {
			continue
		}
		v := (1 + math.Log(float64(counts[g]))) * m.idf[col]
		out = append(out, entry{col, v})
		sum += v * v
	}
	if sum > 0 {
		norm := 1 / math.Sqrt(sum)
		for i := range out {
			out[i].val *= norm
		}
	}
	return out
}

func (m *Model) logits(row []entry, w, bias []float64, out []float64) {
	k := len(m.labels)
	copy(out, bias)
	for _, e := range row {
		r := w[int(e.col)*k : int(e.col)*k+k]
		for c := range out {
			out[c] += r[c] * e.val
		}
	}
}

func (m *Model) probs(row []entry) []float64 {
	out := make([]float64, len(m.labels))
	m.logits(row, m.weights, m.bias, out)
	softmax(out)
	return out
}

func softmax(x []float64) {
	mx := math.Inf(-1)
	for _, v := range x {
		mx = max(mx, v)
	}
	sum := 0.0
	for i, v := range x {
		x[i] = math.Exp(v - mx)
		sum += x[i]
	}
	for i := range x {
		x[i] /= sum
	}
}

// fit minimises the mean cross-entropy plus ||W||²/(2·C·n) (the bias is
// not regularised) by Nesterov-accelerated gradient descent.
func (m *Model) fit(rows [][]entry, y []int) {
	k := len(m.labels)
	dim := len(m.idf) * k
	n := float64(len(rows))
	lambda := 1 / (C * n)
	w, vw := make([]float64, dim), make([]float64, dim)
	b, vb := make([]float64, k), make([]float64, k)
	look, lookB := make([]float64, dim), make([]float64, k)
	gw, gb := make([]float64, dim), make([]float64, k)
	p := make([]float64, k)
	for range iterations {
		for i := range w {
			look[i] = w[i] + momentum*vw[i]
		}
		for c := range b {
			lookB[c] = b[c] + momentum*vb[c]
		}
		for i := range gw {
			gw[i] = lambda * look[i]
		}
		clear(gb)
		for i, row := range rows {
			m.logits(row, look, lookB, p)
			softmax(p)
			p[y[i]]--
			for c := range p {
				p[c] /= n
				gb[c] += p[c]
			}
			for _, e := range row {
				g := gw[int(e.col)*k : int(e.col)*k+k]
				for c := range g {
					g[c] += p[c] * e.val
				}
			}
		}
		for i := range w {
			vw[i] = momentum*vw[i] - step*gw[i]
			w[i] += vw[i]
		}
		for c := range b {
			vb[c] = momentum*vb[c] - step*gb[c]
			b[c] += vb[c]
		}
	}
	m.weights, m.bias = w, b
}

// Labels lists the labels the model was trained on, in first-seen order.
func (m *Model) Labels() []string { return slices.Clone(m.labels) }
