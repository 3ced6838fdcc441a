package facts

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// MaxTerms bounds the terms read from one question: a pasted page asks
// about nothing in particular.
const MaxTerms = 8

// termsOf reads the content terms of a question: its English words that
// are neither function words nor section words, its acronyms (as the
// profile spells them out, or as the initials of its words), and its
// Chinese words from the term list, with the Chinese runs left once the
// framing of the question is taken out.
func (x *Index) termsOf(e *entry, q Query) []Term {
	var terms []Term
	var keys [MaxTerms]string // what each term was added as
	add := func(t Term, key string) {
		if !slices.Contains(keys[:len(terms)], key) && len(terms) < MaxTerms {
			keys[len(terms)] = key
			terms = append(terms, t)
		}
	}
	seen := func(key string) bool { return slices.Contains(keys[:len(terms)], key) }
	skip := func(w string) bool { return skipped(q.Skip, w) }
	// Acronyms first, from the raw text: normalising lower-cases them and
	// may "correct" CHIMA into a dictionary word.
	raw := clipRaw(q.Raw)
	for start := 0; start < len(raw); {
		w, next := nextWord(raw, start)
		start = next
		if len(w) < 2 || len(w) > 8 {
			continue
		}
		upper := allUpper(w)
		if !upper && len(w) < 4 || !upper && !hasLetterOnly(w) {
			continue
		}
		acr := strings.ToLower(w)
		long, known := e.acronyms[acr]
		switch {
		case known && (upper || len(acr) >= 4 && !stopWord(acr)):
			t := Term{Asked: strings.ToUpper(acr), Long: strings.Join(long.long, " "), Spelled: long.spelled, Acronym: true}
			t.alts = append(t.alts, alt{stems: []string{Stem(acr)}, literal: true}, alt{stems: stemsOfWords(long.long), literal: true})
			add(t, "en:"+Stem(acr))
		case upper && !skip(acr):
			t := Term{Asked: strings.ToUpper(acr), Acronym: true}
			t.alts = append(t.alts, alt{stems: []string{Stem(acr)}, literal: true})
			for _, run := range initialsIn(e.sents, acr) {
				t.alts = append(t.alts, alt{stems: run, literal: true})
			}
			if len(t.alts) > 1 {
				t.Long = longForm(e.sents, t.alts[1].stems)
			}
			add(t, "en:"+Stem(acr))
		}
	}
	for tok := range strings.FieldsSeq(q.Normalized) {
		if tok[0] >= utf8.RuneSelf {
			for _, t := range x.chineseTerms(tok, q.Skip) {
				add(t, "zh:"+t.Asked)
			}
			continue
		}
		if len(tok) < 2 || isDigits(tok) || stopWord(tok) || sectionWord(tok) || skip(tok) {
			continue
		}
		st := Stem(tok)
		if seen("en:" + st) {
			continue
		}
		t := Term{Asked: tok, alts: []alt{{stems: []string{st}, literal: true}}}
		if id, ok := x.terms.byStem[st]; ok {
			for _, s := range x.terms.families[id].en {
				if s != st {
					t.alts = append(t.alts, alt{stems: []string{s}})
				}
			}
		}
		add(t, "en:"+st)
	}
	return terms
}

// chineseTerms reads a run of Chinese: the term list's words in it,
// longest first, then what is left once the question's framing (这个工作,
// 需要, 吗) is taken out, as weak terms.
func (x *Index) chineseTerms(run string, skip []string) []Term {
	var out []Term
	left := 0 // where the run of unread characters began
	flush := func(end int) {
		if rest := run[left:end]; utf8.RuneCountInString(rest) >= 2 {
			out = append(out, Term{Asked: rest, Weak: true, zh: true, alts: []alt{{zh: rest, literal: true}}})
		}
	}
	for i := 0; i < len(run); {
		n := prefixLen(run[i:], skip)
		if n == 0 {
			if f, ok := x.terms.formAt(run[i:]); ok {
				n = len(f)
				if !slices.ContainsFunc(out, func(t Term) bool { return t.Asked == f }) {
					out = append(out, x.terms.chineseTerm(f))
				}
			}
		}
		if n == 0 {
			n = x.terms.framingAt(run[i:])
		}
		if n == 0 {
			_, size := utf8.DecodeRuneInString(run[i:])
			i += size
			continue
		}
		flush(i)
		i += n
		left = i
	}
	flush(len(run))
	return out
}

