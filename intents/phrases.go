package intents

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nocbot/nocbot/knowledge"
)

// The phrases nocbot recognises besides intents: data/phrases/<kind>.<value>.txt,
// one phrase a line (syntax in topic.pay.txt). They sit beside the training
// utterances so every phrase a user may type is in one place, as data.
//
//go:embed data/phrases/*.txt
var phrasesFS embed.FS

// Topic is a career topic people ask about that no profile covers, named
// in an out-of-scope answer.
type Topic string

// The topics (data/phrases/topic.*.txt).
const (
	NoTopic          Topic = ""
	TopicPay         Topic = "pay"
	TopicImmigration Topic = "immigration"
	TopicOutlook     Topic = "outlook"
	TopicConditions  Topic = "conditions"
)

// SmallTalk is a message that is neither a question nor a greeting or
// thanks the intents name.
type SmallTalk string

// The kinds of small talk (data/phrases/smalltalk.*.txt).
const (
	NoSmallTalk     SmallTalk = ""
	Farewell        SmallTalk = "farewell"
	Acknowledgement SmallTalk = "acknowledgement"
	Identity        SmallTalk = "identity" // "who are you"
	Insult          SmallTalk = "insult"
)

// The kinds of phrase, each recognised on its own: a question can name a
// topic and be an insult.
const (
	kindTopic = iota
	kindSmallTalk
	kindLang
	kindMore
	kindScript
	kindCompare
	kindConversation
	kindWhole
	kindTitleWord
	kindAboutNOC
	kindOwnJob
	kindSwitch
	kindNegation
	kindNoTitle
	phraseKindCount
)

// Script is the Chinese script a question asks replies in.
type Script string

// The scripts (data/phrases/script.*.txt).
const (
	NoScript    Script = ""
	Traditional Script = "traditional"
	Simplified  Script = "simplified"
)

// The values of the switch phrases: a word that moves the conversation
// ("now", "back to"), and one that may stand beside it ("ok", "then").
const (
	switchMove   = "move"
	switchFiller = "filler"
)

// The values of the negation phrases: a question that offers both ways
// ("有没有", "需不需要", "or not") asks no negated question, though it holds
// a negation word; it is listed first so it wins.
const (
	negationAlternative = "alternative"
	negationYes         = "yes"
)

// phraseValues returns the kind of phrase a file name's kind part names and
// the values its files may name, in the order a question's first match is
// preferred.
func phraseValues(kind string) (int, []string, bool) {
	switch kind {
	case "topic":
		return kindTopic, []string{string(TopicPay), string(TopicImmigration), string(TopicOutlook), string(TopicConditions)}, true
	case "smalltalk":
		return kindSmallTalk, []string{string(Farewell), string(Acknowledgement), string(Identity), string(Insult)}, true
	case "lang":
		return kindLang, []string{string(knowledge.EN), string(knowledge.ZH)}, true
	case "more":
		return kindMore, []string{"yes"}, true
	case "script":
		return kindScript, []string{string(Traditional), string(Simplified)}, true
	case "compare":
		return kindCompare, []string{"yes"}, true
	case "conversation":
		return kindConversation, []string{"yes"}, true
	case "whole":
		return kindWhole, []string{"yes"}, true
	case "titleword":
		return kindTitleWord, []string{"yes"}, true
	case "aboutnoc":
		return kindAboutNOC, []string{"yes"}, true
	case "ownjob":
		return kindOwnJob, []string{"yes"}, true
	case "switch":
		return kindSwitch, []string{switchMove, switchFiller}, true
	case "negation":
		return kindNegation, []string{negationAlternative, negationYes}, true
	case "notitle":
		return kindNoTitle, []string{"yes"}, true
	}
	return 0, nil, false
}

// phrase is one recognised phrase: normalised words, or a run of Chinese.
type phrase struct {
	words  []string // English: whole words in order
	prefix bool     // the last word may continue ("salar*")
	han    string   // Chinese: found anywhere in a run
	kind   int
	rank   int // the value's place among its kind's: lower wins
}

// phrasebook finds the phrases of every kind in a normalised question in
// one pass over it.
type phrasebook struct {
	values [phraseKindCount][]string
	whole  map[string][]phrase // "=phrase": the whole normalised message
	first  map[string][]phrase // English phrases by their first word
	prefix []phrase            // English phrases whose one word is a prefix
	han    map[rune][]phrase   // Chinese phrases by their first character
	// noTitle are the words of the phrases in which a job title's word
	// names no job ("master's degree", "doctor's note").
	noTitle map[string]bool
}

