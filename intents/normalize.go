package intents

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
	"golang.org/x/text/width"

	"github.com/nocbot/nocbot/internal/radix"
	"github.com/nocbot/nocbot/internal/strset"

	"github.com/nocbot/nocbot/knowledge"
)

// MaxQuestionBytes bounds how much of a question is read. Chat messages are
// short; a megabyte paste is classified by its beginning instead of
// costing a megabyte of work.
const MaxQuestionBytes = 2048

// DetectLang says which language a question is in: Chinese when it holds a
// Han character (Simplified or Traditional, alone or mixed with English),
// English otherwise. A script check is exact for this pair of languages and
// works on two-word questions where statistical detectors guess.
func DetectLang(s string) knowledge.Lang {
	for _, r := range s {
		if r >= 0x2E80 && unicode.Is(unicode.Han, r) {
			return knowledge.ZH
		}
	}
	return knowledge.EN
}

// Normalizer turns a raw question into the canonical form the classifier
// and the title index read: valid UTF-8, half-width, Simplified Chinese,
// lower case, punctuation removed, chat spellings and typos corrected
// against the vocabulary. It is safe for concurrent use.
type Normalizer struct {
	// t2s loads the converter the first time a character needs it: its
	// dictionaries cost milliseconds at start-up.
	t2s   func() (*opencc.OpenCC, error)
	vocab *vocabulary
	// words are real English words, never corrected.
	words lexicon
	// trad caches, per CJK character, whether OpenCC changes it on its own
	// (0 unknown, 1 no, 2 yes), so Simplified text, most of what users type,
	// skips the converter.
	trad []atomic.Uint32
}

const (
	cjkFirst = 0x3400 // CJK Extension A
	cjkLast  = 0x9FFF // end of CJK Unified Ideographs
)

// NewNormalizer builds a normaliser whose typo correction knows the words
// of vocab (the classifier's training words and the job titles).
func NewNormalizer(vocab []string) (*Normalizer, error) {
	return newNormalizer(newVocabulary(vocab)), nil
}

func newNormalizer(vocab *vocabulary) *Normalizer {
	return &Normalizer{
		t2s:   sync.OnceValues(func() (*opencc.OpenCC, error) { return opencc.New("t2s") }),
		vocab: vocab,
		words: newLexicon(englishWords),
		trad:  make([]atomic.Uint32, cjkLast-cjkFirst+1),
	}
}

// convert is s in Simplified Chinese, or s when the converter fails.
func (n *Normalizer) convert(s string) string {
	t2s, err := n.t2s()
	if err != nil {
		return s
	}
	if conv, err := t2s.Convert(s); err == nil {
		return conv
	}
	return s
}

// variants are Traditional characters OpenCC's t2s keeps although
// Simplified writes them otherwise: Taiwan's 銲工 is the 焊工 of the
// profiles, in a question as in a search.
var variants = strings.NewReplacer("銲", "焊", "衞", "卫", "擡", "抬", "窰", "窑")

// Simplified is s with its Traditional characters (and the variants
// OpenCC keeps) in Simplified, as the profiles are written; s itself when
// it holds none (most text, checked without the converter) or the
// converter cannot be loaded.
func (n *Normalizer) Simplified(s string) string {
	s = variants.Replace(s)
	if !n.hasTraditional(s) {
		return s
	}
	return n.convert(s)
}

// Load loads the Traditional-to-Simplified dictionaries now rather than
// when the first Traditional character arrives.
func (n *Normalizer) Load() error {
	if _, err := n.t2s(); err != nil {
		return fmt.Errorf("load the Traditional-to-Simplified converter: %w", err)
	}
	return nil
}

// traditional reports whether OpenCC changes a CJK character of the
// cached range on its own.
func (n *Normalizer) traditional(r rune) bool {
	cell := &n.trad[r-cjkFirst]
	state := cell.Load()
	if state == 0 {
		state = 1
		if n.convert(string(r)) != string(r) {
			state = 2
		}
		cell.Store(state)
	}
	return state == 2
}

// Normalize returns the canonical form of s: tokens separated by single
// spaces, Chinese runs kept whole.
func (n *Normalizer) Normalize(s string) string {
	return strings.Join(n.Tokens(s), " ")
}

// Tokens returns the canonical tokens of s: English words, numbers and runs
// of Chinese characters.
func (n *Normalizer) Tokens(s string) []string {
	var raw []string
	return n.appendTokens(nil, &raw, s)
}

