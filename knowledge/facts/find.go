package facts

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Query is a question as the classifier read it.
type Query struct {
	// Normalized is the question as the classifier normalised it:
	// lower-case English words and Chinese runs in Simplified characters,
	// separated by spaces.
	Normalized string
	// Raw is the question as typed: acronyms are told by their capitals.
	Raw string
	// Skip are words the question uses to name the occupation (a job
	// title it names, the occupation's own title): not facts asked about.
	Skip []string
	// Prefer is the section the classifier placed the question in: its
	// sentences win ties.
	Prefer Section
	// Negated: the question asks in the negative ("can I do it without a
	// diploma?", 不需要文凭吗), as the classifier's phrase data tells.
	Negated bool
}

// Term is one content word or phrase of a question.
type Term struct {
	Asked string // as the question wrote it: "clinic", "诊所", "CHIMA"
	// Long is what an acronym stands for in the profile ("canadian
	// health information management association"); "" otherwise.
	// Spelled says the profile spells the acronym out itself, "Member of
	// Parliament (MP)"; otherwise Long is the profile's words whose
	// initials the acronym is.
	Long    string
	Spelled bool
	// Acronym: the question wrote the term in capitals ("ICD", "CHIMA"),
	// or as an acronym the profile uses: a name, not a word of framing.
	Acronym bool
	// Weak marks a Chinese run no list knows: it finds sentences that
	// hold it, but its absence is not reported as the profile not saying
	// it (it may be a word of the question's own framing).
	Weak bool
	alts []alt
	zh   bool // asked in Chinese: Chinese forms match Chinese text
}

// alt is one way a sentence can hold a term: all of stems, or the
// Chinese substring zh.
type alt struct {
	stems   []string
	zh      string
	literal bool // the question's own word (or its acronym's long form)
}

// Quote is a sentence that holds some of a question's terms.
type Quote struct {
	*Sentence
	Held []int // indexes into Finding.Terms
	// Literal: every held term is held in the question's own words, not
	// through a translation or a word of the same family in the term list.
	Literal bool
	// Hedged: the sentence says "may", "possible", "can", "usually", 可能.
	Hedged bool
	// Negated: the sentence says "not", "no", 不, 无.
	Negated bool
	// Requires: the sentence states a requirement ("require", "is
	// required", 需要, 必须).
	Requires bool
}

// Finding is what the profile holds of a question.
type Finding struct {
	Terms   []Term
	Quotes  []Quote // best first, at most MaxQuotes
	Missing []Term  // asked terms no sentence holds (weak ones aside)
	YesNo   bool    // the question asks yes or no
	// Question: it is worded as a question (a question word, "吗", a
	// question mark), not a bare phrase such as a job title.
	Question bool
	// NamesSection: the question names a section ("duties", "education"):
	// a fact held elsewhere is not what it asks.
	NamesSection bool
	// Asks is what a yes/no question asks of its fact: whether it is so,
	// possible ("can I…", 可以), or needed ("do they need…", 必须).
	Asks Modality
	// Negated: the question asks in the negative (Query.Negated): a
	// sentence that holds its fact does not make the answer "yes".
	Negated bool
}

// Modality is what a yes/no question asks of its fact.
type Modality uint8

// The modalities: a hedged sentence ("may be required", "is possible")
// answers "is it needed?" with "not necessarily" but "can I?" with "yes,
// it is possible".
const (
	AsksWhether Modality = iota
	AsksPossible
	AsksNeeded
)

// MaxQuotes bounds the sentences a finding quotes.
const MaxQuotes = 3

// Asked reports whether the question asks about anything in particular.
func (f Finding) Asked() bool { return len(f.Terms) > 0 }

// Complete reports whether the quotes hold every term asked (weak ones
// aside) and there is at least one.
func (f Finding) Complete() bool { return len(f.Quotes) > 0 && len(f.Missing) == 0 }

// Strong reports whether the profile holds the question firmly: one
// sentence holds every term (weak ones aside), and at least one of them is
// a term the question chose its own words for (not only a weak Chinese
// run).
func (f Finding) Strong() bool {
	if !f.Complete() {
		return false
	}
	first, strong := f.Quotes[0], false
	for i, t := range f.Terms {
		held := slices.Contains(first.Held, i)
		if !t.Weak && !held {
			return false
		}
		strong = strong || held && !t.Weak
	}
	return strong
}

