package facts

import (
	"os"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/nocbot/nocbot/knowledge"
)

// fixtureLibrary is the FLYabroad 1252 profile (a frozen copy) beside the
// NOC 2021 fixture set of ten unit groups.
var fixtureLibrary = sync.OnceValues(func() (*knowledge.Library, error) {
	noc := os.DirFS("../testdata/noc2021")
	return knowledge.LoadLibrary(os.DirFS("testdata/flyabroad"), noc, noc)
})

func fixtureIndex(t testing.TB) *Index {
	t.Helper()
	lib, err := fixtureLibrary()
	if err != nil {
		t.Fatal(err)
	}
	x, err := New(lib)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// normalizeForTest stands in for the classifier's normaliser: lower case,
// words and Chinese runs, punctuation dropped.
func normalizeForTest(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r))
	}), " ")
}

func ask(t testing.TB, x *Index, code, question string) Finding {
	t.Helper()
	return x.Find(code, Query{Normalized: normalizeForTest(question), Raw: question})
}

// quoted is the text of a finding's quotes, English and Chinese.
func quoted(f Finding) string {
	var b strings.Builder
	for _, q := range f.Quotes {
		b.WriteString(q.Text.EN + "|" + q.Text.ZH + "\n")
	}
	return b.String()
}

// Questions whose terms the profile holds find the sentences that hold
// them, and only those.
func TestFindHeld(t *testing.T) {
	x := fixtureIndex(t)
	tests := []struct {
		code, question string
		section        Section
		has            string // in the first quote
		literal        bool
		hedged         bool
	}{
		{"12111", "can I work in a clinic?", Lead, "clinics", true, false},
		{"1252", "可以在诊所工作吗", Lead, "诊所", true, false},
		{"12111", "do they need a license?", Requirements, "certification examination which may be required by employers", false, true},
		{"1252", "必须考证吗", Requirements, "认证考试", false, true},
		{"12111", "Will I have to prepare statistics in this job?", Duties, "Prepare medical, social and administrative statistics", true, false},
		{"1252", "这个工作要做统计吗", Duties, "统计", true, false},
		{"12112", "要做统计吗", Duties, "Compile statistics", false, false},
		{"12111", "what is CHIMA?", Requirements, "Canadian Health Information Management Association", true, true},
		{"12111", "what does HIM mean", Lead, "Health information management", true, false},
		{"12111", "do they use information technology (IT)?", Duties, "information technology systems", true, false},
		{"12111", "do they classify diseases", Duties, "Classify and code diseases", true, false},
		{"12111", "is coding part of it", Lead, "collect, code, record", true, false},
		{"1252", "需要工作经验吗", Additional, "经验", true, true},
		{"1252", "大学毕业可以做吗", Requirements, "大学文凭", false, false},
	}
	for _, tt := range tests {
		f := ask(t, x, tt.code, tt.question)
		if len(f.Quotes) == 0 {
			t.Errorf("%s %q: nothing found (terms %v)", tt.code, tt.question, f.Terms)
			continue
		}
		q := f.Quotes[0]
		if q.Section != tt.section || !strings.Contains(q.Text.EN+q.Text.ZH, tt.has) || q.Literal != tt.literal || q.Hedged != tt.hedged {
			t.Errorf("%s %q: first quote %d %q|%q literal %v hedged %v; want %d with %q literal %v hedged %v",
				tt.code, tt.question, q.Section, q.Text.EN, q.Text.ZH, q.Literal, q.Hedged, tt.section, tt.has, tt.literal, tt.hedged)
		}
		checkQuotesHoldTerms(t, tt.question, f)
	}
}

