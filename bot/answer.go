package bot

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/knowledge/facts"
)

// render words a plan as a reply. It reads the profiles the plan names
// and decides nothing: what to answer, in which language, and whether it
// is answered were settled in the plan.
func render(p plan, lib *knowledge.Library) Reply {
	r := Reply{Lang: p.Lang, Intent: p.Intent, Answered: p.Answered}
	lang := p.Lang
	about, _ := lib.Profile(p.Profile) // nil for none
	switch p.Kind {
	case planHelp:
		return helpAnswer(r, lib, about)
	case planUnknownCommand:
		r.Blocks = []Block{paragraph(tr(lang,
			"I don't know the command /"+truncateRunes(p.Command, 32)+".", "我不认识命令 /"+truncateRunes(p.Command, 32)+"。"))}
		return helpAnswer(r, lib, about)
	case planGreeting:
		return greetingAnswer(r, lib, about)
	case planSections:
		return sectionsAnswer(r, lib, about, p)
	case planFact:
		return factAnswer(r, lib, about, p)
	case planCompare:
		other, _ := lib.Profile(p.Other)
		return compareAnswer(r, lib, about, other, p.Asked, p.OtherAsked)
	case planPickRange:
		return pickRangeAnswer(r, p.Range, about, p.Offer)
	case planAboutNOC:
		return aboutNOCAnswer(r, about)
	case planTEER:
		if p.AboutCategory {
			return teerCategoryAnswer(r, p.Category, about)
		}
		return teerAnswer(r, lib, about, p.Asked)
	case planChooseTitle:
		return chooseTitleAnswer(r, lib, p.Title, p.Suggest, p.Also)
	case planNothingMore:
		r.Blocks = []Block{paragraph(tr(lang,
			"That is all the profile of "+occupation(lang, about)+" says on this. You can ask about:",
			occupation(lang, about)+"的职业档案关于这一点就这么多。还可以问："))}
		return withNext(r, p.Intent, about)
	case planWelcome:
		r.Blocks = []Block{paragraph(tr(lang, "You're welcome! Anything else about the occupation?", "不客气！关于这个职业还有什么想了解的吗？"))}
		return withNextIf(r, intents.Thanks, about)
	case planAcknowledge:
		r.Blocks = []Block{paragraph(tr(lang, "Anything else you would like to know?", "还想了解哪些方面？"))}
		return withNextIf(r, intents.Help, about)
	case planInsult:
		r.Blocks = []Block{paragraph(tr(lang,
			"Sorry that was not helpful. I answer from the official occupation profiles: what an occupation is, its duties, education, advancement, titles and related jobs. Ask me about one of those, or name an occupation.",
			"抱歉没能帮上忙。我根据官方职业档案回答：职业概况、主要职责、学历要求、晋升发展、职称头衔和相关职业。可以问我这些方面，或者告诉我一个职业名称。"))}
		return withNextIf(r, intents.Help, about)
	case planFarewell:
		r.Blocks = []Block{paragraph(tr(lang, "Goodbye! Come back any time you have a question about an occupation.", "再见！有关于职业的问题随时来问。"))}
		return r
	case planLookup:
		return lookupAnswer(r, lib, p.Title)
	case planNoSuchTitle:
		return noSuchTitleAnswer(r, lib, p.Suggest)
	case planNotATitle:
		r.Blocks = []Block{paragraph(tr(lang, "I do not know that as a job title in the profiles I have.", "我掌握的职业档案中没有这个职位名称。"))}
		r, _ = withSuggestions(r, lib, p.Suggest)
		return r
	case planOutOfScope:
		return outOfScopeAnswer(r, p.Topic, about)
	case planUnknownOccupation:
		return unknownOccupationAnswer(r, lib, p.Occupation, p.Suggest, p.Offer)
	case planUnknownCode:
		return unknownCodeAnswer(r, lib, truncateRunes(p.Code, 12), p.Offer, about)
	case planChoose:
		return chooseAnswer(r, lib, p.Also)
	case planLangSet:
		r.Blocks = []Block{paragraph(tr(lang, "I'll reply in English.", "好的，我会用中文回复。"))}
		return withNextIf(r, intents.Help, about)
	case planMatch:
		return matchAnswer(r, p.Jobs)
	case planNoMatch:
		return noMatchAnswer(r, p.Jobs)
	case planLangMenu:
		r.Blocks = []Block{paragraph(tr(lang, "Choose the reply language: /lang en, /lang zh or /lang zh-hant (Traditional Chinese).",
			"选择回复语言：/lang en、/lang zh 或 /lang zh-hant（繁体中文）。"))}
		r.Buttons = []Button{{Label: "English", Data: "lang:en"}, {Label: "中文", Data: "lang:zh"}, {Label: "繁體中文", Data: "lang:zh-hant"}}
		return r
	}
	return r
}

func paragraph(text string) Block { return Block{Kind: Paragraph, Text: text} }

// helpAnswer says what the bot does, with example questions, the
// commands and the profiles there are, after what r says already.
func helpAnswer(r Reply, lib *knowledge.Library, p *knowledge.Profile) Reply {
	lang := r.Lang
	r.Blocks = append(r.Blocks,
		paragraph(tr(lang,
			"I answer questions about Canadian NOC occupations from their official profiles, in English or Chinese. Ask in your own words, for example:",
			"我根据加拿大 NOC 官方职业档案回答问题，中英文都可以。直接提问即可，例如：")),
		Block{Kind: List, Items: strings.Split(tr(lang,
			"What do they do?|What education do I need?|How do I get promoted?|What are the job titles?|What is the NOC code of a medical records technician?",
			"这个职业是做什么的？|需要什么学历？|怎么晋升？|有哪些职称？|病历技师的NOC代码是多少？"), "|")},
		paragraph(tr(lang, "Commands:", "命令：")),
		Block{Kind: List, Items: helpLines(lang)})
	r.Blocks = append(r.Blocks, profileList(lang, lib)...)
	r = withNextIf(r, intents.Help, p)
	return withProfileButtons(r, lib, intents.Description)
}

