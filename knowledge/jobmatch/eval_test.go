package jobmatch

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/seeds"
)

// The accuracy evaluation runs on the shipped data: all 516 NOC 2021
// unit groups, nocbot's Chinese names, duty word lists and everyday words.
// It measures the matcher and BM25 side by side on
//
//	(a) leave-two-duties-out: for every unit group, two of its duty
//	    sentences are taken out of the index and, unchanged, are the query;
//	(b) descriptions written the way people and postings write them, on
//	    three blind sets, each written by someone who had seen neither the
//	    matcher nor its word lists nor any other set, and never tuned on:
//	    testdata/heldout.tsv, heldout_b.tsv and heldout_c.tsv; and the
//	    development sets testdata/dev.tsv, dev2.tsv and train.tsv, read
//	    while choosing the method and its weights and learnt from by the
//	    second stage.
//
// BM25 is run over the groups' official text (the peer), with the
// English duty word list, and over the same text the matcher reads (the
// everyday words too). It prints the whole table, the goals met or not,
// and fails below the floors.

func shippedIndex(tb testing.TB) (*Index, []knowledge.Profile) {
	tb.Helper()
	lib, err := knowledge.LoadLibrary(seeds.FS(), seeds.NOC2021(), seeds.NOC2021Chinese())
	if err != nil {
		tb.Fatal(err)
	}
	terms, err := LoadTerms(seeds.NOC2021Chinese())
	if err != nil {
		tb.Fatal(err)
	}
	return New(lib.Profiles(), terms), lib.Profiles()
}

// hits counts how often the right group was first, in the first 3 and in
// the first 5.
type hits struct{ n, top1, top3, top5 int }

func (h *hits) add(rank int) {
	h.n++
	if rank < 0 {
		return
	}
	if rank < 1 {
		h.top1++
	}
	if rank < 3 {
		h.top3++
	}
	if rank < 5 {
		h.top5++
	}
}

func (h hits) rate(k int) float64 {
	if h.n == 0 {
		return 0
	}
	switch k {
	case 1:
		return float64(h.top1) / float64(h.n)
	case 3:
		return float64(h.top3) / float64(h.n)
	}
	return float64(h.top5) / float64(h.n)
}

func (h hits) String() string {
	return fmt.Sprintf("%4d  %.3f  %.3f  %.3f", h.n, h.rate(1), h.rate(3), h.rate(5))
}

// rank is the place of the first accepted code in r, -1 when not there.
func rank(r Result, accepted []string) int {
	for i, m := range r.Matches {
		if slices.Contains(accepted, m.Code) {
			return i
		}
	}
	return -1
}

// leaveOutQueries takes two duty sentences of every group out, chosen by a
// fixed random draw (the same every run): the group index without them,
// and the two sentences, unchanged, as a two-phrase description.
func leaveOutQueries(x *Index) []struct {
	lo   leaveOut
	text string
} {
	rng := rand.New(rand.NewPCG(2021, 516))
	var out []struct {
		lo   leaveOut
		text string
	}
	for gi, g := range x.groups {
		var duties []int32 // units of duty sentences, not the lead
		for _, u := range g.units {
			if x.units[u].sentence > 0 {
				duties = append(duties, u)
			}
		}
		if len(duties) < 2 {
			continue
		}
		i := rng.IntN(len(duties))
		j := rng.IntN(len(duties) - 1)
		if j >= i {
			j++
		}
		a, b := duties[i], duties[j]
		text := g.sentences[x.units[a].sentence] + "\n" + g.sentences[x.units[b].sentence]
		out = append(out, struct {
			lo   leaveOut
			text string
		}{leaveOut{group: int32(gi), units: []int32{a, b}}, text})
	}
	return out
}

type labelled struct {
	codes []string
	lang  knowledge.Lang
	text  string
	line  int
}