// appendTokens appends the canonical tokens of s to dst, splitting s into
// *raw, scratch space the caller reuses.
func (n *Normalizer) appendTokens(dst []string, raw *[]string, s string) []string {
	s = clip(s, MaxQuestionBytes)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	if needsFold(s) { // folding allocates, and most text has nothing to fold
		s = width.Fold.String(s)
	}
	if !isASCII(s) {
		s = n.Simplified(s)
	}
	*raw = appendTokens((*raw)[:0], s)
	start := len(dst)
	size := 0 // bytes of the normalised form, which corrections can lengthen
	var two [2]string
	for _, tok := range *raw {
		two[0] = tok
		fixed := two[:1]
		switch {
		case tok[0] >= utf8.RuneSelf: // a Chinese run
		case numberAfter(dst[start:], tok):
		default:
			if name, num, ok := splitNamedNumber(tok); ok {
				two[0], two[1] = name, num
				fixed = two[:]
			} else if word, exp := n.fixWord(tok); exp != "" {
				two[0], two[1], _ = strings.Cut(exp, " ")
				if two[1] != "" {
					fixed = two[:]
				}
			} else {
				two[0] = word
			}
		}
		for _, f := range fixed {
			if size+len(f)+1 > MaxQuestionBytes+1 {
				return dst
			}
			size += len(f) + 1
			dst = append(dst, f)
		}
	}
	return dst
}

// needsFold reports whether width.Fold changes s: whether it holds a
// full-width or half-width form.
func needsFold(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		p, size := width.LookupString(s[i:])
		if p.Folded() != 0 {
			return true
		}
		i += max(size, 1)
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// hasTraditional reports whether s holds a character the converter would
// change.
func (n *Normalizer) hasTraditional(s string) bool {
	for _, r := range s {
		if r < cjkFirst {
			continue
		}
		if r > cjkLast {
			if unicode.Is(unicode.Han, r) {
				return true // rare ideographs: let the converter decide
			}
			continue
		}
		if n.traditional(r) {
			return true
		}
	}
	return false
}

// clip cuts s to at most max bytes without splitting a character.
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// splitTokens lower-cases s and splits it into ASCII words, numbers and
// runs of Han characters; everything else (punctuation, symbols, controls,
// other scripts) separates tokens. An apostrophe inside a word is dropped
// ("what's" -> "whats"). Tokens are substrings of the lower-cased text, so
// splitting allocates little.
func splitTokens(s string) []string {
	return appendTokens(make([]string, 0, 8), s)
}

// appendTokens is splitTokens appending to out.
func appendTokens(out []string, s string) []string {
	s = lowerASCII(s)
	start, kind := 0, 0 // kind: 0 none, 1 latin, 2 han
	apostrophe := false // the current word had an apostrophe to drop
	flush := func(end int) {
		if kind != 0 && end > start {
			tok := s[start:end]
			if apostrophe {
				tok = strings.Map(func(r rune) rune {
					if r == '\'' || r == '’' {
						return -1
					}
					return r
				}, tok)
			}
			out = append(out, tok)
		}
		kind, apostrophe = 0, false
	}
	for i, r := range s {
		var k int
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			k = 1
		case (r == '\'' || r == '’') && kind == 1:
			apostrophe = true
			continue
		case r >= 0x2E80 && unicode.Is(unicode.Han, r):
			k = 2
		}
		if k != kind {
			flush(i)
			start, kind = i, k
		}
	}
	flush(len(s))
	return out
}

// lowerASCII lower-cases ASCII letters, allocating only when there are
// some.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// fixWord rewrites one lower-case ASCII word: chat spellings become words
// (several, returned as expansion: "u" is "you", "wanna" is "want to"),
// letters repeated for emphasis are collapsed, and a word that is neither
// known to the vocabulary nor a real English word is replaced by the known
// word one or two edits away.
func (n *Normalizer) fixWord(w string) (word, expansion string) {
	if exp := chatSpelling(w); exp != "" {
		return "", exp
	}
	if strings.ContainsAny(w, "0123456789") {
		// Numbers, codes and words with a digit ("noc202a") are not
		// typos of a word: correcting one could change a code.
		return w, ""
	}
	cand := w
	if !n.vocab.has(w) {
		// Letters repeated for emphasis: "hellooooo", "dutiesss".
		c2, c1 := collapseRepeats(w, 2), collapseRepeats(w, 1)
		switch {
		case n.vocab.has(c2):
			cand = c2
		case n.vocab.has(c1):
			cand = c1
		default:
			cand = c2
		}
	}
	// A correction can land on a one-off spelling of the training data,
	// which has a correction of its own: follow it, so normalising twice
	// gives what normalising once did.
	for range 3 {
		fixed, ok := n.vocab.correct(cand)
		if !ok || n.words.has(cand) { // the lexicon only when it matters: it costs a bisection
			break
		}
		cand = fixed
	}
	return cand, ""
}

