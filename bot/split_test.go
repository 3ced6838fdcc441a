package bot

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var measures = []struct {
	name    string
	measure Measure
	limit   int
}{
	{"telegram", UTF16Len, 4096},
	{"discord", RuneLen, 2000},
}

// checkSplit asserts the splitter's promises for one input.
func checkSplit(t *testing.T, text string, limit int, measure Measure) []string {
	t.Helper()
	parts := Split(text, limit, measure)
	for i, p := range parts {
		if measure(p) > limit && len(clusters(p)) > 1 {
			t.Fatalf("part %d is %d long, over the limit %d", i, measure(p), limit)
		}
		if !utf8.ValidString(p) {
			t.Fatalf("part %d is not valid UTF-8: %q", i, p)
		}
		first, n := utf8.DecodeRuneInString(p)
		second, _ := utf8.DecodeRuneInString(p[n:])
		last, _ := utf8.DecodeLastRuneInString(p)
		// A space with a combining mark on it is a character, not
		// whitespace to drop.
		if p == "" || unicode.IsSpace(last) || unicode.IsSpace(first) && !joinsPrevious(second) {
			t.Fatalf("part %d is empty or has whitespace at its ends: %q", i, p)
		}
		if r, _ := utf8.DecodeRuneInString(p); i > 0 && joinsPrevious(r) {
			t.Fatalf("part %d starts inside a character: %q", i, p)
		}
	}
	// Nothing is lost or reordered: only whitespace at the cuts goes.
	squeeze := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
	}
	if got, want := squeeze(strings.Join(parts, "")), squeeze(text); got != want {
		t.Fatalf("split changed the text:\n got %q\nwant %q", got, want)
	}
	// Every link, tag and entity that fits is in one part, whole.
	joined := strings.Join(parts, "\x00")
	for _, atom := range atomRE.FindAllString(text, -1) {
		if measure(atom) <= limit && !strings.Contains(joined, atom) {
			t.Fatalf("atom %q was cut", atom)
		}
	}
	return parts
}

func TestSplitExamples(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		limit     int
		wantParts []string
	}{
		{"fits", "hello world", 20, []string{"hello world"}},
		{"empty", "  \n\n ", 20, nil},
		{"paragraphs", "aaaa\n\nbbbb\n\ncccc", 10, []string{"aaaa\n\nbbbb", "cccc"}},
		{"lines", "aaaa\nbbbb\ncccc", 9, []string{"aaaa\nbbbb", "cccc"}},
		{"words", "one two three four", 9, []string{"one two", "three", "four"}},
		{"chinese punctuation", "卫生信息，管理职业。健康记录", 6, []string{"卫生信息，", "管理职业。", "健康记录"}},
		{"link kept whole", "see https://example.org/a/very/long/path now", 30, []string{"see", "https://example.org/a/very/long/path", "now"}},
		{"tag kept whole", `<a href="https://x.org/p">label text</a>`, 20, []string{`<a href="https://x.org/p">`, "label text</a>"}},
		{"emoji with modifier", "👍🏽👍🏽👍🏽", 4, []string{"👍🏽", "👍🏽", "👍🏽"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkSplit(t, tt.text, tt.limit, UTF16Len)
			if strings.Join(got, "|") != strings.Join(tt.wantParts, "|") {
				t.Errorf("got %q, want %q", got, tt.wantParts)
			}
		})
	}
}

// randomText mixes what replies hold: English and Chinese words, emoji
// with modifiers and joiners, flags, links, tags and entities, line and
// paragraph breaks.
func randomText(rng *rand.Rand, n int) string {
	pieces := []string{"health", "records", "technician", "卫生信息管理", "职业。", "，", "病历技师", "👩‍⚕️", "👍🏽", "🇨🇦", "e\u0301",
		"https://www5.hrsdc.gc.ca/NOC/English/NOC/2011/Profile.aspx?val=1&val1=1252", "<b>", "</b>", "&amp;", "&lt;",
		"[1411](https://example.org/1411)", " ", " ", " ", "\n", "\n\n", "𠀀"}
	var b strings.Builder
	for range n {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

func TestSplitProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(4096, 2000))
	for _, m := range measures {
		t.Run(m.name, func(t *testing.T) {
			for i := range 300 {
				text := randomText(rng, rng.IntN(3000))
				limit := m.limit
				if i%2 == 0 {
					limit = 1 + rng.IntN(200) // small limits exercise every level
				}
				checkSplit(t, text, limit, m.measure)
			}
		})
	}
}

func FuzzSplit(f *testing.F) {
	f.Add("卫生信息管理技术人员及有关人员收集，代码，记录。\n\nHealth information https://x.org/y", 10)
	f.Add("👩‍⚕️👩‍⚕️👩‍⚕️ 🇨🇦🇨🇦 e\u0301e\u0301", 3)
	f.Add("<b>heading</b>\n&amp; [a](http://b) \xff", 5)
	f.Fuzz(func(t *testing.T, text string, limit int) {
		if !utf8.ValidString(text) {
			text = strings.ToValidUTF8(text, "\uFFFD")
		}
		limit = 1 + abs(limit)%5000
		for _, m := range measures {
			checkSplit(t, text, limit, m.measure)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// One word packed with markup: each split point is checked against the
// atoms, which must not cost a pass over all of them.
func BenchmarkSplitTagPacked(b *testing.B) {
	text := strings.Repeat("<b>x</b>", 8000)
	b.ReportAllocs()
	for b.Loop() {
		if parts := Split(text, 4096, UTF16Len); len(parts) < 2 {
			b.Fatal("not split")
		}
	}
}
