package intents

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"
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

// phraseKinds are the recognisers, each with the values its files may
// name, in the order a question's first match is preferred.
var phraseKinds = map[string][]string{
	"topic":     {string(TopicPay), string(TopicImmigration), string(TopicOutlook), string(TopicConditions)},
	"smalltalk": {string(Farewell), string(Acknowledgement), string(Identity), string(Insult)},
	"lang":      {string(knowledge.EN), string(knowledge.ZH)},
	"more":      {"yes"},
}

// phrase is one recognised phrase: normalised words, or a run of Chinese.
type phrase struct {
	words  []string // English: whole words in order
	prefix bool     // the last word may continue ("salar*")
	han    string   // Chinese: found anywhere in a run
	rank   int      // the value's place in phraseKinds: lower wins
}

// recognizer finds the phrases of one kind in a normalised question.
type recognizer struct {
	values []string
	whole  map[string]int      // "=phrase": the whole normalised message -> rank
	first  map[string][]phrase // English phrases by their first word
	prefix []phrase            // English phrases whose one word is a prefix
	han    map[rune][]phrase   // Chinese phrases by their first character
}

// phrasebook holds every recogniser.
type phrasebook struct {
	topic, smallTalk, lang, more *recognizer
}

// readPhrases reads the phrase files of fsys's dir, normalising each phrase
// with norm (nil: lower case and split only), so a phrase and a question
// meet in the same form.
func readPhrases(fsys fs.FS, dir string, norm *Normalizer) (phrasebook, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return phrasebook{}, fmt.Errorf("read phrases: %w", err)
	}
	byKind := map[string]*recognizer{}
	for kind, values := range phraseKinds {
		byKind[kind] = &recognizer{values: values, whole: map[string]int{}, first: map[string][]phrase{}, han: map[rune][]phrase{}}
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || path.Ext(name) != ".txt" {
			continue
		}
		kind, value, ok := strings.Cut(strings.TrimSuffix(name, ".txt"), ".")
		rec := byKind[kind]
		if !ok || rec == nil {
			return phrasebook{}, fmt.Errorf("phrase file %s: name must be <kind>.<value>.txt with a kind of topic, smalltalk, lang or more", name)
		}
		rank := -1
		for i, v := range rec.values {
			if v == value {
				rank = i
			}
		}
		if rank < 0 {
			return phrasebook{}, fmt.Errorf("phrase file %s: unknown %s %q (want one of %s)", name, kind, value, strings.Join(rec.values, ", "))
		}
		err := eachLine(fsys, path.Join(dir, name), func(text string) error { return rec.add(text, rank, norm) })
		if err != nil {
			return phrasebook{}, fmt.Errorf("read phrases: %w", err)
		}
	}
	return phrasebook{topic: byKind["topic"], smallTalk: byKind["smalltalk"], lang: byKind["lang"], more: byKind["more"]}, nil
}

func (r *recognizer) add(text string, rank int, norm *Normalizer) error {
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
	if whole {
		if _, dup := r.whole[strings.Join(tokens, " ")]; !dup {
			r.whole[strings.Join(tokens, " ")] = rank
		}
		return nil
	}
	if tokens[0][0] >= utf8.RuneSelf {
		if len(tokens) != 1 {
			return fmt.Errorf("phrase %q mixes Chinese with other words", text)
		}
		c, _ := utf8.DecodeRuneInString(tokens[0])
		r.han[c] = append(r.han[c], phrase{han: tokens[0], rank: rank})
		return nil
	}
	p := phrase{words: tokens, prefix: prefix, rank: rank}
	if prefix {
		if len(tokens) == 1 {
			r.prefix = append(r.prefix, p)
			return nil
		}
	}
	r.first[tokens[0]] = append(r.first[tokens[0]], p)
	return nil
}

// find returns the value of the best-ranked phrase in the normalised
// tokens, "" for none.
func (r *recognizer) find(tokens []string, normalized string) string {
	best := len(r.values)
	if rank, ok := r.whole[normalized]; ok {
		best = rank
	}
	for i, tok := range tokens {
		if tok[0] >= utf8.RuneSelf {
			for j, c := range tok {
				for _, p := range r.han[c] {
					if p.rank < best && strings.HasPrefix(tok[j:], p.han) {
						best = p.rank
					}
				}
			}
			continue
		}
		for _, p := range r.first[tok] {
			if p.rank < best && wordsAt(tokens[i:], p) {
				best = p.rank
			}
		}
		for _, p := range r.prefix {
			if p.rank < best && strings.HasPrefix(tok, p.words[0]) {
				best = p.rank
			}
		}
	}
	if best == len(r.values) {
		return ""
	}
	return r.values[best]
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

// recognizePhrases fills the Result fields the phrase files decide.
func (m *Matcher) recognizePhrases(res *Result, tokens []string) {
	book := &m.phrases
	res.Topic = Topic(book.topic.find(tokens, res.Normalized))
	res.SmallTalk = SmallTalk(book.smallTalk.find(tokens, res.Normalized))
	res.LangRequest = knowledge.Lang(book.lang.find(tokens, res.Normalized))
	res.More = book.more.find(tokens, res.Normalized) != ""
}
