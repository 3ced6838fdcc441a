package intents

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/nocbot/nocbot/knowledge"
)

// TitleFinder is what the matcher reads of the occupation profiles: the
// job titles a normalised question names, and the profiles themselves,
// whose own titles join the vocabulary and tell an occupation no profile
// covers ("dentist") from one a profile lists. *knowledge.Library
// implements it.
type TitleFinder interface {
	LookupTitle(text string) []knowledge.TitleMatch
	Profiles() []knowledge.Profile
}

// Result is what the matcher reads from one question.
type Result struct {
	Intent     Intent
	Lang       knowledge.Lang
	Confidence float64 // calibrated probability of Intent, 0..1
	// NOC is the code a lookup resolved the named title to; "" for other
	// intents and for titles no profile lists. It is never guessed.
	NOC string
	// Code is the first NOC code written in the question ("1252", "NOC
	// １２５２", "noc2021 12111"); Codes are all of them, in order, without
	// repeats ("what is 1252 now, 12111?" names two). A number shaped like
	// a code is a code even when no unit group has it ("NOC 99999"): saying
	// so is the core's job. The classification's own years are never codes
	// ("NOC 2021", "2016").
	Code  string
	Codes []string
	// TEER is the TEER category the question names, "0" to "5" ("what does
	// TEER 2 mean", "TEER3"); "" for none.
	TEER string
	// Titles are the job titles named in the question, best first.
	Titles []knowledge.TitleMatch
	// Occupation is an occupation the question names that no profile's
	// own titles use ("dentist", "护士"), when it names no known title
	// and no code: the question is about a job nocbot has no profile for.
	Occupation string
	// Normalized is the question as the classifier read it.
	Normalized string
	// Also lists the further parts a compound question asks, in order
	// after Intent: the sections ("what do they do and what education do
	// they need?" is Duties, also Requirements) and the out-of-scope parts
	// ("duties and salary" is Duties, also OutOfScope). At most
	// MaxSections-1 entries.
	Also []Intent
	// AlsoTopics holds, for each entry of Also, the topic an out-of-scope
	// part names (NoTopic for section parts and unnamed topics).
	AlsoTopics []Topic
	// Topic is the career topic no profile covers that the question (the
	// part read as Intent, for a compound) names: "how much do they earn"
	// is TopicPay. Set whatever the intent, from data/phrases/topic.*.txt.
	Topic Topic
	// SmallTalk is a goodbye, an acknowledgement, "who are you" or an
	// insult (data/phrases/smalltalk.*.txt); an insult is never read as a
	// greeting, thanks or help.
	SmallTalk SmallTalk
	// LangRequest is the language the asker asks replies in ("in English
	// please", "用中文"), "" for none (data/phrases/lang.*.txt).
	LangRequest knowledge.Lang
	// More is a request to go on with the last answer ("tell me more",
	// "详细一点"; data/phrases/more.yes.txt).
	More bool
	// ScriptRequest is the Chinese script the asker asks replies in ("用繁體",
	// "in simplified"), "" for none (data/phrases/script.*.txt).
	ScriptRequest Script
	// Compares says the question compares occupations ("difference",
	// "vs", 区别; data/phrases/compare.yes.txt).
	Compares bool
	// AboutConversation says the question speaks of the occupation already
	// discussed ("this job", "they", 这个工作; data/phrases/conversation.yes.txt).
	AboutConversation bool
	// Whole says the question asks for the whole of a list ("all",
	// 全部; data/phrases/whole.yes.txt), NamesTitles that it speaks of
	// job titles as such ("titles", 职称; data/phrases/titleword.yes.txt):
	// together, "all titles".
	Whole, NamesTitles bool
	// AboutNOC says the whole question asks what the NOC itself is
	// ("what's NOC?", "NOC是什么"; data/phrases/aboutnoc.yes.txt).
	AboutNOC bool
	// Negated says the question asks about a fact in the negative ("can I
	// do it without a diploma?", "不需要文凭吗"; data/phrases/negation.yes.txt):
	// a sentence that holds the fact does not answer it "yes".
	Negated bool
	// OwnJob says the question opens the way people describe their own
	// job ("my duties:", "in my job I", "我负责"; data/phrases/ownjob.yes.txt):
	// what follows may be their duties, to match against every unit
	// group's, whatever intent the rest of the words suggest.
	OwnJob bool
	// SwitchTo is the code a message moves the conversation to when it is
	// that code and words of data/phrases/switch.*.txt alone, one of them
	// a move ("ok, now 1252", "back to 1252", "回到1253"); "" otherwise.
	SwitchTo string
}