// splitNamedNumber splits a number written onto the word it goes with:
// "noc1252" is "noc 1252", "noc2021" is "noc 2021", "teer2" is "teer 2".
// A one-digit number after "noc" stays joined: apart, normalising again
// would read it as a chat spelling ("noc 4" is "noc for").
func splitNamedNumber(w string) (name, num string, ok bool) {
	switch {
	case len(w) > 4 && strings.HasPrefix(w, "noc") && isNumber(w[3:]):
		return "noc", w[3:], true
	case len(w) > 4 && strings.HasPrefix(w, "teer") && isNumber(w[4:]):
		return "teer", w[4:], true
	}
	return "", "", false
}

// numberAfter reports whether the number tok follows a word that numbers
// ("teer 2", "level 4") or another number ("teer 1 2", "teer 2 or 4"):
// there it is not the chat spelling of "to" or "for".
func numberAfter(out []string, tok string) bool {
	if len(out) == 0 || !isNumber(tok) {
		return false
	}
	switch prev := out[len(out)-1]; prev {
	case "teer", "level", "category":
		return true
	case "or", "and", "to":
		return len(out) > 1 && isNumber(out[len(out)-2])
	default:
		return isNumber(prev)
	}
}

func isNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// collapseRepeats shortens runs of one letter to at most keep letters
// ("sooooo" -> "soo" or "so"). It allocates only when it changes w.
func collapseRepeats(w string, keep int) string {
	run := 0
	for i := 0; i < len(w); i++ {
		if i > 0 && w[i] == w[i-1] {
			run++
		} else {
			run = 1
		}
		if run > keep {
			return collapseFrom(w, keep)
		}
	}
	return w
}

func collapseFrom(w string, keep int) string {
	out := make([]byte, 0, len(w))
	run := 0
	for i := 0; i < len(w); i++ {
		if i > 0 && w[i] == w[i-1] {
			run++
		} else {
			run = 1
		}
		if run <= keep {
			out = append(out, w[i])
		}
	}
	return string(out)
}

// collapsesTo reports whether collapseRepeats(w, 1) is once, without
// building it.
func collapsesTo(w, once string) bool {
	j := 0
	for i := 0; i < len(w); i++ {
		if i > 0 && w[i] == w[i-1] {
			continue
		}
		if j == len(once) || once[j] != w[i] {
			return false
		}
		j++
	}
	return j == len(once)
}

// chatSpelling expands the short forms people type in chats: the words
// w stands for, separated by a space (at most two), or "".
func chatSpelling(w string) string {
	switch w {
	case "u", "ya", "yu":
		return "you"
	case "r":
		return "are"
	case "ur", "yr":
		return "your"
	case "wat", "wut", "wht", "wot", "whta":
		return "what"
	case "whats", "wats", "wuts":
		return "what is"
	case "2":
		return "to"
	case "4":
		return "for"
	case "b4":
		return "before"
	case "y":
		return "why"
	case "n":
		return "and"
	case "hw":
		return "how"
	case "abt", "bout":
		return "about"
	case "pls", "plz", "plss", "pleas":
		return "please"
	case "cuz", "coz", "bc":
		return "because"
	case "gonna":
		return "going to"
	case "wanna":
		return "want to"
	case "gimme":
		return "give me"
	case "dont":
		return "do not"
	case "im":
		return "i am"
	case "ppl":
		return "people"
	case "info":
		return "information"
	case "edu":
		return "education"
	case "req", "reqs":
		return "requirements"
	case "mgmt", "mgt":
		return "management"
	case "tier", "tiers": // asked of a NOC, a tier is a TEER category
		return "teer"
	}
	return ""
}

// vocabulary is the set of English words the matcher knows, with how
// often each was seen, and a symmetric-delete index to find the known word
// closest to a typo: every word less one letter, by a hash of it, so
// neither building nor reading it makes a string per deletion.
type vocabulary struct {
	words []string // sorted
	freq  []int32  // by word
	set   *strset.Set
	dels  []deletion // by hash
	index radix.Index
}

// deletion is a word less the letter at skip, by its hash.
type deletion struct {
	hash uint32
	word int32
	skip int32
}

func newVocabulary(words []string) *vocabulary {
	freq := map[string]int32{}
	for _, w := range words {
		freq[w]++
	}
	sorted := slices.Sorted(maps.Keys(freq))
	counts := make([]int32, len(sorted))
	for i, w := range sorted {
		counts[i] = freq[w]
	}
	return vocabularyOf(sorted, counts)
}

