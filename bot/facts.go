package bot

import (
	"strings"
	"unicode/utf8"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/knowledge/facts"
)

// factFinder finds the sentences of a profile that hold what a question
// asks (facts.Index).
type factFinder interface {
	Find(code string, q facts.Query) facts.Finding
}

// factQuestion answers a question about a specific fact ("can I work in a
// clinic?", "do they use ICD?", "这个工作要做统计吗") with the sentences of
// the profile that hold it, quoted, or says the profile does not say it.
// A plain question for a section ("what are the duties?") names no fact
// and is left to the sections, and so is a bare phrase, which may be a
// job title. A yes/no question is answered here when it names a fact of
// its own words; another question only when one sentence holds all it
// names; neither when it is about a topic the profiles never cover
// (salary, visas), which has its own answer.
func (d *decider) factQuestion() (plan, bool) {
	res := d.in.Res
	if d.in.Facts == nil || len(res.Also) > 0 || res.Occupation != "" {
		return plan{}, false
	}
	in := res.Intent
	// "Does this job involve classification systems like ICD?" names a
	// title ("job classification system analyst") but asks about the
	// occupation the conversation is on.
	aboutThisJob := (in == intents.Lookup || in == intents.OutOfScope) && len(res.Titles) > 0 && res.Code == "" &&
		d.current != "" && res.AboutConversation
	if in != intents.OutOfScope && (!in.Section() || in == intents.Source) && !aboutThisJob {
		return plan{}, false
	}
	if res.Topic != noTopic {
		return plan{}, false
	}
	p, asked, ok := d.factProfile()
	if aboutThisJob {
		p, asked, ok = d.resolve(d.current)
	}
	if !ok {
		return plan{}, false
	}
	// "quals?", "升职?": a section word alone, which the classifier cannot
	// place by so little, asks for its section.
	if s, bare := facts.BareSection(res.Normalized); bare && in == intents.OutOfScope {
		pl := d.sections(p, intentOf(s), nil)
		pl.Asked = asked
		return pl, true
	}
	skip := d.namedWords(p)
	if aboutThisJob {
		skip = skip[:2] // the title it names is no occupation asked about
	}
	f := d.in.Facts.Find(p.Code, facts.Query{
		Normalized: res.Normalized,
		Raw:        d.in.Text,
		Skip:       skip,
		Prefer:     sectionOf(in),
		Negated:    res.Negated,
	})
	switch {
	case !f.Asked() || !f.Question:
		return plan{}, false // a bare phrase ("medical coder") may be a title
	case aboutThisJob:
		if !f.YesNo || len(f.Quotes) == 0 {
			return plan{}, false
		}
	case f.YesNo && namesTerm(f) && !rambling(res.Normalized):
		// "is there a union?": the profile does not say, and the reply
		// says so, naming what it does not say.
	case f.Question && missesName(f, res.Lang, in) && !rambling(res.Normalized):
		// "ICD是什么": a name no sentence holds is said to be missing,
		// never answered with a section that does not hold it.
	case !f.Strong():
		return plan{}, false
	case in.Section() && f.NamesSection && sectionOf(in) != f.Quotes[0].Section:
		return plan{}, false // "what are the duties in a hospital?" asks for the duties
	}
	intent := in
	switch {
	case intent.Section():
	case len(f.Quotes) > 0:
		intent = intentOf(f.Quotes[0].Section)
	default:
		intent = intents.Description
	}
	more := intentData(p.Code, intent)
	if len(f.Quotes) > 0 {
		more = sectionData(p.Code, f.Quotes[0].Section)
	}
	return plan{Kind: planFact, Intent: intent, Answered: len(f.Quotes) > 0, Profile: p.Code, Asked: asked, Fact: f, More: more}, true
}

// rambling reports whether a message is too long for its words all to be
// what it asks: a fact it holds firmly is still answered, but a long
// message is not told the profile lacks its preamble's words.
func rambling(normalized string) bool {
	n := 0
	for range strings.FieldsSeq(normalized) {
		if n++; n > 30 {
			return true
		}
	}
	return false
}

