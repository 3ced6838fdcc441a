package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/knowledge/facts"
)

// Fact and yes/no questions are answered with the sentences that hold
// what they ask, quoted with their section; "Yes" only when the
// sentences say so in the asker's words, the profile's own hedge when it
// hedges, and "does not say" when nothing holds the asked term.
func TestFactQuestionsEnglish(t *testing.T) {
	runTranscript(t, nocCore(t, "1252"), Message{Platform: "test", Chat: "f1", User: "u"}, []step{
		{say: "can I work in a clinic?", lang: knowledge.EN, intent: intents.Description,
			has:    []string{"Yes — the profile says:", "Overview: “They are employed by hospitals, clinics,"},
			hasNot: []string{"collect, code, record"}, buttons: []string{"Open: Overview"}},
		{say: "do they need a license?", intent: intents.Requirements,
			has:    []string{"Not necessarily — the profile says:", "national certification examination which may be required by employers.”"},
			hasNot: []string{"Yes —", "two-year college diploma"}, buttons: []string{"Open: Employment requirements"}},
		{say: "Will I have to prepare statistics in this job?", has: []string{"Yes — the profile says:", "Main duties: “Prepare medical, social and administrative statistics”"}},
		{say: "what is CHIMA?", has: []string{"CHIMA matches the initials of “Canadian Health Information Management Association”, which the profile uses:", "Employment requirements: “"}},
		{say: "what is HIM?", has: []string{"HIM matches the initials of “health information management”"}},
		{say: "do they need a university degree?", intent: intents.Requirements, has: []string{"The profile does not say anything about “university” and “degree”."},
			hasNot: []string{"“Health"}, buttons: []string{"Open: Education"}},
		{say: "do they classify diseases?", has: []string{"Yes —", "Classify and code diseases according to an established classification system"}},
		{say: "can I become a manager later?", has: []string{"It is possible — the profile says:", "Progression to management positions is possible"}},
		{say: "do they supervise others?", has: []string{"Not always — the profile says:", "May supervise other"}},
		{say: "do they need to speak French?", has: []string{"The profile does not say anything about “speak” and “french”."}, hasNot: []string{"Yes", "“Health"}},
		{say: "is there a union?", has: []string{"The profile does not say anything about “union”."}, buttons: []string{"Open: Overview"}},
		{say: "Does this job involve classification systems like ICD?", has: []string{"The profile does not mention “ICD”. What it says:",
			"Main duties: “Classify and code diseases according to an established classification system”"}, hasNot: []string{"Yes"}},
		// A plain section question is answered by the section.
		{say: "what are the duties?", intent: intents.Duties, has: []string{"Main duties — ", "Prepare medical, social"}, hasNot: []string{"the profile says:"}},
		{say: "what education do I need?", intent: intents.Requirements, has: []string{"Employment requirements — "}, hasNot: []string{"the profile says:"}},
		// "tell me more" after a fact opens its whole section.
		{say: "do they classify diseases?"},
		{say: "tell me more", intent: intents.Duties, has: []string{"Main duties — ", "May supervise"}},
	})
}

func TestFactQuestionsChinese(t *testing.T) {
	runTranscript(t, nocCore(t, "1252"), Message{Platform: "test", Chat: "f2", User: "u"}, []step{
		{say: "可以在诊所工作吗", lang: knowledge.ZH, has: []string{"是的——档案写道：", "职业概况：“他们受雇于医院，诊所"}},
		{say: "必须考证吗", has: []string{"不一定——档案写道：", "认证考试"}, hasNot: []string{"是的"}},
		{say: "这个工作要做统计吗", has: []string{"是的——档案写道：", "准备医疗，社会和行政统计"}},
		{say: "需要工作经验吗", has: []string{"中没有提到“经验”。档案的其他部分写道：", "附加信息：“随着经验积累"}, hasNot: []string{"是的"}},
		{say: "需要会说法语吗", has: []string{"职业档案没有提到“法语”。"}, hasNot: []string{"是的", "档案写道"}},
		{say: "有没有法语考试", has: []string{"职业档案没有提到“法语”。", "档案写道", "认证考试"}, hasNot: []string{"是的"}},
		// An English-only profile answers a Chinese question through the
		// term list, without a "yes" it cannot word in the asker's words.
		{say: "12112要做统计吗", has: []string{"NOC 2021 官方文本只有英文", "Compile statistics and reports"}, hasNot: []string{"是的"}},
	})
}

