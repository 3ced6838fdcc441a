package intents

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/nocbot/nocbot/knowledge"
)

// Case is one labelled question of an evaluation set.
type Case struct {
	Intent   Intent
	Lang     knowledge.Lang
	Question string
	// NOC is the code a lookup should resolve to; HasNOC says whether the
	// set states one (a fourth column), so three-column sets score intents
	// only.
	NOC    string
	HasNOC bool
	// Kind is what sort of question it is ("fact", "typo", "compound", ...),
	// from an optional fifth column; "" in sets without one.
	Kind string
	// Also are the further parts a compound question asks, in order, from
	// an optional sixth column (comma-separated intents, out_of_scope
	// included); nil when the set states none.
	Also []Intent
	Line int
}

// ReadCases reads a TSV evaluation set: intent<TAB>lang<TAB>question, with an
// optional fourth column holding the expected lookup code, an optional
// fifth naming the kind of question and an optional sixth listing the
// further parts of a compound. In a set with kinds an empty code column
// states no code. Lines starting with '#' and blank lines are skipped.
func ReadCases(r io.Reader) ([]Case, error) {
	var out []Case
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) < 3 || len(f) > 6 {
			return nil, fmt.Errorf("line %d: want intent<TAB>lang<TAB>question[<TAB>noc[<TAB>kind[<TAB>also]]], got %d fields", line, len(f))
		}
		c := Case{Intent: Intent(f[0]), Lang: knowledge.Lang(f[1]), Question: f[2], Line: line}
		if !c.Intent.Valid() {
			return nil, fmt.Errorf("line %d: unknown intent %q", line, f[0])
		}
		if c.Lang != knowledge.EN && c.Lang != knowledge.ZH {
			return nil, fmt.Errorf("line %d: unknown language %q (want en or zh)", line, f[1])
		}
		if len(f) >= 4 {
			c.NOC = strings.TrimSpace(f[3])
			c.HasNOC = len(f) == 4 || c.NOC != ""
		}
		if len(f) >= 5 {
			c.Kind = strings.TrimSpace(f[4])
			if c.Kind == "" {
				return nil, fmt.Errorf("line %d: empty kind", line)
			}
		}
		if len(f) == 6 {
			for _, a := range strings.Split(f[5], ",") {
				in := Intent(strings.TrimSpace(a))
				if !in.Valid() {
					return nil, fmt.Errorf("line %d: unknown intent %q among the further parts", line, a)
				}
				c.Also = append(c.Also, in)
			}
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read evaluation set: %w", err)
	}
	return out, nil
}

// Miss is a case the matcher got wrong.
type Miss struct {
	Case
	Got Result
}

// Report scores a matcher on an evaluation set.
type Report struct {
	Total, Correct     int
	ByLang             map[knowledge.Lang][2]int // lang -> {correct, total}
	LangCorrect        int
	NOCChecked, NOCOK  int
	Confusion          map[Intent]map[Intent]int // want -> got -> count
	Misses             []Miss
	CodeOnOutOfScope   int // out-of-scope or unknown-title questions that got a code
	WrongLang, WrongNC []Miss
	ByKind             map[string][2]int // kind -> {correct, total}, for sets with kinds
	// PartsChecked are the cases stating their further parts; PartsOK
	// those whose every part, in order, was read (Intent, then Also).
	PartsChecked, PartsOK int
}

// Evaluate classifies every case; a code counts as right when it is the
// one the case expects.
func Evaluate(m *Matcher, cases []Case) Report {
	return EvaluateWith(m, cases, func(got, want string) bool { return got == want })
}

// EvaluateWith is Evaluate with sameOccupation deciding whether the code a
// lookup got names the occupation the case expects: with NOC 2021 loaded,
// 12111 is the right answer to a case written for NOC 2011's 1252.
func EvaluateWith(m *Matcher, cases []Case, sameOccupation func(got, want string) bool) Report {
	return score(cases, m.Classify, sameOccupation)
}

// Score is Evaluate for any classifier: a peer read by the same report.
func Score(cases []Case, classify func(string) Result) Report {
	return score(cases, classify, func(got, want string) bool { return got == want })
}

func score(cases []Case, classify func(string) Result, sameOccupation func(got, want string) bool) Report {
	r := Report{ByLang: map[knowledge.Lang][2]int{}, Confusion: map[Intent]map[Intent]int{}, ByKind: map[string][2]int{}}
	for _, c := range cases {
		got := classify(c.Question)
		if c.Kind != "" {
			k := r.ByKind[c.Kind]
			k[1]++
			if got.Intent == c.Intent {
				k[0]++
			}
			r.ByKind[c.Kind] = k
		}
		if c.Also != nil {
			r.PartsChecked++
			if got.Intent == c.Intent && slices.Equal(got.Also, c.Also) {
				r.PartsOK++
			}
		}
		r.Total++
		bl := r.ByLang[c.Lang]
		bl[1]++
		if got.Intent == c.Intent {
			r.Correct++
			bl[0]++
		} else {
			r.Misses = append(r.Misses, Miss{c, got})
		}
		r.ByLang[c.Lang] = bl
		if got.Lang == c.Lang {
			r.LangCorrect++
		} else {
			r.WrongLang = append(r.WrongLang, Miss{c, got})
		}
		if r.Confusion[c.Intent] == nil {
			r.Confusion[c.Intent] = map[Intent]int{}
		}
		r.Confusion[c.Intent][got.Intent]++
		if c.HasNOC && (c.Intent == Lookup || c.NOC != "") {
			r.NOCChecked++
			if sameOccupation(got.NOC, c.NOC) {
				r.NOCOK++
			} else {
				r.WrongNC = append(r.WrongNC, Miss{c, got})
			}
		}
		if got.NOC != "" && (c.Intent == OutOfScope || c.HasNOC && c.NOC == "") {
			r.CodeOnOutOfScope++
		}
	}
	return r
}

