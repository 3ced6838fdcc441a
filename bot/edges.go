package bot

import (
	"fmt"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

// pickedOutOfRange answers a button number beyond those offered ("4"
// when three were): which numbers there are to pick.
func (d *decider) pickedOutOfRange() (plan, bool) {
	t := d.in.Text
	if d.sess.Offered == 0 || len(t) == 0 || len(t) > 2 || !isDigits(t) {
		return plan{}, false
	}
	n := int(t[0] - '0')
	if len(t) == 2 {
		n = n*10 + int(t[1]-'0')
	}
	if n >= 1 && n <= d.sess.Offered {
		return plan{}, false
	}
	// The buttons offered again are those of the last answer.
	return plan{Kind: planPickRange, Intent: intents.Help, Answered: true, Range: d.sess.Offered, Profile: d.currentCode(), Offer: d.sess.LastIntent}, true
}

// aboutNOC answers "what's NOC?", "NOC是什么".
func (d *decider) aboutNOC() (plan, bool) {
	if !d.in.Res.AboutNOC {
		return plan{}, false
	}
	return plan{Kind: planAboutNOC, Intent: intents.Help, Answered: true, Profile: d.currentCode()}, true
}

// allTitles answers "all titles", "全部职称" — what the titles answer
// suggests typing — with every title, not the examples again.
func (d *decider) allTitles() (plan, bool) {
	res := d.in.Res
	if res.Intent != intents.Titles && res.Intent != intents.OutOfScope || len(res.Also) > 0 {
		return plan{}, false
	}
	if !res.Whole || !res.NamesTitles {
		return plan{}, false
	}
	p, asked, ok := d.factProfile()
	if !ok {
		return plan{}, false
	}
	pl := d.answer(p, intents.Titles, true)
	pl.Asked = asked
	return pl, true
}

// switchProfile answers "ok, now 1252", "back to 1252", "回到1253": a
// code and a few words the matcher cannot place move the conversation to
// that occupation, with the section it was on.
func (d *decider) switchProfile() (plan, bool) {
	res := d.in.Res
	if res.SwitchTo == "" {
		return plan{}, false
	}
	p, asked, ok := d.resolve(res.SwitchTo)
	if !ok {
		return d.unknownCode(res.SwitchTo, intents.Description), true
	}
	in := d.sess.LastIntent
	if !in.Section() {
		in = intents.Description
	}
	pl := d.answer(p, in, false)
	pl.Asked = asked
	return pl, true
}

// outOfScopeFirst answers a compound question whose first part is out of
// scope ("what's the salary and the education?"): each part in the order
// asked, the out-of-scope one as a line saying the profile does not
// cover it.
func (d *decider) outOfScopeFirst() (plan, bool) {
	res := d.in.Res
	if res.Intent != intents.OutOfScope || !hasSection(res.Also) {
		return plan{}, false
	}
	p, asked, ok := d.factProfile()
	if !ok {
		return d.choose(firstSection(res.Also), nil), true
	}
	pl := d.sections(p, intents.OutOfScope, res.Also)
	pl.Asked = asked
	return pl, true
}

func hasSection(ins []intents.Intent) bool { return firstSection(ins) != "" }

func firstSection(ins []intents.Intent) intents.Intent {
	for _, in := range ins {
		if in.Section() {
			return in
		}
	}
	return ""
}

// partTopics are the topics of a question's out-of-scope parts, in the
// order asked ("salary and visa" → pay, immigration): the classifier's
// topic for the part it read first, then one per out-of-scope entry of
// Also.
func partTopics(res intents.Result) []topic {
	var out []topic
	if res.Intent == intents.OutOfScope {
		out = append(out, res.Topic)
	}
	for i, in := range res.Also {
		if in == intents.OutOfScope && i < len(res.AlsoTopics) {
			out = append(out, res.AlsoTopics[i])
		}
	}
	return out
}

// notCoveredLine is the line a compound answer gives an out-of-scope
// part: "The profile does not cover salary and pay."
func notCoveredLine(lang knowledge.Lang, tp topic) Block {
	if name := topicName(lang, tp); name != "" {
		return paragraph(tr(lang,
			fmt.Sprintf("The profile does not cover %s.", name),
			fmt.Sprintf("职业档案不包含%s方面的信息。", name)))
	}
	return paragraph(tr(lang,
		"Part of your question is not something the occupation profiles answer.",
		"问题中有一部分不在职业档案的范围内。"))
}

// aboutNOCAnswer explains the NOC, with its source.
func aboutNOCAnswer(r Reply, about *knowledge.Profile) Reply {
	lang := r.Lang
	r.Blocks = []Block{paragraph(tr(lang,
		"The NOC (National Occupational Classification) is Canada's national system for describing occupations, maintained by Employment and Social Development Canada and Statistics Canada. The version in force, NOC 2021 Version 1.0 (since November 2022), has 516 unit groups, each with a five-digit code whose second digit is its TEER category (training, education, experience and responsibilities). NOC 2011 and 2016 used four-digit codes (1252).",
		"NOC（National Occupational Classification，国家职业分类）是加拿大描述职业的国家标准，由加拿大就业和社会发展部与加拿大统计局维护。现行版本为 NOC 2021 第1.0版（2022年11月起），共 516 个职业类别，每个类别有五位数代码，第二位数字是它的 TEER 类别（培训、教育、经验和职责）。NOC 2011 和 2016 使用四位数代码（如 1252）。")),
		{Kind: Link, Text: tr(lang, "Statistics Canada: NOC 2021 Version 1.0", "加拿大统计局：NOC 2021 第1.0版"), URL: knowledge.NOC2021URL}}
	return withNextIf(r, intents.Help, about)
}

// pickRangeAnswer says which button numbers there are.
func pickRangeAnswer(r Reply, n int, about *knowledge.Profile, last intents.Intent) Reply {
	lang := r.Lang
	text := tr(lang, fmt.Sprintf("There are %d choices: pick 1–%d.", n, n), fmt.Sprintf("只有 %d 个选项：请选 1–%d。", n, n))
	if n == 1 {
		text = tr(lang, "There is only one choice: pick 1.", "只有一个选项：请选 1。")
	}
	r.Blocks = []Block{paragraph(text)}
	if !last.Section() {
		last = intents.Help
	}
	return withNextIf(r, last, about)
}

// specific answers, in order, what neither small talk nor a plain section
// is: a button number beyond those offered, "what's NOC?", "all titles",
// "now 1252", two occupations compared, a specific fact, and a compound
// question that starts out of scope. Each is called in turn, not from a
// table: see question.
func (d *decider) specific() (plan, bool) {
	if p, ok := d.pickedOutOfRange(); ok {
		return p, true
	}
	if p, ok := d.aboutNOC(); ok {
		return p, true
	}
	if p, ok := d.allTitles(); ok {
		return p, true
	}
	if p, ok := d.switchProfile(); ok {
		return p, true
	}
	if p, ok := d.comparison(); ok {
		return p, true
	}
	if p, ok := d.factQuestion(); ok {
		return p, true
	}
	return d.outOfScopeFirst()
}

// lastSection is the last section of a compound answer, the one "tell me
// more" continues: out-of-scope parts are no section.
func lastSection(in intents.Intent, also []intents.Intent) intents.Intent {
	for i := len(also) - 1; i >= 0; i-- {
		if also[i].Section() {
			return also[i]
		}
	}
	return in
}