// A question in Traditional Chinese is answered in Traditional Chinese,
// profile text and titles included; the script sticks until the asker
// writes Simplified, and /lang zh-hant or 用繁體 pins it.
func TestTraditionalChinese(t *testing.T) {
	runTranscript(t, nocCore(t, "1252"), Message{Platform: "test", Chat: "f3", User: "u"}, []step{
		{say: "這個工作要做統計嗎", lang: knowledge.ZH, has: []string{"是的——檔案寫道：", "行政統計", "衛生信息管理職業"}, hasNot: []string{"档案", "统计"}, buttons: []string{"查看：主要職責"}},
		{say: "好的", has: []string{"還想了解"}},                             // both scripts write 好的: stays Traditional
		{say: "需要什么学历", has: []string{"任职要求"}, hasNot: []string{"任職"}}, // written Simplified
		{say: "/lang zh-hant", has: []string{"我會用中文回覆"}},
		{say: "需要什么学历", has: []string{"任職要求"}},
		{say: "in English please", lang: knowledge.EN, has: []string{"Employment requirements"}},
	})
	// A platform set to zh-TW gets Taiwan's Traditional until the asker
	// writes Simplified.
	runTranscript(t, nocCore(t, "1252"), Message{Platform: "test", Chat: "f4", User: "u", UserLang: "zh-TW"}, []step{
		{say: "/duties", lang: knowledge.ZH, has: []string{"主要職責"}},
		{say: "需要什么学历", has: []string{"任职要求"}, hasNot: []string{"任職"}},
		{say: "用繁體", lang: knowledge.ZH, has: []string{"任職要求", "文憑"}},
		{say: "需要什么学历", has: []string{"任職要求"}},
	})
}

// Two occupations in one question: the section asked of both, or their
// overviews.
func TestCompare(t *testing.T) {
	runTranscript(t, nocCore(t, "1252"), Message{Platform: "test", Chat: "f5", User: "u"}, []step{
		{say: "what's the difference between 12111 and 12112?", lang: knowledge.EN,
			has: []string{"Health information management occupations (NOC 2021 12111, TEER 2)", "Records management technicians (NOC 2021 12112", "collect, code, record", "Records management technicians"}},
		{say: "compare 12111 and 12112 duties", intent: intents.Duties,
			has: []string{"Main duties — Health information management occupations", "Main duties — Records management technicians", "Prepare medical, social"}},
		{say: "这个工作和12112有什么区别", lang: knowledge.ZH, has: []string{"卫生信息管理技术人员及有关人员收集", "NOC 2021 12112"}},
		{say: "what's the difference between 1252 and 1253?", lang: knowledge.EN,
			has: []string{"NOC 1253 (NOC 2011/2016) became", "Records management technicians (NOC 2021 12112", "Health information management occupations (NOC 2021 12111"}},
		{say: "compare 12111 and 99999", has: []string{"no profile for NOC 99999"}},
		// By title: the two occupations named, overviews when no section is.
		{say: "records management technician vs health records technician duties", intent: intents.Duties,
			has: []string{"Main duties — Records management technicians", "Main duties — Health information management occupations"}},
		{say: "what's the difference between a records management technician and a health records technician?", lang: knowledge.EN,
			has: []string{"Records management technicians operate and maintain", "collect, code, record"}, hasNot: []string{"Classified elsewhere"}},
	})
	runTranscript(t, newTestCore(t, 2, Config{}), Message{Platform: "test", Chat: "f6", User: "u"}, []step{
		{say: "what's the difference between 1252 and 1253?", has: []string{"(NOC 1252)", "(NOC 1253)"}},
		{say: "1252和1253有什么不同", lang: knowledge.ZH, has: []string{"卫生信息管理职业（NOC 1252）", "记录管理技术人员（NOC 1253）"}},
	})
}