func readLabelled(tb testing.TB, file string, x *Index) []labelled {
	tb.Helper()
	f, err := os.Open(file)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for ln := 1; sc.Scan(); ln++ {
		l := sc.Text()
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		fields := strings.Split(l, "\t")
		if len(fields) != 3 {
			tb.Fatalf("%s:%d: %d fields, want codes<TAB>lang<TAB>description", file, ln, len(fields))
		}
		codes := strings.Split(fields[0], ",")
		for _, c := range codes {
			if _, ok := x.groupIndex(c); !ok {
				tb.Fatalf("%s:%d: %q is no NOC 2021 unit group", file, ln, c)
			}
		}
		lang, ok := knowledge.ParseLang(fields[1])
		if !ok {
			tb.Fatalf("%s:%d: language %q", file, ln, fields[1])
		}
		out = append(out, labelled{codes: codes, lang: lang, text: fields[2], line: ln})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// method ranks the groups for a description read as q, with lo's
// sentences left out (nil: none).
type method struct {
	name string
	rank func(x *Index, q query, lo *leaveOut) Result
}

var methods = []method{
	{"match", func(x *Index, q query, lo *leaveOut) Result { return x.match(q, 5, lo) }},
	// The matcher's first stage alone, to tell what the learnt second
	// stage adds.
	{"stage1", firstStage},
	// Plain BM25 reads the words as written (a Chinese description through
	// the Chinese term list, or it would read nothing)...
	{"bm25", func(x *Index, q query, lo *leaveOut) Result { return x.bm25Match(q, 5, lo, true, false) }},
	// ...and BM25 with the English term list too, to tell what the
	// scoring adds from what the term list adds.
	{"bm25+terms", func(x *Index, q query, lo *leaveOut) Result { return x.bm25Match(q, 5, lo, false, false) }},
	// ...and BM25 over the groups' text with nocbot's everyday words for
	// them, the same text the matcher reads.
	{"bm25+words", func(x *Index, q query, lo *leaveOut) Result { return x.bm25Match(q, 5, lo, false, true) }},
}

// firstStage ranks by the matcher's first stage, as the second stage
// receives its candidates.
func firstStage(x *Index, q query, lo *leaveOut) Result {
	r := Result{Lang: q.lang}
	if len(q.phrases) == 0 {
		return r
	}
	x.scoring(q, lo, func(sc *scratch) {
		for _, gi := range x.top(sc, 5) {
			r.Matches = append(r.Matches, Match{Code: x.groups[gi].code})
		}
	})
	return r
}

// scores are hits by method and language.
type scores map[string]map[knowledge.Lang]*hits

func (s scores) add(m string, lang knowledge.Lang, rank int) {
	if s[m] == nil {
		s[m] = map[knowledge.Lang]*hits{knowledge.EN: {}, knowledge.ZH: {}}
	}
	s[m][lang].add(rank)
}

// evalSet scores every method on a labelled set, by language; with
// verbose, it logs the matcher's misses.
func evalSet(t testing.TB, x *Index, set []labelled, verbose bool) scores {
	s := scores{}
	for _, ex := range set {
		q := x.read(ex.text)
		for _, m := range methods {
			r := m.rank(x, q, nil)
			rk := rank(r, ex.codes)
			s.add(m.name, ex.lang, rk)
			if verbose && m.name == "match" && rk != 0 {
				var got []string
				for _, m := range r.Matches {
					got = append(got, fmt.Sprintf("%s %.2f", m.Code, m.Score))
				}
				t.Logf("line %d want %v rank %d got %v", ex.line, ex.codes, rk, got)
			}
		}
	}
	return s
}

// evalLeaveOut scores every method on the leave-two-duties-out queries.
func evalLeaveOut(x *Index) scores {
	s := scores{}
	for _, q := range leaveOutQueries(x) {
		lo := q.lo
		query := x.read(q.text)
		want := []string{x.groups[lo.group].code}
		for _, m := range methods {
			s.add(m.name, knowledge.EN, rank(m.rank(x, query, &lo), want))
		}
	}
	return s
}

// blindSets were each written by someone who had seen neither the matcher,
// nor its word lists, nor any other set; no weight or threshold is chosen
// on them. heldout.tsv and heldout_b.tsv were read after some changes
// (the Chinese everyday words, the list and pair rules) were made, so
// heldout_c.tsv, written after them and read once, is the cleanest.
var blindSets = []string{"testdata/heldout.tsv", "testdata/heldout_b.tsv", "testdata/heldout_c.tsv"}

func TestAccuracy(t *testing.T) {
	if testing.Short() {
		t.Skip("the accuracy evaluation reads all of NOC 2021")
	}
	x, _ := shippedIndex(t)
	lo := evalLeaveOut(x)
	verbose := testing.Verbose() && os.Getenv("JOBMATCH_MISSES") != ""
	var devSet []labelled
	for _, f := range trainingSets {
		devSet = append(devSet, readLabelled(t, f, x)...)
	}
	dev := evalSet(t, x, devSet, false)
	var heldSet []labelled
	var perBlind []scores
	for _, f := range blindSets {
		set := readLabelled(t, f, x)
		perBlind = append(perBlind, evalSet(t, x, set, verbose))
		heldSet = append(heldSet, set...)
	}
	held := evalSet(t, x, heldSet, false)

	var table strings.Builder
	table.WriteString("set                              method        n   top1   top3   top5\n")
	rows := func(set string, s scores, lang knowledge.Lang) {
		for _, m := range methods {
			fmt.Fprintf(&table, "%-32s %-10s %s\n", set, m.name, s[m.name][lang])
		}
	}
	rows("(a) leave-two-duties-out", lo, knowledge.EN)
	for i, f := range blindSets {
		name := "(b) blind " + strings.TrimSuffix(strings.TrimPrefix(f, "testdata/"), ".tsv")
		rows(name+" en", perBlind[i], knowledge.EN)
		rows(name+" zh", perBlind[i], knowledge.ZH)
	}
	rows("(b) all blind sets en", held, knowledge.EN)
	rows("(b) all blind sets zh", held, knowledge.ZH)
	rows("    dev en (dev, dev2, train)", dev, knowledge.EN)
	rows("    dev zh (dev, dev2, train)", dev, knowledge.ZH)
	t.Log("\n" + table.String())

	// Every broad category (the first digit of a code) in both languages.
	for _, l := range []knowledge.Lang{knowledge.EN, knowledge.ZH} {
		seen := map[byte]bool{}
		for _, ex := range heldSet {
			if ex.lang == l {
				seen[ex.codes[0][0]] = true
			}
		}
		if len(seen) != 10 {
			t.Errorf("held-out %s covers %d of the 10 broad categories", l, len(seen))
		}
	}
	en, enBM, enWords, zh := held["match"][knowledge.EN], held["bm25"][knowledge.EN], held["bm25+words"][knowledge.EN], held["match"][knowledge.ZH]
	// The goals and floors read the blind sets together: 375 English and
	// 194 Chinese descriptions.
	if en.n+zh.n < 80 {
		t.Errorf("held-out set has %d descriptions, want at least 80", en.n+zh.n)
	}
	// The goals set for the matcher, reported as met or not: on the blind
	// set it does not reach them yet (the closing figures say by how much).
	for _, g := range []struct {
		name      string
		got, goal float64
	}{
		{"English top-1", en.rate(1), 0.80},
		{"English top-3", en.rate(3), 0.95},
		{"English top-1 above BM25", en.rate(1) - enBM.rate(1), 0.10},
		{"English top-1 above BM25 with the everyday words", en.rate(1) - enWords.rate(1), 0.10},
		{"Chinese top-3", zh.rate(3), 0.70},
	} {
		met := "met"
		if g.got < g.goal {
			met = "NOT met"
		}
		t.Logf("goal %s ≥ %.2f: %.3f, %s", g.name, g.goal, g.got, met)
	}
	// Floors a change must not fall below: the three blind sets' figures
	// when the everyday words (English and Chinese) and the second stage
	// were first measured on all of them (EN 0.909 / 0.987, ZH top-3
	// 0.990, 0.040 above BM25 with the everyday words), less a few
	// descriptions of slack, and never below BM25 over the same text.
	for _, f := range []struct {
		name       string
		got, floor float64
	}{
		{"blind English top-1", en.rate(1), 0.89},
		{"blind English top-3", en.rate(3), 0.97},
		{"blind Chinese top-3", zh.rate(3), 0.96},
		{"blind English top-1 less BM25's with the everyday words", en.rate(1) - enWords.rate(1), 0.01},
		{"blind English top-3 less BM25's with the everyday words", en.rate(3) - held["bm25+words"][knowledge.EN].rate(3), 0},
		{"leave-out top-1 less BM25's with the everyday words", lo["match"][knowledge.EN].rate(1) - lo["bm25+words"][knowledge.EN].rate(1), 0},
	} {
		if f.got < f.floor {
			t.Errorf("%s %.3f, want ≥ %.3f", f.name, f.got, f.floor)
		}
	}
}

// Every code of the shipped everyday word lists is a NOC 2021 unit group:
// the index would leave a mistyped one out without a word.
func TestShippedEverydayCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("reads all of NOC 2021")
	}
	x, _ := shippedIndex(t)
	terms, err := LoadTerms(seeds.NOC2021Chinese())
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]bool{}
	for _, tm := range terms {
		if tm.Code == "" {
			continue
		}
		groups[tm.Code] = true
		if _, ok := x.groupIndex(tm.Code); !ok {
			t.Errorf("line %d: %s is no NOC 2021 unit group", tm.Line, tm.Code)
		}
	}
	if len(groups) != x.Groups() {
		t.Errorf("everyday words for %d groups, want all %d", len(groups), x.Groups())
	}
}

