package knowledge

import (
	"fmt"
	"maps"
	"slices"

	"github.com/nocbot/nocbot/internal/radix"
	"github.com/nocbot/nocbot/internal/strset"
	"github.com/nocbot/nocbot/internal/wire"
	"github.com/nocbot/nocbot/knowledge/noc2021"
)

// librarySnapshotVersion changes whenever the snapshot's layout does.
const librarySnapshotVersion = 1

// AppendSnapshot writes the whole library — profiles, NOC 2021 with its
// correspondence, the Chinese names and the built title index — to w, so
// UnmarshalLibrary can give it back without parsing or indexing anything.
func (l *Library) AppendSnapshot(w *wire.Writer) {
	w.Uint(librarySnapshotVersion)
	w.Uint(uint64(len(l.profiles)))
	for i := range l.profiles {
		writeProfile(w, &l.profiles[i])
	}
	w.Bool(l.noc != nil)
	if l.noc != nil {
		writeClassification(w, l.noc)
	}
	w.Bool(l.zh != nil)
	if l.zh != nil {
		codes := slices.Sorted(maps.Keys(l.zh.name))
		w.Uint(uint64(len(codes)))
		for _, c := range codes {
			w.String(c)
			w.String(l.zh.name[c])
		}
		codes = slices.Sorted(maps.Keys(l.zh.aliases))
		w.Uint(uint64(len(codes)))
		for _, c := range codes {
			w.String(c)
			w.Strings(l.zh.aliases[c])
		}
	}
	l.titles.appendSnapshot(w)
}

// ReadLibrarySnapshot reads what AppendSnapshot wrote. The library's text
// is substrings of the reader's data.
func ReadLibrarySnapshot(r *wire.Reader) (*Library, error) {
	if v := r.Uint(); v != librarySnapshotVersion {
		return nil, fmt.Errorf("library snapshot version %d, want %d: %w", v, librarySnapshotVersion, wire.ErrCorrupt)
	}
	l := &Library{profiles: make([]Profile, r.Len(1<<20))}
	l.byCode = make(map[string]int, len(l.profiles))
	for i := range l.profiles {
		readProfile(r, &l.profiles[i])
		l.byCode[l.profiles[i].Code] = i
	}
	if r.Bool() {
		l.noc = readClassification(r)
	}
	if r.Bool() {
		n := r.Len(1 << 20)
		l.zh = &ChineseNames{name: make(map[string]string, n), aliases: map[string][]string{}}
		for range n {
			c := r.String()
			l.zh.name[c] = r.String()
		}
		for range r.Len(1 << 20) {
			c := r.String()
			l.zh.aliases[c] = r.Strings()
		}
	}
	l.titles = readTitleIndex(r)
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("read library snapshot: %w", err)
	}
	if l.titles == nil {
		return nil, fmt.Errorf("read library snapshot: title index: %w", wire.ErrCorrupt)
	}
	return l, nil
}

func writeText(w *wire.Writer, t Text) {
	w.String(t.EN)
	w.String(t.ZH)
	w.Bool(t.Heading)
}

func readText(r *wire.Reader) Text {
	return Text{EN: r.String(), ZH: r.String(), Heading: r.Bool()}
}

func writeTexts(w *wire.Writer, ts []Text) {
	w.Uint(uint64(len(ts)))
	for _, t := range ts {
		writeText(w, t)
	}
}

func readTexts(r *wire.Reader) []Text {
	n := r.Len(1 << 20)
	if n == 0 {
		return nil
	}
	out := make([]Text, n)
	for i := range out {
		out[i] = readText(r)
	}
	return out
}

func writeGroup(w *wire.Writer, g Group) {
	w.Uint(uint64(g.Level))
	w.String(g.Code)
	writeText(w, g.Title)
	w.String(g.Definition)
}

func readGroup(r *wire.Reader) Group {
	return Group{Level: Level(r.Uint()), Code: r.String(), Title: readText(r), Definition: r.String()}
}

func writeProfile(w *wire.Writer, p *Profile) {
	w.String(p.Code)
	writeText(w, p.Title)
	writeText(w, p.Lead)
	writeTexts(w, p.ExampleTitles)
	writeText(w, p.DutiesIntro)
	writeTexts(w, p.Duties)
	writeTexts(w, p.Requirements)
	writeTexts(w, p.Additional)
	w.Uint(uint64(len(p.Elsewhere)))
	for _, x := range p.Elsewhere {
		writeText(w, x.Title)
		w.String(x.Code)
		writeText(w, x.Group)
		w.Uint(uint64(x.Level))
	}
	writeTexts(w, p.AllTitles)
	w.String(p.Source)
	w.String(p.File)
	w.String(p.Classification)
	w.String(p.Provider)
	w.Strings(p.Attribution)
	w.Int(int64(p.TEER))
	w.Bool(p.HasTEER)
	w.Bool(p.TitleZHProject)
	w.Uint(uint64(len(p.Hierarchy)))
	for _, g := range p.Hierarchy {
		writeGroup(w, g)
	}
	writeTexts(w, p.Inclusions)
	writeTexts(w, p.Aliases)
}

