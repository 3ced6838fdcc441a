package knowledge

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
)

func fixtureLibrary(t testing.TB) *Library {
	t.Helper()
	set, err := LoadSeeds(fixtureFS(t))
	if err != nil {
		t.Fatal(err)
	}
	return NewLibrary(set.Profiles)
}

func TestLookupTitle(t *testing.T) {
	lib := fixtureLibrary(t)
	tests := []struct {
		query     string
		wantCode  string // "" for no match
		elsewhere bool
	}{
		{"medical records technician", "1252", false},
		{"Medical Records Technicians", "1252", false},
		{"病历技师", "1252", false},
		{"病历技师的NOC代码是多少", "1252", false},
		{"what is the noc code for a medical records technician?", "1252", false},
		{"medical records tech", "1252", false},
		{"helth records technician", "1252", false},
		{"health records technican", "1252", false},
		{"health information management supervisor", "1252", false},
		{"卫生信息管理主管", "1252", false},
		{"technician, medical records", "1252", false},
		{"health information management occupations", "1252", false},
		{"health records clerk", "1411", true},
		{"健康记录员", "1411", true},
		{"health records administrators", "0114", true},
		{"health information management consultant", "1122", true},
		{"records management technician", "1253", false}, // listed by the 1253 fixture itself
		{"archives technician", "1253", false},
		{"档案技术员", "1253", false},
		{"software engineer", "", false},
		{"软件工程师", "", false},
		{"health", "", false},
		{"records", "", false},
		{"", "", false},
		{"<script>alert(1)</script>", "", false},
		{"'; DROP TABLE profiles; --", "", false},
		{strings.Repeat("medical ", 10000), "", false},
	}
	for _, tt := range tests {
		t.Run(truncate(tt.query, 40), func(t *testing.T) {
			got := lib.LookupTitle(tt.query)
			if tt.wantCode == "" {
				if len(got) > 0 {
					t.Fatalf("got %s %q (score %.2f), want no match", got[0].Code, got[0].Title.EN, got[0].Score)
				}
				return
			}
			if len(got) == 0 {
				t.Fatalf("no match, want %s", tt.wantCode)
			}
			if got[0].Code != tt.wantCode || got[0].Elsewhere() != tt.elsewhere {
				t.Errorf("got %s %q (elsewhere %v, score %.2f), want %s (elsewhere %v)",
					got[0].Code, got[0].Title.EN, got[0].Elsewhere(), got[0].Score, tt.wantCode, tt.elsewhere)
			}
		})
	}
}

// Of a title and its index form, a lookup names the one people say.
func TestLookupPrefersNaturalTitle(t *testing.T) {
	lib := fixtureLibrary(t)
	for _, q := range []string{"medical records technicians", "I want to know about medical records technicians"} {
		if got := lib.LookupTitle(q); len(got) == 0 || got[0].Title.EN != "medical records technician" {
			t.Errorf("LookupTitle(%q) = %v, want medical records technician first", q, got)
		}
	}
}

func TestSuggestTitles(t *testing.T) {
	lib := fixtureLibrary(t)
	tests := []struct {
		query string
		want  []string // the English titles of the first suggestions, in any order; nil: none
	}{
		{"coder", []string{"health information management coder", "health records management coder"}},
		{"medical coder", []string{"health information management coder", "health records management coder"}},
		{"what is the noc code for a medical coder", []string{"health information management coder", "health records management coder"}},
		{"codr", nil}, // four letters: no typo tolerance
		{"coders", []string{"health information management coder", "health records management coder"}},
		{"cdoer", []string{"health information management coder", "health records management coder"}},
		{"helth records codder", []string{"health records management coder"}},
		{"编码员", []string{"health information management coder", "health records management coder"}},
		{"software engineer", nil},
		{"软件工程师", nil},
		{"how is the weather", nil},
		{"", nil},
		{"'; DROP TABLE profiles; --", nil},
	}
	for _, tt := range tests {
		t.Run(truncate(tt.query, 40), func(t *testing.T) {
			got := lib.SuggestTitles(tt.query, 5)
			if tt.want == nil {
				if len(got) > 0 {
					t.Fatalf("got %q (weight %.2f), want no suggestion", got[0].Title.EN, got[0].Score)
				}
				return
			}
			if len(got) < len(tt.want) {
				t.Fatalf("got %d suggestions, want at least %d", len(got), len(tt.want))
			}
			var first []string
			for _, m := range got[:len(tt.want)] {
				first = append(first, m.Title.EN)
			}
			slices.Sort(first)
			want := slices.Sorted(slices.Values(tt.want))
			if !slices.Equal(first, want) {
				t.Errorf("first suggestions %q, want %q", first, want)
			}
		})
	}
	if n := len(lib.SuggestTitles("health records technician", 3)); n != 3 {
		t.Errorf("limit 3 gave %d", n)
	}
	natural, inverted := 0, 0
	for _, m := range lib.SuggestTitles("medical records", 50) {
		switch m.Title.EN {
		case "medical records technician":
			natural++
		case "technician, medical records":
			inverted++
		}
	}
	if natural != 1 || inverted != 0 {
		t.Errorf("medical records technician suggested %d times, its inverted form %d times; want once, in the natural form", natural, inverted)
	}
	if n := len(lib.SuggestTitles("health", 0)); n != 0 {
		t.Errorf("limit 0 gave %d", n)
	}
	if got := lib.SuggestTitles(strings.Repeat("coder ", 100000), 2); len(got) != 2 {
		t.Errorf("a huge query gave %d suggestions", len(got))
	}
}