func greetingAnswer(r Reply, lib *knowledge.Library, p *knowledge.Profile) Reply {
	lang := r.Lang
	r.Blocks = []Block{paragraph(tr(lang,
		"Hello! I answer questions about Canadian NOC occupations from their official profiles, in English or Chinese: what the job is, duties, education, advancement, job titles and related occupations.",
		"你好！我根据加拿大 NOC 官方职业档案回答问题，中英文都可以：职业概况、主要职责、学历要求、晋升发展、职称头衔和相关职业。"))}
	if p != nil {
		r.Blocks = append(r.Blocks, paragraph(tr(lang, "Ask me about ", "可以问我关于")+occupation(lang, p)+tr(lang, ".", "的问题。")))
		return withNext(r, intents.Greeting, p)
	}
	return withProfileButtons(r, lib, intents.Description)
}

// sectionsAnswer answers r.Intent and the further parts a compound
// question asked for, one after another in one reply, in the order asked:
// a section in the profile's words, an out-of-scope part as one line
// naming its topic (pl.Topics, in order). The buttons offer what was not
// answered yet. It says which classification the text is from, what an
// old code asked about became, and, for a Chinese question answered from
// English-only text, that the official text is English.
func sectionsAnswer(r Reply, lib *knowledge.Library, p *knowledge.Profile, pl plan) Reply {
	also, full := pl.Also, pl.Full
	r.Blocks = append(r.Blocks, provenance(r.Lang, lib, p, pl.Asked)...)
	topics := pl.Topics
	for i, part := range append([]intents.Intent{r.Intent}, also...) {
		if part == intents.OutOfScope {
			tp := noTopic
			if len(topics) > 0 {
				tp, topics = topics[0], topics[1:]
			}
			r.Blocks = append(r.Blocks, notCoveredLine(r.Lang, tp))
			continue
		}
		next := section(Reply{Lang: r.Lang}, lib, part, p, full && i == 0)
		r.Blocks = append(r.Blocks, next.Blocks...)
		r.Buttons = next.Buttons
	}
	if r.Intent != intents.Source && !slices.Contains(also, intents.Source) {
		r.Blocks = append(r.Blocks, sourceLine(r.Lang, p)) // the source section says it in full
	}
	if len(also) == 0 {
		return r
	}
	isAnswered := func(b Button) bool {
		return b.Data == intentData(p.Code, r.Intent) ||
			slices.ContainsFunc(also, func(a intents.Intent) bool { return b.Data == intentData(p.Code, a) })
	}
	r.Buttons = slices.DeleteFunc(r.Buttons, isAnswered)
	if len(r.Buttons) == 0 {
		r = withNext(r, intents.Help, p)
		r.Buttons = slices.DeleteFunc(r.Buttons, isAnswered)
	}
	return r
}

// provenance is what a section answer says before the profile's words:
// what an old code became (1253 → 12112, part to 12111, in the
// correspondence's own note), the current code of a NOC 2011 profile, and
// that NOC 2021 text is English when the question is Chinese.
func provenance(lang knowledge.Lang, lib *knowledge.Library, p *knowledge.Profile, asked string) []Block {
	var out []Block
	if asked != "" {
		out = append(out, paragraph(became(lang, lib, asked)))
	}
	if !p.IsNOC2021() {
		if c, ok := lib.Counterpart(p.Code); ok {
			out = append(out, paragraph(tr(lang,
				fmt.Sprintf("This is the NOC 2011 profile %s; in NOC 2021, the classification in force, it is %s (TEER %d).", p.Code, c.Code, c.TEER),
				fmt.Sprintf("以下是 NOC 2011 职业档案 %s；在现行的 NOC 2021 中，它是 %s（TEER %d）。", p.Code, c.Code, c.TEER))))
		}
	}
	if lang == knowledge.ZH && !p.Lead.Has(knowledge.ZH) {
		out = append(out, paragraph("NOC 2021 官方文本只有英文（和法文），以下引用英文原文；职业名称的中文为本项目自译，并非官方译名。"))
	}
	return out
}

// currentCode says a profile's code in the classification in force and
// its TEER: "NOC 2021 12111, TEER 2: usually …".
func currentCode(lang knowledge.Lang, lib *knowledge.Library, p *knowledge.Profile) string {
	cur := p
	if !p.IsNOC2021() {
		c, ok := lib.Counterpart(p.Code)
		if !ok {
			return tr(lang, "NOC "+p.Code+" is a NOC 2011 code.", "NOC "+p.Code+" 是 NOC 2011 代码。")
		}
		cur = c
	}
	return tr(lang,
		fmt.Sprintf("In NOC 2021, the classification in force: %s, TEER %d (%s).", cur.Code, cur.TEER, teerMeaning(lang, cur.TEER)),
		fmt.Sprintf("现行 NOC 2021 代码：%s，TEER %d（%s）。", cur.Code, cur.TEER, teerMeaning(lang, cur.TEER)))
}

