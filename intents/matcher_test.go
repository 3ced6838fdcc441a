package intents

import (
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/nocbot/nocbot/knowledge"
)

// One matcher for the table tests: training takes tens of milliseconds.
var (
	sharedOnce    sync.Once
	sharedMatcher *Matcher
)

func matcher(t testing.TB) *Matcher {
	t.Helper()
	sharedOnce.Do(func() { sharedMatcher = newMatcher(t) })
	if sharedMatcher == nil {
		t.Fatal("matcher failed to build")
	}
	return sharedMatcher
}

func TestDetectLang(t *testing.T) {
	tests := []struct {
		in   string
		want knowledge.Lang
	}{
		{"what do they do?", knowledge.EN},
		{"需要什么学历", knowledge.ZH},
		{"需要什麼學歷", knowledge.ZH},
		{"health records technician 需要什么证书", knowledge.ZH},
		{"ｅｄｕｃａｔｉｏｎ", knowledge.EN},
		{"１２５２", knowledge.EN},
		{"", knowledge.EN},
		{"1252", knowledge.EN},
		{"👍🏽🇨🇦", knowledge.EN},
		{"\xff\xfe", knowledge.EN},
		{"\xff病历", knowledge.ZH},
	}
	for _, tt := range tests {
		if got := DetectLang(tt.in); got != tt.want {
			t.Errorf("DetectLang(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	m := matcher(t)
	tests := []struct{ in, want string }{
		{"What Are The DUTIES?", "what are the duties"},
		{"ｅｄｕｃａｔｉｏｎ", "education"},
		{"NOC １２５２", "noc 1252"},
		{"需要什麼學歷？", "需要什么学历"},
		{"病歷技師", "病历技师"},
		{"hellooooo!!!", "hello"},
		{"dutiesss", "duties"},
		{"wat r u", "what are you"},
		{"how 2 get promoted", "how to get promoted"},
		{"requirments", "requirements"},
		{"educaton", "education"},
		{"titels", "titles"},
		// Real words near a known word stay what they are.
		{"how do i get a better job", "how do i get a better job"},
		{"can i cancel my application", "can i cancel my application"},
		{"bring", "bring"},
		{"abort", "abort"},
		{"what's the salary", "what is the salary"},
		{"line\x00with\x1bcontrol", "line with control"},
		{"bad \xff\xfe utf-8", "bad utf 8"},
		{"health records technician需要什么证书", "health records technician 需要什么证书"},
		// A number written onto "noc" or "teer" is a word of its own; after
		// "teer", "level" or a number, "2" and "4" are numbers, not "to"
		// and "for".
		{"NOC1252", "noc 1252"},
		{"ＮＯＣ２０２１", "noc 2021"},
		{"noc2021 12111", "noc 2021 12111"},
		{"noc4 nurses", "noc4 nurses"},
		{"noC202A", "noc202a"}, // a word with a digit is never corrected
		{"TEER2", "teer 2"},
		{"is it teer 2 or 4", "is it teer 2 or 4"},
		{"teer 2 and 4 and 2", "teer 2 and 4 and 2"},
		{"teer 2 4", "teer 2 4"},
		{"tier 4", "teer 4"},
		{"level 2", "level 2"},
		{"how 2 get teer 4", "how to get teer 4"},
		{"tips 4 u", "tips for you"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := m.Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	huge := strings.Repeat("education ", 100000)
	if got := m.Normalize(huge); len(got) > MaxQuestionBytes {
		t.Errorf("a 1 MB question normalised to %d bytes, over %d", len(got), MaxQuestionBytes)
	}
}

// The lexicon is searched by bisection: it must stay sorted, without
// repeats, and hold only what correction could touch.
func TestLexicon(t *testing.T) {
	lex := newLexicon(englishWords)
	words := lex.words()
	if len(words) < 30000 {
		t.Fatalf("%d words: the list is cut short", len(words))
	}
	for i, w := range words {
		if len(w) < minTypoLen || len(w) > 24 || strings.Trim(w, "abcdefghijklmnopqrstuvwxyz") != "" {
			t.Errorf("word %d %q: want 4 to 24 letters a-z", i, w)
		}
		if i > 0 && words[i-1] >= w {
			t.Fatalf("words %d and %d (%q, %q) out of order or repeated", i-1, i, words[i-1], w)
		}
	}
	for _, tt := range []struct {
		w    string
		want bool
	}{{"better", true}, {"aardvark", true}, {"zoos", true}, {words[0], true}, {words[len(words)-1], true}, {words[len(words)/2], true}, {"requirments", false}, {"", false}, {"zzzz", false}} {
		if got := lex.has(tt.w); got != tt.want {
			t.Errorf("has(%q) = %v", tt.w, got)
		}
	}
	for _, w := range words {
		if !lex.has(w) || lex.has(w+"q") {
			t.Fatalf("has(%q) or has(%q) is wrong", w, w+"q")
		}
	}
}

func TestClassifyEntitiesAndShortQuestions(t *testing.T) {
	m := matcher(t)
	tests := []struct {
		q      string
		intent Intent
		noc    string
		code   string
	}{
		{"what is the noc code for medical records tech", Lookup, "1252", ""},
		{"病歷技師的NOC代碼是多少", Lookup, "1252", ""},
		{"health records clerk noc", Lookup, "1411", ""},
		{"健康记录员属于哪个NOC", Lookup, "1411", ""},
		{"what's the noc code for a software engineer", Lookup, "", ""},
		{"软件工程师的NOC代码", Lookup, "", ""},
		{"how much does a medical records technician earn", OutOfScope, "", ""},
		{"病历技师工资多少钱一个月", OutOfScope, "", ""},
		{"what are the duties of NOC 1252", Duties, "", "1252"},
		{"１２５２ 的任职要求", Requirements, "", "1252"},
		{"duties", Duties, "", ""},
		{"education", Requirements, "", ""},
		{"promotion", Advancement, "", ""},
		{"titles", Titles, "", ""},
		{"学历", Requirements, "", ""},
		{"晋升", Advancement, "", ""},
		{"职责", Duties, "", ""},
		{"is there demand for this job in vancouver", OutOfScope, "", ""},
		{"how many CRS points would I get", OutOfScope, "", ""},
		{"明天温哥华会下雨吗", OutOfScope, "", ""},
		{"tell me a joke about accountants", OutOfScope, "", ""},
		{"这个工作的就业前景怎么样", OutOfScope, "", ""},
		{"能帮我申请加拿大移民吗", OutOfScope, "", ""},
		// A code is not looked up: the question is about its group.
		{"noc 1252 duties", Duties, "", "1252"},
		{"noc 1252 education", Requirements, "", "1252"},
		{"what is the noc code 1252", Description, "", "1252"},
		{"noc 1252 salary", OutOfScope, "", "1252"},
		{"NOC1252的职责", Duties, "", "1252"},
		{"NOC1252", Description, "", "1252"},
		// The NOC 2021 code, the TEER and what an old code became are one
		// intent, told from a lookup ("what is the NOC code of X") by
		// "2021", "new" or "TEER".
		{"what is the NOC 2021 code for this?", Teer, "", ""},
		{"NOC 2021 是多少", Teer, "", ""},
		{"新的NOC代码是什么", Teer, "", ""},
		{"what's the new code", Teer, "", ""},
		{"TEER level?", Teer, "", ""},
		{"TEER是几", Teer, "", ""},
		{"属于哪个TEER", Teer, "", ""},
		{"what does TEER 2 mean", Teer, "", ""},
		{"is 1252 still valid?", Teer, "", "1252"},
		{"what is 1252 in NOC 2021", Teer, "", "1252"},
		{"old noc 1252 new code", Teer, "", "1252"},
		{"NOC 2016 转 2021", Teer, "", ""},
		{"what's the TEER of an electrician?", Teer, "", ""},
		{"护士的TEER是多少", Teer, "", ""},
		{"welder TEER", Teer, "", ""},
		{"what is the NOC 2021 code of a medical records technician?", Teer, "", ""},
		// An old code and the new classification's name, and nothing else.
		{"1252 noc 2021", Teer, "", "1252"},
		{"noc2021 1253", Teer, "", "1253"},
		// A NOC 2021 code and nothing else is a unit group to describe.
		{"noc2021 12111", Description, "", "12111"},
		{"１２１１１", Description, "", "12111"},
		{"what is the NOC code of a medical records technician?", Lookup, "1252", ""},
		{"what education level is needed", Requirements, "", ""},
		{"is teer 3 eligible for express entry", OutOfScope, "", ""},
	}
	for _, tt := range tests {
		r := m.Classify(tt.q)
		if r.Intent != tt.intent || r.NOC != tt.noc || r.Code != tt.code {
			t.Errorf("%q: got intent %s noc %q code %q (%.2f), want %s %q %q", tt.q, r.Intent, r.NOC, r.Code, r.Confidence, tt.intent, tt.noc, tt.code)
		}
	}
}

// checkResult asserts what every Result promises, whatever the input.
func checkResult(t *testing.T, q string, r Result) {
	t.Helper()
	if !r.Intent.Valid() {
		t.Fatalf("%q: invalid intent %q", q, r.Intent)
	}
	if r.Lang != knowledge.EN && r.Lang != knowledge.ZH {
		t.Fatalf("%q: invalid lang %q", q, r.Lang)
	}
	if math.IsNaN(r.Confidence) || r.Confidence < 0 || r.Confidence > 1 {
		t.Fatalf("%q: confidence %v", q, r.Confidence)
	}
	if r.NOC != "" && (r.Intent != Lookup || len(r.NOC) < 4 || !isNumber(r.NOC)) {
		t.Fatalf("%q: code %q on intent %s", q, r.NOC, r.Intent)
	}
	if len(r.Codes) > 0 && r.Code != r.Codes[0] || len(r.Codes) == 0 && r.Code != "" {
		t.Fatalf("%q: code %q is not the first of %q", q, r.Code, r.Codes)
	}
	for i, c := range r.Codes {
		if !isCode(c) || slices.Contains(r.Codes[:i], c) {
			t.Fatalf("%q: codes %q", q, r.Codes)
		}
	}
	if r.TEER != "" && (len(r.TEER) != 1 || r.TEER < "0" || r.TEER > "5") {
		t.Fatalf("%q: TEER %q", q, r.TEER)
	}
	if !utf8.ValidString(r.Normalized) || len(r.Normalized) > MaxQuestionBytes {
		t.Fatalf("%q: normalised form invalid or too long", q)
	}
	switch r.Topic {
	case NoTopic, TopicPay, TopicImmigration, TopicOutlook, TopicConditions:
	default:
		t.Fatalf("%q: topic %q", q, r.Topic)
	}
	switch r.SmallTalk {
	case NoSmallTalk, Farewell, Acknowledgement, Identity, Insult:
	default:
		t.Fatalf("%q: small talk %q", q, r.SmallTalk)
	}
	if r.LangRequest != "" && r.LangRequest != knowledge.EN && r.LangRequest != knowledge.ZH {
		t.Fatalf("%q: language request %q", q, r.LangRequest)
	}
	if len(r.AlsoTopics) != len(r.Also) {
		t.Fatalf("%q: %d topics for %d further parts", q, len(r.AlsoTopics), len(r.Also))
	}
	if len(r.Also) > 0 {
		all := append([]Intent{r.Intent}, r.Also...)
		topics := append([]Topic{r.Topic}, r.AlsoTopics...)
		for i, in := range all {
			if in != OutOfScope && (!in.Section() || slices.Contains(all[:i], in)) || in != OutOfScope && topics[i] != NoTopic {
				t.Fatalf("%q: compound %v is not distinct sections and out-of-scope parts", q, all)
			}
		}
		if len(all) > MaxSections {
			t.Fatalf("%q: %d sections", q, len(all))
		}
	}
}

func TestClassifyAnyInput(t *testing.T) {
	m := matcher(t)
	for _, q := range []string{"", "   ", "\n\t", strings.Repeat("x", 1<<20), strings.Repeat("病", 1<<19), "\xff\xfe\xfd",
		"\x00\x01\x02\x1b[31m", "<b>hi</b><script>alert(1)</script>", "'; DROP TABLE profiles; --", "????!!!!", "👍🏽👍🏽",
		"0000", "99999999999999999999", "a", "的"} {
		checkResult(t, q, m.Classify(q))
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"需要什麼學歷？", "ｅｄｕｃａｔｉｏｎ １２５２", "wat r u", "hellooooo", "requirments", "what's", "\xff\x00", "a’b", "𠀀𠀁", "ÅÄÖ ß",
		"noc2021", "ＮＯＣ１２５２", "teer2 4", "noc4", "level 2 2"} {
		f.Add(s)
	}
	m := matcher(f)
	f.Fuzz(func(t *testing.T, s string) {
		n := m.Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", s, n)
		}
		if len(n) > 2*MaxQuestionBytes {
			t.Fatalf("Normalize(%q) is %d bytes", s, len(n))
		}
		if strings.Contains(n, "  ") || strings.TrimSpace(n) != n {
			t.Fatalf("Normalize(%q) = %q: stray spaces", s, n)
		}
		// Normalising twice changes nothing more.
		if again := m.Normalize(n); again != n {
			t.Fatalf("Normalize not idempotent: %q -> %q -> %q", s, n, again)
		}
	})
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"需要什么学历", "what is the noc code for medical records tech", "1252", "", "\xff", "salary?",
		"duties and requirements", "他们做什么，需要什么学历？", "a, b, c, d",
		"noc2021 12111", "１２１１１", "NOC 2016 转 2021", "1252 in NOC 2021", "TEER3", "tier 4 or 5", "12111 1252 12111",
		"duties and salary", "你好蠢", "bye", "in english please", "详细一点", "salar*", "=bye",
		strings.Repeat("I moved here. ", 40) + "what education? and the pay?"} {
		f.Add(s)
	}
	m := matcher(f)
	f.Fuzz(func(t *testing.T, s string) {
		checkResult(t, s, m.Classify(s))
	})
}

func evalQuestions(b *testing.B) []string {
	var qs []string
	for _, c := range readEval(b) {
		qs = append(qs, c.Question)
	}
	return qs
}

func BenchmarkClassify(b *testing.B) {
	m, qs := matcher(b), evalQuestions(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Classify(qs[i%len(qs)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "questions/s")
}

func BenchmarkNormalize(b *testing.B) {
	m, qs := matcher(b), evalQuestions(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Normalize(qs[i%len(qs)])
	}
}

func BenchmarkNewMatcher(b *testing.B) {
	data, err := TrainingData()
	if err != nil {
		b.Fatal(err)
	}
	lib := seedLibrary(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewMatcher(data, lib); err != nil {
			b.Fatal(err)
		}
	}
}

func TestOccupationEntity(t *testing.T) {
	m := matcher(t)
	tests := []entityCase{
		{"what education does a dentist need", "dentist"},
		{"how do nurses get promoted", "nurse"},
		{"what do waitresses do", "waitress"},
		{"secretaries duties", "secretary"},
		{"policemen", "policeman"},
		{"护士需要什么学历", "护士"},
		{"外科医生怎么晋升", "外科医生"},  // the longest listed word
		{"软件工程師是做什麼的", "工程师"}, // after Traditional to Simplified
		// A known title, a code, a generic rank or no occupation at all.
		{"what does a medical records technician do", ""},
		{"how do I become a manager", ""},
		{"what about 1253 dentists", ""},
		{"what do they do", ""},
		{"卫生信息管理医生需要什么学历", ""}, // 医生 is in an own title, 卫生信息管理医生
		// The asker's own job is not the subject.
		{"i am a nurse, what education do i need", ""},
		{"I'm a nurse. How do I get promoted?", ""},
		{"as a teacher can i do this job", ""},
		{"i have been a pilot, what are the duties", ""},
		{"我是一名护士，需要什么学历", ""},
		{"作为护士可以做这个工作吗", ""},
		{"i am a nurse, what does a dentist do", "dentist"},
		{"what is a nurse", "nurse"},
		{"", ""},
	}
	checkEntity(t, m, "Occupation", func(r Result) string { return r.Occupation }, tests)
}

// entityCase is a question and what one field of its Result should hold.
type entityCase struct{ q, want string }

// checkEntity asserts one field, read by get, of each question's Result.
func checkEntity(t *testing.T, m *Matcher, name string, get func(Result) string, tests []entityCase) {
	t.Helper()
	for _, tt := range tests {
		if got := get(m.Classify(tt.q)); got != tt.want {
			t.Errorf("Classify(%q).%s = %q, want %q", tt.q, name, got, tt.want)
		}
	}
}

// The matcher reads the profiles through TitleFinder alone: a finder that
// is not a *knowledge.Library still takes the occupations its profiles
// cover off the list.
func TestMatcherReadsProfilesThroughTitleFinder(t *testing.T) {
	data, err := TrainingData()
	if err != nil {
		t.Fatal(err)
	}
	nurses := knowledge.Profile{Code: "3012", Title: knowledge.Text{EN: "Registered nurses", ZH: "注册护士"},
		AllTitles: []knowledge.Text{{EN: "nurse practitioner", ZH: "执业护士"}}}
	m, err := NewMatcher(data, profileFinder{nurses})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ q, want string }{
		{"how do nurses get promoted", ""},
		{"what education does a dentist need", "dentist"},
	} {
		if got := m.Classify(tt.q).Occupation; got != tt.want {
			t.Errorf("Classify(%q).Occupation = %q, want %q", tt.q, got, tt.want)
		}
	}
}

// profileFinder is a TitleFinder of fixed profiles that finds no titles.
type profileFinder []knowledge.Profile

func (f profileFinder) LookupTitle(string) []knowledge.TitleMatch { return nil }
func (f profileFinder) Profiles() []knowledge.Profile             { return f }

// A library with a profile for an occupation takes it off the list.
func TestOccupationsOwnedByAProfile(t *testing.T) {
	nurses := knowledge.Profile{Code: "3012", Title: knowledge.Text{EN: "Registered nurses", ZH: "注册护士"},
		AllTitles: []knowledge.Text{{EN: "nurse practitioner", ZH: "执业护士"}}}
	clerks := knowledge.Profile{Code: "1411", Title: knowledge.Text{EN: "General office support workers", ZH: "一般办公室支援工人"},
		Elsewhere: []knowledge.CrossRef{{Code: "3113", Title: knowledge.Text{EN: "Dentists", ZH: "牙医"}}}}
	o := newOccupations(ownTitleText([]knowledge.Profile{nurses, clerks}))
	for _, tt := range []struct {
		tokens []string
		want   string
	}{
		{[]string{"nurses"}, ""},
		{[]string{"护士需要什么学历"}, ""},
		{[]string{"dentist"}, "dentist"}, // only mentioned as classified elsewhere
		{[]string{"牙医"}, "牙医"},
		{[]string{"pilots"}, "pilot"},
	} {
		if got := o.find(tt.tokens); got != tt.want {
			t.Errorf("find(%q) = %q, want %q", tt.tokens, got, tt.want)
		}
	}
}

// The lists hold what find can match: lower-case singular English words,
// Chinese words, no repeats.
func TestOccupationLists(t *testing.T) {
	for name, list := range map[string]string{"en": occupationsEN, "zh": occupationsZH} {
		words := listLines(list)
		if len(words) < 100 {
			t.Errorf("%s: %d words", name, len(words))
		}
		seen := map[string]bool{}
		for _, w := range words {
			if seen[w] {
				t.Errorf("%s: %q twice", name, w)
			}
			seen[w] = true
			switch name {
			case "en":
				if strings.Trim(w, "abcdefghijklmnopqrstuvwxyz") != "" || singular(w) != w {
					t.Errorf("en: %q is not a lower-case singular word", w)
				}
			case "zh":
				if r, _ := utf8.DecodeRuneInString(w); r < utf8.RuneSelf {
					t.Errorf("zh: %q", w)
				}
			}
		}
	}
}

func TestCompoundQuestions(t *testing.T) {
	m := matcher(t)
	tests := []struct {
		q    string
		want []Intent // Intent then Also; one element: not compound
	}{
		{"what do they do and what education do they need?", []Intent{Description, Requirements}},
		{"duties and requirements", []Intent{Duties, Requirements}},
		{"How do I get promoted & what are the job titles", []Intent{Advancement, Titles}},
		{"他们做什么，需要什么学历？", []Intent{Description, Requirements}},
		{"主要职责和晋升途径", []Intent{Duties, Advancement}},
		{"what are the duties? what about education? and how to advance?", []Intent{Duties, Requirements, Advancement}},
		// One section asked twice, a part that asks no section, too many parts.
		{"what education and certification do they need", []Intent{Requirements}},
		{"what are the duties and responsibilities", []Intent{Duties}},
		// Out-of-scope parts are kept in order; a greeting or a story
		// around the questions is not a part.
		{"what do they do and how much do they earn", []Intent{Description, OutOfScope}},
		{"duties and salary", []Intent{Duties, OutOfScope}},
		{"what's the salary and the education?", []Intent{OutOfScope, Requirements}},
		{"他们做什么，工资多少？", []Intent{Description, OutOfScope}},
		{"你好，我想了解一下病历技师…主要做哪些工作？需要什么学历？以后能升职吗？", []Intent{Duties, Requirements, Advancement}},
		{"duties, duties, duties, duties, education", []Intent{Duties, Requirements}},
		{"duties, education, promotion, titles", nil},
		{"a, b, c, d, e, f, g, h, i, duties", nil},
		{"what is the noc code for medical records technicians and health records clerks", []Intent{Lookup}},
		// TEER is not a section: a question asking it with a section is not
		// split into sections.
		{"what is the TEER and what are the duties", nil},
		{"TEER是几，需要什么学历", nil},
	}
	for _, tt := range tests {
		r := m.Classify(tt.q)
		got := append([]Intent{r.Intent}, r.Also...)
		if tt.want == nil {
			if len(r.Also) > 0 {
				t.Errorf("Classify(%q) = %v, want no compound", tt.q, got)
			}
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Classify(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

// Occupation detection on questions written apart from its lists: a
// wrong occupation refuses a question the profile answers, so precision
// matters most.
func TestOccupationDetection(t *testing.T) {
	m := matcher(t)
	data, err := os.ReadFile("testdata/occupations.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var truePos, falsePos, falseNeg, n int
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		q, want, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("line %q: want question<TAB>occupation", line)
		}
		n++
		got := m.Classify(q).Occupation
		switch {
		case got == want && got != "":
			truePos++
		case got != "" && want == "", got != "" && got != want:
			falsePos++
			t.Logf("%q: found %q, want %q", q, got, want)
		case got == "" && want != "":
			falseNeg++
			t.Logf("%q: found nothing, want %q", q, want)
		}
	}
	precision := float64(truePos) / float64(max(1, truePos+falsePos))
	recall := float64(truePos) / float64(max(1, truePos+falseNeg))
	t.Logf("%d questions: precision %.3f, recall %.3f", n, precision, recall)
	if precision < 1 || recall < 0.9 {
		t.Errorf("precision %.3f (want 1), recall %.3f (want 0.9 or more)", precision, recall)
	}
}

// Codes in questions: 4-digit NOC 2011/2016 codes and 5-digit NOC 2021
// codes, never the years that name a classification, all of them in order.
func TestCodesInQuestions(t *testing.T) {
	m := matcher(t)
	tests := []struct {
		q     string
		codes []string // nil: none
	}{
		{"2021", nil},
		{"NOC 2021", nil},
		{"noc2021", nil},
		{"NOC 2016", nil},
		{"2011", nil},
		{"version 1.0", nil},
		{"NOC 2016 转 2021", nil},
		{"what is the NOC 2021 code for this?", nil},
		{"noc2021 12111", []string{"12111"}},
		{"１２１１１", []string{"12111"}},
		{"ＮＯＣ２０２１ １２１１１", []string{"12111"}},
		{"NOC 99999", []string{"99999"}}, // no such group: the core says so
		{"1252 in NOC 2021", []string{"1252"}},
		{"NOC 2021 code for 1252", []string{"1252"}},
		{"noc1252", []string{"1252"}},
		{"is 12111 the new 1252", []string{"12111", "1252"}},
		{"12111 or 1252 or 12111", []string{"12111", "1252"}},
		{"1253在NOC 2021里是什么", []string{"1253"}},
		{"0011 to 00010", []string{"0011", "00010"}},
		{"123 or 123456 or 2 or 20211", []string{"20211"}},
		{"", nil},
	}
	for _, tt := range tests {
		r := m.Classify(tt.q)
		want := ""
		if len(tt.codes) > 0 {
			want = tt.codes[0]
		}
		if !slices.Equal(r.Codes, tt.codes) || r.Code != want {
			t.Errorf("%q: code %q codes %q, want %q %q", tt.q, r.Code, r.Codes, want, tt.codes)
		}
	}
}

func TestTEERInQuestions(t *testing.T) {
	m := matcher(t)
	tests := []entityCase{
		{"what does TEER 2 mean", "2"},
		{"is it teer 4", "4"},
		{"TEER3", "3"},
		{"tier level 0 jobs", "0"},
		{"teer category 5?", "5"},
		{"TEER 1一般需要什么学历", "1"},
		{"teer 6", ""},
		{"teer 12", ""},
		{"what teer is it", ""},
		{"2 teer", ""},
		{"teer of 1252", ""},
		{"", ""},
	}
	checkEntity(t, m, "TEER", func(r Result) string { return r.TEER }, tests)
}