// The rough edges: "all titles" lists them all, "now 1252" switches,
// a button number beyond those offered, "what's NOC?".
func TestRoughEdges(t *testing.T) {
	runTranscript(t, newTestCore(t, 2, Config{}), Message{Platform: "test", Chat: "f7", User: "u"}, []step{
		{say: "1252 titles", intent: intents.Titles, has: []string{"Example titles", "ask for “all titles”"}},
		{say: "all titles", intent: intents.Titles, has: []string{"All 17 titles", "classifier, health records"}},
		{say: "全部职称", lang: knowledge.ZH, has: []string{"全部17个职称"}},
		{say: "1253的职责是什么", intent: intents.Duties, has: []string{"NOC 1253"}},
		{say: "ok, now 1252", lang: knowledge.EN, intent: intents.Duties, has: []string{"NOC 1252", "Classify and code diseases"}},
		{say: "回到1253", lang: knowledge.ZH, intent: intents.Duties, has: []string{"NOC 1253", "保管和检索记录"}},
		{say: "back to 1253", lang: knowledge.EN, has: []string{"NOC 1253", "Keep and retrieve records"}},
		{say: "4", has: []string{"There are 3 choices: pick 1–3."}, hasNot: []string{"not something"}},
		{say: "what's NOC?", has: []string{"National Occupational Classification", "https://www.statcan.gc.ca/"}},
		{say: "NOC是什么", lang: knowledge.ZH, has: []string{"国家职业分类"}},
	})
}

// Out-of-scope parts of a compound question are one line each, in the
// order asked, beside the sections.
func TestOutOfScopeParts(t *testing.T) {
	loadFixtures(t)
	tests := []struct {
		name string
		plan plan
		want []string // in this order
	}{
		{"a section, then salary", plan{Kind: planSections, Lang: en, Intent: intents.Duties, Also: []intents.Intent{intents.OutOfScope}, Topics: []topic{topicPay}, Profile: "1252"},
			[]string{"Main duties — ", "The profile does not cover salary and pay."}},
		{"salary first, then a section", plan{Kind: planSections, Lang: en, Intent: intents.OutOfScope, Also: []intents.Intent{intents.Requirements}, Topics: []topic{topicPay}, Profile: "1252"},
			[]string{"The profile does not cover salary and pay.", "Employment requirements — "}},
		{"two topics in order", plan{Kind: planSections, Lang: zh, Intent: intents.Duties, Also: []intents.Intent{intents.OutOfScope, intents.OutOfScope}, Topics: []topic{topicImmigration, topicPay}, Profile: "1252"},
			[]string{"主要职责 — ", "职业档案不包含移民方面的信息。", "职业档案不包含薪资待遇方面的信息。"}},
		{"an unnamed topic", plan{Kind: planSections, Lang: en, Intent: intents.Duties, Also: []intents.Intent{intents.OutOfScope}, Profile: "1252"},
			[]string{"Main duties — ", "Part of your question is not something the occupation profiles answer."}},
	}
	for _, tt := range tests {
		body := text(render(tt.plan, oneLib))
		at := 0
		for _, w := range tt.want {
			i := strings.Index(body[at:], w)
			if i < 0 {
				t.Errorf("%s: %q missing or out of order in:\n%s", tt.name, w, body)
				break
			}
			at += i + len(w)
		}
		if strings.Contains(body, "collect, code, record") {
			t.Errorf("%s: an out-of-scope part was answered with the overview:\n%s", tt.name, body)
		}
	}
	// The decision keeps the topics of a compound reading in order.
	c := newTestCore(t, 1, Config{})
	in := c.read(Message{Platform: "test", Chat: "c", User: "u", Text: "what's the salary and the education?"})
	in.Res.Intent, in.Res.Also = intents.OutOfScope, []intents.Intent{intents.Requirements}
	p := decide(c.lib, session{}, in, "")
	if p.Kind != planSections || p.Intent != intents.OutOfScope || len(p.Topics) != 1 || p.Topics[0] != topicPay || p.Session.LastIntent != intents.Requirements {
		t.Errorf("got kind %d intent %s topics %v last %s", p.Kind, p.Intent, p.Topics, p.Session.LastIntent)
	}
}