// became says what an old NOC 2011/2016 code became in NOC 2021, with
// the correspondence's own note, and that NOC 2021 uses the same four
// digits for a minor group where it does (1211).
func became(lang knowledge.Lang, lib *knowledge.Library, code string) string {
	var codes []string
	note := ""
	for _, l := range lib.Successors(code) {
		name := l.NOC2021Title
		if p, ok := lib.Profile(l.NOC2021Code); ok {
			name = p.Title.In(lang)
		}
		codes = append(codes, l.NOC2021Code+" "+name)
		if l.Notes != "" {
			note = l.Notes
		}
	}
	s := tr(lang,
		fmt.Sprintf("NOC %s (NOC 2011/2016) became %s in NOC 2021.", code, joinList(lang, codes)),
		fmt.Sprintf("NOC %s（NOC 2011/2016）在 NOC 2021 中对应 %s。", code, joinList(lang, codes)))
	if note != "" {
		s += tr(lang, " The official correspondence notes: “"+note+"”.", "官方对照表注明（英文）：“"+note+"”。")
	}
	if g, ok := lib.Group(code); ok && g.Level == knowledge.MinorGroup {
		s += tr(lang,
			fmt.Sprintf(" (In NOC 2021, %s is also the code of the minor group %s.)", code, g.Title.EN),
			fmt.Sprintf("（在 NOC 2021 中，%s 也是细类“%s”的代码。）", code, g.Title.In(lang)))
	}
	return s
}

// joinList joins items as a sentence lists them: "a, b and c", "a、b和c".
func joinList(lang knowledge.Lang, items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	last := len(items) - 1
	return tr(lang, strings.Join(items[:last], ", ")+" and "+items[last], strings.Join(items[:last], "、")+"和"+items[last])
}

// sourceLine names the source of a section answer and carries the
// attribution its licence asks for.
func sourceLine(lang knowledge.Lang, p *knowledge.Profile) Block {
	if p.IsNOC2021() {
		return paragraph(tr(lang,
			"Source: Statistics Canada, National Occupational Classification (NOC) 2021 Version 1.0.",
			"来源：加拿大统计局，《国家职业分类》（NOC）2021 第1.0版。"))
	}
	return paragraph(tr(lang, "Source: FLYabroad bilingual NOC 2011 profile.", "来源：FLYabroad 中英对照 NOC 2011 职业档案。"))
}

// teerMeaning is what each TEER category usually asks for.
func teerMeaning(lang knowledge.Lang, teer int) string {
	switch teer {
	case 0:
		return tr(lang, "management occupations", "管理类职业")
	case 1:
		return tr(lang, "usually a university degree", "通常需要大学学位")
	case 2:
		return tr(lang, "usually a college or apprenticeship programme of two or more years, or supervisory or safety-related roles",
			"通常需要两年或以上的大专或学徒培训，或属于主管、安全相关职位")
	case 3:
		return tr(lang, "usually a college or apprenticeship programme of less than two years, or more than six months of on-the-job training",
			"通常需要不到两年的大专或学徒培训，或六个月以上的在职培训")
	case 4:
		return tr(lang, "usually a secondary school diploma, or several weeks of on-the-job training", "通常需要高中文凭，或数周的在职培训")
	case 5:
		return tr(lang, "usually short-term work demonstration and no formal education", "通常只需短期工作示范，无正式学历要求")
	}
	return ""
}

// teerAnswer gives a NOC 2021 group's code and TEER with what the TEER
// means, and what the old code the question named became.
func teerAnswer(r Reply, lib *knowledge.Library, p *knowledge.Profile, asked string) Reply {
	lang := r.Lang
	if asked != "" {
		r.Blocks = append(r.Blocks, paragraph(became(lang, lib, asked)))
	}
	cur := p
	if !p.IsNOC2021() {
		if c, ok := lib.Counterpart(p.Code); ok {
			cur = c
		} else if next := lib.Current(p.Code); len(next) > 0 {
			// Split in NOC 2021: each successor has its own TEER.
			var items []string
			for _, q := range next {
				items = append(items, occupation(lang, q)+tr(lang, ": ", "：")+teerMeaning(lang, q.TEER))
			}
			r.Blocks = append(r.Blocks, paragraph(tr(lang,
				"NOC 2011 has no TEER categories. Its successors in NOC 2021:", "NOC 2011 没有 TEER 分类。它在 NOC 2021 中的后继职业：")),
				Block{Kind: List, Items: items})
			return withNext(r, intents.Help, p)
		}
	}
	if !cur.HasTEER {
		r.Blocks = append(r.Blocks, paragraph(tr(lang,
			fmt.Sprintf("%s is a NOC 2011 profile; NOC 2011 has no TEER categories.", occupation(lang, p)),
			fmt.Sprintf("%s是 NOC 2011 职业档案；NOC 2011 没有 TEER 分类。", occupation(lang, p)))))
		return withNext(r, intents.Help, p)
	}
	r.Blocks = append(r.Blocks, Block{Kind: Heading, Text: occupation(lang, cur)}, paragraph(tr(lang,
		fmt.Sprintf("NOC 2021 code: %s. TEER %d: %s.", cur.Code, cur.TEER, teerMeaning(lang, cur.TEER)),
		fmt.Sprintf("NOC 2021 代码：%s。TEER %d：%s。", cur.Code, cur.TEER, teerMeaning(lang, cur.TEER)))))
	var old []string
	for _, l := range lib.Predecessors(cur.Code) {
		code := l.NOC2016Code
		if len(lib.Successors(code)) > 1 {
			code += tr(lang, " (in part)", "（部分）")
		}
		old = append(old, code)
	}
	if len(old) > 0 && asked == "" {
		r.Blocks = append(r.Blocks, paragraph(tr(lang,
			"It comes from NOC 2011/2016 "+strings.Join(old, ", ")+".", "它来自 NOC 2011/2016 的 "+strings.Join(old, "、")+"。")))
	}
	r.Blocks = append(r.Blocks, paragraph(tr(lang,
		"TEER (training, education, experience and responsibilities) is the second digit of a NOC 2021 code.",
		"TEER（培训、教育、经验和职责）是 NOC 2021 代码的第二位数字。")), sourceLine(lang, cur))
	return withNext(r, intents.Help, p)
}