// Thresholds below which the best intent is not trusted and the question
// is treated as out of scope: a minimum confidence, and a minimum lead over
// the runner-up, so a question torn between two intents is not answered
// confidently with either.
const (
	DefaultMinConfidence = 0.40
	DefaultMinMargin     = 0.10
)

// Matcher classifies questions. Build it once with NewMatcher; it is safe
// for concurrent use.
type Matcher struct {
	norm          *Normalizer
	model         *model
	titles        TitleFinder
	occupations   *occupations
	phrases       *phrasebook
	sections      sectionWords
	minConfidence float64
	minMargin     float64
	scratch       sync.Pool // *scratch
}

// scratch is one question's working memory, reused through a pool.
type scratch struct {
	feats  []uint32
	probs  []float64
	raw    []string // the question split, before normalising
	tokens []string
	masked []string
}

// putScratch returns sc to the pool without the question's words: a
// question is not kept past its answer.
func (m *Matcher) putScratch(sc *scratch) {
	clear(sc.raw)
	clear(sc.tokens)
	clear(sc.masked)
	sc.raw, sc.tokens, sc.masked = sc.raw[:0], sc.tokens[:0], sc.masked[:0]
	m.scratch.Put(sc)
}

// Option adjusts a Matcher.
type Option func(*Matcher)

// WithThresholds sets the minimum confidence and margin (see
// DefaultMinConfidence).
func WithThresholds(minConfidence, minMargin float64) Option {
	return func(m *Matcher) { m.minConfidence, m.minMargin = minConfidence, minMargin }
}

// NewMatcher trains a matcher on the utterances and resolves titles with
// titles (nil: no title lookup). Training takes a few milliseconds and is
// deterministic.
func NewMatcher(utterances []Utterance, titles TitleFinder, opts ...Option) (*Matcher, error) {
	if len(utterances) == 0 {
		return nil, fmt.Errorf("train intent matcher: no utterances")
	}
	m := withOptions(titles, opts)
	var vocab []string
	for _, u := range utterances {
		for _, tok := range splitTokens(u.Text) {
			if tok[0] >= utf8.RuneSelf {
				continue
			}
			// The vocabulary is of normalised words: "r" in a training
			// line is "are" to the matcher.
			if exp := chatSpelling(tok); exp != "" {
				vocab = append(vocab, strings.Fields(exp)...)
			} else {
				vocab = append(vocab, tok)
			}
		}
	}
	var profiles []knowledge.Profile
	if titles != nil {
		profiles = titles.Profiles()
	}
	ownWords, ownZH := ownTitleText(profiles)
	vocab = append(vocab, ownWords...)
	vocab = append(vocab, elsewhereWords(profiles)...)
	vocab = append(vocab, phraseWords(phrasesFS, phrasesDir)...)
	m.occupations = newOccupations(ownWords, ownZH)
	m.sections = newSectionWords(profiles)
	norm, err := NewNormalizer(vocab)
	if err != nil {
		return nil, err
	}
	m.norm = norm
	if m.phrases, err = readPhrases(phrasesFS, phrasesDir, norm); err != nil {
		return nil, err
	}

	classes := All()
	classIndex := map[Intent]int{}
	for i, c := range classes {
		classIndex[c] = i
	}
	examples := make([]example, len(utterances))
	for i, u := range utterances {
		tokens, _ := m.readTokens(u.Text)
		examples[i] = example{feats: features(tokens, &m.sections, nil), class: classIndex[u.Intent], lang: u.Lang}
	}
	// The full model and the calibration folds train at once: start-up is
	// the time to first answer.
	rows := newFeatureRows(examples)
	var full *model
	done := make(chan struct{})
	go func() {
		defer close(done)
		full = train(classes, rows, examples)
	}()
	temp := calibrate(classes, rows, examples)
	<-done
	m.model = full
	m.model.temp = temp
	return m, nil
}

