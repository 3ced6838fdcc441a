package intents

import (
	"slices"
	"unicode/utf8"

	"github.com/nocbot/nocbot/knowledge"
)

// textSections is how many sections of running text sectionWords knows:
// the lead statement (Description), the main duties (Duties), the
// employment requirements (Requirements) and the additional information
// (Advancement), numbered in that order.
const textSections = 4

// sectionWords are the words of the loaded profiles' own text that belong
// to one section: "clinics" to the lead statement, "statistics" and
// "demographic" to the main duties, "diploma" and "certification" to the
// employment requirements, "supervisory" to the additional information. A
// question naming one ("can I work in a clinic?", "do they prepare
// statistics?") is about that section, though no training question uses
// the word: the classifier gets one feature per such word, naming the
// section. Built from whatever profiles are loaded, in both languages
// where they have them; a word in several sections belongs to none unless
// one holds most of it.
type sectionWords struct {
	en map[string]uint8 // English stem -> section index + 1
	zh map[string]uint8 // Chinese character pair -> section index + 1
}

// newSectionWords counts, for each word, the profile sections it occurs
// in, and keeps the words one section dominates. Words of job titles are
// left out: a title is masked before classifying, and its words are in
// every section.
func newSectionWords(profiles []knowledge.Profile) sectionWords {
	en, zh := map[string]*[textSections]int{}, map[string]*[textSections]int{}
	titleEN, titleZH := map[string]bool{}, map[string]bool{}
	for _, p := range profiles {
		for _, t := range slices.Concat([]knowledge.Text{p.Title}, p.ExampleTitles, p.AllTitles) {
			for _, w := range splitTokens(t.EN) {
				titleEN[stemWord(w)] = true
			}
			forPairs(t.ZH, func(pair string) { titleZH[pair] = true })
		}
	}
	for _, p := range profiles {
		texts := [textSections][]knowledge.Text{
			{p.Lead},
			append([]knowledge.Text{p.DutiesIntro}, p.Duties...),
			p.Requirements,
			p.Additional,
		}
		for s, ts := range texts {
			seenEN, seenZH := map[string]bool{}, map[string]bool{}
			for _, t := range ts {
				if t.Heading {
					continue
				}
				for _, w := range splitTokens(t.EN) {
					if len(w) < 3 || w[0] < 'a' || sectionStopword(w) {
						continue
					}
					if st := stemWord(w); !titleEN[st] && !seenEN[st] {
						seenEN[st] = true
						add(en, st, s)
					}
				}
				forPairs(t.ZH, func(pair string) {
					if !titleZH[pair] && !seenZH[pair] {
						seenZH[pair] = true
						add(zh, pair, s)
					}
				})
			}
		}
	}
	return sectionWords{en: dominant(en), zh: dominant(zh)}
}

func add(m map[string]*[textSections]int, w string, section int) {
	c := m[w]
	if c == nil {
		c = new([textSections]int)
		m[w] = c
	}
	c[section]++
}

// dominant keeps the words whose commonest section holds at least three
// times as many of their occurrences as any other.
func dominant(m map[string]*[textSections]int) map[string]uint8 {
	out := map[string]uint8{}
	for w, c := range m {
		best := 0
		for s, n := range c {
			if n > c[best] {
				best = s
			}
		}
		second := 0
		for s, n := range c {
			if s != best {
				second = max(second, n)
			}
		}
		if c[best] > 0 && c[best] >= 3*second {
			out[w] = uint8(best + 1)
		}
	}
	return out
}

// forPairs calls fn with each pair of adjacent Chinese characters of s.
func forPairs(s string, fn func(string)) {
	prev := -1
	for i, r := range s {
		if r < 0x2E80 {
			prev = -1
			continue
		}
		if prev >= 0 {
			fn(s[prev : i+utf8.RuneLen(r)])
		}
		prev = i
	}
}

// sectionStopword reports the words every section uses: they say nothing
// about which section a question asks for.
func sectionStopword(w string) bool {
	switch w {
	case "the", "and", "for", "are", "with", "may", "this", "these", "their", "they", "who", "which", "from", "also",
		"some", "all", "other", "such", "include", "includes", "included", "including", "following", "perform",
		"workers", "worker", "related", "occupations", "occupation", "group", "unit", "usually", "require", "required",
		"requires", "possible", "various", "both", "into", "not", "can", "has", "have", "been", "that", "than", "more",
		"within", "according", "established", "employed", "duties", "work", "working":
		return true
	}
	return false
}

// appendHan appends, for each pair of characters of a Chinese run a
// section holds, the feature naming that section.
func (sw *sectionWords) appendHan(run string, out []uint32) []uint32 {
	if len(sw.zh) == 0 {
		return out
	}
	prev := -1
	for i, r := range run {
		if prev >= 0 {
			if s := sw.zh[run[prev:i+utf8.RuneLen(r)]]; s > 0 {
				out = append(out, newHasher(nsSection).byte(s).index())
			}
		}
		prev = i
	}
	return out
}