func readProfile(r *wire.Reader, p *Profile) {
	p.Code = r.String()
	p.Title = readText(r)
	p.Lead = readText(r)
	p.ExampleTitles = readTexts(r)
	p.DutiesIntro = readText(r)
	p.Duties = readTexts(r)
	p.Requirements = readTexts(r)
	p.Additional = readTexts(r)
	if n := r.Len(1 << 20); n > 0 {
		p.Elsewhere = make([]CrossRef, n)
		for i := range p.Elsewhere {
			p.Elsewhere[i] = CrossRef{Title: readText(r), Code: r.String(), Group: readText(r), Level: Level(r.Uint())}
		}
	}
	p.AllTitles = readTexts(r)
	p.Source = r.String()
	p.File = r.String()
	p.Classification = r.String()
	p.Provider = r.String()
	p.Attribution = r.Strings()
	p.TEER = int(r.Int())
	p.HasTEER = r.Bool()
	p.TitleZHProject = r.Bool()
	if n := r.Len(1 << 20); n > 0 {
		p.Hierarchy = make([]Group, n)
		for i := range p.Hierarchy {
			p.Hierarchy[i] = readGroup(r)
		}
	}
	p.Inclusions = readTexts(r)
	p.Aliases = readTexts(r)
}

func writeItems(w *wire.Writer, items []noc2021.Item) {
	w.Uint(uint64(len(items)))
	for _, it := range items {
		w.String(it.Text)
		w.Bool(it.Heading)
	}
}

func readItems(r *wire.Reader) []noc2021.Item {
	n := r.Len(1 << 20)
	if n == 0 {
		return nil
	}
	out := make([]noc2021.Item, n)
	for i := range out {
		out[i] = noc2021.Item{Text: r.String(), Heading: r.Bool()}
	}
	return out
}

func writeClassification(w *wire.Writer, c *noc2021.Classification) {
	w.Uint(uint64(len(c.Groups)))
	for _, g := range c.Groups {
		w.Uint(uint64(g.Level))
		w.String(g.Code)
		w.String(g.Title)
		w.String(g.Definition)
	}
	w.Uint(uint64(len(c.UnitGroups)))
	for _, u := range c.UnitGroups {
		w.String(u.Code)
		w.String(u.Title)
		w.String(u.Lead)
		w.Int(int64(u.TEER))
		w.Strings(u.IllustrativeExamples)
		w.Strings(u.AllExamples)
		w.Strings(u.Inclusions)
		w.Uint(uint64(len(u.Exclusions)))
		for _, x := range u.Exclusions {
			w.String(x.Title)
			w.String(x.Code)
			w.String(x.Group)
		}
		w.String(u.DutiesIntro)
		writeItems(w, u.Duties)
		writeItems(w, u.Requirements)
		w.Strings(u.Additional)
	}
	w.Uint(uint64(len(c.Correspondence)))
	for _, l := range c.Correspondence {
		w.String(l.NOC2016Code)
		w.String(l.NOC2016Title)
		w.String(l.NOC2021Code)
		w.String(l.NOC2021Title)
		w.Strings(l.Changes)
		w.String(l.Notes)
	}
}

func readClassification(r *wire.Reader) *noc2021.Classification {
	groups := make([]noc2021.Group, r.Len(1<<20))
	for i := range groups {
		groups[i] = noc2021.Group{Level: Level(r.Uint()), Code: r.String(), Title: r.String(), Definition: r.String()}
	}
	units := make([]noc2021.UnitGroup, r.Len(1<<20))
	for i := range units {
		u := &units[i]
		u.Code, u.Title, u.Lead, u.TEER = r.String(), r.String(), r.String(), int(r.Int())
		u.IllustrativeExamples, u.AllExamples, u.Inclusions = r.Strings(), r.Strings(), r.Strings()
		if n := r.Len(1 << 20); n > 0 {
			u.Exclusions = make([]noc2021.Exclusion, n)
			for j := range u.Exclusions {
				u.Exclusions[j] = noc2021.Exclusion{Title: r.String(), Code: r.String(), Group: r.String()}
			}
		}
		u.DutiesIntro = r.String()
		u.Duties, u.Requirements = readItems(r), readItems(r)
		u.Additional = r.Strings()
	}
	links := make([]noc2021.Link, r.Len(1<<20))
	for i := range links {
		links[i] = noc2021.Link{NOC2016Code: r.String(), NOC2016Title: r.String(), NOC2021Code: r.String(), NOC2021Title: r.String(), Changes: r.Strings(), Notes: r.String()}
	}
	return noc2021.New(groups, units, links)
}