// withOptions is a matcher with its options and no model yet.
func withOptions(titles TitleFinder, opts []Option) *Matcher {
	m := &Matcher{titles: titles, minConfidence: DefaultMinConfidence, minMargin: DefaultMinMargin}
	for _, o := range opts {
		o(m)
	}
	m.scratch.New = func() any {
		return &scratch{feats: make([]uint32, 0, 64), probs: make([]float64, len(All()))}
	}
	return m
}

// calibrationFolds is how many held-out folds calibrate the confidence.
const calibrationFolds = 2

// calibrate fits one temperature per language on predictions for examples
// held out of training, so a confidence of 0.7 is right about 70 % of the
// time in Chinese and in English alike.
func calibrate(classes []Intent, rows *featureRows, examples []example) [2]float64 {
	type heldOut struct {
		logits [2][][]float64
		labels [2][]int
	}
	folds := make([]heldOut, calibrationFolds)
	var wg sync.WaitGroup
	for fold := range calibrationFolds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var trainSet, held []example
			for i, ex := range examples {
				if i%calibrationFolds == fold {
					held = append(held, ex)
				} else {
					trainSet = append(trainSet, ex)
				}
			}
			m := train(classes, rows, trainSet)
			h := &folds[fold]
			for _, ex := range held {
				l := make([]float64, len(classes))
				m.logits(ex.feats, l)
				li := langIndex(ex.lang)
				h.logits[li] = append(h.logits[li], l)
				h.labels[li] = append(h.labels[li], ex.class)
			}
		}()
	}
	wg.Wait()
	var all heldOut
	for _, h := range folds {
		for li := range 2 {
			all.logits[li] = append(all.logits[li], h.logits[li]...)
			all.labels[li] = append(all.labels[li], h.labels[li]...)
		}
	}
	return [2]float64{fitTemperature(all.logits[0], all.labels[0]), fitTemperature(all.logits[1], all.labels[1])}
}

// elsewhereWords are the words of the titles profiles mention as
// classified elsewhere: people ask about them too.
func elsewhereWords(profiles []knowledge.Profile) []string {
	var out []string
	for _, p := range profiles {
		for _, r := range p.Elsewhere {
			out = append(out, splitTokens(r.Title.EN)...)
		}
	}
	return out
}

// Normalize returns the canonical form of a question (see Normalizer).
func (m *Matcher) Normalize(q string) string { return m.norm.Normalize(q) }

// Normalizer is the matcher's normaliser, shared by what reads Chinese as
// it does (the search while typing).
func (m *Matcher) Normalizer() *Normalizer { return m.norm }

// Classify reads one question. Any input is accepted: empty, huge, invalid
// UTF-8 or control characters give a valid Result. A long message is read
// by its question sentences, not by the story before them; a compound
// question by each of its parts.
func (m *Matcher) Classify(question string) Result {
	question = questionSentences(question)
	res := m.classify(question)
	if res.Intent == Lookup || res.Intent == Teer {
		// A title or code asked about whole ("i'm a medical records
		// supervisor, what's my noc", "TEER 3, what does that mean") is
		// not parts: the clause naming it asks nothing alone.
		return res
	}
	if parts, conf, ok := m.compound(question); ok {
		first := parts[0]
		res.Intent, res.Confidence, res.NOC, res.Topic = first.Intent, conf, "", first.Topic
		if first.Intent == Lookup && len(res.Titles) > 0 {
			res.NOC = res.Titles[0].Code
		}
		for _, p := range parts[1:] {
			res.Also = append(res.Also, p.Intent)
			res.AlsoTopics = append(res.AlsoTopics, p.Topic)
		}
	}
	return res
}