// teerCategoryAnswer explains one TEER category.
func teerCategoryAnswer(r Reply, n int, about *knowledge.Profile) Reply {
	lang := r.Lang
	r.Blocks = []Block{paragraph(tr(lang,
		fmt.Sprintf("TEER %d: %s.", n, teerMeaning(lang, n)),
		fmt.Sprintf("TEER %d：%s。", n, teerMeaning(lang, n)))), paragraph(tr(lang,
		"TEER (training, education, experience and responsibilities) is the second digit of a NOC 2021 code: 0 for management, then 1 to 5 from the most to the least formal training.",
		"TEER（培训、教育、经验和职责）是 NOC 2021 代码的第二位数字：0 为管理类，1 到 5 表示所需正式培训由多到少。"))}
	return withNextIf(r, intents.Help, about)
}

// chooseTitleAnswer says a title is one in several unit groups and offers
// each as a button answering the question.
func chooseTitleAnswer(r Reply, lib *knowledge.Library, m knowledge.TitleMatch, choices []knowledge.TitleMatch, also []intents.Intent) Reply {
	lang := r.Lang
	r.Blocks = []Block{paragraph(tr(lang,
		fmt.Sprintf("“%s” is a job title in %d unit groups. Which one do you mean?", m.Title.In(lang), len(choices)),
		fmt.Sprintf("“%s”在 %d 个职业类别中都有。你问的是哪一个？", m.Title.In(lang), len(choices))))}
	target := r.Intent
	if target == intents.Lookup {
		target = intents.Description
	}
	for _, c := range choices {
		if p, ok := lib.Profile(c.Code); ok {
			b := profileButton(lang, p, target)
			b.Data = intentData(p.Code, append([]intents.Intent{target}, also...)...)
			r.Buttons = append(r.Buttons, b)
		}
	}
	return r
}

// section adds to r a section of a profile, in the profile's own words,
// and the follow-ups most people ask after it. full asks for the long form
// where there is one (all titles).
func section(r Reply, lib *knowledge.Library, in intents.Intent, p *knowledge.Profile, full bool) Reply {
	lang := r.Lang
	add := func(b ...Block) { r.Blocks = append(r.Blocks, b...) }
	head := func(en, zh string) { add(Block{Kind: Heading, Text: tr(lang, en, zh) + " — " + occupation(lang, p)}) }
	headSection := func(sec facts.Section) {
		add(Block{Kind: Heading, Text: sectionName(lang, sec, p) + " — " + occupation(lang, p)})
	}
	switch in {
	case intents.Description:
		add(Block{Kind: Heading, Text: occupation(lang, p)}, Block{Kind: Paragraph, Text: p.Lead.In(lang)})
	case intents.Duties:
		headSection(facts.Duties)
		if intro := p.DutiesIntro.In(lang); intro != "" {
			add(Block{Kind: Paragraph, Text: intro})
		}
		add(listBlocks(lang, p.Duties)...)
	case intents.Requirements:
		headSection(facts.Requirements)
		add(listBlocks(lang, p.Requirements)...)
	case intents.Advancement:
		head("Advancement", "晋升与发展")
		if len(p.Additional) == 0 {
			add(Block{Kind: Paragraph, Text: tr(lang,
				"The profile says nothing about advancement in this occupation.",
				"该职业档案没有关于晋升的信息。")})
		} else {
			add(Block{Kind: List, Items: texts(lang, p.Additional)})
		}
	case intents.Titles:
		if full || len(p.ExampleTitles) == 0 {
			head(fmt.Sprintf("All %d titles", len(p.AllTitles)), fmt.Sprintf("全部%d个职称", len(p.AllTitles)))
			add(Block{Kind: List, Items: titleTexts(lang, p.AllTitles)})
		} else {
			headSection(facts.ExampleTitles)
			add(Block{Kind: List, Items: titleTexts(lang, p.ExampleTitles)})
			if extra := len(p.AllTitles); extra > len(p.ExampleTitles) {
				add(Block{Kind: Paragraph, Text: tr(lang,
					fmt.Sprintf("The profile lists %d titles in all: ask for “all titles” or “tell me more”.", extra),
					fmt.Sprintf("档案中共列出%d个职称，可以问“全部职称”或“详细一点”。", extra))})
				r.Buttons = append(r.Buttons, allTitlesButton(lang, p.Code))
			}
		}
	case intents.Related:
		head("Classified elsewhere", "其他分类")
		if len(p.Elsewhere) == 0 {
			add(Block{Kind: Paragraph, Text: tr(lang,
				"The profile lists no related occupations classified elsewhere.",
				"该职业档案没有列出其他分类的相关职业。")})
		} else {
			add(Block{Kind: Paragraph, Text: tr(lang,
				"These jobs look similar but belong to other unit groups:",
				"以下职业看起来相近，但属于其他职业类别：")})
			add(Block{Kind: List, Items: crossRefTexts(lang, p.Elsewhere)})
		}
		if n := lib.Neighbours(p.Code); len(n) > 0 {
			minor, _ := lib.Group(p.Code[:4])
			add(Block{Kind: Paragraph, Text: tr(lang,
				fmt.Sprintf("Other occupations in the same minor group, %s %s:", minor.Code, minor.Title.EN),
				fmt.Sprintf("同一细类（%s %s）中的其他职业：", minor.Code, minor.Title.In(lang)))})
			var items []string
			for _, q := range n[:min(len(n), maxListedProfiles)] {
				items = append(items, occupation(lang, q))
			}
			add(Block{Kind: List, Items: items})
		}
	case intents.Source:
		head("Source", "信息来源")
		if p.IsNOC2021() {
			for _, a := range p.Attribution {
				add(Block{Kind: Paragraph, Text: a})
			}
			add(Block{Kind: Link, Text: tr(lang,
				fmt.Sprintf("NOC 2021 Version 1.0, unit group %s, Statistics Canada", p.Code),
				fmt.Sprintf("加拿大统计局 NOC 2021 第1.0版，职业类别 %s", p.Code)), URL: p.Source})
			if p.TitleZHProject {
				add(Block{Kind: Paragraph, Text: tr(lang,
					"Chinese names of occupations are nocbot's own translations, not official ones.",
					"职业的中文名称为本项目自译，并非官方译名。")})
			}
		} else {
			add(Block{Kind: Link, Text: tr(lang,
				fmt.Sprintf("NOC 2011 unit group %s, Government of Canada", p.Code),
				fmt.Sprintf("加拿大政府 NOC 2011 职业类别 %s", p.Code)), URL: p.Source})
		}
	default:
		return section(r, lib, intents.Description, p, full)
	}
	return withNext(r, in, p)
}

