package intents

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestQuestionSentences(t *testing.T) {
	story := strings.Repeat("My friend is a medical records technician at a hospital in Calgary and she likes it. ", 3)
	tests := []struct{ q, want string }{
		{"what education do I need?", "what education do I need?"},
		{story + "So what education do I need?", "So what education do I need?"},
		{story + "What do they do? What education? Can I get promoted? And the hours?", "What education? Can I get promoted? And the hours?"},
		{story + "what education do I need", story + "what education do I need"},
		{story + "Is it hard? then what education do I need", "Is it hard? then what education do I need"},
		{story, story},
		{strings.Repeat(story, 30), clip(strings.Repeat(story, 30), MaxQuestionBytes)},
		{strings.Repeat("我朋友在医院做健康记录技术员，她说工作挺稳定的。", 3) + "需要什么学历？", "需要什么学历？"},
	}
	for _, tt := range tests {
		if got := questionSentences(tt.q); got != tt.want {
			t.Errorf("questionSentences(%.40q…) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

// A long message is answered from its question, not from a title or a
// topic in the story before it.
func TestLongMessageReadByItsQuestion(t *testing.T) {
	m := newMatcher(t)
	preamble := "I worked as a nurse for years and my friend, a medical records technician, earns good money. "
	for _, tt := range []struct {
		q    string
		want Intent
	}{
		{strings.Repeat(preamble, 48) + "so what education do I need?", Requirements}, // about 4,500 characters
		{strings.Repeat(preamble, 2) + "Before I spend money on anything, what do they do every day?", Duties},
		{strings.Repeat("我以前在国内做护士，朋友在医院做病历技师，工资还不错。", 8) + "请问需要什么学历？", Requirements},
	} {
		r := m.Classify(tt.q)
		if r.Intent != tt.want || len(r.Titles) > 0 || len(r.Also) > 0 {
			t.Errorf("Classify(%d bytes ending %q) = %s, titles %v, also %v; want %s alone", len(tt.q), tt.q[len(tt.q)-30:], r.Intent, r.Titles, r.Also, tt.want)
		}
	}
}

func FuzzQuestionSentences(f *testing.F) {
	for _, s := range []string{"", "?", "a?b?c?d?e", strings.Repeat("x. ", 200) + "why?", strings.Repeat("病。", 300) + "吗？", "\xff?\xfe.", strings.Repeat("?", 5000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		got := questionSentences(q)
		if len(got) > max(len(q), MaxQuestionBytes) || len(got) > MaxQuestionBytes && len(q) > longMessage {
			t.Fatalf("questionSentences gave %d bytes of %d", len(got), len(q))
		}
		if utf8.ValidString(q) && !utf8.ValidString(got) {
			t.Fatalf("questionSentences(%q) = %q is not valid UTF-8", q, got)
		}
	})
}