// part is one question of a compound as the matcher read it.
type part struct {
	Intent Intent
	Topic  Topic
	conf   float64
}

// compound reads a message that asks several things at once, split at
// "and", commas, question marks and their Chinese counterparts. Parts that
// ask a section or name something the profiles do not cover ("salary",
// "工资多少", "is it stressful?") are kept, in order, once each; greetings
// and statements around them ("你好", "I moved here last year") are
// dropped. It declines — the whole message is read as one — when a part
// asks anything else (a lookup, the TEER), when a section part is unsure,
// or when nothing would change: one part kept from one part.
func (m *Matcher) compound(question string) (parts []part, confidence float64, ok bool) {
	var buf [maxParts]string // on the stack: most questions are one part
	pieces := splitCompound(question, buf[:0])
	if len(pieces) < 2 {
		return nil, 0, false
	}
	// Each piece read once. When some piece has a question word, the
	// pieces that ask nothing are the story around the questions; when
	// none has, every piece must be a part (a job described clause by
	// clause is one message, not parts).
	var read [maxParts]struct {
		part
		talk      SmallTalk
		asks, cue bool
	}
	// In a long message a short clause is more likely story ("刚来加拿大")
	// than a question.
	long, cues := utf8.RuneCountInString(question) > longClauses, 0
	for i, p := range pieces {
		r := m.classify(p)
		read[i].part = part{Intent: r.Intent, Topic: r.Topic, conf: r.Confidence}
		cue, fragment := questionCue(r.Normalized)
		read[i].talk, read[i].asks, read[i].cue = r.SmallTalk, cue || fragment && !long, cue
		if cue {
			cues++
		}
	}
	var kept [MaxSections]part
	n := 0
	confidence = 1
	for _, r := range read[:len(pieces)] {
		if cues > 0 && !r.asks {
			continue
		}
		switch {
		case r.Intent.Section() && r.conf >= compoundMinConfidence:
			r.Topic = NoTopic
		case r.Intent == OutOfScope && r.talk == NoSmallTalk && (r.cue || r.Topic != NoTopic):
			// A question the profiles do not answer: "is it stressful?",
			// "salary"; not a word left over from a sentence.
		case r.Intent == Greeting || r.Intent == Thanks || r.Intent == OutOfScope && cues > 0:
			continue // a greeting, or a statement around the questions
		default:
			return nil, 0, false
		}
		if slices.ContainsFunc(kept[:n], func(k part) bool { return k.Intent == r.Intent && k.Topic == r.Topic }) {
			continue
		}
		if n == len(kept) {
			return nil, 0, false
		}
		kept[n] = r.part
		n++
		confidence = min(confidence, r.conf)
	}
	if n == 0 {
		return nil, 0, false
	}
	return kept[:n], confidence, true
}

// longClauses is the length, in characters, past which a message's short
// clauses are taken for story unless they ask something.
const longClauses = 60

// compoundMinConfidence is stricter than the single-question threshold: a
// part is a fragment, and a wrong extra section is worse than none.
const compoundMinConfidence = 0.5

// MaxSections bounds the sections one message can ask for (Intent and
// Also together).
const MaxSections = 3

// maxParts bounds the pieces a message is cut into before the ones that
// ask something are picked out.
const maxParts = 8