// chooseAnswer asks which profile a question is about, offering each as a
// button that answers the question; a compound question's further
// sections ride along in the buttons: "i:description+requirements:1253".
func chooseAnswer(r Reply, lib *knowledge.Library, also []intents.Intent) Reply {
	lang := r.Lang
	r.Blocks = []Block{paragraph(tr(lang, "Which occupation do you mean?", "你问的是哪个职业？"))}
	for _, p := range offered(lib) {
		if len(r.Buttons) == maxChoiceButtons {
			break
		}
		b := profileButton(lang, p, r.Intent)
		b.Data = intentData(p.Code, append([]intents.Intent{r.Intent}, also...)...)
		r.Buttons = append(r.Buttons, b)
	}
	if len(r.Buttons) < len(lib.Profiles()) {
		r.Blocks = append(r.Blocks, paragraph(tr(lang,
			"Name it: a NOC code (21232, or an old one such as 1252) or a job title (welder, registered nurse, 护士).",
			"请直接输入 NOC 代码（如 21232，或旧代码如 1252）或职位名称（如 焊工、护士、welder）。")))
	}
	return r
}

func countNOC2021(all []knowledge.Profile) int {
	n := 0
	for i := range all {
		if all[i].IsNOC2021() {
			n++
		}
	}
	return n
}

// offered are the profiles a reply offers as buttons when it cannot know
// which one is meant: all of them in a small library; in a large one only
// the bilingual (FLYabroad) ones, the deployment's own, instead of the
// first few hundred groups by code.
func offered(lib *knowledge.Library) []*knowledge.Profile {
	all := lib.Profiles()
	var out []*knowledge.Profile
	for i := range all {
		if len(all) <= maxChoiceButtons || !all[i].IsNOC2021() {
			out = append(out, &all[i])
		}
	}
	return out
}

const maxChoiceButtons = 10

// lookupAnswer says which unit group the title m belongs to.
func lookupAnswer(r Reply, lib *knowledge.Library, m knowledge.TitleMatch) Reply {
	lang := r.Lang
	title := m.Title.In(lang)
	listing, _ := lib.Profile(m.Listed)
	target, haveTarget := lib.Profile(m.Code)
	switch {
	case m.Kind == knowledge.KindGroup:
		r.Blocks = []Block{paragraph(tr(lang,
			fmt.Sprintf("%s is NOC unit group %s.", m.Title.EN, m.Code),
			fmt.Sprintf("%s 是 NOC 职业类别 %s。", m.Title.ZH, m.Code)))}
	case m.Elsewhere():
		group := ""
		for _, ref := range listing.Elsewhere {
			if ref.Code == m.Code && ref.Title == m.Title {
				group = ref.Group.In(lang)
			}
		}
		r.Blocks = []Block{paragraph(tr(lang,
			fmt.Sprintf("“%s” is not in %s: the profile classifies it elsewhere, in NOC %s%s.", title, occupation(lang, listing), m.Code, prefixed(" ", group)),
			fmt.Sprintf("“%s”不属于%s：档案把它归入其他类别，即 NOC %s%s。", title, occupation(lang, listing), m.Code, prefixed(" ", group))))}
	case !haveTarget:
		r.Blocks = []Block{paragraph(tr(lang,
			fmt.Sprintf("“%s” is a job title in NOC %s.", title, m.Code),
			fmt.Sprintf("“%s”属于 NOC %s。", title, m.Code)))}
	case m.Fuzzy:
		r.Blocks = []Block{paragraph(tr(lang,
			fmt.Sprintf("I do not know that title as written; the closest is “%s”, a job title in NOC %s, %s.", title, m.Code, target.Title.EN),
			fmt.Sprintf("没有找到完全一致的职称；最接近的是“%s”，属于 NOC %s，%s。", title, m.Code, target.Title.In(lang))))}
	default:
		r.Blocks = []Block{paragraph(tr(lang,
			fmt.Sprintf("“%s” is a job title in NOC %s, %s.", title, m.Code, target.Title.EN),
			fmt.Sprintf("“%s”属于 NOC %s，%s。", title, m.Code, target.Title.In(lang))))}
	}
	if haveTarget {
		r.Blocks = append(r.Blocks, paragraph(currentCode(lang, lib, target)), sourceLine(lang, target))
	}
	switch {
	case haveTarget:
		r = withNext(r, intents.Lookup, target)
	case listing != nil:
		// No profile of the group it belongs to: offer the one that named it.
		r = withNext(r, intents.Related, listing)
	}
	return r
}

