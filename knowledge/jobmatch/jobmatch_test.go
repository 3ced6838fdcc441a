package jobmatch

import (
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nocbot/nocbot/knowledge"
)

// fixtureIndex indexes the ten NOC 2021 unit groups of the knowledge
// fixture (00010, 10020, 11100, 12111, 12112, 14100, 31301, 40010, 64301,
// 72106) with a small term list of its own.
func fixtureIndex(tb testing.TB) *Index {
	tb.Helper()
	return fixtureIndexWith(tb, nil)
}

// fixtureEveryday are everyday words for some of the fixture's groups,
// in English and Chinese.
const fixtureEveryday = "12111\tmeditech | dad submissions | chart completion queue | 病案室 | 出院小结\n" +
	"72106\ttig welder | pipe fitting | 氩弧焊 | 焊工\n64301\tcocktail menu | 调酒师 | 酒吧\n"

// fixtureIndexWith is fixtureIndex with more word list entries.
func fixtureIndexWith(tb testing.TB, more []Term) *Index {
	tb.Helper()
	dir := os.DirFS("../testdata/noc2021")
	lib, err := knowledge.LoadLibrary(os.DirFS("../testdata/fixture"), dir, dir)
	if err != nil {
		tb.Fatal(err)
	}
	terms, err := ParseTerms("terms.tsv", []byte("# fixture\n编码\tcode classify\n病历\tpatient charts health records\n焊接\tweld\n调酒\tmix drinks\n"+
		"护理\tnursing care\n钢板\tmetal plate\n图纸\tblueprints\nicd-10-ca\tclassify code diseases\nmig\tweld\n"))
	if err != nil {
		tb.Fatal(err)
	}
	return New(lib.Profiles(), append(terms, more...))
}

func TestMatchFixture(t *testing.T) {
	x := fixtureIndex(t)
	if x.Groups() != 10 {
		t.Fatalf("%d groups indexed, want the fixture's 10 NOC 2021 groups", x.Groups())
	}
	for _, tt := range []struct {
		desc string
		want string
		lang knowledge.Lang
	}{
		{"I code diagnoses from patient charts using ICD-10-CA and abstract clinical data", "12111", knowledge.EN},
		{"I run MIG welders, read blueprints and check the welds", "72106", knowledge.EN},
		{"I mix cocktails, pour beer and take payments at the bar", "64301", knowledge.EN},
		{"I assess patients, give medications and teach families about their care", "31301", knowledge.EN},
		{"I audit financial statements and prepare tax returns for clients", "11100", knowledge.EN},
		{"我的工作是给病历编码，摘录临床数据", "12111", knowledge.ZH},
		// Traditional characters read as the Simplified word lists.
		{"我的工作是給病歷編碼，摘錄臨床數據", "12111", knowledge.ZH},
		{"我在工厂焊接钢板，看图纸", "72106", knowledge.ZH},
	} {
		r := x.Match(tt.desc, 3)
		if len(r.Matches) == 0 || r.Matches[0].Code != tt.want {
			t.Errorf("%q: got %+v, want %s first", tt.desc, r.Matches, tt.want)
			continue
		}
		if r.Lang != tt.lang {
			t.Errorf("%q: language %s, want %s", tt.desc, r.Lang, tt.lang)
		}
		if !r.Good() {
			t.Errorf("%q: best match %s (%.2f) is not good enough", tt.desc, r.Matches[0].Code, r.Matches[0].Score)
		}
		if m := r.Matches[0]; m.Score <= 0 || m.Score > 1 {
			t.Errorf("%q: score %v outside (0, 1]", tt.desc, m.Score)
		}
	}
}

// A job title alone names its group first, but is not enough to offer a
// match: the duties decide, so the answer asks for them.
func TestTitleAloneIsNotEnough(t *testing.T) {
	x := fixtureIndex(t)
	for _, desc := range []string{"我是调酒师", "I am a bartender"} {
		r := x.Match(desc, 3)
		if len(r.Matches) == 0 || r.Matches[0].Code != "64301" {
			t.Errorf("%q: got %+v, want 64301 first", desc, r.Matches)
		}
		if r.Good() {
			t.Errorf("%q: a title alone is a good match", desc)
		}
	}
}

