package bot

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
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
	for _, span := range atomSpans(text) {
		if atom := text[span[0]:span[1]]; measure(atom) <= limit && !strings.Contains(joined, atom) {
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

// splitSeeds are FuzzSplit's seeds; FuzzAtomSpans reads their texts too.
var splitSeeds = []struct {
	text  string
	limit int
}{
	{"卫生信息管理技术人员及有关人员收集，代码，记录。\n\nHealth information https://x.org/y", 10},
	{"👩‍⚕️👩‍⚕️👩‍⚕️ 🇨🇦🇨🇦 e\u0301e\u0301", 3},
	{"<b>heading</b>\n&amp; [a](http://b) \xff", 5},
}

func FuzzSplit(f *testing.F) {
	for _, seed := range splitSeeds {
		f.Add(seed.text, seed.limit)
	}
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

// atomPattern is the regular expression atomSpans replaces, kept as the
// oracle it is checked against.
const atomPattern = `<[^<>\n]{1,512}>|&#?[A-Za-z0-9]{1,12};|\[[^\[\]\n]{0,512}\]\([^()\s]{1,1000}\)|https?://[^\s<>()]+`

// atomsByOracle is atomSpans computed by the regular expression.
func atomsByOracle(re *regexp.Regexp, s string) [][2]int {
	var spans [][2]int
	for _, m := range re.FindAllStringIndex(s, -1) {
		spans = append(spans, [2]int{m[0], m[1]})
	}
	return spans
}

func TestAtomSpans(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	longZh := func(n int) string { return strings.Repeat("职", n) }
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"none", "plain words, no atoms", nil},
		{"empty", "", nil},
		{"tag", "a <b> c </b>", []string{"<b>", "</b>"}},
		{"empty tag", "<>", nil},
		{"tag with attributes", `<a href="https://x.org/p">x</a>`, []string{`<a href="https://x.org/p">`, "</a>"}},
		{"tag of 512", "<" + long(512) + ">", []string{"<" + long(512) + ">"}},
		{"tag of 513", "<" + long(513) + ">", nil},
		{"tag of 512 characters, more bytes", "<" + longZh(512) + ">", []string{"<" + longZh(512) + ">"}},
		{"tag of 513 characters", "<" + longZh(513) + ">", nil},
		{"tag across a line", "<b\n>", nil},
		{"tag inside a tag", "<<b>>", []string{"<b>"}},
		{"unclosed tag", "<b", nil},
		{"invalid bytes in a tag", "<\xff\xfe>", []string{"<\xff\xfe>"}},
		{"entities", "&amp; &#123; &#x1F; &lt", []string{"&amp;", "&#123;", "&#x1F;"}},
		{"entity of 12", "&" + long(12) + ";", []string{"&" + long(12) + ";"}},
		{"entity of 13", "&" + long(13) + ";", nil},
		{"entity without a name", "&; &#;", nil},
		{"entity of non-ASCII letters", "&é;", nil},
		{"link", "see [1252](https://x.org/1252).", []string{"[1252](https://x.org/1252)"}},
		{"link with an empty label", "[](u)", []string{"[](u)"}},
		{"link with an empty URL", "[a]()", nil},
		{"link with a space in the URL", "[a](b c)", nil},
		{"link with angle brackets in the URL", "[a](<b>)", []string{"[a](<b>)"}},
		{"link with a bare URL", "[a](http://b)", []string{"[a](http://b)"}},
		{"link label of 512", "[" + long(512) + "](u)", []string{"[" + long(512) + "](u)"}},
		{"link label of 513", "[" + long(513) + "](u)", nil},
		{"link URL of 1000", "[a](" + long(1000) + ")", []string{"[a](" + long(1000) + ")"}},
		{"link URL of 1001", "[a](" + long(1001) + ")", nil},
		{"label across a line", "[a\nb](u)", nil},
		{"nested label", "[[a](u)", []string{"[a](u)"}},
		{"bare URLs", "go to https://x.org/a?b=1&c=2 or http://y.ca.", []string{"https://x.org/a?b=1&c=2", "http://y.ca."}},
		{"URL ends at markup", "<i>http://x.org</i>", []string{"<i>", "http://x.org", "</i>"}},
		{"URL ends at a parenthesis", "(http://x.org)", []string{"http://x.org"}},
		{"URL goes on past a vertical tab and a Unicode space", "http://x\vy\u00a0z w", []string{"http://x\vy\u00a0z"}},
		{"scheme alone", "http:// https:// hxxp://a HTTP://a", nil},
		{"tag holding what would be other atoms", "<a [b](c) &amp; http://d>", []string{"<a [b](c) &amp; http://d>"}},
	}
	re := regexp.MustCompile(atomPattern)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spans := atomSpans(tt.text)
			var got []string
			for _, sp := range spans {
				got = append(got, tt.text[sp[0]:sp[1]])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("atoms %q, want %q", got, tt.want)
			}
			if oracle := atomsByOracle(re, tt.text); !slices.Equal(spans, oracle) {
				t.Errorf("spans %v, the regular expression finds %v", spans, oracle)
			}
		})
	}
}

// FuzzAtomSpans checks the scanner against the regular expression it
// replaces, seeded with FuzzSplit's seeds and corpus and with random replies.
func FuzzAtomSpans(f *testing.F) {
	for _, seed := range splitSeeds {
		f.Add(seed.text)
	}
	for _, text := range corpusStrings(f, "FuzzSplit") {
		f.Add(text)
	}
	rng := rand.New(rand.NewPCG(1252, 1411))
	for range 20 {
		f.Add(randomText(rng, rng.IntN(200)))
	}
	re := regexp.MustCompile(atomPattern)
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := atomSpans(text), atomsByOracle(re, text); !slices.Equal(got, want) {
			t.Fatalf("atomSpans(%q) = %v, the regular expression finds %v", text, got, want)
		}
	})
}

// corpusStrings returns the string arguments of a fuzz target's stored
// corpus (testdata/fuzz/NAME), so another target can start from them.
func corpusStrings(f *testing.F, name string) []string {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "fuzz", name, "*"))
	if err != nil {
		f.Fatal(err)
	}
	if len(files) == 0 {
		f.Fatalf("no corpus in testdata/fuzz/%s", name)
	}
	var out []string
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for line := range strings.Lines(string(b)) {
			quoted, ok := strings.CutPrefix(strings.TrimSpace(line), "string(")
			if !ok {
				continue
			}
			text, err := strconv.Unquote(strings.TrimSuffix(quoted, ")"))
			if err != nil {
				f.Fatalf("%s: %v", file, err)
			}
			out = append(out, text)
		}
	}
	return out
}

// A long reply with every kind of atom, scanned by atomSpans and by the
// regular expression it replaces (whose compilation, at every start, is
// the "compile" case).
func BenchmarkAtomSpans(b *testing.B) {
	text := randomText(rand.New(rand.NewPCG(1, 2)), 3000)
	b.Run("scanner", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			atomSpans(text)
		}
	})
	b.Run("regexp", func(b *testing.B) {
		re := regexp.MustCompile(atomPattern)
		b.ReportAllocs()
		for b.Loop() {
			atomsByOracle(re, text)
		}
	})
	b.Run("compile", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			regexp.MustCompile(atomPattern)
		}
	})
}