// Find finds the sentences of the profile with the given code that hold
// the question's content words. It never returns a sentence that holds
// none of them.
func (x *Index) Find(code string, q Query) Finding {
	e := x.entry(code)
	if e == nil {
		return Finding{}
	}
	f := Finding{Terms: x.termsOf(e, q), YesNo: yesNo(q.Normalized), Negated: q.Negated}
	f.Question = f.YesNo || questionWorded(q)
	f.Asks = modality(q.Normalized)
	for w := range strings.FieldsSeq(q.Normalized) {
		f.NamesSection = f.NamesSection || sectionWord(w)
	}
	if len(f.Terms) == 0 {
		return f
	}
	covered := make([]bool, len(f.Terms))
	used := make([]bool, len(e.sents))
	for len(f.Quotes) < MaxQuotes {
		best, bestScore := -1, 0
		var bestHeld []int
		for i := range e.sents {
			if used[i] {
				continue
			}
			held, score := holds(&e.sents[i], f.Terms, covered)
			if score == 0 {
				continue
			}
			score = score*16 + priority(e.sents[i].Section, q.Prefer)
			if score > bestScore {
				best, bestScore, bestHeld = i, score, held
			}
		}
		if best < 0 {
			break
		}
		used[best] = true
		s := &e.sents[best]
		for _, t := range bestHeld {
			covered[t] = true
		}
		f.Quotes = append(f.Quotes, quoteOf(s, bestHeld, f.Terms))
		// Sentences of running text that hold the same terms as well are
		// quoted too: 统计 is in two duties.
		for i := range e.sents {
			if len(f.Quotes) == MaxQuotes {
				break
			}
			t := &e.sents[i]
			if used[i] || t.Section != s.Section || t.Section >= ExampleTitles {
				continue
			}
			if held, score := holdsSame(t, f.Terms, bestHeld); score*16+priority(t.Section, q.Prefer) == bestScore {
				used[i] = true
				f.Quotes = append(f.Quotes, quoteOf(t, held, f.Terms))
			}
		}
	}
	for i, t := range f.Terms {
		if !covered[i] && !t.Weak {
			f.Missing = append(f.Missing, t)
		}
	}
	return f
}

// quoteOf quotes s for the terms it holds.
func quoteOf(s *Sentence, held []int, terms []Term) Quote {
	q := Quote{Sentence: s, Held: held, Literal: true, Hedged: s.hedged, Negated: s.negated, Requires: s.requires}
	for _, k := range held {
		q.Literal = q.Literal && heldLiterally(s, terms[k])
	}
	return q
}

// holds lists the terms not yet covered that s holds, and a score: two
// for a term, one for a weak one.
func holds(s *Sentence, terms []Term, covered []bool) (held []int, score int) {
	for i := range terms {
		if covered[i] || !holdsTerm(s, &terms[i], false) {
			continue
		}
		held = append(held, i)
		score += 2
		if terms[i].Weak {
			score--
		}
	}
	return held, score
}

// holdsSame is holds for exactly the terms of want: the held terms and
// their score, or a zero score when s holds others or fewer.
func holdsSame(s *Sentence, terms []Term, want []int) ([]int, int) {
	score := 0
	for i := range terms {
		in := slices.Contains(want, i)
		if holdsTerm(s, &terms[i], false) != in {
			if in {
				return nil, 0
			}
			continue // a term covered already: no matter
		}
		if in {
			score += 2
			if terms[i].Weak {
				score--
			}
		}
	}
	return want, score
}

func holdsTerm(s *Sentence, t *Term, literalOnly bool) bool {
	for _, a := range t.alts {
		if literalOnly && !a.literal {
			continue
		}
		if a.zh != "" {
			if t.zh && strings.Contains(s.Text.ZH, a.zh) {
				return true
			}
			continue
		}
		if len(a.stems) > 0 && containsAll(s.stems, a.stems) {
			return true
		}
	}
	return false
}

func heldLiterally(s *Sentence, t Term) bool { return holdsTerm(s, &t, true) }

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// priority orders the sections a fact is quoted from when sentences hold
// as much: the one the question was placed in, then the running text
// before the title lists, which repeat the same words many times.
func priority(s, prefer Section) int {
	if s == prefer {
		return 15
	}
	switch s {
	case Lead, Duties, Requirements, Additional:
		return 10 - int(s)
	case Inclusions, Exclusions:
		return 4
	}
	return 0
}