// noSuchTitleAnswer says no profile lists the title a lookup asked for;
// it never guesses, but offers titles of similar words, or the profiles
// there are.
func noSuchTitleAnswer(r Reply, lib *knowledge.Library, similar []knowledge.TitleMatch) Reply {
	lang := r.Lang
	r.Blocks = []Block{paragraph(tr(lang,
		"None of the occupation profiles I have lists that job title, so I cannot tell its NOC code.",
		"我掌握的职业档案中没有列出这个职位名称，所以无法告诉你它的NOC代码。"))}
	if s, ok := withSuggestions(r, lib, similar); ok {
		return s
	}
	r.Blocks = append(r.Blocks, profileList(lang, lib)...)
	for i := range lib.Profiles() {
		if i == 4 {
			break
		}
		r.Buttons = append(r.Buttons, profileButton(lang, &lib.Profiles()[i], intents.Titles))
	}
	return r
}

// unknownOccupationAnswer says no profile covers the occupation a
// question names, and offers the titles that name it, or else the
// profiles there are.
func unknownOccupationAnswer(r Reply, lib *knowledge.Library, occupationWord string, named []knowledge.TitleMatch, offer intents.Intent) Reply {
	lang := r.Lang
	r.Blocks = []Block{paragraph(tr(lang,
		fmt.Sprintf("None of the occupation profiles I have is about “%s”, so I cannot answer that for it.", occupationWord),
		fmt.Sprintf("我掌握的职业档案中没有关于“%s”的，所以无法就它回答。", occupationWord)))}
	if s, ok := withSuggestions(r, lib, named); ok {
		return s
	}
	r.Blocks = append(r.Blocks, profileList(lang, lib)...)
	return withProfileButtons(r, lib, offer)
}

func unknownCodeAnswer(r Reply, lib *knowledge.Library, code string, offer intents.Intent, about *knowledge.Profile) Reply {
	lang := r.Lang
	r.Blocks = []Block{paragraph(tr(lang,
		fmt.Sprintf("I have no profile for NOC %s.", code),
		fmt.Sprintf("我没有 NOC %s 的职业档案。", code)))}
	if g, ok := lib.Group(code); ok && g.Level != knowledge.UnitGroup {
		// A broad category, major, sub-major or minor group, not an
		// occupation: say what it is, and offer its occupations.
		r.Blocks[0].Text = tr(lang,
			fmt.Sprintf("NOC 2021 %s is a group of occupations, %s, not a single occupation.", code, g.Title.EN),
			fmt.Sprintf("NOC 2021 %s 是一组职业（%s），不是单个职业。", code, g.Title.In(lang)))
		for _, p := range lib.Members(code) {
			if len(r.Buttons) == maxChoiceButtons {
				break
			}
			r.Buttons = append(r.Buttons, profileButton(lang, p, offer))
		}
		return r
	} else if group := groupName(lib, lang, code); group != "" {
		r.Blocks[0].Text += " " + tr(lang, "It is "+group+".", "它是"+group+"。")
	}
	if len(lib.Profiles()) > maxListedProfiles {
		r.Blocks[0].Text += tr(lang, " NOC 2021 codes have five digits (12111); NOC 2011/2016 codes four (1252).",
			"NOC 2021 代码为五位数（如 12111），NOC 2011/2016 代码为四位数（如 1252）。")
		return withNextIf(r, intents.Help, about)
	}
	return withProfileButtons(r, lib, offer)
}

// groupName is the name the profiles give a unit group they only mention
// as classified elsewhere, "" when none does.
func groupName(lib *knowledge.Library, lang knowledge.Lang, code string) string {
	for _, p := range lib.Profiles() {
		for _, ref := range p.Elsewhere {
			if ref.Code == code && ref.Group.In(lang) != "" {
				return ref.Group.In(lang)
			}
		}
	}
	return ""
}

// outOfScopeAnswer says honestly that the profiles do not answer the
// question, naming the topic where it is a known one, and what they do
// answer.
func outOfScopeAnswer(r Reply, tp topic, p *knowledge.Profile) Reply {
	lang := r.Lang
	about := tr(lang, "these occupations", "这些职业")
	if p != nil {
		about = occupation(lang, p)
	}
	if topic := topicName(lang, tp); topic != "" {
		r.Blocks = []Block{paragraph(tr(lang,
			fmt.Sprintf("The profile of %s does not cover %s, so I cannot answer that honestly.", about, topic),
			fmt.Sprintf("%s的职业档案不包含%s方面的信息，所以我无法如实回答。", about, topic)))}
	} else {
		r.Blocks = []Block{paragraph(tr(lang,
			"That is not something the occupation profiles answer.",
			"这个问题不在职业档案的范围内。"))}
	}
	r.Blocks = append(r.Blocks, paragraph(tr(lang,
		"I can tell you what the occupation is, its main duties, education and certification, advancement, job titles, related occupations and the source.",
		"我可以回答：职业概况、主要职责、学历和证书要求、晋升发展、职称头衔、相关职业以及信息来源。")))
	return withNextIf(r, intents.OutOfScope, p)
}

// topicName words a topic the profiles do not cover, "" for none.
func topicName(lang knowledge.Lang, tp topic) string {
	switch tp {
	case topicPay:
		return tr(lang, "salary and pay", "薪资待遇")
	case topicImmigration:
		return tr(lang, "immigration", "移民")
	case topicOutlook:
		return tr(lang, "job outlook and openings", "就业前景和招聘")
	case topicConditions:
		return tr(lang, "working hours and conditions", "工作时间和工作条件")
	}
	return ""
}

// tr picks the wording for the reply language. Keeping both wordings at
// the place they are used keeps the two languages in step.
func tr(lang knowledge.Lang, en, zh string) string {
	if lang == knowledge.ZH {
		return zh
	}
	return en
}

