package bot

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

// tr picks the wording for the reply language. Keeping both wordings at
// the place they are used keeps the two languages in step.
func tr(lang knowledge.Lang, en, zh string) string {
	if lang == knowledge.ZH {
		return zh
	}
	return en
}

// occupation names a profile the way every section answer starts.
func occupation(lang knowledge.Lang, p *knowledge.Profile) string {
	return tr(lang, fmt.Sprintf("%s (NOC %s)", p.Title.EN, p.Code), fmt.Sprintf("%s（NOC %s）", p.Title.ZH, p.Code))
}

// Button data: what a press asks for. "i:<intent>:<code>" answers an intent
// about a profile, "lang:<lang>" switches language, "all:<code>" lists all
// titles.
func intentButton(lang knowledge.Lang, in intents.Intent, code string) Button {
	return Button{Label: intentLabel(lang, in), Data: intentData(code, in)}
}

// intentData is the button data that answers intents about a profile:
// "i:duties:1252", or for a compound question
// "i:description+requirements:1253" (at most intents.MaxSections, well
// under MaxButtonData).
func intentData(code string, ins ...intents.Intent) string {
	var b strings.Builder
	b.WriteString("i:")
	for i, in := range ins {
		if i > 0 {
			b.WriteByte('+')
		}
		b.WriteString(string(in))
	}
	b.WriteString(":" + code)
	return b.String()
}