// hedged reports whether a sentence states its fact as possible rather
// than certain.
func hedged(words []word, zh string) bool {
	return holdsCue(words, zh, []string{"may", "might", "can", "could", "possible", "possibly", "some", "usually", "often", "sometimes", "eligible", "optional", "preferred", "generally"},
		[]string{"可能", "可以", "有时", "通常", "一般", "有资格"})
}

func negated(words []word, zh string) bool {
	return holdsCue(words, zh, []string{"not", "no", "never", "nor", "without"}, []string{"不", "无", "没有", "未"})
}

// requires reports whether a sentence states a requirement: "require
// completion of…", "is required", 需要, 必须.
func requires(words []word, zh string) bool {
	return holdsCue(words, zh, []string{"require", "requires", "required", "requirement", "mandatory", "must"}, []string{"需要", "必须", "要求"})
}

// holdsCue reports whether a sentence holds one of the English words
// whole, or one of the Chinese words in its Chinese text.
func holdsCue(words []word, zh string, en, zhWords []string) bool {
	for _, w := range words {
		if slices.Contains(en, w.lower) {
			return true
		}
	}
	for _, w := range zhWords {
		if strings.Contains(zh, w) {
			return true
		}
	}
	return false
}

// modality reads what a question asks of its fact: needed ("need",
// "must", "required", 需要, 必须) before possible ("can", "able", 可以,
// 能), else whether it is so.
func modality(normalized string) Modality {
	possible := false
	for t := range strings.FieldsSeq(normalized) {
		switch t {
		case "need", "needs", "needed", "must", "required", "require", "requires", "mandatory", "necessary", "compulsory", "have", "has", "gotta":
			if t != "have" && t != "has" || strings.Contains(normalized, t+" to ") {
				return AsksNeeded
			}
		case "can", "could", "possible", "able", "allowed", "cant", "may":
			possible = true
		}
		if t[0] >= utf8.RuneSelf {
			for _, w := range []string{"需要", "必须", "一定要", "要求", "得要", "需不需要", "要不要", "必不必须"} {
				if strings.Contains(t, w) {
					return AsksNeeded
				}
			}
			for _, w := range []string{"可以", "能", "可不可以", "有可能", "允许"} {
				if strings.Contains(t, w) {
					possible = true
				}
			}
		}
	}
	if possible {
		return AsksPossible
	}
	return AsksWhether
}

// questionWorded reports whether a question is worded as one: a question
// word or a question mark.
func questionWorded(q Query) bool {
	for t := range strings.FieldsSeq(q.Normalized) {
		switch t {
		case "what", "whats", "which", "where", "who", "whos", "how", "why", "when", "whether":
			return true
		}
		if t != "" && t[0] >= utf8.RuneSelf {
			for _, w := range []string{"什么", "哪", "怎么", "如何", "谁", "多少", "几", "吗", "呢", "么"} {
				if strings.Contains(t, w) {
					return true
				}
			}
		}
	}
	return strings.ContainsAny(q.Raw, "?？")
}

// yesNo reports whether normalised tokens ask a yes-or-no question: "do
// they…", "can I…", "is it…", "…吗", "有没有…".
func yesNo(normalized string) bool {
	i := 0
	for t := range strings.FieldsSeq(normalized) {
		if i > 2 {
			break
		}
		i++
		switch t {
		case "so", "and", "ok", "okay", "but", "then", "hey", "hi", "also", "well", "um":
			continue
		case "do", "does", "did", "can", "could", "is", "are", "will", "would", "should", "must", "have", "has",
			"need", "may", "am", "was", "were", "shall", "isnt", "dont", "doesnt", "cant", "arent":
			return true
		}
		break
	}
	for t := range strings.FieldsSeq(normalized) {
		if t[0] < utf8.RuneSelf {
			continue
		}
		for _, m := range []string{"是否", "是不是", "有没有", "能不能", "可不可以", "会不会", "要不要", "需不需要", "用不用", "必不必须", "得不得"} {
			if strings.Contains(t, m) {
				return true
			}
		}
		if strings.HasSuffix(t, "吗") || strings.HasSuffix(t, "么") && !strings.HasSuffix(t, "什么") && !strings.HasSuffix(t, "怎么") || strings.HasSuffix(t, "嘛") {
			return true
		}
	}
	return false
}