// Questions whose terms the profile does not hold — absent words, near
// misses (clinical is not clinic), words of the question's own framing —
// quote nothing for those terms and name them as missing.
func TestFindNotHeld(t *testing.T) {
	x := fixtureIndex(t)
	tests := []struct {
		code, question string
		missing        []string
		quotes         int
	}{
		{"12111", "do they repair computers?", []string{"repair", "computers"}, 0},
		{"12111", "what will I learn", []string{"learn"}, 0},
		{"12111", "do they need a university degree?", []string{"university", "degree"}, 0},
		{"12111", "do they work with clinicians?", []string{"clinicians"}, 0},
		{"12111", "Does this job involve classification systems like ICD?", []string{"ICD"}, 2},
		{"12111", "is a driver's licence required?", []string{"driver"}, 1},
		{"12111", "do they wear uniforms at the hospital?", []string{"wear", "uniforms"}, 1},
		{"12112", "can I work in a clinic?", []string{"clinic"}, 0},
		{"1252", "要会开车吗", nil, 0},
		{"1252", "需要会说法语吗", []string{"法语"}, 0},
		{"12111", "", nil, 0},
		{"12111", "?!?! 🙂🙂", nil, 0},
	}
	for _, tt := range tests {
		f := ask(t, x, tt.code, tt.question)
		var missing []string
		for _, m := range f.Missing {
			missing = append(missing, m.Asked)
		}
		if strings.Join(missing, ",") != strings.Join(tt.missing, ",") || len(f.Quotes) != tt.quotes {
			t.Errorf("%s %q: missing %v and %d quotes, want %v and %d:\n%s", tt.code, tt.question, missing, len(f.Quotes), tt.missing, tt.quotes, quoted(f))
		}
		checkQuotesHoldTerms(t, tt.question, f)
	}
}

// Across every profile of the fixture and questions about words the
// profiles use and words they do not, a sentence quoted as holding an
// English word in the asker's own words has a word that starts like it:
// "earn" is never found in "learn", "clinic" never in "preclinical".
func TestFindWholeWordsEverywhere(t *testing.T) {
	x := fixtureIndex(t)
	lib, _ := fixtureLibrary()
	words := strings.Fields(`clinic hospital earn learn art code cod statistics stat record care car nurse nursing weld welder
		law laws legislation bill member parliament union pay plan plant manage man age data date classify class sort port report
		supervise vise visa train rain exam test software ware office ice government govern`)
	for _, p := range lib.Profiles() {
		for _, w := range words {
			for _, q := range []string{"do they " + w + "?", "is there " + w + " in this job?", "what about " + w + "?"} {
				f := ask(t, x, p.Code, q)
				checkQuotesHoldTerms(t, q, f)
				for _, quote := range f.Quotes {
					if !quote.Literal {
						continue
					}
					if !hasWordStarting(quote.Text.EN, Stem(w)) {
						t.Errorf("%s %q: quoted %q, which has no word like %q", p.Code, q, quote.Text.EN, w)
					}
				}
			}
		}
	}
}

func hasWordStarting(text, prefix string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if strings.HasPrefix(w, prefix) {
			return true
		}
	}
	return false
}

// checkQuotesHoldTerms: every quote holds at least one asked term, by one
// of the forms the term may take, as a whole word.
func checkQuotesHoldTerms(t *testing.T, question string, f Finding) {
	t.Helper()
	for _, q := range f.Quotes {
		if len(q.Held) == 0 {
			t.Errorf("%q: quote %q holds no term", question, q.Text.EN)
		}
		for _, i := range q.Held {
			if !holdsTerm(q.Sentence, &f.Terms[i], false) {
				t.Errorf("%q: quote %q does not hold %q", question, q.Text.EN, f.Terms[i].Asked)
			}
		}
	}
}

// Acronyms are learnt from the profile: spelled out, "Member of
// Parliament (MP)", or the initials of its words; and found both ways.
func TestAcronyms(t *testing.T) {
	x := fixtureIndex(t)
	tests := []struct {
		code, question, long string
		spelled              bool
		has                  string
	}{
		{"00010", "what does an MP do?", "Member of Parliament", true, "Member of Parliament (MP)"},
		{"12111", "what is CHIMA?", "Canadian Health Information Management Association", false, "Canadian Health Information Management Association national certification"},
		{"12111", "is chima certification needed", "Canadian Health Information Management Association", false, "certification examination"},
		{"12111", "what does HIM stand for", "health information management", false, "Health information management"},
	}
	for _, tt := range tests {
		f := ask(t, x, tt.code, tt.question)
		if len(f.Terms) == 0 || f.Terms[0].Long != tt.long || f.Terms[0].Spelled != tt.spelled || len(f.Quotes) == 0 || !strings.Contains(f.Quotes[0].Text.EN, tt.has) {
			t.Errorf("%s %q: terms %+v, quotes:\n%s", tt.code, tt.question, f.Terms, quoted(f))
		}
	}
	// "him" in lower case is a pronoun, not an acronym.
	for _, term := range ask(t, x, "12111", "can I ask him about it").Terms {
		if term.Long != "" || strings.EqualFold(term.Asked, "him") {
			t.Errorf("a pronoun read as an acronym: %+v", term)
		}
	}
}