// Whatever is typed, fact questions included, gets one well-formed reply.
func TestFactHostileInput(t *testing.T) {
	core := nocCore(t, "1252")
	for i, s := range []string{"", "?", "？？？", "🙂🙂🙂", "吗", "do?", "\xff\xfe吗", "<b>CHIMA</b>?", "do they " + strings.Repeat("clinic ", 200000) + "?",
		strings.Repeat("這個工作要做統計嗎", 5000), "IS IT HIM?", "compare 12111 and 12111", "compare 99999 and 12111", "4", "99", "all titles all titles"} {
		checkReply(t, fmt.Sprintf("input %d", i), core.Handle(context.Background(), Message{Platform: "test", Chat: "h", User: "u", Text: s}))
	}
}

// How a fact plan is worded, from constructed findings: the verdict the
// quotes support, and nothing quoted that the plan does not hold.
func TestRenderFact(t *testing.T) {
	lib, _, err := nocFixture()
	if err != nil {
		t.Fatal(err)
	}
	lead := &facts.Sentence{Section: facts.Lead, Text: knowledge.Text{EN: "They are employed by clinics."}}
	exam := &facts.Sentence{Section: facts.Requirements, Text: knowledge.Text{EN: "An exam may be required by employers."}}
	clinic := facts.Term{Asked: "clinic"}
	licence := facts.Term{Asked: "license"}
	icd := facts.Term{Asked: "ICD"}
	tests := []struct {
		name        string
		intent      intents.Intent
		f           facts.Finding
		has, hasNot []string
		buttons     []string
	}{
		{"yes, in the asker's words", intents.Description,
			facts.Finding{Terms: []facts.Term{clinic}, Quotes: []facts.Quote{{Sentence: lead, Held: []int{0}, Literal: true}}, YesNo: true},
			[]string{"Yes — the profile says:", "Overview: “They are employed by clinics.”"}, nil, []string{"Open: Overview"}},
		{"the profile's own hedge on a need", intents.Requirements,
			facts.Finding{Terms: []facts.Term{licence}, Quotes: []facts.Quote{{Sentence: exam, Held: []int{0}, Hedged: true}}, YesNo: true, Asks: facts.AsksNeeded},
			[]string{"Not necessarily — the profile says:", "“An exam may be required by employers.”"}, []string{"Yes"}, []string{"Open: Employment requirements"}},
		{"a hedge answering can I", intents.Description,
			facts.Finding{Terms: []facts.Term{clinic}, Quotes: []facts.Quote{{Sentence: lead, Held: []int{0}, Hedged: true, Literal: true}}, YesNo: true, Asks: facts.AsksPossible},
			[]string{"It is possible — the profile says:"}, []string{"Yes", "Not"}, nil},
		{"a hedge answering do they", intents.Description,
			facts.Finding{Terms: []facts.Term{clinic}, Quotes: []facts.Quote{{Sentence: lead, Held: []int{0}, Hedged: true, Literal: true}}, YesNo: true},
			[]string{"Not always — the profile says:"}, []string{"Yes"}, nil},
		{"a term held through the term list is no yes", intents.Requirements,
			facts.Finding{Terms: []facts.Term{licence}, Quotes: []facts.Quote{{Sentence: exam, Held: []int{0}}}, YesNo: true},
			[]string{"The profile says:"}, []string{"Yes", "Not necessarily"}, nil},
		{"a partial match names what is missing", intents.Description,
			facts.Finding{Terms: []facts.Term{clinic, icd}, Quotes: []facts.Quote{{Sentence: lead, Held: []int{0}, Literal: true}}, Missing: []facts.Term{icd}, YesNo: true},
			[]string{"The profile does not mention “ICD”. What it says:", "clinics"}, []string{"Yes"}, nil},
		{"nothing held: nothing quoted, the section offered", intents.Requirements,
			facts.Finding{Terms: []facts.Term{icd}, Missing: []facts.Term{icd}, YesNo: true},
			[]string{"The profile does not say anything about “ICD”."}, []string{"“They", "“An"}, []string{"Open: Education"}},
		{"held in another section than asked", intents.Requirements,
			facts.Finding{Terms: []facts.Term{clinic}, Quotes: []facts.Quote{{Sentence: lead, Held: []int{0}, Literal: true}}, YesNo: true},
			[]string{"The employment requirements section does not mention “clinic”. The profile says elsewhere:"}, []string{"Yes"}, nil},
	}
	for _, tt := range tests {
		r := render(plan{Kind: planFact, Lang: en, Intent: tt.intent, Answered: len(tt.f.Quotes) > 0, Profile: "12111", Fact: tt.f}, lib)
		body := text(r)
		for _, w := range tt.has {
			if !strings.Contains(body, w) {
				t.Errorf("%s: lacks %q:\n%s", tt.name, w, body)
			}
		}
		for _, w := range tt.hasNot {
			if strings.Contains(body, w) {
				t.Errorf("%s: has %q:\n%s", tt.name, w, body)
			}
		}
		for _, want := range tt.buttons {
			if !slices.ContainsFunc(r.Buttons, func(b Button) bool { return b.Label == want }) {
				t.Errorf("%s: no button %q in %v", tt.name, want, r.Buttons)
			}
		}
	}
}

