package bot_test

import (
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/seeds"
)

func fixtureFinder(t testing.TB) *bot.Finder {
	t.Helper()
	lib, _ := bottest.Matcher(t)
	return bot.NewFinder(lib)
}

func codes(ss []bot.Suggestion) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Code)
	}
	return out
}

func TestFinderFind(t *testing.T) {
	f := fixtureFinder(t)
	tests := []struct {
		query string
		lang  knowledge.Lang
		first string   // the best suggestion
		want  []string // all of them, when set
		title string   // the first one's title
	}{
		{query: "nurse", lang: knowledge.EN, first: "31301", title: "Registered nurses and registered psychiatric nurses"},
		{query: "nur", lang: knowledge.EN, first: "31301"},
		{query: "reg nur", lang: knowledge.EN, want: []string{"31301"}},
		{query: "REGISTERED  Nurse!", lang: knowledge.EN, first: "31301"},
		{query: "weld", lang: knowledge.EN, want: []string{"72106"}, title: "Welders and related machine operators"},
		{query: "weld", lang: knowledge.ZH, want: []string{"72106"}, title: "焊工及相关机器操作员"},
		{query: "焊工", lang: knowledge.ZH, want: []string{"72106"}},
		{query: "护士", lang: knowledge.ZH, want: []string{"31301"}},
		// 病历 is in the FLYabroad profile 1252's titles: found under the
		// NOC 2021 group that continues it.
		{query: "病历", lang: knowledge.ZH, want: []string{"12111"}, title: "卫生信息管理职业"},
		{query: "1211", lang: knowledge.EN, want: []string{"12111", "12112"}},
		{query: "１２１１", lang: knowledge.EN, want: []string{"12111", "12112"}},
		{query: "1253", lang: knowledge.EN, want: []string{"12111", "12112"}},
		{query: "72106 weld", lang: knowledge.EN, want: []string{"72106"}},
		{query: "31301 weld", lang: knowledge.EN},
		{query: "health information", lang: knowledge.EN, first: "12111"},
		{query: "helth information", lang: knowledge.EN, first: "12111"}, // a typo: the title index's suggestions
		{query: "", lang: knowledge.EN},
		{query: "?!…。、", lang: knowledge.EN},
		{query: "\xff\xfe\x00", lang: knowledge.EN},
		{query: "zzzzqqq", lang: knowledge.EN},
		{query: "Ärztin", lang: knowledge.EN},
		{query: strings.Repeat("nurse ", 200), lang: knowledge.EN, first: "31301"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got := f.Find(tt.query, tt.lang)
			if len(got) > bot.MaxSuggestions {
				t.Fatalf("%d suggestions", len(got))
			}
			switch {
			case tt.want != nil && !slices.Equal(codes(got), tt.want):
				t.Errorf("Find(%q) = %v, want %v", tt.query, codes(got), tt.want)
			case tt.want == nil && tt.first == "" && len(got) > 0:
				t.Errorf("Find(%q) = %v, want none", tt.query, codes(got))
			case tt.first != "" && (len(got) == 0 || got[0].Code != tt.first):
				t.Errorf("Find(%q) = %v, want %s first", tt.query, codes(got), tt.first)
			}
			if tt.title != "" && len(got) > 0 && got[0].Title != tt.title {
				t.Errorf("title %q, want %q", got[0].Title, tt.title)
			}
			for _, s := range got {
				if s.Lang != tt.lang || s.Title == "" || s.Lead == "" || !utf8.ValidString(s.Title+s.Lead) {
					t.Errorf("suggestion %+v", s)
				}
			}
		})
	}
}