// prefixLen is the length of the Chinese phrase of skip that s starts
// with, 0 for none.
func prefixLen(s string, skip []string) int {
	for _, w := range skip {
		if w != "" && w[0] >= utf8.RuneSelf && strings.HasPrefix(s, w) {
			return len(w)
		}
	}
	return 0
}

// zhFraming are the words Chinese questions frame a fact with, the
// section words (职责, 学历, 晋升) among them.
const zhFraming = (`这个工作 这份工作 这个职业 这一行 这个行业 这种工作 需不需要 可不可以 能不能 会不会 要不要 有没有 是不是
用不用 得不得 必不必须 什么样 怎么样 为什么 请问 一下 知道 了解 想问 告诉 我们 他们 她们 你们 它们 这个 那个 这些 那些 哪些 哪个 什么
怎么 怎样 如何 是否 需要 必须 一定 可以 能够 应该 主要 一般 通常 平时 日常 每天 具体 工作 职业 行业 岗位 职位 从事 负责 涉及 包括 包含
使用 用到 做些 做的 干什么 还有 以后 将来 未来 现在 之后 然后 比较 容易 难不难 好不好 多少 多久 职责 任务 学历 要求 条件 资格 晋升
升职 发展 前途 职称 头衔 名称 相关 来源 概况 介绍 内容 技能 能力 方面 情况 东西 事情 问题 的话 就是 还是 或者 以及 而且 但是 因为 所以
吗 呢 吧 啊 呀 么 嘛 哦 我 你 他 她 它 要 会 能 做 干 在 的 地 得 了 和 与 跟 及 还 也 都 就 去 来 有 是 用 给 对 从 到 把 被 让 些 个 种 人`)

// sectionWord reports whether an English word names a section rather
// than a fact in it.
func sectionWord(w string) bool {
	_, ok := sectionWords[w]
	return ok
}

// skipped reports whether w (lower case) is a word of one of the
// phrases in skip, compared without regard to case.
func skipped(skip []string, w string) bool {
	for _, phrase := range skip {
		for start := 0; start < len(phrase); {
			word, next := nextWord(phrase, start)
			start = next
			if strings.EqualFold(word, w) {
				return true
			}
		}
	}
	return false
}

// nextWord is the next run of ASCII letters and digits in s at or after
// start, and where to look for the one after it; "" at the end.
func nextWord(s string, start int) (string, int) {
	for start < len(s) && !isWordByte(s[start]) {
		start++
	}
	end := start
	for end < len(s) && isWordByte(s[end]) {
		end++
	}
	return s[start:end], end
}

func isWordByte(c byte) bool { return isASCIILetter(c) || c >= '0' && c <= '9' }

func allUpper(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'A' || w[i] > 'Z' {
			return false
		}
	}
	return true
}

func hasLetterOnly(w string) bool {
	for i := 0; i < len(w); i++ {
		if !isASCIILetter(w[i]) {
			return false
		}
	}
	return true
}

// clipRaw bounds the raw text read for acronyms, as the normaliser
// bounds the question; a character cut in two is dropped.
func clipRaw(s string) string {
	const max = 2048
	if len(s) <= max {
		return s
	}
	return strings.ToValidUTF8(s[:max], "")
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func stemsOfWords(ws []string) []string {
	var out []string
	for _, w := range ws {
		if w = strings.ToLower(w); !connective(w) {
			out = append(out, Stem(w))
		}
	}
	return out
}

// longForm is the words a run of stems was found as, for the reply to
// say what an acronym stands for.
func longForm(sents []Sentence, stems []string) string {
	for i := range sents {
		ws := englishWords(sents[i].Text.EN)
		for start := 0; start+len(stems) <= len(ws); start++ {
			ok := true
			for k, s := range stems {
				if ws[start+k].stem != s {
					ok = false
					break
				}
			}
			if ok {
				return strings.Join(lowers(ws[start:start+len(stems)]), " ")
			}
		}
	}
	return ""
}
