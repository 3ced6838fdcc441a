package intents

import (
	"fmt"
	"maps"
	"slices"

	"github.com/nocbot/nocbot/internal/wire"
)

// matcherSnapshotVersion changes whenever the snapshot's layout does.
const matcherSnapshotVersion = 2

// AppendSnapshot writes what training and the profiles made of the
// matcher — the model's weights and calibration, the vocabulary typos are
// corrected against and the occupations no profile covers — so
// ReadMatcherSnapshot gives the same matcher back without training.
func (m *Matcher) AppendSnapshot(w *wire.Writer) {
	w.Uint(matcherSnapshotVersion)
	classes := make([]string, len(m.model.classes))
	for i, c := range m.model.classes {
		classes[i] = string(c)
	}
	w.Strings(classes)
	var feats []uint32
	for f, r := range m.model.rows.index {
		if r >= 0 {
			feats = append(feats, uint32(f), uint32(r))
		}
	}
	w.Uint(uint64(m.model.rows.n))
	w.Uint32s(feats)
	w.Float32s(m.model.weights)
	w.Float64(m.model.temp[0])
	w.Float64(m.model.temp[1])
	w.Strings(m.norm.vocab.words)
	for _, f := range m.norm.vocab.freq {
		w.Uint(uint64(f))
	}
	w.Strings(slices.Sorted(maps.Keys(m.occupations.en)))
	firsts := slices.Sorted(maps.Keys(m.occupations.zh))
	w.Uint(uint64(len(firsts)))
	for _, r := range firsts {
		w.Strings(m.occupations.zh[r])
	}
	// Which characters OpenCC changes, so a question in Simplified Chinese
	// never loads it.
	trad := make([]uint32, (cjkLast-cjkFirst+1+31)/32)
	for i := range m.norm.trad {
		if m.norm.traditional(rune(cjkFirst + i)) {
			trad[i/32] |= 1 << (i % 32)
		}
	}
	w.Uint32s(trad)
	for _, words := range []map[string]uint8{m.sections.en, m.sections.zh} {
		keys := slices.Sorted(maps.Keys(words))
		w.Strings(keys)
		for _, k := range keys {
			w.Uint(uint64(words[k]))
		}
	}
}

// ReadMatcherSnapshot reads what AppendSnapshot wrote, resolving titles
// with titles: the library the snapshot's matcher was built with.
func ReadMatcherSnapshot(r *wire.Reader, titles TitleFinder, opts ...Option) (*Matcher, error) {
	if v := r.Uint(); v != matcherSnapshotVersion {
		return nil, fmt.Errorf("matcher snapshot version %d, want %d: %w", v, matcherSnapshotVersion, wire.ErrCorrupt)
	}
	classNames := r.Strings()
	classes := All()
	if !slices.Equal(classNames, intentNames(classes)) {
		return nil, fmt.Errorf("matcher snapshot: intents %v, want %v: %w", classNames, classes, wire.ErrCorrupt)
	}
	rows := &featureRows{index: make([]int32, featureCount), n: r.Len(featureCount)}
	for i := range rows.index {
		rows.index[i] = -1
	}
	feats := r.Uint32s()
	for i := 0; i+1 < len(feats); i += 2 {
		if feats[i] >= featureCount || feats[i+1] >= uint32(rows.n) {
			return nil, fmt.Errorf("matcher snapshot: feature %d: %w", feats[i], wire.ErrCorrupt)
		}
		rows.index[feats[i]] = int32(feats[i+1])
	}
	mod := &model{classes: classes, rows: rows, weights: r.Float32s()}
	mod.temp[0], mod.temp[1] = r.Float64(), r.Float64()
	if len(feats)%2 != 0 || len(mod.weights) != rows.n*len(classes) {
		return nil, fmt.Errorf("matcher snapshot: %d weights for %d features: %w", len(mod.weights), rows.n, wire.ErrCorrupt)
	}
	words := r.Strings()
	freq := make([]int32, len(words))
	for i := range freq {
		freq[i] = int32(r.Uint())
	}
	if !slices.IsSorted(words) {
		return nil, fmt.Errorf("matcher snapshot: vocabulary out of order: %w", wire.ErrCorrupt)
	}
	occ := &occupations{en: map[string]bool{}, zh: map[rune][]string{}}
	for _, w := range r.Strings() {
		occ.en[w] = true
	}
	for range r.Len(1 << 20) {
		ws := r.Strings()
		if len(ws) == 0 || ws[0] == "" {
			return nil, fmt.Errorf("matcher snapshot: occupations: %w", wire.ErrCorrupt)
		}
		occ.zh[[]rune(ws[0])[0]] = ws
	}
	trad := r.Uint32s()
	var sections [2]map[string]uint8
	for i := range sections {
		sections[i] = map[string]uint8{}
		for _, k := range r.Strings() {
			v := r.Uint()
			if v < 1 || v > textSections {
				return nil, fmt.Errorf("matcher snapshot: section %d of %q: %w", v, k, wire.ErrCorrupt)
			}
			sections[i][k] = uint8(v)
		}
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("read matcher snapshot: %w", err)
	}
	if len(trad) != (cjkLast-cjkFirst+1+31)/32 {
		return nil, fmt.Errorf("matcher snapshot: %d words of Traditional characters: %w", len(trad), wire.ErrCorrupt)
	}
	m := withOptions(titles, opts)
	m.norm = newNormalizer(vocabularyOf(words, freq))
	for i := range m.norm.trad {
		state := uint32(1)
		if i/32 < len(trad) && trad[i/32]&(1<<(i%32)) != 0 {
			state = 2
		}
		m.norm.trad[i].Store(state)
	}
	m.occupations = occ
	m.model = mod
	m.sections = sectionWords{en: sections[0], zh: sections[1]}
	// The phrase files are embedded beside the snapshot and cheap to read.
	phrases, err := readPhrases(phrasesFS, phrasesDir, m.norm)
	if err != nil {
		return nil, fmt.Errorf("read matcher snapshot: %w", err)
	}
	m.phrases = phrases
	return m, nil
}

func intentNames(is []Intent) []string {
	out := make([]string, len(is))
	for i, c := range is {
		out[i] = string(c)
	}
	return out
}