// namesTerm reports whether a finding's question names a term of its own
// words (not only a Chinese run left over from its framing).
func namesTerm(f facts.Finding) bool {
	for _, t := range f.Terms {
		if !t.Weak {
			return true
		}
	}
	return false
}

// missesName reports whether a question names something no sentence
// holds: an acronym ("ICD"), or, in a Chinese question the classifier
// could place in no section but the overview, a word in Latin letters
// ("coding是什么"); "这个job要什么degree" still asks for the requirements.
func missesName(f facts.Finding, lang knowledge.Lang, in intents.Intent) bool {
	latin := lang == knowledge.ZH && (in == intents.Description || in == intents.OutOfScope)
	for _, t := range f.Missing {
		if t.Acronym || latin && t.Asked != "" && t.Asked[0] < utf8.RuneSelf {
			return true
		}
	}
	return false
}

// factProfile is the profile a fact question is about: the one its code
// names, else the one of the title it names, else the conversation's.
func (d *decider) factProfile() (*knowledge.Profile, string, bool) {
	res := d.in.Res
	switch {
	case res.Code != "":
		return d.resolve(res.Code)
	case len(res.Titles) > 0:
		if len(sameTitle(d.lib, res.Titles)) > 1 {
			return nil, "", false
		}
		return d.resolve(res.Titles[0].Code)
	case d.current != "":
		return d.resolve(d.current)
	}
	return nil, "", false
}

// namedWords are the words a question names its occupation with — the
// titles it names, the profile's own title — which say which occupation,
// not what about it.
func (d *decider) namedWords(p *knowledge.Profile) []string {
	out := []string{p.Title.EN, p.Title.ZH}
	for _, t := range d.in.Res.Titles {
		out = append(out, t.Title.EN, t.Title.ZH)
	}
	return out
}

// sectionOf is the profile section an intent is answered from.
func sectionOf(in intents.Intent) facts.Section {
	switch in {
	case intents.Description:
		return facts.Lead
	case intents.Duties:
		return facts.Duties
	case intents.Requirements:
		return facts.Requirements
	case intents.Advancement:
		return facts.Additional
	case intents.Titles:
		return facts.ExampleTitles
	case intents.Related:
		return facts.Exclusions
	}
	return 0
}

// intentOf is the intent whose answer shows a section.
func intentOf(s facts.Section) intents.Intent {
	switch s {
	case facts.Duties:
		return intents.Duties
	case facts.Requirements:
		return intents.Requirements
	case facts.Additional:
		return intents.Advancement
	case facts.ExampleTitles, facts.AllTitles, facts.Inclusions:
		return intents.Titles
	case facts.Exclusions:
		return intents.Related
	}
	return intents.Description
}

// sectionData is the button data that opens a whole section.
func sectionData(code string, s facts.Section) string {
	if s == facts.AllTitles {
		return allTitlesData(code)
	}
	return intentData(code, intentOf(s))
}

// sectionName names a section as the profile heads it.
func sectionName(lang knowledge.Lang, s facts.Section, p *knowledge.Profile) string {
	switch s {
	case facts.Lead:
		return tr(lang, "Overview", "职业概况")
	case facts.Duties:
		return tr(lang, "Main duties", "主要职责")
	case facts.Requirements:
		return tr(lang, "Employment requirements", "任职要求")
	case facts.Additional:
		return tr(lang, "Additional information", "附加信息")
	case facts.ExampleTitles:
		return tr(lang, "Example titles", "职称头衔范例")
	case facts.AllTitles:
		return tr(lang, "All titles", "全部职称")
	case facts.Inclusions:
		return tr(lang, "Inclusions", "包括")
	case facts.Exclusions:
		if p != nil && p.IsNOC2021() {
			return tr(lang, "Exclusions", "不包括")
		}
		return tr(lang, "Classified elsewhere", "其他分类")
	}
	return ""
}

