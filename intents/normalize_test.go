package intents

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// needsFold says exactly which characters width.Fold changes, so skipping
// the fold never changes a question.
func TestNeedsFoldAgreesWithFold(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		s := string(r)
		if got, want := needsFold(s), width.Fold.String(s) != s; got != want {
			t.Errorf("needsFold(%q) = %v, want %v", s, got, want)
		}
	}
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{"", false},
		{"what education", false},
		{"需要什么学历？", true}, // the full-width question mark
		{"需要什么学历", false},
		{"noc １２５２", true},
		{"ﾊﾝｶｸ", true}, // half-width katakana
		{"café 👍🏽 𠀀", false},
	} {
		if got := needsFold(tt.s); got != tt.want {
			t.Errorf("needsFold(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func FuzzNeedsFold(f *testing.F) {
	for _, s := range []string{"ｅｄｕｃａｔｉｏｎ", "需要什麼學歷？", "plain", "ﾊﾝｶｸ", "\uffe0\uffe6", "\u3000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = strings.ToValidUTF8(s, " ")
		if got, want := needsFold(s), width.Fold.String(s) != s; got != want {
			t.Fatalf("needsFold(%q) = %v, want %v", s, got, want)
		}
	})
}

func TestCollapseRepeats(t *testing.T) {
	for _, tt := range []struct {
		w           string
		once, twice string
	}{
		{"", "", ""},
		{"a", "a", "a"},
		{"hello", "helo", "hello"},
		{"helloooooo", "helo", "helloo"},
		{"dutiesss", "duties", "dutiess"},
		{"aaabbbccc", "abc", "aabbcc"},
		{"duties", "duties", "duties"},
	} {
		if got := collapseRepeats(tt.w, 1); got != tt.once {
			t.Errorf("collapseRepeats(%q, 1) = %q, want %q", tt.w, got, tt.once)
		}
		if got := collapseRepeats(tt.w, 2); got != tt.twice {
			t.Errorf("collapseRepeats(%q, 2) = %q, want %q", tt.w, got, tt.twice)
		}
		for _, once := range []string{tt.once, tt.w, tt.once + "x", "", "zz"} {
			if got, want := collapsesTo(tt.w, once), collapseRepeats(tt.w, 1) == once; got != want {
				t.Errorf("collapsesTo(%q, %q) = %v, want %v", tt.w, once, got, want)
			}
		}
	}
	// A word with nothing to collapse is returned as it is, without a copy.
	if allocs := testing.AllocsPerRun(10, func() { collapseRepeats("requirements", 1) }); allocs != 0 {
		t.Errorf("collapseRepeats of a word without repeats allocates %v times", allocs)
	}
}