// A query typed in Traditional characters finds what it finds in
// Simplified, and its Chinese suggestions are worded in Traditional.
func TestFinderTraditional(t *testing.T) {
	f := fixtureFinder(t)
	tests := []struct {
		query     string
		lang      knowledge.Lang
		want      []string
		title     string // the first one's title
		leadTrad  string // a Traditional character its lead holds
		leadSimpl string // a Simplified one it must not
	}{
		{query: "病歷", lang: knowledge.ZH, want: []string{"12111"}, title: "衛生信息管理職業"},
		{query: "護士", lang: knowledge.ZH, want: []string{"31301"}},
		{query: "銲工", lang: knowledge.ZH, want: []string{"72106"}, title: "焊工及相關機器操作員"},
		{query: "註冊護士", lang: knowledge.ZH, want: []string{"31301"}},
		{query: "72106 銲工", lang: knowledge.ZH, want: []string{"72106"}},
		// Typed in Traditional, asked for in English: English titles.
		{query: "銲工", lang: knowledge.EN, want: []string{"72106"}, title: "Welders and related machine operators"},
		// Characters both scripts share: Simplified, as the profiles are.
		{query: "焊工", lang: knowledge.ZH, want: []string{"72106"}, title: "焊工及相关机器操作员"},
	}
	for _, tt := range tests {
		t.Run(tt.query+"/"+string(tt.lang), func(t *testing.T) {
			got := f.Find(tt.query, tt.lang)
			if !slices.Equal(codes(got), tt.want) {
				t.Fatalf("Find(%q) = %v, want %v", tt.query, codes(got), tt.want)
			}
			if tt.title != "" && got[0].Title != tt.title {
				t.Errorf("title %q, want %q", got[0].Title, tt.title)
			}
			for _, s := range got {
				if s.Lang != tt.lang || s.Title == "" || s.Lead == "" {
					t.Errorf("suggestion %+v", s)
				}
				if l := s.Label(100); utf8.RuneCountInString(l) > 100 {
					t.Errorf("label %q: %d characters", l, utf8.RuneCountInString(l))
				}
			}
		})
	}
	if got := f.Find("病歷", knowledge.ZH); len(got) == 1 && strings.ContainsAny(got[0].Lead, "业务数据卫") {
		t.Errorf("lead in Simplified for a Traditional query: %q", got[0].Lead)
	}
	if got := f.Named("銲工需要什麼學歷", knowledge.ZH); !slices.Equal(codes(got), []string{"72106"}) {
		t.Errorf("Named(Traditional) = %v, want [72106]", codes(got))
	}
}

func TestFinderChineseLeadFromFLYabroad(t *testing.T) {
	f := fixtureFinder(t)
	got := f.Find("12111", knowledge.ZH)
	if len(got) != 1 || !strings.ContainsFunc(got[0].Lead, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
		t.Fatalf("Find(12111, zh) = %+v, want the FLYabroad Chinese lead statement", got)
	}
	if en := f.Find("12111", knowledge.EN); len(en) != 1 || !strings.HasPrefix(en[0].Lead, "Health information management workers") {
		t.Errorf("Find(12111, en) = %+v", en)
	}
}