// A group that covers several of the person's duties beats one that
// repeats one of their words many times.
func TestCoverageBeatsRepetition(t *testing.T) {
	x := fixtureIndex(t)
	r := x.Match("Classify and code diseases. Abstract clinical data from health records. Weld weld weld.", 3)
	if len(r.Matches) == 0 || r.Matches[0].Code != "12111" {
		t.Fatalf("got %+v, want 12111 first", r.Matches)
	}
	if len(r.Matches[0].Pairs) < 2 {
		t.Errorf("12111 matched %d of the phrases, want 2 or more: %+v", len(r.Matches[0].Pairs), r.Matches[0].Pairs)
	}
}

// Bad input gets a result, never a panic, within the limits: nothing
// read from nothing, a cut for a huge or endless description, no match
// for another language.
func TestMatchBadInput(t *testing.T) {
	x := fixtureIndex(t)
	duties := strings.Repeat("I classify and code diseases from health records.\n", 200)
	for _, tt := range []struct {
		name      string
		desc      string
		good      bool
		truncated bool
	}{
		{"empty", "", false, false},
		{"spaces", "  \n\t ", false, false},
		{"one word", "hello", false, false},
		{"stop words only", "which one is it, please?", false, false},
		{"invalid UTF-8", "I classify \xff\xfe and code diseases from health records", true, false},
		{"1 MB", strings.Repeat("a", 1<<20), false, true},
		{"200 duties", duties, true, true},
		{"French", "Je travaille dans un bureau et je réponds au téléphone tous les jours", false, false},
		{"Spanish", "Trabajo en una oficina y contesto el teléfono todos los días", false, false},
		{"boilerplate only", "Competitive salary and benefits! Apply now with your resume. We are an equal opportunity employer.", false, false},
		{"markup", "<b>I classify and code diseases</b> from <i>health records</i>", true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := x.Match(tt.desc, 5)
			if r.Good() != tt.good {
				t.Errorf("good %v, want %v (%+v)", r.Good(), tt.good, r.Matches)
			}
			if r.Truncated != tt.truncated {
				t.Errorf("truncated %v, want %v", r.Truncated, tt.truncated)
			}
			if r.Phrases > MaxPhrases {
				t.Errorf("%d phrases read, over %d", r.Phrases, MaxPhrases)
			}
			for _, m := range r.Matches {
				for _, p := range m.Pairs {
					if !utf8.ValidString(p.Phrase) || len(p.Phrase) > MaxInput {
						t.Errorf("pair phrase %q", p.Phrase)
					}
				}
			}
		})
	}
}

// A posting's pay, benefits and how to apply are not duties.
func TestIsBoilerplate(t *testing.T) {
	for _, tt := range []struct {
		phrase string
		want   bool
	}{
		{"We offer a competitive salary and dental benefits", true},
		{"Salary: $22/hour", true},
		{"Full-time position, RRSP matching", true},
		{"Apply now with your resume", true},
		{"工资面议，五险一金", true},
		{"我们提供有竞争力的工资", true},
		// Pay, benefits and pensions are the work of some occupations.
		{"I process payroll, salaries and benefits for 200 staff", false},
		{"recommend RRSP and TFSA investments to families", false},
		{"administer the pension plan and answer members' questions", false},
		{"manage the accommodation and front desk of the hotel", false},
		{"负责做工资单", false},
		{"Handle insurance claims and dental billing", false},
	} {
		if got := isBoilerplate(tt.phrase); got != tt.want {
			t.Errorf("isBoilerplate(%q) = %v, want %v", tt.phrase, got, tt.want)
		}
	}
}

func TestBoilerplateIsNotADuty(t *testing.T) {
	x := fixtureIndex(t)
	q := x.read("We offer a competitive salary and dental benefits.\nDuties: mix and serve drinks; take payments.\nApply now with your resume!")
	if len(q.phrases) != 2 {
		var got []string
		for _, p := range q.phrases {
			got = append(got, p.text)
		}
		t.Errorf("phrases %q, want the two duties only", got)
	}
}

