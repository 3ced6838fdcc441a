package bot

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Measure counts the length of text the way a platform limits it.
type Measure func(string) int

// UTF16Len counts UTF-16 code units, as Telegram limits messages.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// RuneLen counts characters (code points), as Discord limits messages.
func RuneLen(s string) int { return utf8.RuneCountInString(s) }

// Split cuts text into messages of at most limit (as measure counts),
// breaking between paragraphs where it can, else between lines, else after
// a space or Chinese punctuation, else between characters; never inside a
// character, a markup tag or entity, or a link. Whitespace at the cuts is
// dropped; empty text gives no messages.
func Split(text string, limit int, measure Measure) []string {
	if limit < 1 {
		limit = 1
	}
	text = trimCut(text)
	if text == "" {
		return nil
	}
	if measure(text) <= limit {
		return []string{text}
	}
	s := splitter{limit: limit, measure: measure}
	for _, para := range strings.Split(text, "\n\n") {
		s.add(para, "\n\n", 0)
	}
	s.flush()
	return s.out
}

type splitter struct {
	limit   int
	measure Measure
	cur     strings.Builder
	curLen  int
	out     []string
}

// level: 0 paragraphs, 1 lines, 2 words, 3 characters.
func (s *splitter) add(piece, sep string, level int) {
	piece = trimCut(piece)
	if piece == "" {
		return
	}
	n := s.measure(piece)
	if n > s.limit {
		s.addLong(piece, level)
		return
	}
	if s.cur.Len() > 0 {
		if s.curLen+s.measure(sep)+n <= s.limit {
			s.cur.WriteString(sep)
			s.cur.WriteString(piece)
			s.curLen += s.measure(sep) + n
			return
		}
		s.flush()
	}
	s.cur.WriteString(piece)
	s.curLen = n
}

// addLong breaks a piece too long for one message into smaller ones. It
// starts a new message, so the piece's parts are not glued to what came
// before.
func (s *splitter) addLong(piece string, level int) {
	s.flush()
	switch level {
	case 0:
		for _, line := range strings.Split(piece, "\n") {
			s.add(line, "\n", 1)
		}
	case 1:
		for _, w := range words(piece) {
			s.addWord(w)
		}
	default:
		for _, c := range clusters(piece) {
			s.addWord(c)
		}
	}
}

// addWord appends a word (with its own trailing space or punctuation)
// without a separator, cutting it into characters if it alone is too long.
func (s *splitter) addWord(w string) {
	n := s.measure(w)
	if n > s.limit {
		if len(clusters(w)) > 1 {
			s.addLong(w, 2)
			return
		}
		// One character wider than the limit cannot be sent whole anywhere;
		// it goes alone rather than being cut, without the space a joiner
		// may have drawn into it.
		s.flush()
		if w = trimCut(w); w != "" {
			s.out = append(s.out, w)
		}
		return
	}
	trimmed := strings.TrimRightFunc(w, unicode.IsSpace)
	if s.curLen+s.measure(trimmed) > s.limit {
		s.flush()
		w = trimLeftCut(w)
		if w == "" {
			return
		}
		n = s.measure(w)
	}
	s.cur.WriteString(w)
	s.curLen += n
}

func (s *splitter) flush() {
	if t := trimCut(s.cur.String()); t != "" {
		s.out = append(s.out, t)
	}
	s.cur.Reset()
	s.curLen = 0
}

// trimCut drops the whitespace at both ends of a part, except a space
// that carries a combining mark (" \u0301" is one visible character):
// dropping it would leave the mark to start the part on its own.
func trimCut(s string) string {
	return trimLeftCut(strings.TrimRightFunc(s, unicode.IsSpace))
}

// trimLeftCut is trimCut at the start only.
func trimLeftCut(s string) string {
	for {
		r, n := utf8.DecodeRuneInString(s)
		if n == 0 || !unicode.IsSpace(r) {
			return s
		}
		if next, _ := utf8.DecodeRuneInString(s[n:]); joinsPrevious(next) {
			return s
		}
		s = s[n:]
	}
}

// words splits a line after each run of spaces and after Chinese
// punctuation, keeping atoms whole. Concatenated, the words are the line.
func words(line string) []string {
	inAtom := atomsOf(line)
	var out []string
	start := 0
	for i, r := range line {
		if i == start || inAtom(i) {
			continue
		}
		prev, _ := utf8.DecodeLastRuneInString(line[:i])
		breakBefore := (unicode.IsSpace(prev) && !unicode.IsSpace(r)) || isCJKBreak(prev)
		if breakBefore && !joinsPrevious(r) {
			out = append(out, line[start:i])
			start = i
		}
	}
	return append(out, line[start:])
}

func isCJKBreak(r rune) bool { return strings.ContainsRune("。！？；，、：）」』】", r) }