// splitCompound cuts a question at the marks and words that join two
// questions (",", "?", "and", "&", "，", "？", "和", "以及", ...), keeping
// the parts with at least two letters or characters, appended to parts;
// past maxParts, the last maxParts of them.
func splitCompound(q string, parts []string) []string {
	add := func(s string) {
		if s = strings.TrimSpace(s); utf8.RuneCountInString(s) >= 2 {
			parts = append(parts, s)
		}
	}
	start := 0
	for i, r := range q {
		if len(parts) > maxParts {
			// A long sentence: its questions come last.
			parts = append(parts[:0], parts[len(parts)-maxParts:]...)
		}
		switch {
		case joinsQuestions(r):
			add(q[start:i])
			start = i + utf8.RuneLen(r)
		case r == '和':
			add(q[start:i])
			start = i + utf8.RuneLen(r)
		case r >= utf8.RuneSelf:
			for _, w := range []string{"以及", "并且", "另外"} {
				if strings.HasPrefix(q[i:], w) {
					add(q[start:i])
					start = i + len(w)
				}
			}
		case r == ' ' && i >= start && i+1 < len(q) && (q[i+1]|0x20 == 'a' || q[i+1]|0x20 == 'p'): // the words below
			for _, w := range []string{" and ", " also ", " plus ", " as well as "} {
				if len(q)-i >= len(w) && strings.EqualFold(q[i:i+len(w)], w) {
					add(q[start:i])
					start = i + len(w) - 1
				}
			}
		}
	}
	add(q[start:])
	if len(parts) > maxParts {
		parts = append(parts[:0], parts[len(parts)-maxParts:]...)
	}
	return parts
}

// joinsQuestions reports the marks that join two questions.
func joinsQuestions(r rune) bool {
	switch r {
	case ',', ';', '?', '!', '&', '，', '；', '？', '！', '、', '\n', '。':
		return true
	}
	return false
}

func (m *Matcher) classify(question string) Result {
	sc := m.scratch.Get().(*scratch)
	defer m.putScratch(sc)
	sc.tokens = m.norm.appendTokens(sc.tokens[:0], &sc.raw, question)
	tokens := sc.tokens
	res := Result{Lang: DetectLang(question), Normalized: strings.Join(tokens, " ")}
	if len(tokens) == 0 {
		res.Intent, res.Confidence = OutOfScope, 1
		return res
	}
	res.Codes = findCodes(tokens)
	if len(res.Codes) > 0 {
		res.Code = res.Codes[0]
	}
	res.TEER = findTEER(tokens)
	f := m.recognizePhrases(&res, tokens)
	if m.titles != nil {
		res.Titles = m.phrases.withoutNoTitles(m.withoutMisreadWords(m.titles.LookupTitle(res.Normalized), tokens), tokens, &f)
	}
	if len(res.Titles) == 0 && res.Code == "" {
		res.Occupation = m.occupations.find(tokens)
	}
	if masked := maskNamedTitle(sc.masked[:0], tokens, res.Titles); masked != nil {
		sc.masked, tokens = masked, masked
	}

	sc.feats = features(tokens, &m.sections, sc.feats[:0])
	m.model.predict(sc.feats, res.Lang, sc.probs)
	if res.Code != "" && len(res.Titles) == 0 {
		// A lookup finds the code of a title; with a code and no title
		// ("noc 1252 duties", "noc 1252 salary") the question is about
		// that group, and the belief the word "noc" gave to a lookup
		// belongs to the other readings.
		l := slices.Index(m.model.classes, Lookup)
		if rest := 1 - sc.probs[l]; rest > 0 {
			for c := range sc.probs {
				sc.probs[c] /= rest
			}
		}
		sc.probs[l] = 0
	}
	best, second := 0, -1
	for c, p := range sc.probs {
		if p > sc.probs[best] {
			second, best = best, c
		} else if c != best && (second < 0 || p > sc.probs[second]) {
			second = c
		}
	}
	res.Intent, res.Confidence = m.model.classes[best], sc.probs[best]
	margin := res.Confidence
	if second >= 0 {
		margin -= sc.probs[second]
	}

	switch {
	case len(res.Titles) > 0 && bareMention(tokens, ""):
		// A job title and nothing else asks where that title belongs.
		res.Intent, res.Confidence = Lookup, res.Titles[0].Score
	case res.Code != "" && bareMention(tokens, res.Code):
		// A code and nothing else asks what that unit group is; an old
		// code with the new classification's name ("1252 noc 2021", "noc
		// 2021 1252") asks what it became.
		res.Intent, res.Confidence = Description, 1
		if len(res.Code) == 4 && slices.ContainsFunc(tokens, classificationYear) {
			res.Intent = Teer
		}
	case res.Intent != OutOfScope && (res.Confidence < m.minConfidence || margin < m.minMargin):
		res.Intent, res.Confidence = OutOfScope, 1-res.Confidence
	case res.SmallTalk == Insult && !res.Intent.Section():
		// "你好蠢" holds "你好", and is no greeting.
		res.Intent, res.Confidence = OutOfScope, 1
	}
	if res.Intent == Lookup && len(res.Titles) > 0 {
		res.NOC = res.Titles[0].Code
	}
	return res
}