// readPhrases reads the phrase files of fsys's dir, normalising each phrase
// with norm (nil: lower case and split only), so a phrase and a question
// meet in the same form.
func readPhrases(fsys fs.FS, dir string, norm *Normalizer) (*phrasebook, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read phrases: %w", err)
	}
	book := &phrasebook{whole: map[string][]phrase{}, first: map[string][]phrase{}, han: map[rune][]phrase{}, noTitle: map[string]bool{}}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || path.Ext(name) != ".txt" {
			continue
		}
		kindName, value, ok := strings.Cut(strings.TrimSuffix(name, ".txt"), ".")
		kind, values, known := phraseValues(kindName)
		if !ok || !known {
			return nil, fmt.Errorf("phrase file %s: name must be <kind>.<value>.txt with a known kind (see phraseValues)", name)
		}
		book.values[kind] = values
		rank := slices.Index(values, value)
		if rank < 0 {
			return nil, fmt.Errorf("phrase file %s: unknown %s %q (want one of %s)", name, kindName, value, strings.Join(values, ", "))
		}
		err := eachLine(fsys, path.Join(dir, name), func(text string) error { return book.add(text, kind, rank, norm) })
		if err != nil {
			return nil, fmt.Errorf("read phrases: %w", err)
		}
	}
	return book, nil
}

func (b *phrasebook) add(text string, kind, rank int, norm *Normalizer) error {
	whole := strings.HasPrefix(text, "=")
	text = strings.TrimPrefix(text, "=")
	prefix := strings.HasSuffix(text, "*")
	text = strings.TrimSuffix(text, "*")
	var tokens []string
	if norm != nil && !prefix {
		tokens = norm.Tokens(text)
	} else {
		tokens = splitTokens(text)
	}
	if len(tokens) == 0 {
		return fmt.Errorf("phrase %q has no words", text)
	}
	p := phrase{words: tokens, prefix: prefix, kind: kind, rank: rank}
	if kind == kindNoTitle {
		for _, t := range tokens {
			b.noTitle[t] = true
		}
	}
	switch {
	case whole:
		key := strings.Join(tokens, " ")
		b.whole[key] = append(b.whole[key], p)
	case tokens[0][0] >= utf8.RuneSelf:
		if len(tokens) != 1 {
			return fmt.Errorf("phrase %q mixes Chinese with other words", text)
		}
		c, _ := utf8.DecodeRuneInString(tokens[0])
		p.words, p.han = nil, tokens[0]
		b.han[c] = append(b.han[c], p)
	case prefix && len(tokens) == 1:
		b.prefix = append(b.prefix, p)
	default:
		b.first[tokens[0]] = append(b.first[tokens[0]], p)
	}
	return nil
}

// found is the best rank found of each kind of phrase; -1 for none.
type found [phraseKindCount]int

func (f *found) offer(p phrase) {
	if f[p.kind] < 0 || p.rank < f[p.kind] {
		f[p.kind] = p.rank
	}
}

// value is the value of the best phrase found of a kind, "" for none.
func (b *phrasebook) value(f *found, kind int) string {
	if f[kind] < 0 {
		return ""
	}
	return b.values[kind][f[kind]]
}

// find returns the best phrase of each kind in the normalised tokens.
func (b *phrasebook) find(tokens []string, normalized string) found {
	var f found
	for k := range f {
		f[k] = -1
	}
	for _, p := range b.whole[normalized] {
		f.offer(p)
	}
	for i, tok := range tokens {
		if tok[0] >= utf8.RuneSelf {
			for j, c := range tok {
				for _, p := range b.han[c] {
					if strings.HasPrefix(tok[j:], p.han) {
						f.offer(p)
					}
				}
			}
			continue
		}
		for _, p := range b.first[tok] {
			if wordsAt(tokens[i:], p) {
				f.offer(p)
			}
		}
		for _, p := range b.prefix {
			if strings.HasPrefix(tok, p.words[0]) {
				f.offer(p)
			}
		}
	}
	return f
}