// clusters splits text into characters as a reader sees them: a base
// character with the combining marks, variation selectors and zero-width
// joiners that follow it, and whole atoms.
func clusters(s string) []string {
	inAtom := atomsOf(s)
	var out []string
	start := 0
	for i, r := range s {
		if i == start {
			continue
		}
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		if inAtom(i) || joinsPrevious(r) || prev == '\u200d' || isRegionalPair(s[start:i], r) {
			continue
		}
		out = append(out, s[start:i])
		start = i
	}
	return append(out, s[start:])
}

// atomsOf returns a function telling whether byte offset i falls strictly
// inside one of s's atoms. Offsets must be asked in increasing order: the
// atoms are sorted and disjoint, so a cursor walks them once and a text
// packed with tags is split in linear time.
func atomsOf(s string) func(i int) bool {
	atoms := atomSpans(s)
	k := 0
	return func(i int) bool {
		for k < len(atoms) && atoms[k][1] <= i {
			k++
		}
		return k < len(atoms) && i > atoms[k][0] && i < atoms[k][1]
	}
}

// joinsPrevious reports runes that belong to the character before them.
func joinsPrevious(r rune) bool {
	return unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Mc, r) ||
		r == '\u200d' || (r >= 0xFE00 && r <= 0xFE0F) || (r >= 0x1F3FB && r <= 0x1F3FF) || (r >= 0xE0020 && r <= 0xE007F)
}

// isRegionalPair keeps the two regional indicators of a flag together.
func isRegionalPair(cluster string, r rune) bool {
	if r < 0x1F1E6 || r > 0x1F1FF {
		return false
	}
	n := 0
	for _, c := range cluster {
		if c >= 0x1F1E6 && c <= 0x1F1FF {
			n++
		} else {
			return false
		}
	}
	return n == 1
}

// atomSpans finds what must never be cut, as [start, end) byte offsets,
// sorted and disjoint: markup tags <...> (1 to 512 characters, none of
// them <, > or a newline), character entities &name; and &#123; (1 to 12
// ASCII letters or digits), Markdown links [label](url) (a label of up to
// 512 characters without [, ] or a newline; a URL of 1 to 1000 without
// parentheses or whitespace) and bare http:// and https:// URLs (up to
// whitespace, <, >, ( or )). Like a regular expression's leftmost-first
// search, the scan takes the first atom that starts at or after where the
// last one ended. It is hand-written because the equivalent expression,
// with its counted repeats, costs a megabyte to compile at every start and
// matches a hundred times slower.
func atomSpans(s string) [][2]int {
	var spans [][2]int
	for i := 0; i < len(s); {
		next := strings.IndexAny(s[i:], "<&[h")
		if next < 0 {
			break
		}
		i += next
		if end := atomAt(s, i); end > i {
			spans = append(spans, [2]int{i, end})
			i = end
		} else {
			i++
		}
	}
	return spans
}

// atomAt returns where the atom starting at s[i] ends, or -1 if none does.
func atomAt(s string, i int) int {
	switch s[i] {
	case '<':
		return closedRun(s, i+1, 1, 512, isTagStop, '>')
	case '&':
		i++
		if i < len(s) && s[i] == '#' {
			i++
		}
		return closedRun(s, i, 1, 12, isNotAlnum, ';')
	case '[':
		end := closedRun(s, i+1, 0, 512, isLabelStop, ']')
		if end < 0 || end >= len(s) || s[end] != '(' {
			return -1
		}
		return closedRun(s, end+1, 1, 1000, isLinkURLStop, ')')
	case 'h':
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, "https://"):
			i += len("https://")
		case strings.HasPrefix(rest, "http://"):
			i += len("http://")
		default:
			return -1
		}
		end := i
		for end < len(s) {
			r, w := utf8.DecodeRuneInString(s[end:])
			if isURLStop(r) {
				break
			}
			end += w
		}
		if end == i {
			return -1
		}
		return end
	}
	return -1
}

// closedRun returns the end of a run starting at s[i] of least to most
// characters for which stop is false, followed by the byte closer (which
// stop must be true for); -1 if there is no such run. An invalid byte
// counts as one character, as the regular expression it replaces counted.
func closedRun(s string, i, least, most int, stop func(rune) bool, closer byte) int {
	n := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if stop(r) {
			break
		}
		if n++; n > most {
			return -1
		}
		i += w
	}
	if n < least || i >= len(s) || s[i] != closer {
		return -1
	}
	return i + 1
}

func isTagStop(r rune) bool   { return r == '<' || r == '>' || r == '\n' }
func isLabelStop(r rune) bool { return r == '[' || r == ']' || r == '\n' }

// isLinkURLStop ends the URL of a Markdown link: parentheses and the
// ASCII whitespace \t \n \f \r and space (not \v, not Unicode spaces, as
// in a regular expression's \s). A bare URL also ends at < and >.
func isLinkURLStop(r rune) bool {
	switch r {
	case '(', ')', '\t', '\n', '\f', '\r', ' ':
		return true
	}
	return false
}

func isURLStop(r rune) bool { return r == '<' || r == '>' || isLinkURLStop(r) }

func isNotAlnum(r rune) bool {
	return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
}
