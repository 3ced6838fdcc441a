package knowledge

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// matchCodes lists the codes of the best matches (TopMatches), in order.
func matchCodes(ms []TitleMatch) string {
	var codes []string
	for _, m := range TopMatches(ms) {
		codes = append(codes, m.Code)
	}
	return strings.Join(codes, " ")
}

// Lookups over both sources: the FLYabroad fixture profiles and the NOC
// 2021 fixture with nocbot's Chinese names and aliases.
func TestLookupBothSources(t *testing.T) {
	lib := fixtureLibraryBoth(t)
	tests := []struct {
		query string
		want  string // codes of TopMatches, best first; "" for no match
		kind  TitleKind
		fuzzy bool
	}{
		// The unit group's title beats a longer title that holds it
		// ("health information management supervisor"); NOC 2021 first.
		{"health information management", "12111 1252", KindGroup, false},
		{"Health information management occupations", "12111 1252", KindGroup, false},
		{"health information management supervisor", "12111 1252", KindTitle, false},
		{"medical records technician", "12111 1252", KindTitle, false},
		{"helth records technican", "12111 1252", KindTitle, true},
		{"medical records tech", "12111 1252", KindTitle, true},
		{"welder", "72106", KindTitle, false},
		{"I am a welder", "72106", KindTitle, false},
		// Without its qualifier: "registered nurse - call centre",
		// "registered nurse (R.N.)".
		{"registered nurse", "31301", KindTitle, false},
		{"bartender", "64301", KindTitle, false},
		{"records management technician", "12112 1253", KindTitle, false},
		{"health records clerk", "14100 1411", KindTitle, false}, // 1411: FLYabroad 1252 says it is classified there
		// "code" is a word of its own, not "coder".
		{"code", "", 0, false},
		{"what is the noc code", "", 0, false},
		{"护士", "31301", KindAlias, false},
		{"焊工", "72106", KindAlias, false},
		{"焊工需要什么学历", "72106", KindAlias, false},
		{"会计师", "11100", KindAlias, false},
		{"病历技师", "1252 12111", KindTitle, false},
		{"病历技师的NOC代码是多少", "1252 12111", KindTitle, false},
		{"卫生信息管理职业", "12111 1252", KindGroup, false},
		{"焊工及相关机器操作员", "72106", KindGroup, false},
		{"技术人员", "", 0, false},
		{"software engineer", "", 0, false},
		{"", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got := lib.LookupTitle(tt.query)
			if codes := matchCodes(got); codes != tt.want {
				t.Fatalf("codes %q, want %q (first: %+v)", codes, tt.want, first(got))
			}
			if len(got) == 0 {
				return
			}
			if got[0].Kind != tt.kind || got[0].Fuzzy != tt.fuzzy {
				t.Errorf("first match %+v, want kind %d, fuzzy %v", got[0], tt.kind, tt.fuzzy)
			}
		})
	}
	for _, m := range lib.LookupTitle("health information management code") {
		if strings.Contains(m.Title.EN, "coder") {
			t.Errorf("\"code\" matched %q", m.Title.EN)
		}
	}
}

func first(ms []TitleMatch) TitleMatch {
	if len(ms) == 0 {
		return TitleMatch{}
	}
	return ms[0]
}

// A title several groups list gives each group, so the caller can ask
// which one is meant.
func TestLookupTitleInSeveralGroups(t *testing.T) {
	lib := NewLibrary([]Profile{
		{Code: "62010", Title: Text{EN: "Retail sales supervisors"}, AllTitles: []Text{{EN: "supervisor - retail"}, {EN: "retail supervisor"}}},
		{Code: "92012", Title: Text{EN: "Supervisors, food and beverage processing"}, AllTitles: []Text{{EN: "supervisor - meat packing"}}},
		{Code: "72010", Title: Text{EN: "Contractors and supervisors, machining"}, AllTitles: []Text{{EN: "supervisor"}, {EN: "machining supervisor"}}},
		{Code: "11100", Title: Text{EN: "Financial auditors and accountants"}, AllTitles: []Text{{EN: "accountant"}}},
		{Code: "11101", Title: Text{EN: "Financial and investment analysts"}, AllTitles: []Text{{EN: "accountant"}, {EN: "financial analyst"}}},
	})
	tests := []struct{ query, want string }{
		{"supervisor", "72010 62010 92012"},
		{"supervisors", "72010 62010 92012"},
		{"accountant", "11100 11101"},
		{"retail supervisor", "62010"},
		{"machining supervisor", "72010"},
	}
	for _, tt := range tests {
		if got := matchCodes(lib.LookupTitle(tt.query)); got != tt.want {
			t.Errorf("LookupTitle(%q) top codes %q, want %q", tt.query, got, tt.want)
		}
	}
}