// factAnswer words a fact plan: a verdict only the quotes support, the
// quotes verbatim with their sections, what no sentence holds, and a
// button to open each quoted section whole.
//
//   - "Yes — …" only for a yes/no question, not asked in the negative,
//     whose every term one sentence of running text holds in the asker's
//     own words, in the section asked about, with no "may" or "not" in
//     the quotes;
//   - a question asked in the negative ("without a diploma?") of a
//     sentence that requires the fact: "No — the profile says it is
//     required"; of anything but a hedged requirement, no verdict;
//   - when the sentence hedges, the profile's own hedge, quoted: "Not
//     necessarily" for a need ("may be required by employers"), "It is
//     possible" for "can I…?", "Not always" for "do they…?" ("May
//     supervise");
//   - "The profile does not say …" for the terms no sentence holds, and
//     nothing quoted when none does.
func factAnswer(r Reply, lib *knowledge.Library, p *knowledge.Profile, pl plan) Reply {
	lang, f := r.Lang, pl.Fact
	r.Blocks = append(r.Blocks, provenance(lang, lib, p, pl.Asked)...)
	r.Blocks = append(r.Blocks, Block{Kind: Heading, Text: occupation(lang, p)})
	if len(f.Quotes) == 0 {
		r.Blocks = append(r.Blocks, paragraph(tr(lang,
			"The profile does not say anything about "+termList(lang, f.Missing)+".",
			"职业档案没有提到"+termList(lang, f.Missing)+"。")))
		offer := pl.Intent
		if !offer.Section() {
			offer = intents.Description
		}
		r.Buttons = append(r.Buttons, Button{Label: tr(lang, "Open: ", "查看：") + intentLabel(lang, offer), Data: intentData(p.Code, offer)})
		r.Blocks = append(r.Blocks, sourceLine(lang, p))
		return withNextExcept(r, offer, p)
	}
	for _, t := range f.Terms {
		switch {
		case t.Long == "" || !heldAny(f, t):
		case t.Spelled:
			r.Blocks = append(r.Blocks, paragraph(tr(lang,
				"The profile spells "+t.Asked+" out as “"+t.Long+"”:",
				"职业档案中 "+t.Asked+" 的全称是“"+t.Long+"”：")))
		default:
			// Initials, not a definition the profile gives: say only that.
			r.Blocks = append(r.Blocks, paragraph(tr(lang,
				t.Asked+" matches the initials of “"+t.Long+"”, which the profile uses:",
				t.Asked+" 是职业档案中“"+t.Long+"”的首字母缩写：")))
		}
	}
	asked, first := sectionOf(pl.Intent), f.Quotes[0]
	// "Is X required?" answered from another section says so first; "what
	// is CHIMA?" (an overview question by its words) does not need to.
	elsewhere := f.YesNo && asked != 0 && asked != facts.Lead && f.Quotes[0].Section != asked && !titleSection(asked, f.Quotes[0].Section)
	switch {
	case elsewhere:
		// "需要工作经验吗": the requirements do not say; progression does.
		r.Blocks = append(r.Blocks, paragraph(tr(lang,
			"The "+strings.ToLower(sectionName(lang, asked, p))+" section does not mention "+termList(lang, f.Terms)+". The profile says elsewhere:",
			sectionName(lang, asked, p)+"中没有提到"+termList(lang, f.Terms)+"。档案的其他部分写道：")))
	case len(f.Missing) > 0:
		r.Blocks = append(r.Blocks, paragraph(tr(lang,
			"The profile does not mention "+termList(lang, f.Missing)+". What it says:",
			"职业档案没有提到"+termList(lang, f.Missing)+"。档案写道：")))
	case f.YesNo && f.Negated && oneSentence(f) && first.Requires && !first.Hedged && !first.Negated:
		// "can I do it without a diploma?" of a sentence that requires one.
		r.Blocks = append(r.Blocks, paragraph(tr(lang, "No — the profile says it is required:", "不行——档案写明需要：")))
	case f.YesNo && (!f.Negated || first.Requires) && allQuotes(f, func(q facts.Quote) bool { return q.Hedged && !q.Negated }):
		// The profile's hedge answers by what was asked: "may be required"
		// makes a need "not necessarily"; "is possible" makes "can I?" a
		// yes; "may supervise" makes "do they?" a "sometimes". A question
		// in the negative is answered so only of a hedged requirement.
		switch {
		case f.Asks == facts.AsksNeeded:
			r.Blocks = append(r.Blocks, paragraph(tr(lang, "Not necessarily — the profile says:", "不一定——档案写道：")))
		case f.Asks == facts.AsksPossible && oneSentence(f) && allQuotes(f, func(q facts.Quote) bool { return q.Literal }):
			r.Blocks = append(r.Blocks, paragraph(tr(lang, "It is possible — the profile says:", "有可能——档案写道：")))
		default:
			r.Blocks = append(r.Blocks, paragraph(tr(lang, "Not always — the profile says:", "不一定总是如此——档案写道：")))
		}
	case f.YesNo && !f.Negated && oneSentence(f) && allQuotes(f, func(q facts.Quote) bool { return q.Literal && !q.Hedged && !q.Negated }):
		r.Blocks = append(r.Blocks, paragraph(tr(lang, "Yes — the profile says:", "是的——档案写道：")))
	default:
		r.Blocks = append(r.Blocks, paragraph(tr(lang, "The profile says:", "档案写道：")))
	}
	for _, q := range f.Quotes {
		r.Blocks = append(r.Blocks, paragraph(quoteLine(lang, p, q)))
	}
	r.Blocks = append(r.Blocks, sourceLine(lang, p))
	seen := map[string]bool{}
	for _, q := range f.Quotes {
		data := sectionData(p.Code, q.Section)
		if !seen[data] {
			seen[data] = true
			r.Buttons = append(r.Buttons, Button{Label: tr(lang, "Open: ", "查看：") + sectionName(lang, q.Section, p), Data: data})
		}
	}
	return withNextExcept(r, intentOf(f.Quotes[0].Section), p)
}

