package bot

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/knowledge/jobmatch"
)

// JobMatcher finds the NOC 2021 unit groups whose duties match a person's
// description of their own job; *jobmatch.Index implements it.
type JobMatcher interface {
	Match(description string, k int) jobmatch.Result
}

// matchShown is how many unit groups a match answer lists.
const matchShown = 3

// maxPairsShown bounds the phrase/duty pairs shown per group.
const maxPairsShown = 3

// minMatchWords is how many words an out-of-scope message needs before
// it is read as a description of duties (a pasted job posting without a
// question in it).
const minMatchWords = 12

// lazyJobs is the job matcher of a library, built the first time it is
// needed. It reads the unit groups' own text and Chinese names only (no
// duty word lists): a deployment passes Config.Jobs built with them.
// Traditional Chinese is read through simplify, the classifier's own
// converter (nil: the index loads one).
func lazyJobs(lib *knowledge.Library, simplify func(string) string) JobMatcher {
	return jobmatch.NewLazy(lib.Profiles(), nil, jobmatch.WithSimplifier(simplify))
}

// matchText is the description a message gives for matching: the words
// after /match, or the whole question.
func matchText(in input) string {
	if in.Command != nil {
		return in.Command.Rest
	}
	return in.Text
}

// wantsMatch reports whether the core should match a typed question's
// words against the duties of every unit group: the matcher read it as a
// description of someone's own job; or it opens like one ("my duties:",
// 我负责), names no code and the matcher read it as a question about
// duties (the opening's own word) or as nothing it knows; or the matcher
// read it as nothing it knows while it is long enough to be a pasted job
// posting.
func wantsMatch(res intents.Result) bool {
	if ownJobWords(res) {
		return true
	}
	switch res.Intent {
	case intents.Match:
		return true
	case intents.OutOfScope:
		// A long message may be a posting that names its pay: the topic
		// rules out only a short one.
		// A Chinese word is one to three characters: three characters
		// count as two words.
		words, han := countWords(res.Normalized)
		n := words + han*2/3
		return len(res.Titles) == 0 && n >= minMatchWords && (n >= 2*minMatchWords || res.Topic == noTopic)
	}
	return false
}

// ownJobWords reports whether a question opens like a description of the
// person's own job and may be one: it names no code, and the matcher read
// it as a question about duties ("my duties: answering phones" has the
// word) or as nothing it knows. A question about another section ("I
// work as a welder, what education do I need?") asks what it asks.
func ownJobWords(res intents.Result) bool {
	return res.OwnJob && len(res.Codes) == 0 && (res.Intent == intents.Duties || res.Intent == intents.OutOfScope)
}

// ownJob answers a message that opens like a description of the person's
// own job ("my duties: answering phones, booking appointments") with the
// unit groups its duties match, though its words suggest a question about
// duties: it claims the message only when it matches well, so "my duties
// as a nurse?" stays a question about duties.
func (d *decider) ownJob() (plan, bool) {
	if !ownJobWords(d.in.Res) || d.in.Jobs == nil || !d.in.Jobs.Good() {
		return plan{}, false
	}
	return d.match(), true
}

// match decides a description of someone's own duties: the best unit
// groups when one matches well, else a request for more duties. It
// claims a long out-of-scope message only when it matches well.
func (d *decider) match() plan {
	r := d.in.Jobs
	if r == nil {
		return plan{Kind: planNoMatch, Intent: intents.Match}
	}
	// The reply is in the description's language (for /match too, whose
	// command word says nothing), unless the person chose one.
	if !d.sess.LangPinned && r.Phrases > 0 {
		d.lang = r.Lang
	}
	if !r.Good() {
		return plan{Kind: planNoMatch, Intent: intents.Match, Jobs: r}
	}
	return plan{Kind: planMatch, Intent: intents.Match, Answered: true, Jobs: r}
}

