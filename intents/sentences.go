package intents

import (
	"strings"
	"unicode/utf8"
)

// longMessage is the length, in bytes, past which a message is read by its
// question sentences: a question of a line or two is read whole.
const longMessage = 200

// questionSentences is what a long message asks: its sentences that end in
// a question mark, the last MaxSections of them (and an unfinished
// sentence after them). The story before them ("I moved here from Manila,
// my friend is a medical records technician, ...") names titles and topics
// the asker is not asking about. A long message with no question mark is
// read whole from its beginning, as before: it may be a description of
// someone's own job, every sentence of which matters. Questions close a
// message, so a message longer than two MaxQuestionBytes is searched from
// its end.
func questionSentences(q string) string {
	if len(q) <= longMessage {
		return q
	}
	whole := q
	if len(q) > 2*MaxQuestionBytes {
		cut := len(q) - 2*MaxQuestionBytes
		for cut < len(q) && !utf8.RuneStart(q[cut]) {
			cut++
		}
		q = q[cut:]
	}
	var asked [MaxSections]string
	n := 0
	start := 0
	for i, r := range q {
		if !endsSentence(r) {
			continue
		}
		end := i + utf8.RuneLen(r)
		s := strings.TrimSpace(q[start:end])
		start = end
		if !hasWord(s) {
			continue
		}
		if r == '?' || r == '？' {
			if n == len(asked) {
				copy(asked[:], asked[1:])
				n--
			}
			asked[n] = s
			n++
		}
	}
	if s := strings.TrimSpace(q[start:]); hasWord(s) {
		if n > 0 {
			// It follows question sentences: it is one of them ("... can I
			// get promoted? and the hours").
			if n == len(asked) {
				copy(asked[:], asked[1:])
				n--
			}
			asked[n] = s
			n++
		}
	}
	if n > 0 {
		return clip(strings.Join(asked[:n], " "), MaxQuestionBytes)
	}
	return clip(whole, MaxQuestionBytes)
}

// endsSentence reports the marks that end a sentence.
func endsSentence(r rune) bool {
	switch r {
	case '.', '?', '!', '\n', '。', '？', '！':
		return true
	}
	return false
}

// hasWord reports whether s holds a letter, digit or Chinese character.
func hasWord(s string) bool {
	for _, r := range s {
		if r < utf8.RuneSelf && (r|0x20 >= 'a' && r|0x20 <= 'z' || r >= '0' && r <= '9') || r >= 0x2E80 {
			return true
		}
	}
	return false
}

// questionCue reports whether a normalised part of a message is a
// question or a request rather than a statement around one: whether it has
// a question word ("how", "什么", "吗"; "is", "can" and the like only to
// open it, as a question does) or asks to be told ("tell me", "介绍"); and
// whether it is a fragment of two words or six Chinese characters at most
// ("salary", "the hours", "福利"), which may be a question too.
func questionCue(normalized string) (cue, fragment bool) {
	words, han := 0, 0
	opening := true // before the first word that is not a filler
	for _, w := range strings.Fields(normalized) {
		if w[0] < utf8.RuneSelf {
			words++
			switch w {
			case "what", "whats", "how", "which", "who", "where", "when", "why", "any", "much", "many",
				"tell", "list", "show", "explain", "describe", "give":
				return true, false
			case "is", "are", "can", "could", "do", "does", "did", "will", "would", "should", "may", "am", "have", "has":
				if opening {
					return true, false
				}
			case "so", "and", "but", "also", "then", "ok", "okay", "hey", "hi", "well", "or":
				continue
			}
			opening = false
			continue
		}
		han += utf8.RuneCountInString(w)
		for _, cue := range [...]string{"吗", "么", "什么", "怎", "哪", "多少", "是否", "呢", "啥", "要不要", "有没有",
			"会不会", "能不能", "可不可以", "如何", "多久", "介绍", "说说", "讲讲", "请问", "想知道"} {
			if strings.Contains(w, cue) {
				return true, false
			}
		}
	}
	return false, words+han > 0 && words <= 2 && han <= 6
}