// quoteLine quotes a sentence verbatim in the reply language where the
// profile has it, with the section (and role) it is from.
func quoteLine(lang knowledge.Lang, p *knowledge.Profile, q facts.Quote) string {
	where := sectionName(lang, q.Section, p)
	if role := q.Role.In(lang); role != "" {
		where += tr(lang, " ("+role+")", "（"+role+"）")
	}
	text := oneSpaced(q.Text.In(lang))
	return where + tr(lang, ": “", "：“") + text + "”"
}

// titleSection reports whether a quote from got answers a question asked
// about section asked: the title lists go together.
func titleSection(asked, got facts.Section) bool {
	isTitles := func(s facts.Section) bool {
		return s == facts.ExampleTitles || s == facts.AllTitles || s == facts.Inclusions
	}
	return isTitles(asked) && isTitles(got)
}

// oneSentence reports whether a verdict can rest on the first quote: a
// sentence of running text (not an entry of a title list) that holds
// every term asked, not terms gathered from several sentences.
func oneSentence(f facts.Finding) bool {
	return f.Strong() && f.Quotes[0].Section < facts.ExampleTitles
}

func heldAny(f facts.Finding, t facts.Term) bool {
	for _, q := range f.Quotes {
		for _, i := range q.Held {
			if f.Terms[i].Asked == t.Asked {
				return true
			}
		}
	}
	return false
}

func allQuotes(f facts.Finding, ok func(facts.Quote) bool) bool {
	for _, q := range f.Quotes {
		if !ok(q) {
			return false
		}
	}
	return len(f.Quotes) > 0
}

// termList quotes the terms a question asked: “ICD”, “licence” and “exam”.
func termList(lang knowledge.Lang, terms []facts.Term) string {
	var items []string
	for _, t := range terms[:min(len(terms), 4)] {
		items = append(items, "“"+t.Asked+"”")
	}
	if len(items) == 0 {
		return tr(lang, "that", "这一点")
	}
	return joinList(lang, items)
}

// withNextExcept offers the follow-ups of in, but not what the reply
// offers already.
func withNextExcept(r Reply, in intents.Intent, p *knowledge.Profile) Reply {
	have := map[string]bool{}
	for _, b := range r.Buttons {
		have[b.Data] = true
	}
	for _, next := range append([]intents.Intent{in}, nextQuestions(in)...) {
		b := intentButton(r.Lang, next, p.Code)
		if !have[b.Data] {
			have[b.Data] = true
			r.Buttons = append(r.Buttons, b)
		}
	}
	return r
}