func TestLibraryProfiles(t *testing.T) {
	lib := fixtureLibrary(t)
	if n := len(lib.Profiles()); n != 2 {
		t.Fatalf("%d profiles, want 2", n)
	}
	for _, code := range []string{"1252", "1253"} {
		if p, ok := lib.Profile(code); !ok || p.Code != code {
			t.Errorf("Profile(%s) = %v, %v", code, p, ok)
		}
	}
	if _, ok := lib.Profile("1411"); ok {
		t.Error("Profile(1411): a classified-elsewhere code has no profile here")
	}
}

func TestEditDistanceAtMostOne(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"health", "health", true},
		{"helth", "health", true},
		{"healht", "health", true},
		{"hxalth", "health", true},
		{"healthy", "health", true},
		{"hlth", "health", false},
		{"htlaeh", "health", false},
		{"", "a", true},
		{"", "ab", false},
	}
	for _, tt := range tests {
		if got := WithinOneEdit(tt.a, tt.b); got != tt.want {
			t.Errorf("WithinOneEdit(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestChineseBigrams(t *testing.T) {
	tests := []struct{ in, want string }{
		{"病历技师", "病历 历技 技师"},
		{"主管，医疗", "主管 医疗"},
		{"a病b", "病"},
		{"no chinese", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(chineseBigrams(tt.in, nil), " "); got != tt.want {
			t.Errorf("chineseBigrams(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

var lookupQueries = []string{
	"medical records technician",
	"what is the noc code for a helth records technican?",
	"病历技师的NOC代码是多少",
	"software engineer",
}

func BenchmarkLookupTitle(b *testing.B) {
	lib := fixtureLibrary(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		lib.LookupTitle(lookupQueries[i%len(lookupQueries)])
	}
}

// BenchmarkLookupSQLite measures the alternative the title index replaced:
// asking SQLite, with the best it offers for both languages (FTS5 trigram
// tokenizer; LIKE for two-character Chinese, which trigram MATCH cannot do),
// for the same exact-title lookups, without typo tolerance.
func BenchmarkLookupSQLite(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	set, err := LoadSeeds(fixtureFS(b))
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Import(ctx, set); err != nil {
		b.Fatal(err)
	}
	db := s.DB()
	if _, err := db.Exec(`CREATE VIRTUAL TABLE title_fts USING fts5(zh, en, code UNINDEXED, tokenize = 'trigram');
		INSERT INTO title_fts SELECT zh, en, CASE section WHEN 'elsewhere' THEN ref_code ELSE code END
		FROM items WHERE section IN ('example_title', 'title', 'elsewhere')`); err != nil {
		b.Skipf("FTS5 not available: %v", err)
	}
	stmt, err := db.Prepare(`SELECT code FROM title_fts WHERE title_fts MATCH ? LIMIT 5`)
	if err != nil {
		b.Fatal(err)
	}
	defer stmt.Close()
	queries := []string{`"medical records technician"`, `"records technican"`, `"病历技师"`, `"software engineer"`}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		rows, err := stmt.Query(queries[i%len(queries)])
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var code string
			rows.Scan(&code)
		}
		rows.Close()
	}
	_ = sql.ErrNoRows
}

func BenchmarkSuggestTitles(b *testing.B) {
	lib := fixtureLibrary(b)
	queries := []string{"medical coder", "编码员", "software engineer", "what is the noc for a clinical coder"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		lib.SuggestTitles(queries[i%len(queries)], 5)
	}
}