// occupation names a profile the way every section answer starts, with
// its classification: "Health information management occupations (NOC
// 2021 12111, TEER 2)"; a FLYabroad profile keeps its NOC 2011 code.
func occupation(lang knowledge.Lang, p *knowledge.Profile) string {
	if p.IsNOC2021() {
		return tr(lang, fmt.Sprintf("%s (NOC 2021 %s, TEER %d)", p.Title.EN, p.Code, p.TEER),
			fmt.Sprintf("%s（NOC 2021 %s，TEER %d）", p.Title.In(lang), p.Code, p.TEER))
	}
	return tr(lang, fmt.Sprintf("%s (NOC %s)", p.Title.EN, p.Code), fmt.Sprintf("%s（NOC %s）", p.Title.In(lang), p.Code))
}

func intentButton(lang knowledge.Lang, in intents.Intent, code string) Button {
	return Button{Label: intentLabel(lang, in), Data: intentData(code, in)}
}

func allTitlesButton(lang knowledge.Lang, code string) Button {
	return Button{Label: tr(lang, "All titles", "全部职称"), Data: allTitlesData(code)}
}

func profileButton(lang knowledge.Lang, p *knowledge.Profile, in intents.Intent) Button {
	label := fmt.Sprintf("%s %s", p.Code, p.Title.In(lang))
	return Button{Label: truncateRunes(label, 60), Data: intentData(p.Code, in)}
}

func intentLabel(lang knowledge.Lang, in intents.Intent) string {
	switch in {
	case intents.Description:
		return tr(lang, "Overview", "职业概况")
	case intents.Duties:
		return tr(lang, "Duties", "主要职责")
	case intents.Requirements:
		return tr(lang, "Education", "任职要求")
	case intents.Advancement:
		return tr(lang, "Advancement", "晋升发展")
	case intents.Titles:
		return tr(lang, "Job titles", "职称头衔")
	case intents.Related:
		return tr(lang, "Related jobs", "相关职业")
	case intents.Source:
		return tr(lang, "Source", "信息来源")
	case intents.Help:
		return tr(lang, "Help", "帮助")
	}
	return string(in)
}

// nextQuestions are the follow-ups most people ask after each answer.
func nextQuestions(in intents.Intent) []intents.Intent {
	switch in {
	case intents.Description:
		return []intents.Intent{intents.Duties, intents.Requirements, intents.Advancement}
	case intents.Duties:
		return []intents.Intent{intents.Requirements, intents.Advancement, intents.Titles}
	case intents.Requirements:
		return []intents.Intent{intents.Advancement, intents.Duties, intents.Related}
	case intents.Advancement:
		return []intents.Intent{intents.Requirements, intents.Related, intents.Titles}
	case intents.Titles:
		return []intents.Intent{intents.Duties, intents.Related}
	case intents.Related:
		return []intents.Intent{intents.Titles, intents.Duties}
	case intents.Source:
		return []intents.Intent{intents.Description, intents.Duties}
	}
	return []intents.Intent{intents.Description, intents.Duties, intents.Requirements}
}

func withNext(r Reply, in intents.Intent, p *knowledge.Profile) Reply {
	for _, next := range nextQuestions(in) {
		r.Buttons = append(r.Buttons, intentButton(r.Lang, next, p.Code))
	}
	return r
}

// withNextIf offers the follow-ups of in about p, when there is a p.
func withNextIf(r Reply, in intents.Intent, p *knowledge.Profile) Reply {
	if p == nil {
		return r
	}
	return withNext(r, in, p)
}

// withProfileButtons offers the known profiles as buttons answering
// target, unless the reply offers something already.
func withProfileButtons(r Reply, lib *knowledge.Library, target intents.Intent) Reply {
	if len(r.Buttons) > 0 {
		return r
	}
	for _, p := range offered(lib) {
		if len(r.Buttons) == maxChoiceButtons {
			break
		}
		r.Buttons = append(r.Buttons, profileButton(r.Lang, p, target))
	}
	return r
}

// Bounds on what a reply lists, so that a library of hundreds of profiles
// still gives a message people read.
const (
	maxListedProfiles = 10
	maxSuggestions    = 5
	maxSuggestButtons = 4
)

// profileList names the profiles there are, the first maxListedProfiles
// of them.
func profileList(lang knowledge.Lang, lib *knowledge.Library) []Block {
	all := lib.Profiles()
	if n := countNOC2021(all); n > maxListedProfiles {
		// Every NOC 2021 group: say so, and list the bilingual profiles.
		blocks := []Block{paragraph(tr(lang,
			fmt.Sprintf("I know all %d unit groups of NOC 2021: name one by its code (72106) or a job title (welder, registered nurse).", n),
			fmt.Sprintf("我掌握 NOC 2021 全部 %d 个职业类别：输入代码（如 72106）或职位名称（如 焊工、护士）即可。", n)))}
		var items []string
		for _, p := range offered(lib) {
			items = append(items, occupation(lang, p))
		}
		if len(items) > 0 {
			blocks = append(blocks, paragraph(tr(lang, "With a bilingual (Chinese and English) profile:", "有中英对照职业档案的：")),
				Block{Kind: List, Items: items[:min(len(items), maxListedProfiles)]})
		}
		return blocks
	}
	var items []string
	for i := range all[:min(len(all), maxListedProfiles)] {
		items = append(items, occupation(lang, &all[i]))
	}
	blocks := []Block{
		{Kind: Paragraph, Text: tr(lang, "The profiles I have:", "我目前有这些职业档案：")},
		{Kind: List, Items: items},
	}
	if more := len(all) - len(items); more > 0 {
		blocks = append(blocks, Block{Kind: Paragraph, Text: tr(lang,
			fmt.Sprintf("…and %d more: name one by its NOC code or a job title.", more),
			fmt.Sprintf("……还有 %d 个：可以输入 NOC 代码或职位名称。", more))})
	}
	return blocks
}

