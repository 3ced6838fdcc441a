package facts

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode/utf8"
)

//go:embed terms.tsv
var termsTSV string

// termList is nocbot's bilingual term list: families of words that ask
// for the same thing.
type termList struct {
	families []family
	byStem   map[string]int // English stem → family
	zh       []zhForm       // every Chinese form, longest first
}

type family struct {
	en []string // stems
	zh []string
}

type zhForm struct {
	form   string
	family int
}

// parseTerms reads the term list: '#' comments, then rows of English
// forms and Chinese forms, each comma-separated, split by a tab.
func parseTerms(text string) (*termList, error) {
	t := &termList{byStem: map[string]int{}}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		en, zh, ok := strings.Cut(line, "\t")
		if !ok || strings.TrimSpace(en) == "" || strings.TrimSpace(zh) == "" {
			return nil, fmt.Errorf("terms.tsv:%d: want English forms, a tab, Chinese forms", n+1)
		}
		f := family{}
		id := len(t.families)
		for _, w := range strings.Split(en, ",") {
			w = strings.ToLower(strings.TrimSpace(w))
			if w == "" {
				return nil, fmt.Errorf("terms.tsv:%d: empty English form", n+1)
			}
			s := Stem(w)
			f.en = append(f.en, s)
			if _, dup := t.byStem[s]; !dup {
				t.byStem[s] = id
			}
		}
		for _, w := range strings.Split(zh, ",") {
			w = strings.TrimSpace(w)
			if w == "" || !utf8.ValidString(w) {
				return nil, fmt.Errorf("terms.tsv:%d: empty or invalid Chinese form", n+1)
			}
			f.zh = append(f.zh, w)
			t.zh = append(t.zh, zhForm{w, id})
		}
		t.families = append(t.families, f)
	}
	// Longest first, so 管理别人 is found before 管理.
	for i := 1; i < len(t.zh); i++ {
		for j := i; j > 0 && utf8.RuneCountInString(t.zh[j].form) > utf8.RuneCountInString(t.zh[j-1].form); j-- {
			t.zh[j], t.zh[j-1] = t.zh[j-1], t.zh[j]
		}
	}
	return t, nil
}