// wordsAt reports whether the phrase's words start tokens.
func wordsAt(tokens []string, p phrase) bool {
	if len(tokens) < len(p.words) {
		return false
	}
	for k, w := range p.words {
		if tokens[k] == w {
			continue
		}
		if k == len(p.words)-1 && p.prefix && strings.HasPrefix(tokens[k], w) {
			continue
		}
		return false
	}
	return true
}

// phraseWords are the English words of the phrase files, for the
// normaliser's vocabulary: a phrase word is never "corrected" into
// another.
func phraseWords(fsys fs.FS, dir string) []string {
	var out []string
	entries, _ := fs.ReadDir(fsys, dir)
	for _, e := range entries {
		data, _ := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue
			}
			for _, w := range splitTokens(strings.Trim(line, "=* ")) {
				if w[0] < utf8.RuneSelf && !strings.HasSuffix(line, "*") {
					out = append(out, w)
				}
			}
		}
	}
	return out
}

// phrasesDir is where the phrase files are, in phrasesFS.
const phrasesDir = "data/phrases"

// recognizePhrases fills the Result fields the phrase files decide, and
// returns what it found.
func (m *Matcher) recognizePhrases(res *Result, tokens []string) found {
	book := m.phrases
	f := book.find(tokens, res.Normalized)
	res.Topic = Topic(book.value(&f, kindTopic))
	res.SmallTalk = SmallTalk(book.value(&f, kindSmallTalk))
	res.LangRequest = knowledge.Lang(book.value(&f, kindLang))
	res.More = f[kindMore] >= 0
	res.ScriptRequest = Script(book.value(&f, kindScript))
	res.Compares = f[kindCompare] >= 0
	res.AboutConversation = f[kindConversation] >= 0
	res.Whole = f[kindWhole] >= 0
	res.NamesTitles = f[kindTitleWord] >= 0
	res.AboutNOC = f[kindAboutNOC] >= 0
	res.Negated = book.value(&f, kindNegation) == negationYes
	res.OwnJob = f[kindOwnJob] >= 0
	if len(res.Codes) == 1 && book.value(&f, kindSwitch) == switchMove && book.onlyKind(tokens, kindSwitch, res.Code) {
		res.SwitchTo = res.Code
	}
	return f
}

// withoutNoTitles drops, when f holds a phrase that uses a title's word
// as no job ("master" in "a master's degree"), the titles found only
// through such words: every word of the title the question holds is a
// word of those phrases ("master - inland waters" in "is a master's
// degree required?", not "master mariner" in "I am a master mariner").
func (b *phrasebook) withoutNoTitles(titles []knowledge.TitleMatch, tokens []string, f *found) []knowledge.TitleMatch {
	if f[kindNoTitle] < 0 || len(titles) == 0 {
		return titles
	}
	held := func(w string) bool {
		return slices.Contains(tokens, w) || slices.Contains(tokens, w+"s") || slices.Contains(tokens, w+"es")
	}
	return slices.DeleteFunc(slices.Clone(titles), func(t knowledge.TitleMatch) bool {
		some := false
		for _, w := range strings.FieldsFunc(strings.ToLower(t.Title.EN), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if !held(w) {
				continue
			}
			if !b.noTitle[w] && !b.noTitle[w+"s"] {
				return false
			}
			some = true
		}
		return some
	})
}

// onlyKind reports whether every token but skip is made of phrases of
// one kind: English one-word phrases, Chinese runs cut wholly into the
// kind's Chinese phrases.
func (b *phrasebook) onlyKind(tokens []string, kind int, skip string) bool {
	for _, tok := range tokens {
		if tok == skip {
			continue
		}
		if tok[0] >= utf8.RuneSelf {
			if !b.cutsInto(tok, kind) {
				return false
			}
			continue
		}
		if !slices.ContainsFunc(b.first[tok], func(p phrase) bool { return p.kind == kind && len(p.words) == 1 }) {
			return false
		}
	}
	return true
}

// cutsInto reports whether a run of Chinese is a sequence of the kind's
// phrases, trying longer phrases first where several start alike.
func (b *phrasebook) cutsInto(run string, kind int) bool {
	if run == "" {
		return true
	}
	c, _ := utf8.DecodeRuneInString(run)
	for _, p := range b.han[c] {
		if p.kind == kind && strings.HasPrefix(run, p.han) && b.cutsInto(run[len(p.han):], kind) {
			return true
		}
	}
	return false
}