func TestFinderNamed(t *testing.T) {
	f := fixtureFinder(t)
	tests := []struct {
		text string
		want []string
	}{
		{"what do welders do", []string{"72106"}},
		{"焊工需要什么学历", []string{"72106"}},
		{"how do I become a registered nurse?", []string{"31301"}},
		{"what education do I need", nil},
		{"what", nil},
		{"", nil},
		{strings.Repeat("welder ", 2000), []string{"72106"}},
	}
	for _, tt := range tests {
		if got := codes(f.Named(tt.text, knowledge.EN)); !slices.Equal(got, tt.want) {
			t.Errorf("Named(%.40q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestSuggestionLabel(t *testing.T) {
	s := bot.Suggestion{Code: "31301", Title: "Registered nurses and registered psychiatric nurses"}
	if got := s.Label(100); got != "31301 Registered nurses and registered psychiatric nurses" {
		t.Errorf("Label(100) = %q", got)
	}
	long := bot.Suggestion{Code: "40010", Title: strings.Repeat("government managers ", 10)}
	if got := long.Label(100); utf8.RuneCountInString(got) > 100 || !strings.HasSuffix(got, "…") {
		t.Errorf("Label(100) = %q (%d characters)", got, utf8.RuneCountInString(got))
	}
}

func TestSearchLang(t *testing.T) {
	tests := []struct {
		query, user string
		want        knowledge.Lang
	}{
		{"nurse", "", knowledge.EN},
		{"nurse", "en-US", knowledge.EN},
		{"nurse", "zh-CN", knowledge.ZH},
		{"nurse", "zh-hans", knowledge.ZH},
		{"护士", "en", knowledge.ZH},
		{"1211", "zh-TW", knowledge.ZH},
		{"1211", "fr", knowledge.EN},
	}
	for _, tt := range tests {
		if got := bot.SearchLang(tt.query, tt.user); got != tt.want {
			t.Errorf("SearchLang(%q, %q) = %s, want %s", tt.query, tt.user, got, tt.want)
		}
	}
}

func FuzzNormalizeQuery(f *testing.F) {
	for _, s := range []string{"nurse", "Reg. Nurse!", "１２１１", "病历 技师", "\xff\xfe", "", "   ", "?!…", strings.Repeat("ab ", 400), "ß ÅÄ", "a\u0301", "𠀀𠀁"} {
		f.Add(s)
	}
	finder := fixtureFinder(f)
	f.Fuzz(func(t *testing.T, s string) {
		q := bot.NormalizeQuery(s)
		if !utf8.ValidString(q) || utf8.RuneCountInString(q) > 100+99 {
			t.Fatalf("NormalizeQuery(%q) = %q", s, q)
		}
		if strings.HasPrefix(q, " ") || strings.HasSuffix(q, " ") || strings.Contains(q, "  ") {
			t.Fatalf("NormalizeQuery(%q) = %q: stray spaces", s, q)
		}
		if again := bot.NormalizeQuery(q); again != q {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, q, again)
		}
		if got := finder.Find(s, knowledge.EN); len(got) > bot.MaxSuggestions {
			t.Fatalf("%d suggestions", len(got))
		}
	})
}

// shippedQueries are what people type, letter by letter, over the shipped
// titles: every prefix of a few occupations in both languages and codes.
func shippedQueries() []string {
	var qs []string
	for _, w := range []string{"registered nurse", "welder", "software developer", "medical records technician", "truck driver", "accountant", "1211", "72106", "护士", "病历技术员", "焊工", "软件工程师", "helth recrds", "a", "e", "man"} {
		r := []rune(w)
		for i := 1; i <= len(r); i++ {
			qs = append(qs, string(r[:i]))
		}
	}
	return qs
}

// BenchmarkFinderShipped searches the shipped profiles (516 NOC 2021 unit
// groups and their titles) as a user types, and reports the p50 and p99
// latency of one search.
func BenchmarkFinderShipped(b *testing.B) {
	benchmarkFinder(b, shippedQueries(), knowledge.EN)
}

// BenchmarkFinderShippedTraditional is BenchmarkFinderShipped for Chinese
// typed in Traditional characters, worded back in Traditional.
func BenchmarkFinderShippedTraditional(b *testing.B) {
	var qs []string
	for _, w := range []string{"護士", "註冊護士", "病歷技術員", "銲工", "軟體工程師", "會計師", "卡車司機", "衞生", "經理"} {
		r := []rune(w)
		for i := 1; i <= len(r); i++ {
			qs = append(qs, string(r[:i]))
		}
	}
	benchmarkFinder(b, qs, knowledge.ZH)
}

func benchmarkFinder(b *testing.B, qs []string, lang knowledge.Lang) {
	lib, err := knowledge.LoadLibrary(seeds.FS(), seeds.NOC2021(), seeds.NOC2021Chinese())
	if err != nil {
		b.Fatal(err)
	}
	f := bot.NewFinder(lib)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		f.Find(qs[i%len(qs)], lang)
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	}
}