func TestSplitPhrases(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"I code charts. I abstract data", []string{"I code charts", "I abstract data"}},
		{"ICD-10-CA codes, v3.5 e.g. tools", []string{"ICD-10-CA codes, v3.5 e.g", "tools"}},
		{"• weld parts\n• grind welds", []string{"weld parts", "grind welds"}},
		{"编码病历，摘录数据。检查记录", []string{"编码病历", "摘录数据", "检查记录"}},
		{"", nil},
	} {
		if got := splitPhrases(tt.in); !equal(got, tt.want) {
			t.Errorf("splitPhrases(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	verbs := map[string]bool{"wash": true, "prep": true, "keep": true, "abstract": true, "repair": true, "repairing": true, "keeping": true, "following": true}
	isVerb := func(w string) bool { return verbs[w] }
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"I wash dishes, prep vegetables, and keep the kitchen clean", []string{"I wash dishes", "prep vegetables", "and keep the kitchen clean"}},
		{"I code diagnoses from charts and abstract clinical data", []string{"I code diagnoses from charts", "and abstract clinical data"}},
		{"I repair cars, trucks, and buses", []string{"I repair cars, trucks, and buses"}},
		{"I release information to patients, insurers and lawyers, following privacy law", []string{"I release information to patients, insurers and lawyers, following privacy law"}},
		{"wash, repair", []string{"wash, repair"}},
		// A list of -ing duties is a list, not a duty and its tail.
		{"washing dishes, repairing carts, keeping the kitchen clean", []string{"washing dishes", "repairing carts", "keeping the kitchen clean"}},
		// A resume's list of noun phrases is a list of duties; a list of
		// objects is not.
		{"Full-cycle AP/AR in QuickBooks, bank recs, month-end close, GST returns", []string{"Full-cycle AP/AR in QuickBooks", "bank recs", "month-end close", "GST returns"}},
		{"I repair cars, trucks, vans, and buses", []string{"I repair cars, trucks, vans, and buses"}},
	} {
		if got, _ := splitClauses(tt.in, isVerb, nil); !equal(got, tt.want) {
			t.Errorf("splitClauses(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestStem(t *testing.T) {
	for _, group := range [][]string{
		{"code", "codes", "coding", "coded", "coder"},
		{"weld", "welds", "welding", "welder", "welders"},
		{"manage", "manager", "managing", "management"},
		{"supply", "supplies", "supplier"},
		{"operate", "operation", "operating", "operator"},
		{"inspect", "inspection", "inspector", "inspecting"},
		{"install", "installation", "installations", "installing", "installer"},
		{"prepare", "preparation", "preparing", "prepared"},
		{"consult", "consultation", "consulting"},
		{"inform", "information", "informing"},
		{"effect", "effective"},
	} {
		want := stem(group[0])
		for _, w := range group[1:] {
			if got := stem(w); got != want {
				t.Errorf("stem(%q) = %q, stem(%q) = %q: want the same", w, got, group[0], want)
			}
		}
	}
	if stem("customer") == stem("customs") {
		t.Errorf("customer and customs share a stem")
	}
}

// Both word lists fail on bad lines with file:line and what is wrong.
func TestParseListErrors(t *testing.T) {
	terms := func(data string) error { _, err := ParseTerms("t.tsv", []byte(data)); return err }
	everyday := func(data string) error { _, err := ParseEveryday("e.tsv", []byte(data)); return err }
	for _, tt := range []struct {
		name  string
		parse func(string) error
		data  string
		want  string
	}{
		{"one field", terms, "编码\n", "t.tsv:1: want two tab-separated fields"},
		{"three fields", terms, "# c\n编码\tcode\tx\n", "t.tsv:2: want two tab-separated fields"},
		{"not a word", terms, "Code Words\tcode\n", "t.tsv:1: \"Code Words\" is neither Chinese nor lower-case English words"},
		{"Chinese on the right", terms, "编码\t编码\n", "t.tsv:1: \"编码\" is not English words"},
		{"twice", terms, "编码\tcode\n编码\tclassify\n", "t.tsv:2: \"编码\" is already given at line 1"},
		{"invalid UTF-8", terms, "编码\tco\xffde\n", "t.tsv:1: invalid UTF-8"},
		{"empty", terms, "# only a comment\n", "t.tsv:1: no entries"},
		{"huge", terms, strings.Repeat("#", maxTermsFileSize+1), "over the"},
		{"everyday one field", everyday, "12111\n", "e.tsv:1: want two tab-separated fields"},
		{"everyday three fields", everyday, "# c\n12111\tcoder\tx\n", "e.tsv:2: want two tab-separated fields"},
		{"not a code", everyday, "1211\tcoder\n", "e.tsv:1: \"1211\" is not a 5-digit unit group code"},
		{"empty phrase", everyday, "12111\tcoder | | abstractor\n", "e.tsv:1: \"\" is not English words"},
		{"everyday Chinese and more", everyday, "12111\t编码 员\n", "e.tsv:1: \"编码 员\" is not one Chinese word"},
		{"everyday mixed", everyday, "12111\tICD编码\n", "e.tsv:1: \"ICD编码\" is not one Chinese word"},
		{"punctuation only", everyday, "12111\tcoder | ---\n", "e.tsv:1: \"---\" is not English words"},
		{"everyday twice", everyday, "12111\tcoder\n12111\tabstractor\n", "e.tsv:2: 12111 is already given at line 1"},
		{"too many", everyday, "12111\t" + strings.Repeat("coder | ", maxEverydayPhrases) + "coder\n", "e.tsv:1: 101 phrases, over the limit of 100"},
		{"everyday invalid UTF-8", everyday, "12111\tco\xffder\n", "e.tsv:1: invalid UTF-8"},
		{"everyday empty", everyday, "# only a comment\n", "e.tsv:1: no entries"},
		{"everyday huge", everyday, strings.Repeat("#", maxTermsFileSize+1), "over the"},
	} {
		err := tt.parse(tt.data)
		var pe *knowledge.ParseError
		if err == nil || !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want a ParseError with %q", tt.name, err, tt.want)
		}
	}
	got, err := ParseEveryday("e.tsv", []byte("# c\n12111\tcoding clerk | Meditech abstracting\r\n"))
	if err != nil || len(got) != 2 || got[1] != (Term{Word: "Meditech abstracting", Code: "12111", Line: 2}) {
		t.Errorf("got %+v, %v", got, err)
	}
}

// FuzzMatch: any description gets a result within the limits, never a
// panic; the seeds run in every go test.
func FuzzMatch(f *testing.F) {
	everyday, err := ParseEveryday("e.tsv", []byte(fixtureEveryday))
	if err != nil {
		f.Fatal(err)
	}
	x := fixtureIndexWith(f, everyday)
	for _, s := range []string{"", "I code diagnoses from patient charts", "我给病历编码，摘录临床数据", "\xff\xfe",
		strings.Repeat("weld, ", 100), "a.b.c.", "•\n•\n;;;", "C++ and C# developer", "编码" + strings.Repeat("x", 50),
		"I work the chart completion queue in Meditech", "在病案室整理出院小结，用氩弧焊", "tig welder, pipe fitting, cocktail menu, dad submissions",
		"fitting pipe, grinding welds, reading blueprints"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := x.Match(s, 5)
		if len(r.Matches) > 5 || r.Phrases > MaxPhrases {
			t.Fatalf("%d matches, %d phrases", len(r.Matches), r.Phrases)
		}
		for _, m := range r.Matches {
			if !(m.Score >= 0 && m.Score <= 1) || !(m.share >= 0 && m.share <= 1) { // NaN fails too
				t.Fatalf("score %v, share %v", m.Score, m.share)
			}
		}
		// Another description in between leaves nothing behind in the
		// pooled scratch: the same description, the same result.
		x.Match("I mix cocktails and pour beer; 我在病案室整理出院小结", 5)
		if again := x.Match(s, 5); !reflect.DeepEqual(again, r) {
			t.Fatalf("matched twice: %+v, then %+v", r, again)
		}
	})
}

// FuzzParseLists: any file gives entries or a ParseError naming the file,
// never a panic; every entry is what the format allows.
func FuzzParseLists(f *testing.F) {
	for _, s := range []string{"编码\tcode classify\n", "# c\r\nforklift\tlift truck\r\n", "12111\tcoder | 编码员\n", "\xef\xbb\xbf12111\ta | b\n",
		"12111\t|\n", "1211\tx\n", "\xff\t\xff\n", "12111\tICD编码\n", "#\n\n\t\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		for _, parse := range []func(string, []byte) ([]Term, error){ParseTerms, ParseEveryday} {
			terms, err := parse("f.tsv", []byte(data))
			var pe *knowledge.ParseError
			if err != nil {
				if !errors.As(err, &pe) || pe.File != "f.tsv" {
					t.Fatalf("error %v is no ParseError of f.tsv", err)
				}
				continue
			}
			if len(terms) == 0 {
				t.Fatalf("no entries and no error")
			}
			for _, tm := range terms {
				if tm.Word == "" || !utf8.ValidString(tm.Word) || strings.ContainsAny(tm.Word, "\t\n") {
					t.Fatalf("entry %+v", tm)
				}
			}
		}
	})
}