// vocabularyOf indexes words (sorted, without repeats) seen freq times
// each; it keeps both.
func vocabularyOf(words []string, freq []int32) *vocabulary {
	v := &vocabulary{words: words, freq: freq, set: strset.New(words)}
	n := 0
	for _, w := range words {
		if len(w) >= minTypoLen {
			n += len(w)
		}
	}
	v.dels = make([]deletion, 0, n)
	for id, w := range words {
		if len(w) < minTypoLen {
			continue
		}
		for i := range len(w) {
			v.dels = append(v.dels, deletion{hashWithout(w, i, -1), int32(id), int32(i)})
		}
	}
	radix.Sort(v.dels, deletionHash)
	v.index = radix.NewIndex(v.dels, deletionHash)
	return v
}

func deletionHash(d *deletion) uint32 { return d.hash }

// hashWithout is the FNV-1a hash of w less its bytes at skip1 and skip2
// (-1 for none).
func hashWithout(w string, skip1, skip2 int) uint32 {
	h := uint32(2166136261)
	for i := range len(w) {
		if i != skip1 && i != skip2 {
			h ^= uint32(w[i])
			h *= 16777619
		}
	}
	return h
}

// Words shorter than this are not corrected: at three letters most typos
// are another real word.
const minTypoLen = 4

// count is how often the training data and titles hold w.
func (v *vocabulary) count(w string) int {
	if id, ok := v.set.Find(w); ok {
		return int(v.freq[id])
	}
	return 0
}

func (v *vocabulary) has(w string) bool { return v.count(w) > 0 }

// correct returns the known word w most likely stands for: the most
// frequent word within edit distance one (two for words of eight letters or
// more), preferring a doubled letter typed once ("helo" -> "hello"). A word
// seen only once in the training data, itself likely a typo there, is
// corrected when a frequent word is one edit away.
func (v *vocabulary) correct(w string) (string, bool) {
	if len(w) < minTypoLen || len(w) > 24 {
		return "", false
	}
	own := v.count(w)
	if own > 1 {
		return "", false
	}
	wOnce := collapseRepeats(w, 1)
	best, bestScore := "", 0
	consider := func(id int32, dist int) {
		cand := v.words[id]
		if cand == w || abs(len(cand)-len(w)) > dist || editDistance(w, cand) > dist {
			return
		}
		score := int(v.freq[id])
		doubled := collapsesTo(cand, wOnce)
		if doubled {
			score *= 10
		}
		// Four-letter words are mostly real words one edit from another
		// ("line", "link"): only a doubled letter or a swap is a typo there.
		if len(w) < 5 && !doubled && !isTransposition(w, cand) {
			return
		}
		if own == 1 && int(v.freq[id]) < rareOverride && !(doubled && int(v.freq[id]) > own) {
			return
		}
		if score > bestScore || (score == bestScore && cand < best) {
			best, bestScore = cand, score
		}
	}
	// lookup considers the key, w less the bytes at skip1 and skip2 (-1
	// for none), when it is a word, and every word one deletion from it.
	var buf [24]byte
	lookup := func(skip1, skip2, dist int) {
		key := buf[:0]
		for i := range len(w) {
			if i != skip1 && i != skip2 {
				key = append(key, w[i])
			}
		}
		if id, ok := v.set.FindBytes(key); ok {
			consider(id, dist)
		}
		h := hashWithout(w, skip1, skip2)
		lo, hi := v.index.Bucket(h)
		for i := lo; i < hi; i++ {
			d := v.dels[i]
			if d.hash != h {
				continue
			}
			word := v.words[d.word]
			if len(word) == len(key)+1 && word[:d.skip] == string(key[:d.skip]) && word[d.skip+1:] == string(key[d.skip:]) {
				consider(d.word, dist)
			}
		}
	}
	lookup(-1, -1, 1)
	for i := range len(w) {
		lookup(i, -1, 1)
	}
	if best == "" && own == 0 && len(w) >= 8 {
		// w less two letters: i, then j of what remains.
		for i := range len(w) {
			for j := range len(w) - 1 {
				if j >= i {
					lookup(i, j+1, 2)
				} else {
					lookup(i, j, 2)
				}
			}
		}
	}
	return best, best != ""
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// isTransposition reports whether a and b differ by one swap of adjacent
// letters.
func isTransposition(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i+1 < len(a); i++ {
		if a[i] != b[i] {
			return a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
		}
	}
	return false
}

// rareOverride is how often a word must occur in the training data to
// replace a one-off spelling one edit away from it.
const rareOverride = 4

// editDistance is the optimal string alignment distance (Levenshtein plus
// adjacent transpositions) between two short ASCII words.
func editDistance(a, b string) int {
	if len(a) > 32 || len(b) > 32 {
		return 99
	}
	var prev2, prev, cur [33]int
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev = prev, cur
	}
	return prev[len(b)]
}