// On the shipped data, what is no description of duties matches nothing
// well, and a posting's boilerplate does not hide its duties.
func TestShippedNoGuess(t *testing.T) {
	if testing.Short() {
		t.Skip("reads all of NOC 2021")
	}
	x, _ := shippedIndex(t)
	for _, desc := range []string{"hello", "nurse", "I am a welder", "what is the weather today in Toronto",
		"Trabajo en una oficina y contesto el teléfono todos los días", "Je travaille dans un bureau et je réponds au téléphone",
		"Competitive salary, dental benefits and RRSP matching. Apply now with your resume! We are an equal opportunity employer.",
		"你好", "今天天气怎么样"} {
		if r := x.Match(desc, 3); r.Good() {
			t.Errorf("%q matched %s (%.2f) well", desc, r.Matches[0].Code, r.Matches[0].Score)
		}
	}
	posting := "Line Cook - Full-time, $19/hour. Join our team at a busy downtown bistro! " +
		"Responsibilities: prepare and cook menu items on the grill and saute stations; prep vegetables, sauces and proteins before service; " +
		"follow recipes and plate dishes to our standards; keep the kitchen and walk-in clean and organized. " +
		"We offer staff meals, extended health benefits and paid vacation. Apply now with your resume. We are an equal opportunity employer."
	r := x.Match(posting, 3)
	if !r.Good() || rank(r, []string{"63200", "62200"}) != 0 {
		t.Errorf("a cook's posting: %+v, want 63200 first", r.Matches)
	}
}