// findCodes returns the four- and five-digit numbers, the shape of NOC
// 2011/2016 and NOC 2021 codes, in order and without repeats, leaving out
// the years that name a classification.
func findCodes(tokens []string) []string {
	var codes []string
	for _, t := range tokens {
		if isCode(t) && !slices.Contains(codes, t) {
			codes = append(codes, t)
		}
	}
	return codes
}

// isCode reports whether a token has the shape of a NOC code.
func isCode(tok string) bool {
	return (len(tok) == 4 || len(tok) == 5) && isNumber(tok) && !classificationYear(tok)
}

// classificationYear reports whether a number is the year in the name of a
// classification ("NOC 2021", "NOC 2016 转 2021", "noc2011"). None of them
// is a unit group: no NOC 2011/2016 unit-group code is 2011, 2016 or 2021
// (the 4-digit codes of the official NOC 2016 -> 2021 correspondence run
// from 0011 to 9619 with no 20xx), and NOC 2021 codes have five digits.
func classificationYear(tok string) bool {
	switch tok {
	case "2011", "2016", "2021":
		return true
	}
	return false
}

// findTEER returns the TEER category named after the word "teer" (the
// normaliser reads "tier" as "teer"), optionally through "level" or
// "category": "teer 2", "TEER3", "tier level 4"; "" for none.
func findTEER(tokens []string) string {
	for i, t := range tokens {
		if t != "teer" {
			continue
		}
		for _, next := range tokens[i+1 : min(i+3, len(tokens))] {
			if len(next) == 1 && next[0] >= '0' && next[0] <= '5' {
				return next
			}
			if next != "level" && next != "category" {
				break
			}
		}
	}
	return ""
}

// withoutMisreadWords drops the titles found only by reading a real
// English word of the question as a typo of a title word, or as that word
// one letter short: "do I need a diploma?" names no diplomat. Typos
// ("helth") and abbreviations ("tech") still find their titles.
func (m *Matcher) withoutMisreadWords(titles []knowledge.TitleMatch, tokens []string) []knowledge.TitleMatch {
	if len(titles) == 0 || !titles[0].Fuzzy {
		return titles
	}
	titleWords := strings.FieldsFunc(strings.ToLower(titles[0].Title.EN), func(r rune) bool { return !unicode.IsLetter(r) })
	misread := false
	for _, tok := range tokens {
		if tok[0] >= utf8.RuneSelf || slices.Contains(titleWords, tok) || !m.norm.words.has(tok) {
			continue
		}
		for _, tw := range titleWords {
			if tw != tok && (len(tw) == len(tok)+1 && strings.HasPrefix(tw, tok) || editDistance(tok, tw) == 1) {
				misread = true
			}
		}
	}
	if !misread {
		return titles
	}
	var kept []knowledge.TitleMatch
	for _, t := range titles {
		if !t.Fuzzy {
			kept = append(kept, t)
		}
	}
	return kept
}

// readTokens normalises a question and masks the job title it names, as
// Classify does, so training sees questions the way classification will.
func (m *Matcher) readTokens(q string) ([]string, []knowledge.TitleMatch) {
	tokens := m.norm.Tokens(q)
	if m.titles == nil || len(tokens) == 0 {
		return tokens, nil
	}
	titles := m.titles.LookupTitle(strings.Join(tokens, " "))
	if masked := maskNamedTitle(nil, tokens, titles); masked != nil {
		tokens = masked
	}
	return tokens, titles
}