func (ix *TitleIndex) appendSnapshot(w *wire.Writer) {
	w.Uint(uint64(len(ix.titles)))
	for _, t := range ix.titles {
		w.String(t.Code)
		w.String(t.Listed)
		writeText(w, t.Title)
		w.Uint(uint64(t.Kind))
	}
	w.Uint(uint64(len(ix.entries)))
	for _, e := range ix.entries {
		w.Uint(uint64(e.title))
		w.Bool(e.zh)
		w.Uint(uint64(e.off))
		w.Uint(uint64(e.n))
	}
	w.Int32s(ix.entTerms)
	w.Strings(ix.terms)
	w.Int32s(ix.sigOff)
	w.Int32s(ix.sigPost)
	w.Int32s(ix.allOff)
	w.Int32s(ix.allPost)
	w.Int32s(ix.english)
	hashes := make([]uint32, len(ix.dels))
	terms := make([]int32, len(ix.dels))
	for i, d := range ix.dels {
		hashes[i], terms[i] = d.hash, d.term
	}
	w.Uint32s(hashes)
	w.Int32s(terms)
}

// readTitleIndex reads an index appendSnapshot wrote; nil when it is
// damaged. Term weights and
// entry weights are computed again (a few thousand logarithms), exactly
// as weigh did, rather than stored.
func readTitleIndex(r *wire.Reader) *TitleIndex {
	ix := &TitleIndex{titles: make([]titleEntry, r.Len(1<<24))}
	for i := range ix.titles {
		m := TitleMatch{Code: r.String(), Listed: r.String(), Title: readText(r), Kind: TitleKind(r.Uint())}
		ix.titles[i] = titleEntry{TitleMatch: m, natural: !inverted(m.Title.EN), current: len(m.Code) == 5}
	}
	ix.entries = make([]entry, r.Len(1<<24))
	for i := range ix.entries {
		ix.entries[i] = entry{title: int32(r.Uint()), zh: r.Bool(), off: int32(r.Uint()), n: int32(r.Uint())}
	}
	ix.entTerms = r.Int32s()
	ix.terms = r.Strings()
	ix.sigOff, ix.sigPost = r.Int32s(), r.Int32s()
	ix.allOff, ix.allPost = r.Int32s(), r.Int32s()
	ix.english = r.Int32s()
	hashes, terms := r.Uint32s(), r.Int32s()
	if r.Err() != nil || !ix.valid(hashes, terms) {
		return nil
	}
	ix.dels = make([]delKey, len(hashes))
	for i := range hashes {
		ix.dels[i] = delKey{hashes[i], terms[i]}
	}
	ix.delIndex = radix.NewIndex(ix.dels, delHash)
	ix.vocab = strset.New(ix.terms)
	ix.weight = make([]float32, len(ix.terms))
	df := make([]int32, len(ix.terms))
	for _, t := range ix.entTerms {
		df[t]++
	}
	total := float64(len(ix.entries))
	for id, n := range df {
		ix.weight[id] = termWeight(total, n)
	}
	for i := range ix.entries {
		e := &ix.entries[i]
		for _, t := range ix.entTerms[e.off : e.off+e.n] {
			e.weight += ix.weight[t]
		}
	}
	return ix
}

// valid checks that every number of a read index points where it may, so
// a damaged snapshot gives an error, never a panic at the first question.
func (ix *TitleIndex) valid(hashes []uint32, delTerms []int32) bool {
	nt, ne := int32(len(ix.terms)), int32(len(ix.entries))
	inRange := func(v []int32, n int32) bool {
		return !slices.ContainsFunc(v, func(x int32) bool { return x < 0 || x >= n })
	}
	offsets := func(off []int32, post []int32) bool {
		return len(off) == int(nt)+1 && off[0] == 0 && off[nt] == int32(len(post)) &&
			slices.IsSorted(off) && inRange(post, ne)
	}
	for _, e := range ix.entries {
		if e.title < 0 || int(e.title) >= len(ix.titles) || e.n <= 0 || e.off < 0 || int(e.off)+int(e.n) > len(ix.entTerms) {
			return false
		}
	}
	for _, t := range ix.terms {
		if t == "" {
			return false
		}
	}
	return inRange(ix.entTerms, nt) && inRange(ix.english, nt) && inRange(delTerms, nt) &&
		len(hashes) == len(delTerms) && slices.IsSorted(hashes) && offsets(ix.sigOff, ix.sigPost) && offsets(ix.allOff, ix.allPost)
}