func allTitlesButton(lang knowledge.Lang, code string) Button {
	return Button{Label: tr(lang, "All titles", "全部职称"), Data: "all:" + code}
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

// section answers a section intent from a profile, in the profile's own
// words. full asks for the long form where there is one (all titles).
func section(lang knowledge.Lang, in intents.Intent, p *knowledge.Profile, full bool) Reply {
	r := Reply{Lang: lang, Intent: in, Answered: true}
	add := func(b ...Block) { r.Blocks = append(r.Blocks, b...) }
	head := func(en, zh string) { add(Block{Kind: Heading, Text: tr(lang, en, zh) + " — " + occupation(lang, p)}) }
	switch in {
	case intents.Description:
		add(Block{Kind: Heading, Text: occupation(lang, p)}, Block{Kind: Paragraph, Text: p.Lead.In(lang)})
	case intents.Duties:
		head("Main duties", "主要职责")
		if intro := p.DutiesIntro.In(lang); intro != "" {
			add(Block{Kind: Paragraph, Text: intro})
		}
		add(Block{Kind: List, Items: texts(lang, p.Duties)})
	case intents.Requirements:
		head("Employment requirements", "任职要求")
		add(Block{Kind: List, Items: texts(lang, p.Requirements)})
	case intents.Advancement:
		head("Advancement", "晋升与发展")
		if len(p.Additional) == 0 {
			add(Block{Kind: Paragraph, Text: tr(lang,
				"The profile says nothing about advancement in this occupation.",
				"该职业档案没有关于晋升的信息。")})
			r.Answered = false
		} else {
			add(Block{Kind: List, Items: texts(lang, p.Additional)})
		}
	case intents.Titles:
		if full || len(p.ExampleTitles) == 0 {
			head(fmt.Sprintf("All %d titles", len(p.AllTitles)), fmt.Sprintf("全部%d个职称", len(p.AllTitles)))
			add(Block{Kind: List, Items: titleTexts(lang, p.AllTitles)})
		} else {
			head("Example titles", "职称头衔范例")
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
	case intents.Source:
		head("Source", "信息来源")
		add(Block{Kind: Link, Text: tr(lang,
			fmt.Sprintf("NOC 2011 unit group %s, Government of Canada", p.Code),
			fmt.Sprintf("加拿大政府 NOC 2011 职业类别 %s", p.Code)), URL: p.Source})
	default:
		return section(lang, intents.Description, p, full)
	}
	return withNext(r, in, p)
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
		if lang == knowledge.ZH {
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

// lookupAnswer says which unit group a named title belongs to. It never
// guesses: a title no profile lists is said to be unknown.
func lookupAnswer(lang knowledge.Lang, res intents.Result, lib *knowledge.Library) Reply {
	r := Reply{Lang: lang, Intent: intents.Lookup}
	if len(res.Titles) == 0 {
		r.Blocks = []Block{{Kind: Paragraph, Text: tr(lang,
			"None of the occupation profiles I have lists that job title, so I cannot tell its NOC code.",
			"我掌握的职业档案中没有列出这个职位名称，所以无法告诉你它的NOC代码。")}}
		if s, ok := withSuggestions(r, lib, lib.SuggestTitles(res.Normalized, maxSuggestions)); ok {
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
	m := res.Titles[0]
	r.Answered = true
	title := m.Title.In(lang)
	listing, _ := lib.Profile(m.Listed)
	target, haveTarget := lib.Profile(m.Code)
	switch {
	case m.Kind == knowledge.KindGroup:
		r.Blocks = []Block{{Kind: Paragraph, Text: tr(lang,
			fmt.Sprintf("%s is NOC unit group %s.", m.Title.EN, m.Code),
			fmt.Sprintf("%s 是 NOC 职业类别 %s。", m.Title.ZH, m.Code))}}
	case m.Elsewhere():
		group := ""
		for _, ref := range listing.Elsewhere {
			if ref.Code == m.Code && ref.Title == m.Title {
				group = ref.Group.In(lang)
			}
		}
		r.Blocks = []Block{{Kind: Paragraph, Text: tr(lang,
			fmt.Sprintf("“%s” is not in %s: the profile classifies it elsewhere, in NOC %s%s.", title, occupation(lang, listing), m.Code, prefixed(" ", group)),
			fmt.Sprintf("“%s”不属于%s：档案把它归入其他类别，即 NOC %s%s。", title, occupation(lang, listing), m.Code, prefixed(" ", group)))}}
	default:
		r.Blocks = []Block{{Kind: Paragraph, Text: tr(lang,
			fmt.Sprintf("“%s” is a job title in NOC %s, %s.", title, m.Code, target.Title.EN),
			fmt.Sprintf("“%s”属于 NOC %s，%s。", title, m.Code, target.Title.ZH))}}
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

// titleNames reports whether a title names the occupation word itself, as
// "health records clerks" names "clerk" and 健康记录员 names 记录员: a title
// that merely shares a character or a neighbouring word is no answer to a
// question about that occupation.
func titleNames(t knowledge.Text, word string) bool {
	if word == "" {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(word); r >= utf8.RuneSelf {
		return strings.Contains(t.ZH, word)
	}
	plural := word + "s"
	if strings.HasSuffix(word, "y") {
		plural = word[:len(word)-1] + "ies"
	}
	for _, f := range strings.FieldsFunc(strings.ToLower(t.EN), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if f == word || f == plural || f == word+"es" {
			return true
		}
	}
	return false
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// outOfScopeTopic names the common career topics the profiles do not
// cover, so the reply can say plainly which one it cannot answer.
func outOfScopeTopic(lang knowledge.Lang, normalized string) string {
	has := func(words ...string) bool { return containsAny(normalized, words...) }
	padded := " " + normalized + " "
	word := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(padded, " "+w+" ") {
				return true
			}
		}
		return false
	}
	switch {
	case has("salar", "wage", "earn", "income", "paid", "工资", "薪", "收入", "赚", "待遇", "报酬") || word("pay", "pays", "money", "hourly", "rate"):
		return tr(lang, "salary and pay", "薪资待遇")
	case has("immigra", "express entry", "visa", "permanent resid", "nominee", "移民", "签证", "枫叶卡", "永居", "省提名", "加分", "积分") || word("crs", "pr", "pnp", "ee", "points", "fsw"):
		return tr(lang, "immigration", "移民")
	case has("outlook", "demand", "prospect", "opening", "hiring", "vacanc", "shortage", "job market", "good career", "worth it", "worthwhile", "future",
		"jobs in", "any jobs", "find a job", "find work", "前景", "需求", "好找", "招聘", "缺口", "就业", "招人", "前途", "值不值得", "值得做", "找工作"):
		return tr(lang, "job outlook and openings", "就业前景和招聘")
	case has("hours", "schedule", "shift", "overtime", "from home", "remote", "part time", "full time", "vacation", "benefits",
		"工作时间", "上班时间", "加班", "轮班", "远程", "在家", "兼职", "全职", "休假", "福利") || word("wfh"):
		return tr(lang, "working hours and conditions", "工作时间和工作条件")
	}
	return ""
}

func outOfScopeAnswer(lang knowledge.Lang, normalized string, p *knowledge.Profile) Reply {
	r := Reply{Lang: lang, Intent: intents.OutOfScope}
	can := tr(lang,
		"I can tell you what the occupation is, its main duties, education and certification, advancement, job titles, related occupations and the source.",
		"我可以回答：职业概况、主要职责、学历和证书要求、晋升发展、职称头衔、相关职业以及信息来源。")
	var about string
	if p != nil {
		about = occupation(lang, p)
	} else {
		about = tr(lang, "these occupations", "这些职业")
	}
	if topic := outOfScopeTopic(lang, normalized); topic != "" {
		r.Blocks = []Block{{Kind: Paragraph, Text: tr(lang,
			fmt.Sprintf("The profile of %s does not cover %s, so I cannot answer that honestly.", about, topic),
			fmt.Sprintf("%s的职业档案不包含%s方面的信息，所以我无法如实回答。", about, topic))}}
	} else {
		r.Blocks = []Block{{Kind: Paragraph, Text: tr(lang,
			"That is not something the occupation profiles answer.",
			"这个问题不在职业档案的范围内。")}}
	}
	r.Blocks = append(r.Blocks, Block{Kind: Paragraph, Text: can})
	if p != nil {
		r = withNext(r, intents.OutOfScope, p)
	}
	return r
}

func helpAnswer(lang knowledge.Lang, lib *knowledge.Library, p *knowledge.Profile) Reply {
	r := Reply{Lang: lang, Intent: intents.Help, Answered: true}
	r.Blocks = []Block{
		{Kind: Paragraph, Text: tr(lang,
			"I answer questions about Canadian NOC occupations from their official profiles, in English or Chinese. Ask in your own words, for example:",
			"我根据加拿大 NOC 官方职业档案回答问题，中英文都可以。直接提问即可，例如：")},
		{Kind: List, Items: strings.Split(tr(lang,
			"What do they do?|What education do I need?|How do I get promoted?|What are the job titles?|What is the NOC code of a medical records technician?",
			"这个职业是做什么的？|需要什么学历？|怎么晋升？|有哪些职称？|病历技师的NOC代码是多少？"), "|")},
		{Kind: Paragraph, Text: tr(lang, "Commands:", "命令：")},
		{Kind: List, Items: helpLines(lang)},
	}
	r.Blocks = append(r.Blocks, profileList(lang, lib)...)
	if p != nil {
		r = withNext(r, intents.Help, p)
	}
	return r
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
	add(Block{Kind: Heading, Text: occupation(lang, p)}, Block{Kind: Paragraph, Text: p.Lead.In(lang)})
	head("Example titles", "职称头衔范例")
	add(Block{Kind: List, Items: titleTexts(lang, p.ExampleTitles)})
	head("Main duties", "主要职责")
	if intro := p.DutiesIntro.In(lang); intro != "" {
		add(Block{Kind: Paragraph, Text: intro})
	}
	add(Block{Kind: List, Items: texts(lang, p.Duties)})
	head("Employment requirements", "任职要求")
	add(Block{Kind: List, Items: texts(lang, p.Requirements)})
	if len(p.Additional) > 0 {
		head("Additional information", "附加信息")
		add(Block{Kind: List, Items: texts(lang, p.Additional)})
	}
	if len(p.Elsewhere) > 0 {
		head("Classified elsewhere", "其他分类")
		add(Block{Kind: List, Items: crossRefTexts(lang, p.Elsewhere)})
	}
	head("All titles", "全部职称")
	add(Block{Kind: List, Items: titleTexts(lang, p.AllTitles)})
	head("Source", "信息来源")
	add(Block{Kind: Link, Text: tr(lang, "Official profile", "官方职业档案"), URL: p.Source})
	return r
}