// A plain section question names no fact.
func TestSectionQuestionsAskNoFact(t *testing.T) {
	x := fixtureIndex(t)
	for _, q := range []string{"what are the duties?", "what education do I need?", "how do I get promoted?", "what are the job titles",
		"what do they do", "有哪些职责？", "需要什么学历", "怎么晋升", "这个工作是做什么的"} {
		if f := ask(t, x, "1252", q); f.Asked() {
			t.Errorf("%q asks about %v", q, f.Terms)
		}
	}
}

func TestYesNo(t *testing.T) {
	for q, want := range map[string]bool{
		"do they need a license": true, "so can I work in a clinic": true, "is it hard": true, "可以在诊所工作吗": true,
		"有没有考试": true, "what do they do": false, "需要什么学历": false, "怎么晋升": false, "tell me about it": false,
	} {
		if got := yesNo(normalizeForTest(q)); got != want {
			t.Errorf("yesNo(%q) = %v, want %v", q, got, want)
		}
	}
}

func TestModality(t *testing.T) {
	for q, want := range map[string]Modality{
		"do they need a license": AsksNeeded, "is a degree required": AsksNeeded, "do I have to write an exam": AsksNeeded, "必须考证吗": AsksNeeded,
		"需要工作经验吗": AsksNeeded, "can I work in a clinic": AsksPossible, "可以在诊所工作吗": AsksPossible, "is it possible to be promoted": AsksPossible,
		"do they supervise others": AsksWhether, "这个工作要做统计吗": AsksWhether, "do they have offices": AsksWhether,
	} {
		if got := modality(normalizeForTest(q)); got != want {
			t.Errorf("modality(%q) = %d, want %d", q, got, want)
		}
	}
}

func TestStem(t *testing.T) {
	for _, family := range [][]string{
		{"clinic", "clinics"}, {"code", "codes", "coded", "coding", "coder"}, {"classify", "classified", "classification", "classifier"},
		{"supervise", "supervisor", "supervisory", "supervised", "supervision"}, {"statistic", "statistics"},
		{"certify", "certified", "certification", "certificate"}, {"record", "records", "recording"}, {"manage", "manager", "management"},
	} {
		for _, w := range family[1:] {
			if Stem(w) != Stem(family[0]) {
				t.Errorf("Stem(%q) = %q, Stem(%q) = %q", w, Stem(w), family[0], Stem(family[0]))
			}
		}
	}
	for _, pair := range [][2]string{{"clinic", "clinical"}, {"class", "classify"}, {"earn", "learn"}, {"status", "stat"}} {
		if Stem(pair[0]) == Stem(pair[1]) {
			t.Errorf("%q and %q fold together", pair[0], pair[1])
		}
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"They collect data. They are employed by hospitals.", []string{"They collect data.", "They are employed by hospitals."}},
		{"Tools, e.g. software. 2.5 years", []string{"Tools, e.g. software.", "2.5 years"}},
		{"他们收集信息。他们受雇于医院！", []string{"他们收集信息。", "他们受雇于医院！"}},
		{"", nil}, {"   ", nil}, {"no end", []string{"no end"}},
	}
	for _, tt := range tests {
		if got := Split(tt.text); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("Split(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// Every profile of the fixture splits into sentences of its own text, the
// lead statement of 1252 into three paired sentences.
func TestSentences(t *testing.T) {
	x := fixtureIndex(t)
	lead := 0
	for _, s := range x.Sentences("1252") {
		if s.Section == Lead {
			lead++
			if s.Text.EN == "" || s.Text.ZH == "" {
				t.Errorf("unpaired lead sentence %+v", s.Text)
			}
		}
	}
	if lead != 3 {
		t.Errorf("1252 lead: %d sentences, want 3", lead)
	}
	if x.Sentences("99999") != nil {
		t.Error("sentences for a code the library does not have")
	}
}

func TestTermList(t *testing.T) {
	if _, err := parseTerms(termsTSV); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"clinic", "clinic\t", "\t诊所", "clinic,,x\t诊所", "clinic\t诊所,,"} {
		if _, err := parseTerms(bad); err == nil || !strings.Contains(err.Error(), "terms.tsv:1:") {
			t.Errorf("parseTerms(%q): %v, want a terms.tsv:1: error", bad, err)
		}
	}
}

// Any text splits and finds without a panic, and never quotes a sentence
// that holds no term of it.
func FuzzFind(f *testing.F) {
	for _, s := range []string{"can I work in a clinic?", "可以在诊所工作吗", "what is CHIMA?", "HIM", "\xff\xfe", "<b>ICD</b>", "", "?!", "🙂🙂",
		"這個工作要做統計嗎", strings.Repeat("statistics ", 300), "(ABC) Alpha Beta Charlie"} {
		f.Add(s)
	}
	x := fixtureIndex(f)
	f.Fuzz(func(t *testing.T, q string) {
		for _, s := range Split(q) {
			if strings.TrimSpace(s) == "" {
				t.Fatalf("blank sentence from %q", q)
			}
		}
		for _, code := range []string{"1252", "12111"} {
			fd := x.Find(code, Query{Normalized: normalizeForTest(q), Raw: q})
			if len(fd.Terms) > MaxTerms || len(fd.Quotes) > MaxQuotes {
				t.Fatalf("%q: %d terms, %d quotes", q, len(fd.Terms), len(fd.Quotes))
			}
			checkQuotesHoldTerms(t, q, fd)
		}
	})
}

// BenchmarkBuild measures splitting and indexing every profile of the
// fixture set, and the heap it keeps.
func BenchmarkBuild(b *testing.B) {
	lib, err := fixtureLibrary()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		x, err := New(lib)
		if err != nil {
			b.Fatal(err)
		}
		x.BuildAll()
	}
}

