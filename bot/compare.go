package bot

import (
	"slices"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

// comparison answers a question about two occupations ("what's the
// difference between 1252 and 1253?", "这个工作和1253有什么区别", "compare
// 12111 and 12112 duties"): the section asked of both, one after the
// other, or their overviews when it names none. The second occupation of
// "this job and 1253" is the conversation's. Occupations may be named by
// title too ("welder vs electrician", "焊工和电工有什么区别").
func (d *decider) comparison() (plan, bool) {
	res := d.in.Res
	switch res.Intent {
	case intents.Greeting, intents.Thanks, intents.Help, intents.Lookup:
		return plan{}, false
	}
	if !res.Compares {
		return plan{}, false
	}
	var first, second string
	codes := distinct(res.Codes)
	if len(codes) == 0 {
		codes = d.namedGroups(res.Titles)
	}
	switch {
	case len(codes) >= 2:
		first, second = codes[0], codes[1]
	case len(codes) == 1 && d.current != "":
		first, second = d.current, codes[0]
	default:
		return plan{}, false
	}
	a, askedA, okA := d.resolve(first)
	if !okA {
		return d.unknownCode(first, intents.Description), true
	}
	b, askedB, okB := d.resolve(second)
	if !okB {
		return d.unknownCode(second, intents.Description), true
	}
	if a.Code == b.Code {
		return plan{}, false // one occupation in two classifications: its sections answer
	}
	in := res.Intent
	// "What's the difference between X and Y" reads as a question about
	// related jobs; asked of two named occupations it wants what each is.
	if !in.Section() || in == intents.Source || in == intents.Related {
		in = intents.Description
	}
	return plan{Kind: planCompare, Intent: in, Answered: true, Profile: a.Code, Asked: askedA, Other: b.Code, OtherAsked: askedB}, true
}

// namedGroups are the occupations a question names by their titles, in
// the order the title index ranks them, at most two: only titles named
// whole and as spelt (not "nurse - team leader" for "nurse", not a typo),
// an occupation and its NOC 2021 successor counted once.
func (d *decider) namedGroups(titles []knowledge.TitleMatch) []string {
	var out []string
	for _, t := range titles {
		if t.Fuzzy || t.Score < 1 || len(out) == 2 {
			continue
		}
		p, _, ok := d.resolve(t.Code)
		if ok && !slices.Contains(out, p.Code) {
			out = append(out, p.Code)
		}
	}
	return out
}

func distinct(codes []string) []string {
	var out []string
	for _, c := range codes {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// compareAnswer shows the section asked of two profiles, each under its
// own heading (with what an old code asked about became), with buttons
// for the next sections of either.
func compareAnswer(r Reply, lib *knowledge.Library, a, b *knowledge.Profile, askedA, askedB string) Reply {
	lang := r.Lang
	r.Blocks = append(r.Blocks, paragraph(tr(lang,
		"Here is what each profile says, one after the other:",
		"以下依次列出两个职业档案的内容：")))
	for i, p := range []*knowledge.Profile{a, b} {
		asked := askedA
		if i == 1 {
			asked = askedB
		}
		r.Blocks = append(r.Blocks, provenance(lang, lib, p, asked)...)
		r.Blocks = append(r.Blocks, section(Reply{Lang: lang}, lib, r.Intent, p, false).Blocks...)
	}
	r.Blocks = append(r.Blocks, sourceLine(lang, a))
	if a.IsNOC2021() != b.IsNOC2021() {
		r.Blocks = append(r.Blocks, sourceLine(lang, b))
	}
	for _, next := range nextQuestions(r.Intent)[:2] {
		for _, p := range []*knowledge.Profile{a, b} {
			r.Buttons = append(r.Buttons, Button{Label: intentLabel(lang, next) + " — " + p.Code, Data: intentData(p.Code, next)})
		}
	}
	return r
}