// withSuggestions adds to r the job titles a question may have meant
// (lib.SuggestTitles: "medical coder" → the coder titles), with a button
// for each profile they belong to in place of r's; false when there are
// none.
func withSuggestions(r Reply, lib *knowledge.Library, matches []knowledge.TitleMatch) (Reply, bool) {
	if len(matches) == 0 {
		return r, false
	}
	lang := r.Lang
	r.Buttons = nil
	var items []string
	seen := map[string]bool{}
	for _, m := range matches {
		title := m.Title.In(lang)
		if title == "" {
			title = m.Title.EN
		}
		items = append(items, fmt.Sprintf("%s — NOC %s", title, m.Code))
		if p, ok := lib.Profile(m.Code); ok && !seen[m.Code] && len(r.Buttons) < maxSuggestButtons {
			seen[m.Code] = true
			r.Buttons = append(r.Buttons, profileButton(lang, p, intents.Description))
		}
	}
	r.Blocks = append(r.Blocks,
		Block{Kind: Paragraph, Text: tr(lang, "Job titles with similar words:", "含有相近字词的职称：")},
		Block{Kind: List, Items: items})
	return r, true
}

// listBlocks shows a list of a profile's items; role sub-headings
// (NOC 2021 duties by role) start a new list under a line of their own.
func listBlocks(lang knowledge.Lang, items []knowledge.Text) []Block {
	var out []Block
	for _, t := range items {
		text := oneSpaced(t.In(lang))
		switch {
		case t.Heading:
			out = append(out, Block{Kind: Paragraph, Text: text + tr(lang, ":", "：")})
		case len(out) > 0 && out[len(out)-1].Kind == List:
			out[len(out)-1].Items = append(out[len(out)-1].Items, text)
		default:
			out = append(out, Block{Kind: List, Items: []string{text}})
		}
	}
	return out
}

// oneSpaced collapses the runs of spaces some official rows hold ("program
// or A combination" where two alternatives were merged): the words stay
// as published.
func oneSpaced(s string) string {
	if !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func texts(lang knowledge.Lang, ts []knowledge.Text) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.In(lang)
	}
	return out
}

// titleTexts shows titles in Chinese with the English original beside them:
// job ads and forms in Canada use the English title.
func titleTexts(lang knowledge.Lang, ts []knowledge.Text) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		if lang == knowledge.ZH && t.Has(knowledge.ZH) {
			out[i] = t.ZH + "（" + t.EN + "）"
		} else {
			out[i] = t.EN
		}
	}
	return out
}

func crossRefTexts(lang knowledge.Lang, refs []knowledge.CrossRef) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		s := r.Title.In(lang) + " — NOC " + r.Code
		if g := r.Group.In(lang); g != "" {
			s += " " + g
		}
		out[i] = s
	}
	return out
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// ProfileReply is a whole profile, every section in order, for reading in
// full (nocbot profile, or a platform's "whole profile" request).
func ProfileReply(lang knowledge.Lang, p *knowledge.Profile) Reply {
	r := Reply{Lang: lang, Intent: intents.Description, Answered: true}
	add := func(b ...Block) { r.Blocks = append(r.Blocks, b...) }
	head := func(en, zh string) { add(Block{Kind: Heading, Text: tr(lang, en, zh)}) }
	// Sections are headed as a quote from them names them (sectionName).
	headSection := func(sec facts.Section) { add(Block{Kind: Heading, Text: sectionName(lang, sec, p)}) }
	add(Block{Kind: Heading, Text: occupation(lang, p)})
	if len(p.Hierarchy) > 0 {
		var path []string
		for _, g := range p.Hierarchy {
			path = append(path, g.Code+" "+g.Title.In(lang))
		}
		add(paragraph(strings.Join(path, " › ")))
	}
	if p.HasTEER {
		add(paragraph(fmt.Sprintf("TEER %d: %s", p.TEER, teerMeaning(lang, p.TEER))))
	}
	if lang == knowledge.ZH && !p.Lead.Has(knowledge.ZH) {
		add(paragraph("NOC 2021 官方文本只有英文（和法文），以下引用英文原文；职业名称的中文为本项目自译，并非官方译名。"))
	}
	add(Block{Kind: Paragraph, Text: p.Lead.In(lang)})
	headSection(facts.ExampleTitles)
	add(Block{Kind: List, Items: titleTexts(lang, p.ExampleTitles)})
	if len(p.Inclusions) > 0 {
		headSection(facts.Inclusions)
		add(Block{Kind: List, Items: texts(lang, p.Inclusions)})
	}
	headSection(facts.Duties)
	if intro := p.DutiesIntro.In(lang); intro != "" {
		add(Block{Kind: Paragraph, Text: intro})
	}
	add(listBlocks(lang, p.Duties)...)
	headSection(facts.Requirements)
	add(listBlocks(lang, p.Requirements)...)
	if len(p.Additional) > 0 {
		headSection(facts.Additional)
		add(Block{Kind: List, Items: texts(lang, p.Additional)})
	}
	if len(p.Elsewhere) > 0 {
		head("Classified elsewhere", "其他分类")
		add(Block{Kind: List, Items: crossRefTexts(lang, p.Elsewhere)})
	}
	headSection(facts.AllTitles)
	add(Block{Kind: List, Items: titleTexts(lang, p.AllTitles)})
	head("Source", "信息来源")
	for _, a := range p.Attribution {
		add(paragraph(a))
	}
	add(Block{Kind: Link, Text: tr(lang, "Official profile", "官方职业档案"), URL: p.Source})
	return r
}