// Questions about profiles not split yet, from many goroutines at once,
// split each once and find the same (run with -race).
func TestFindConcurrently(t *testing.T) {
	x := fixtureIndex(t)
	want := quoted(ask(t, fixtureIndex(t), "12111", "can I work in a clinic?"))
	done := make(chan string)
	for range 8 {
		go func() { done <- quoted(ask(t, x, "12111", "can I work in a clinic?")) }()
	}
	for range 8 {
		if got := <-done; got != want {
			t.Errorf("found %q, want %q", got, want)
		}
	}
}

// What a verdict rests on: whether one sentence holds every term (Strong),
// whether it states a requirement, unhedged or hedged, and the question's
// negation carried through; acronyms are marked as names.
func TestFindVerdictGrounds(t *testing.T) {
	x := fixtureIndex(t)
	tests := []struct {
		code, question           string
		negated                  bool
		strong, requires, hedged bool
		acronym                  string // a term marked Acronym
	}{
		{code: "12111", question: "can I do this job without a college diploma?", negated: true, strong: true, requires: true},
		{code: "1252", question: "没有文凭可以做吗", negated: true, strong: true, requires: true},
		{code: "12111", question: "do I not need certification?", negated: true, strong: true, requires: true, hedged: true},
		{code: "12111", question: "do they classify diseases?", strong: true},
		{code: "12111", question: "Do they manage hospitals?"},
		{code: "12111", question: "Do they code cancer?"},
		{code: "12111", question: "what is CHIMA?", strong: true, requires: true, hedged: true, acronym: "CHIMA"},
		{code: "1252", question: "ICD是什么", acronym: "ICD"},
	}
	for _, tt := range tests {
		f := x.Find(tt.code, Query{Normalized: normalizeForTest(tt.question), Raw: tt.question, Negated: tt.negated})
		var requires, hedged bool
		if len(f.Quotes) > 0 {
			requires, hedged = f.Quotes[0].Requires, f.Quotes[0].Hedged
		}
		acronym := ""
		for _, term := range f.Terms {
			if term.Acronym {
				acronym = term.Asked
			}
		}
		if f.Negated != tt.negated || f.Strong() != tt.strong || requires != tt.requires || hedged != tt.hedged || acronym != tt.acronym {
			t.Errorf("%s %q: negated %v strong %v requires %v hedged %v acronym %q, want %v %v %v %v %q:\n%s", tt.code, tt.question,
				f.Negated, f.Strong(), requires, hedged, acronym, tt.negated, tt.strong, tt.requires, tt.hedged, tt.acronym, quoted(f))
		}
	}
}

// A section word alone asks for its section; with any other word it
// does not.
func TestBareSection(t *testing.T) {
	tests := []struct {
		q    string
		want Section
	}{
		{"quals?", Requirements},
		{"Prereqs", Requirements},
		{"reqs", Requirements},
		{"学历?", Requirements},
		{"升职?", Additional},
		{"duties", Duties},
		{"quals for nurses", 0},
		{"hospital", 0},
		{"", 0},
		{"?", 0},
	}
	for _, tt := range tests {
		got, ok := BareSection(normalizeForTest(tt.q))
		if got != tt.want || ok != (tt.want != 0) {
			t.Errorf("BareSection(%q) = %d, %v, want %d", tt.q, got, ok, tt.want)
		}
	}
}