// What the answer offers on the development sets (never the blind sets):
// listing after the best only groups a phrase points to, scoring at least
// OfferRatio of the best's, drops many groups the sets do not accept and
// few they do.
func TestOfferedOnDev(t *testing.T) {
	if testing.Short() {
		t.Skip("reads all of NOC 2021")
	}
	x, _ := shippedIndex(t)
	var set []labelled
	for _, f := range trainingSets {
		set = append(set, readLabelled(t, f, x)...)
	}
	var good, inTop3, inOffered, listed, offered int
	for _, ex := range set {
		r := x.Match(ex.text, matchShownInAnswer)
		if !r.Good() {
			continue
		}
		good++
		o := r.Offered(matchShownInAnswer)
		listed += len(r.Matches)
		offered += len(o)
		if rk := rank(r, ex.codes); rk >= 0 && rk < matchShownInAnswer {
			inTop3++
		}
		if rank(Result{Matches: o}, ex.codes) >= 0 {
			inOffered++
		}
	}
	t.Logf("dev: %d descriptions matched well; an accepted group in the first 3 for %d, among those offered for %d; %d groups listed, %d offered",
		good, inTop3, inOffered, listed, offered)
	// When the ratio was chosen: of 603 matched well, 593 had an accepted
	// group in the first 3 and 583 among those offered; 843 of 1,809
	// groups listed were offered. Floors with a little slack: at least 97%
	// of the accepted groups in the first 3 still offered, at most 50% of
	// the groups.
	if good == 0 || inOffered*100 < inTop3*97 || offered*100 > listed*50 {
		t.Errorf("offered an accepted group for %d of %d (first 3: %d), %d of %d groups", inOffered, good, inTop3, offered, listed)
	}
}

// matchShownInAnswer is how many groups the chat answer lists at most.
const matchShownInAnswer = 3