// maskNamedTitle appends to dst the tokens with the best title the
// question names masked, unless it is the unit group's own name: "what is
// health information management" asks about the occupation itself, and
// its words are the question. It returns nil when it masks nothing.
func maskNamedTitle(dst, tokens []string, titles []knowledge.TitleMatch) []string {
	if len(titles) == 0 || titles[0].Kind == knowledge.KindGroup {
		return nil
	}
	return maskTitle(dst, tokens, titles[0].Title)
}

// titleToken stands in for the words of a job title the question names, so
// the title's own words ("supervisor", "主管") do not read as the question
// ("how do I become a supervisor" is about advancement; "which group are
// medical records supervisors in" is not).
const titleToken = "#title"

// maskTitle appends to out the tokens with the words of title replaced by
// one titleToken.
func maskTitle(out, tokens []string, title knowledge.Text) []string {
	var buf [8]string // titles are short: the stems stay on the stack
	words := appendTokens(buf[:0], title.EN)
	for i, w := range words {
		words[i] = stemWord(w)
	}
	masked := false
	mark := func() {
		if !masked {
			out = append(out, titleToken)
			masked = true
		}
	}
	for _, tok := range tokens {
		if tok[0] >= utf8.RuneSelf {
			if title.ZH == "" || !strings.Contains(tok, title.ZH) {
				out = append(out, tok)
				continue
			}
			rest := tok
			for i := 0; ; i++ {
				part, after, found := strings.Cut(rest, title.ZH)
				if i > 0 {
					mark()
				}
				if part != "" {
					out = append(out, part)
				}
				if !found {
					break
				}
				rest = after
			}
			continue
		}
		if len(words) > 0 && !titleStopword(tok) && (slices.Contains(words, stemWord(tok)) || coversTitleWord(tok, words)) {
			mark()
			continue
		}
		out = append(out, tok)
	}
	return out
}

func titleStopword(w string) bool {
	switch w {
	case "a", "an", "the", "of", "in", "and", "or", "for", "to", "is", "are":
		return true
	}
	return false
}

// bareMention reports whether masked tokens hold nothing but the title
// placeholder (or the code) and filler words such as "noc", "code" or "的".
func bareMention(tokens []string, code string) bool {
	for _, tok := range tokens {
		if tok == titleToken && code == "" {
			continue
		}
		if tok[0] >= utf8.RuneSelf {
			rest := strings.Map(func(r rune) rune {
				if strings.ContainsRune(chineseFiller, r) {
					return -1
				}
				return r
			}, tok)
			if utf8.RuneCountInString(rest) > 1 {
				return false
			}
			continue
		}
		if tok == code || fillerWord(tok, code != "") || code != "" && classificationYear(tok) {
			continue
		}
		return false
	}
	return true
}

const chineseFiller = "的是吗呢啊呀么请问一个位名"

// fillerWord reports words that add nothing to a bare title or code. With
// a code, "what about 1252" is bare too; with a title, "what is a medical
// records technician" asks for a description, not a code.
func fillerWord(w string, forCode bool) bool {
	switch w {
	case "noc", "code", "a", "an", "the", "please", "job", "title", "unit", "group":
		return true
	case "what", "about", "and", "how", "is", "tell", "me", "show":
		return forCode
	}
	return false
}

// coversTitleWord accepts an abbreviation or a one-letter typo of a title
// word ("tech", "helth").
func coversTitleWord(tok string, titleWords []string) bool {
	for _, w := range titleWords {
		if len(tok) >= 3 && strings.HasPrefix(w, tok) || len(tok) >= 4 && abs(len(tok)-len(w)) <= 1 && editDistance(tok, w) <= 1 {
			return true
		}
	}
	return false
}
