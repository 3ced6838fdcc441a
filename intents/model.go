package intents

import (
	"math"
	"math/rand/v2"

	"github.com/nocbot/nocbot/knowledge"
)

// model is a multinomial logistic regression over hashed features, one
// weight per (feature, intent). Logistic regression gives probabilities
// that are close to calibrated to begin with; a temperature per language,
// fitted on held-out predictions, makes one confidence threshold mean the
// same in both languages.
type model struct {
	classes []Intent
	rows    *featureRows
	weights []float32 // rows.n x len(classes), row-major
	temp    [2]float64
}

// featureRows maps a hashed feature to its row of weights, for the
// features the training data has (-1 for the others, which carry no
// weight). A few thousand rows instead of a row per hash bucket keep the
// models small: start-up time is mostly memory touched for the first time.
type featureRows struct {
	index []int32 // featureCount entries
	n     int
}

func newFeatureRows(examples []example) *featureRows {
	r := &featureRows{index: make([]int32, featureCount)}
	for i := range r.index {
		r.index[i] = -1
	}
	for _, ex := range examples {
		for _, f := range ex.feats {
			if r.index[f] < 0 {
				r.index[f] = int32(r.n)
				r.n++
			}
		}
	}
	return r
}

type example struct {
	feats []uint32
	class int
	lang  knowledge.Lang
}

// Training settings, chosen on held-out folds of the training data.
const (
	trainEpochs = 6
	learnRate   = 4.0
	l2          = 1e-5
	minGradient = 1e-3
)

func langIndex(l knowledge.Lang) int {
	if l == knowledge.ZH {
		return 1
	}
	return 0
}

// train fits a model to the examples. It is deterministic: the same
// examples give the same weights.
func train(classes []Intent, rows *featureRows, examples []example) *model {
	k := len(classes)
	m := &model{classes: classes, rows: rows, weights: make([]float32, rows.n*k), temp: [2]float64{1, 1}}
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(1252, 2011))
	probs := make([]float64, k)
	steps := make([]float32, k)
	for epoch := range trainEpochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		lr := learnRate / (1 + 0.3*float64(epoch))
		decay := float32(1 - lr*l2)
		for _, idx := range order {
			ex := &examples[idx]
			m.logits(ex.feats, probs)
			softmax(probs, 1)
			scale := featureScale(len(ex.feats))
			active := false
			for c := range k {
				g := probs[c]
				if c == ex.class {
					g -= 1
				}
				// Classes the example no longer moves are skipped: once the
				// model fits, most of a pass is near-zero gradients.
				if math.Abs(g) < minGradient {
					steps[c] = 0
					continue
				}
				steps[c] = float32(lr * g * scale)
				active = true
			}
			if !active {
				continue
			}
			for _, f := range ex.feats {
				r := int(rows.index[f])
				row := m.weights[r*k : r*k+k]
				for c, st := range steps {
					if st != 0 {
						row[c] = row[c]*decay - st
					}
				}
			}
		}
	}
	return m
}

// featureScale normalises an example's feature vector to unit length, so a
// long question does not outvote a short one.
func featureScale(n int) float64 { return 1 / math.Sqrt(float64(n)) }

func (m *model) logits(feats []uint32, out []float64) {
	k := len(m.classes)
	for c := range out {
		out[c] = 0
	}
	for _, f := range feats {
		r := int(m.rows.index[f])
		if r < 0 {
			continue // never seen in training: no weight
		}
		row := m.weights[r*k : r*k+k]
		for c, w := range row {
			out[c] += float64(w)
		}
	}
	scale := featureScale(len(feats))
	for c := range out {
		out[c] *= scale
	}
}

// predict writes calibrated intent probabilities for the features into out.
func (m *model) predict(feats []uint32, lang knowledge.Lang, out []float64) {
	m.logits(feats, out)
	softmax(out, m.temp[langIndex(lang)])
}

func softmax(x []float64, temp float64) {
	mx := math.Inf(-1)
	for _, v := range x {
		mx = max(mx, v)
	}
	sum := 0.0
	for i, v := range x {
		x[i] = math.Exp((v - mx) / temp)
		sum += x[i]
	}
	for i := range x {
		x[i] /= sum
	}
}

// fitTemperature returns the temperature that minimises the negative log
// likelihood of held-out logits (a one-dimensional search on a log scale).
func fitTemperature(logits [][]float64, classes []int) float64 {
	if len(logits) == 0 {
		return 1
	}
	nll := func(t float64) float64 {
		total := 0.0
		for i, l := range logits {
			mx := math.Inf(-1)
			for _, v := range l {
				mx = max(mx, v)
			}
			sum := 0.0
			for _, v := range l {
				sum += math.Exp((v - mx) / t)
			}
			total += math.Log(sum) - (l[classes[i]]-mx)/t
		}
		return total
	}
	// Golden-section search over log(t) in [log 0.05, log 20].
	lo, hi := math.Log(0.05), math.Log(20)
	const phi = 0.6180339887498949
	a, b := hi-phi*(hi-lo), lo+phi*(hi-lo)
	fa, fb := nll(math.Exp(a)), nll(math.Exp(b))
	for range 16 { // the bracket shrinks to 5e-4 of its width
		if fa < fb {
			hi, b, fb = b, a, fa
			a = hi - phi*(hi-lo)
			fa = nll(math.Exp(a))
		} else {
			lo, a, fa = a, b, fb
			b = lo + phi*(hi-lo)
			fb = nll(math.Exp(b))
		}
	}
	return math.Exp((lo + hi) / 2)
}