// Accuracy is the share of cases whose intent was right.
func (r Report) Accuracy() float64 { return ratio(r.Correct, r.Total) }

// LangAccuracy is the intent accuracy on the cases of one language.
func (r Report) LangAccuracy(l knowledge.Lang) float64 { return ratio(r.ByLang[l][0], r.ByLang[l][1]) }

// KindAccuracy is the intent accuracy on the cases of one kind.
func (r Report) KindAccuracy(kind string) float64 { return ratio(r.ByKind[kind][0], r.ByKind[kind][1]) }

// Kinds lists the kinds of question the set has, sorted.
func (r Report) Kinds() []string {
	kinds := make([]string, 0, len(r.ByKind))
	for k := range r.ByKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return kinds
}

// PrecisionRecall scores one intent: the share of questions classified as
// it that were it, and the share of its questions classified as it.
func (r Report) PrecisionRecall(in Intent) (precision, recall float64) {
	var got, want int
	for w, row := range r.Confusion {
		got += row[in]
		if w == in {
			for _, n := range row {
				want += n
			}
		}
	}
	hit := r.Confusion[in][in]
	return ratio(hit, got), ratio(hit, want)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// WriteTo prints the report: accuracy overall and per language, language
// detection, lookup codes, a confusion matrix, precision and recall per
// intent, and the misses.
func (r Report) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "accuracy %.3f (%d/%d)\n", r.Accuracy(), r.Correct, r.Total)
	langs := make([]string, 0, len(r.ByLang))
	for l := range r.ByLang {
		langs = append(langs, string(l))
	}
	sort.Strings(langs)
	for _, l := range langs {
		c := r.ByLang[knowledge.Lang(l)]
		fmt.Fprintf(&b, "accuracy[%s] %.3f (%d/%d)\n", l, ratio(c[0], c[1]), c[0], c[1])
	}
	fmt.Fprintf(&b, "language detection %.3f (%d/%d)\n", ratio(r.LangCorrect, r.Total), r.LangCorrect, r.Total)
	if r.NOCChecked > 0 {
		fmt.Fprintf(&b, "lookup codes %.3f (%d/%d)\n", ratio(r.NOCOK, r.NOCChecked), r.NOCOK, r.NOCChecked)
	}
	fmt.Fprintf(&b, "codes given to out-of-scope or unknown titles: %d\n", r.CodeOnOutOfScope)
	for _, k := range r.Kinds() {
		c := r.ByKind[k]
		fmt.Fprintf(&b, "accuracy[kind %s] %.3f (%d/%d)\n", k, ratio(c[0], c[1]), c[0], c[1])
	}
	if r.PartsChecked > 0 {
		fmt.Fprintf(&b, "every part of a compound %.3f (%d/%d)\n", ratio(r.PartsOK, r.PartsChecked), r.PartsOK, r.PartsChecked)
	}

	all := All()
	fmt.Fprintf(&b, "\nconfusion (rows: expected, columns: got)\n%-13s", "")
	for _, g := range all {
		fmt.Fprintf(&b, " %5.5s", g)
	}
	b.WriteString("\n")
	for _, want := range all {
		row := r.Confusion[want]
		if row == nil {
			continue
		}
		fmt.Fprintf(&b, "%-13s", want)
		for _, g := range all {
			fmt.Fprintf(&b, " %5d", row[g])
		}
		b.WriteString("\n")
	}
	b.WriteString("\nintent        precision recall\n")
	for _, in := range all {
		if r.Confusion[in] == nil {
			continue
		}
		p, rc := r.PrecisionRecall(in)
		fmt.Fprintf(&b, "%-13s %9.3f %6.3f\n", in, p, rc)
	}
	if len(r.Misses) > 0 {
		b.WriteString("\nmisses\n")
		for _, m := range r.Misses {
			fmt.Fprintf(&b, "line %d\t%s\t%s (%.2f)\t%q\n", m.Line, m.Intent, m.Got.Intent, m.Got.Confidence, m.Question)
		}
	}
	for _, m := range r.WrongNC {
		fmt.Fprintf(&b, "line %d\tlookup code %q, want %q\t%q\n", m.Line, m.Got.NOC, m.NOC, m.Question)
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}