// Whom a title names is told by the words before it.
func TestWhoIs(t *testing.T) {
	for _, tt := range []struct {
		phrase string // whose last word is the title
		who    int8
	}{
		{"I am a cook", whoSelf},
		{"I'm a cook", whoSelf},
		{"work as an editor", whoSelf},
		{"line cook", whoUnknown},
		{"cook", whoUnknown},
		{"revise manuscripts with my editor", whoOther},
		{"assist the cook", whoOther},
		{"supervise cooks", whoOther},
		{"refer them to physicians", whoOther},
		{"report to the other managers", whoOther},
		{"", whoUnknown},
	} {
		ws := words(tt.phrase, nil)
		before := ws[:max(0, len(ws)-1)]
		if got := whoIs(before); got != tt.who {
			t.Errorf("%q: whoIs = %v, want %v", tt.phrase, got, tt.who)
		}
	}
}

// A description in Traditional characters is read through the Simplified
// word lists, and its phrases are shown back as the person wrote them.
func TestTraditionalPhrasesShownAsWritten(t *testing.T) {
	x := fixtureIndex(t)
	desc := "我的工作是給病歷編碼，摘錄臨床數據"
	r := x.Match(desc, 3)
	if len(r.Matches) == 0 || len(r.Matches[0].Pairs) == 0 {
		t.Fatalf("%q: no pairs in %+v", desc, r.Matches)
	}
	for _, p := range r.Matches[0].Pairs {
		if !strings.Contains(desc, p.Phrase) {
			t.Errorf("phrase %q is not as written in %q", p.Phrase, desc)
		}
	}
}