// A Traditional reply converts every label a user reads, the share
// button's included, and leaves the caller's reply as it was.
func TestInScriptConvertsEveryLabel(t *testing.T) {
	c := newConverters()
	in := Reply{Lang: "zh", Blocks: []Block{{Kind: Paragraph, Text: "职业档案"}}, Buttons: []Button{{"主要职责", "s:duties"}},
		Share: &Share{Code: "12111", Label: "分享这个职业"}}
	out := c.inScript(in, traditional)
	if out.Blocks[0].Text != "職業檔案" || out.Buttons[0].Label != "主要職責" || out.Share.Label != "分享這個職業" {
		t.Errorf("inScript: %q %q %q", out.Blocks[0].Text, out.Buttons[0].Label, out.Share.Label)
	}
	if in.Share.Label != "分享这个职业" || in.Blocks[0].Text != "职业档案" {
		t.Error("inScript changed the reply it was given")
	}
	if got := c.inScript(in, simplified); got.Share.Label != "分享这个职业" {
		t.Errorf("Simplified reply converted: %q", got.Share.Label)
	}
}

// Converted replies are remembered up to a bound, then forgotten; a
// reply larger than the bound is converted and not kept.
func TestConvertReplyBounded(t *testing.T) {
	c := newConverters()
	c.maxBytes = 60
	for _, tt := range []struct {
		text    string
		entries int
	}{
		{"职业档案", 1},                  // 12 + 12 bytes
		{"职业档案", 1},                  // remembered, not added twice
		{"主要职责", 2},                  // 48 bytes held
		{"任职要求", 1},                  // would pass 60: forgotten, then kept
		{strings.Repeat("职", 11), 0}, // 66 bytes: never kept
	} {
		if got, want := c.convertReply(tt.text, traditional), c.convert(tt.text, traditional); got != want {
			t.Errorf("convertReply(%q) = %q, want %q", tt.text, got, want)
		}
		if len(c.done) != tt.entries || c.bytes > c.maxBytes {
			t.Errorf("after %q: %d entries, %d bytes; want %d entries", tt.text, len(c.done), c.bytes, tt.entries)
		}
	}
}