// matchAnswer lists the best unit groups for a description, each with the
// person's phrases beside the group's own duty sentences they matched, the
// rule the choice must follow, and buttons to each group's duties.
func matchAnswer(r Reply, res *jobmatch.Result) Reply {
	lang := r.Lang
	r.Blocks = append(r.Blocks, paragraph(tr(lang,
		"The NOC 2021 unit groups whose duties are closest to what you describe:",
		"与你描述的职责最接近的 NOC 2021 职业组：")))
	if res.Truncated {
		r.Blocks = append(r.Blocks, truncatedNote(lang))
	}
	// Weak guesses after the best would only mislead: a group is listed
	// when the description's phrases point to it and it scores near the
	// best.
	for i, m := range res.Offered(matchShown) {
		title := m.Title.EN
		if lang == knowledge.ZH && m.Title.ZH != "" {
			title = m.Title.ZH
		}
		r.Blocks = append(r.Blocks, Block{Kind: Heading, Text: tr(lang,
			fmt.Sprintf("%d. %s %s (TEER %d), match %.0f%%", i+1, m.Code, title, m.TEER, 100*m.Score),
			fmt.Sprintf("%d. %s %s（TEER %d），匹配度 %.0f%%", i+1, m.Code, title, m.TEER, 100*m.Score))})
		var items []string
		for j, p := range m.Pairs {
			if j == maxPairsShown {
				break
			}
			items = append(items, tr(lang,
				fmt.Sprintf("you: “%s” — NOC: “%s”", truncateRunes(p.Phrase, 120), strings.TrimSuffix(p.Duty, ".")),
				fmt.Sprintf("你：“%s” — NOC：“%s”", truncateRunes(p.Phrase, 120), strings.TrimSuffix(p.Duty, "."))))
		}
		if len(items) > 0 {
			r.Blocks = append(r.Blocks, Block{Kind: List, Items: items})
		} else if m.Lead.EN != "" {
			// Matched through the words people use for the job rather
			// than one duty sentence: the lead statement says what the
			// group is, to check against (in Chinese where the profile
			// has it; NOC 2021 is English only).
			lead := m.Lead.EN
			if lang == knowledge.ZH && m.Lead.ZH != "" {
				lead = m.Lead.ZH
			}
			r.Blocks = append(r.Blocks, paragraph(tr(lang, "NOC: “"+lead+"”", "NOC 概述：“"+lead+"”")))
		}
		r.Buttons = append(r.Buttons, Button{Label: tr(lang, m.Code+" duties", m.Code+" 主要职责"), Data: intentData(m.Code, intents.Duties)})
	}
	r.Blocks = append(r.Blocks,
		paragraph(tr(lang,
			"Choose by duties, not by job title: the unit group's lead statement and most of its main duties must match what you actually do. Read each group's duties before you choose. This is not immigration advice.",
			"请按职责而不是职位名称选择：职业组的概述和大部分主要职责必须与你的实际工作相符。选择前请阅读各职业组的主要职责。以上不构成移民建议。")),
		paragraph(tr(lang,
			"Source: Statistics Canada, National Occupational Classification (NOC) 2021 Version 1.0; the matching is nocbot's own.",
			"来源：加拿大统计局，《国家职业分类》（NOC）2021 第1.0版；匹配由 nocbot 完成。")))
	return r
}

// noMatchAnswer says nothing matched well enough and asks for the duties
// themselves.
func noMatchAnswer(r Reply, res *jobmatch.Result) Reply {
	lang := r.Lang
	switch {
	case res == nil || res.Phrases == 0:
		r.Blocks = append(r.Blocks, paragraph(tr(lang,
			"Describe your job in your own words and I will find the NOC 2021 unit groups whose duties match it.",
			"用你自己的话描述你的工作，我会找出职责与之相符的 NOC 2021 职业组。")))
	default:
		if res.Truncated {
			r.Blocks = append(r.Blocks, truncatedNote(lang))
		}
		r.Blocks = append(r.Blocks, paragraph(tr(lang,
			"I could not match that well enough to any NOC 2021 unit group, and I would rather not guess.",
			"这段描述与任何 NOC 2021 职业组都不够吻合，我不想乱猜。")))
	}
	r.Blocks = append(r.Blocks,
		paragraph(tr(lang,
			"Please list your main duties, a few sentences or one per line, in English or Chinese, for example:",
			"请列出你的主要职责，几句话或每行一条，中英文都可以，例如：")),
		Block{Kind: List, Items: []string{tr(lang,
			"/match I code diagnoses from patient charts; I abstract clinical data; I check records for completeness",
			"/match 我给病历编码；摘录临床数据；检查病历是否完整")}})
	return r
}

func truncatedNote(lang knowledge.Lang) Block {
	return paragraph(tr(lang,
		fmt.Sprintf("Your description is long: I read only its beginning, at most %d duties.", jobmatch.MaxPhrases),
		fmt.Sprintf("你的描述较长：我只读了开头部分，最多 %d 条职责。", jobmatch.MaxPhrases)))
}

// commandRest is what follows "/name" in a typed command, spaces and
// line breaks kept: the description of /match.
func commandRest(text string) string {
	s := strings.TrimPrefix(strings.TrimSpace(text), "/")
	i := strings.IndexFunc(s, func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\u3000' })
	if i < 0 {
		return ""
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return strings.TrimSpace(s[i+size:])
}

// private reports whether a message may describe someone's own job: it
// was matched against the unit groups' duties, or answered as a match. Of
// such a message the logs keep only the intent and the codes offered,
// whatever the answer turned out to be (a long message that matched
// nothing well is answered as out of scope, yet is someone's duties).
func private(p plan, in input) bool {
	return in.Jobs != nil || p.Intent == intents.Match || p.Kind == planMatch || p.Kind == planNoMatch
}

// loggedText is what the question log keeps of a message's text: of a
// private one, only the codes offered.
func loggedText(p plan, in input) string {
	if !private(p, in) {
		return in.Text
	}
	var codes []string
	if p.Kind == planMatch {
		for _, m := range p.Jobs.Offered(matchShown) {
			codes = append(codes, m.Code)
		}
	}
	return strings.Join(codes, " ")
}