// A phrase is paired only with a duty it matches at least MinPairSim: a
// description of coding charts is not shown beside a nurse's care.
func TestPairsAreRealMatches(t *testing.T) {
	x := fixtureIndex(t)
	for _, desc := range []string{
		"I code diagnoses from patient charts using ICD-10-CA and abstract clinical data",
		"I file records and answer phones",
		"I keep patient records and supervise staff",
		"我的工作是给病历编码，摘录临床数据",
	} {
		for _, m := range x.Match(desc, 5).Matches {
			for _, p := range m.Pairs {
				if p.Similarity < MinPairSim {
					t.Errorf("%q: %s pairs %q with %q at %.3f, below %v", desc, m.Code, p.Phrase, p.Duty, p.Similarity, MinPairSim)
				}
			}
		}
	}
}

// Only groups with a duty of their own matched and a score near the
// best's are offered after it; nothing is offered when the best is weak.
func TestOffered(t *testing.T) {
	x := fixtureIndex(t)
	for _, tt := range []struct {
		desc string
		k    int
		want []string
	}{
		// 31301 and 12112 come next, with no duty the description matches.
		{"I code diagnoses from patient charts using ICD-10-CA and abstract clinical data", 3, []string{"12111"}},
		// 64301 matches "supervise staff" and scores near 31301; 12111
		// has no matched duty, and 40010's matched duty scores far below.
		{"I keep patient records and supervise staff", 5, []string{"31301", "64301"}},
		{"I keep patient records and supervise staff", 1, []string{"31301"}},
		{"I keep patient records and supervise staff", 0, []string{"31301"}},
		{"I am a bartender", 3, nil},
		{"", 3, nil},
	} {
		r := x.Match(tt.desc, 5)
		var got []string
		for _, m := range r.Offered(tt.k) {
			got = append(got, m.Code)
			if len(m.Pairs) == 0 && m.covered == 0 {
				t.Errorf("%q: offered %s with no phrase pointing to it", tt.desc, m.Code)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q, k %d: offered %v, want %v", tt.desc, tt.k, got, tt.want)
		}
	}
}

// Everyday words people use for a job, which the official text never
// says, lead to its group, in English and in Chinese: with them the
// description matches 12111, without them it matches nothing well.
func TestEverydayWordsFindTheGroup(t *testing.T) {
	dir := os.DirFS("../testdata/noc2021")
	lib, err := knowledge.LoadLibrary(os.DirFS("../testdata/fixture"), dir, dir)
	if err != nil {
		t.Fatal(err)
	}
	everyday, err := ParseEveryday("e.tsv", []byte("12111\tmeditech | dad submissions | chart completion queue | 病案室 | 出院小结\n12112\tfile room | box storage | 档案室\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, desc := range []string{
		"I work the chart completion queue in Meditech. I fix the DAD submissions before the deadline.",
		"我在病案室整理出院小结。下午在病案室核对出院小结。",
		"我在病案室整理出院小結。下午在病案室核對出院小結。", // Traditional, read as Simplified
	} {
		without := New(lib.Profiles(), nil).Match(desc, 3)
		with := New(lib.Profiles(), everyday).Match(desc, 3)
		if without.Good() && without.Matches[0].Code == "12111" {
			t.Fatalf("%q: 12111 matched without the everyday words: the test shows nothing", desc)
		}
		if !with.Good() || with.Matches[0].Code != "12111" {
			t.Errorf("%q with everyday words: %+v, want 12111 first and good", desc, with.Matches)
		}
	}
}
