package facts

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nocbot/nocbot/knowledge"
)

// splitPair splits a paired text into its sentences. The Chinese and
// English sentences are paired one to one when both split into as many;
// otherwise the text stays one pair, so a quote never pairs a sentence
// with another's translation.
func splitPair(t knowledge.Text) []knowledge.Text {
	en, zh := Split(t.EN), Split(t.ZH)
	switch {
	case len(en)+len(zh) == 0:
		return nil
	case len(zh) == 0:
		out := make([]knowledge.Text, len(en))
		for i, s := range en {
			out[i] = knowledge.Text{EN: s}
		}
		return out
	case len(en) == 0:
		out := make([]knowledge.Text, len(zh))
		for i, s := range zh {
			out[i] = knowledge.Text{ZH: s}
		}
		return out
	case len(en) == len(zh):
		out := make([]knowledge.Text, len(en))
		for i := range en {
			out[i] = knowledge.Text{EN: en[i], ZH: zh[i]}
		}
		return out
	}
	return []knowledge.Text{{EN: strings.TrimSpace(t.EN), ZH: strings.TrimSpace(t.ZH)}}
}

// Split cuts text into sentences, keeping each sentence's words and
// punctuation as written. An English sentence ends at '.', '!' or '?'
// followed by a space and a capital letter or digit (so "e.g. a" and
// "2.5" stay whole); a Chinese one at '。', '！' or '？'. Invalid UTF-8 is
// replaced, blank pieces dropped.
func Split(text string) []string {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	var out []string
	start := 0
	emit := func(end int) {
		if s := strings.TrimSpace(text[start:end]); s != "" {
			out = append(out, s)
		}
		start = end
	}
	for i, r := range text {
		switch r {
		case '。', '！', '？':
			emit(i + utf8.RuneLen(r))
		case '.', '!', '?':
			if endsSentence(text[i+1:]) {
				emit(i + 1)
			}
		}
	}
	emit(len(text))
	return out
}

// endsSentence reports whether what follows a full stop starts a new
// sentence: spaces, then a capital letter or a digit.
func endsSentence(rest string) bool {
	trimmed := strings.TrimLeft(rest, " \t\n")
	if len(trimmed) == len(rest) || trimmed == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(trimmed)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || r >= 0x2E80
}