// Words many titles share weigh little; the rare ones carry a title.
func TestTitleWeights(t *testing.T) {
	lib := NewLibrary([]Profile{
		{Code: "1", AllTitles: []Text{{EN: "welder technician"}, {EN: "records technician", ZH: "记录技术人员"}, {EN: "lab technician", ZH: "化验技术人员"}}},
		{Code: "2", AllTitles: []Text{{EN: "coder technician"}, {EN: "archives technician", ZH: "档案技术人员"}}},
	})
	ix := lib.titles
	w := func(term string) float32 {
		id, ok := ix.vocab.Find(term)
		if !ok {
			t.Fatalf("%q is not a term", term)
		}
		return ix.weight[id]
	}
	for _, rare := range []string{"welder", "coder", "archive"} {
		if w("technician") >= w(rare) {
			t.Errorf("technician weighs %.2f, %s %.2f", w("technician"), rare, w(rare))
		}
	}
	if w("技术") >= w("档案") || w("人员") >= w("化验") {
		t.Error("技术人员 weighs as much as a rare word")
	}
}

// Every title the shipped data lists finds its own unit group among the
// best matches when asked for as written.
func TestShippedExactTitles(t *testing.T) {
	lib := shippedLibrary(t)
	missed, checked := 0, 0
	for _, te := range lib.titles.titles {
		if te.Kind == KindElsewhere {
			continue
		}
		for _, q := range []string{te.Title.EN, te.Title.ZH} {
			if q == "" || len(englishWords(q)) == 0 && len(chineseBigrams(q, nil)) == 0 {
				continue
			}
			checked++
			if !slices.ContainsFunc(TopMatches(lib.LookupTitle(q)), func(m TitleMatch) bool { return m.Code == te.Code && m.Score == 1 }) {
				if missed++; missed <= 10 {
					t.Errorf("LookupTitle(%q) does not give %s first: %+v", q, te.Code, first(lib.LookupTitle(q)))
				}
			}
		}
	}
	if missed > 0 || checked < 28000 {
		t.Errorf("%d of %d titles missed", missed, checked)
	}
}

// The questions the bot must answer, on the shipped data.
func TestShippedLookups(t *testing.T) {
	lib := shippedLibrary(t)
	tests := []struct {
		query string
		want  string // the first match's code; "" for none
	}{
		{"health information management", "12111"},
		{"medical records technician", "12111"},
		{"what is the noc code for a helth records technican?", "12111"},
		{"护士", "31301"},
		{"焊工", "72106"},
		{"会计师", "11100"},
		{"病历技师", "1252"}, // FLYabroad's own title; 12111 (alias) as well
		{"registered nurse", "31301"},
		{"welder", "72106"},
		{"I work as a truck driver, what is my NOC?", "73300"},
		{"software developer", "21232"},
		{"code", ""},
		{"how is the weather today", ""},
		{"我想知道技术人员的职责", ""},
	}
	for _, tt := range tests {
		got := lib.LookupTitle(tt.query)
		if first(got).Code != tt.want {
			t.Errorf("LookupTitle(%q) = %+v, want %s", tt.query, first(got), tt.want)
		}
	}
	if got := matchCodes(lib.LookupTitle("病历技师")); got != "1252 12111" {
		t.Errorf("病历技师: %q, want 1252 and 12111", got)
	}
	if got := matchCodes(lib.LookupTitle("supervisor")); strings.Count(got, " ") < 2 {
		t.Errorf("supervisor: %q, want the several groups that list it", got)
	}
}

// A lookup allocates its result and nothing that grows with the titles.
func TestLookupAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	lib := fixtureLibraryBoth(t)
	for _, q := range []string{"what is the noc code for a helth records technican?", "病历技师的NOC代码是多少", "how is the weather"} {
		lib.LookupTitle(q) // the scratch space
		if n := testing.AllocsPerRun(50, func() { lib.LookupTitle(q) }); n > 2 {
			t.Errorf("LookupTitle(%q): %.1f allocations, want at most 2", q, n)
		}
	}
}

func FuzzLookupTitle(f *testing.F) {
	for _, q := range []string{"medical records technician", "helth records technican", "病历技师的NOC代码是多少", "护士", "supervisor - retail", "R.N.", "code", "",
		"\xff\xfe", strings.Repeat("technician ", 500), strings.Repeat("技术", 3000), "((((", " - - ", "a b c d e f g h"} {
		f.Add(q)
	}
	lib := fixtureLibraryBoth(f)
	titles := len(lib.titles.titles)
	f.Fuzz(func(t *testing.T, q string) {
		got := lib.LookupTitle(q)
		if len(got) > titles {
			t.Fatalf("%d matches of %d titles", len(got), titles)
		}
		for _, m := range got {
			if m.Score < minTitleScore-1e-6 || m.Score > 1 || m.Code == "" {
				t.Fatalf("match %+v", m)
			}
		}
		if s := lib.SuggestTitles(q, 5); len(s) > 5 {
			t.Fatalf("%d suggestions", len(s))
		}
		if utf8.ValidString(q) && len(got) > 0 && !slices.IsSortedFunc(got, func(a, b TitleMatch) int {
			return compareFloat(b.Weight, a.Weight)
		}) {
			t.Fatalf("matches not ranked by weight: %+v", got)
		}
	})
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