// A question asked in the negative is never answered "yes" by a sentence
// that holds its fact: "without a diploma?" of a sentence that requires
// one is "no, it is required"; of a hedged requirement, the profile's
// hedge; of anything else, the sentence with no verdict.
func TestFactQuestionsNegated(t *testing.T) {
	runTranscript(t, nocCore(t, "1252"), Message{Platform: "test", Chat: "n1", User: "u"}, []step{
		{say: "没有文凭可以做吗", lang: knowledge.ZH, has: []string{"不行——档案写明需要：", "大学文凭课程"}, hasNot: []string{"是的"}},
		{say: "不需要大学文凭吗", has: []string{"不行——档案写明需要：", "大学文凭课程"}, hasNot: []string{"是的"}},
		{say: "需不需要大学文凭", hasNot: []string{"不行"}}, // offers both ways: no negation
		{say: "can I do this job without a college diploma?", lang: knowledge.EN,
			has: []string{"No — the profile says it is required:", "require completion of a recognized two-year college diploma"}, hasNot: []string{"Yes"}},
		{say: "do I not need certification?", has: []string{"Not necessarily — the profile says:", "may be required by employers"}, hasNot: []string{"Yes", "No —"}},
		{say: "do they not classify diseases?", has: []string{"The profile says:", "Classify and code diseases"}, hasNot: []string{"Yes", "No —"}},
		{say: "do they classify diseases?", has: []string{"Yes — the profile says:"}},
	})
}

// A verdict rests on one sentence that holds every term asked: terms
// found in different sentences, or in a title list, are quoted without
// one.
func TestFactVerdictNeedsOneSentence(t *testing.T) {
	runTranscript(t, nocCore(t, "1252"), Message{Platform: "test", Chat: "n2", User: "u"}, []step{
		{say: "Do they manage hospitals?", lang: knowledge.EN, has: []string{"The profile says:", "manage health information", "employed by hospitals"}, hasNot: []string{"Yes"}},
		{say: "Do they code cancer?", has: []string{"The profile says:", "All titles: “cancer registrar”"}, hasNot: []string{"Yes"}},
		{say: "can I work in a clinic?", has: []string{"Yes — the profile says:"}},
		{say: "他们管理医院吗", lang: knowledge.ZH, hasNot: []string{"是的"}},
	})
}

// A name no sentence holds is said to be missing, in Chinese as in
// English, never answered with a section that does not hold it.
func TestFactNameNotHeld(t *testing.T) {
	runTranscript(t, nocCore(t, "1252"), Message{Platform: "test", Chat: "n3", User: "u"}, []step{
		{say: "ICD是什么", lang: knowledge.ZH, has: []string{"职业档案没有提到“ICD”。"}, hasNot: []string{"收集，代码"}},
		{say: "ICD是什麼", has: []string{"職業檔案沒有提到“ICD”。"}, hasNot: []string{"收集，代碼"}},
		{say: "what is ICD?", lang: knowledge.EN, has: []string{"“ICD”"}, hasNot: []string{"collect, code, record"}},
		{say: "这个job要什么degree", intent: intents.Requirements, has: []string{"任职要求 — "}, hasNot: []string{"没有提到"}},
		{say: "CHIMA是什么", lang: knowledge.ZH, has: []string{"加拿大卫生信息管理协会"}, hasNot: []string{"没有提到"}},
	})
}

// A section word alone asks for its section, though the classifier
// cannot place so little.
func TestBareSectionWord(t *testing.T) {
	runTranscript(t, nocCore(t, "1252"), Message{Platform: "test", Chat: "n4", User: "u"}, []step{
		{say: "quals?", lang: knowledge.EN, intent: intents.Requirements, has: []string{"Employment requirements — "}, hasNot: []string{"not something"}},
		{say: "prereqs?", intent: intents.Requirements, has: []string{"Employment requirements — "}},
		{say: "升职?", lang: knowledge.ZH, intent: intents.Advancement, has: []string{"晋升"}},
		{say: "学历?", intent: intents.Requirements, has: []string{"任职要求"}},
		{say: "quals for the weather?", lang: knowledge.EN, hasNot: []string{"Employment requirements — "}},
	})
}
