package bot

import (
	"reflect"
	"strings"
	"testing"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

// How a plan is worded: the blocks and buttons of the reply, from the
// plan and the profiles alone.
func TestRender(t *testing.T) {
	loadFixtures(t)
	const occ1252 = "Health information management occupations (NOC 1252)"
	tests := []struct {
		name     string
		profiles int
		plan     plan
		want     Reply
	}{
		{"a section, with the follow-ups people ask next", 1,
			plan{Kind: planSections, Lang: en, Intent: intents.Requirements, Answered: true, Profile: "1252"},
			Reply{Lang: en, Intent: intents.Requirements, Answered: true,
				Blocks: []Block{{Kind: Heading, Text: "Employment requirements — " + occ1252}, {Kind: List, Items: []string{
					"Health information management technicians and related workers require completion of a recognized two year college diploma program in health record technology or health information management.",
					"Health information management technicians and related workers are eligible to write the Canadian Health Information Management Association national certification examination which may be required by employers.",
				}}, {Kind: Paragraph, Text: "Source: FLYabroad bilingual NOC 2011 profile."}},
				Buttons: []Button{{"Advancement", "i:advancement:1252"}, {"Duties", "i:duties:1252"}, {"Related jobs", "i:related:1252"}}}},
		{"sections of a compound question offer only what was not answered", 2,
			plan{Kind: planSections, Lang: en, Intent: intents.Duties, Also: []intents.Intent{intents.Requirements}, Answered: true, Profile: "1253"},
			Reply{Lang: en, Intent: intents.Duties, Answered: true,
				Blocks: []Block{
					{Kind: Heading, Text: "Main duties — Records management technicians (NOC 1253)"},
					{Kind: Paragraph, Text: "Records management technicians perform some or all of the following duties:"},
					{Kind: List, Items: []string{"Classify records according to a classification system", "Keep and retrieve records"}},
					{Kind: Heading, Text: "Employment requirements — Records management technicians (NOC 1253)"},
					{Kind: List, Items: []string{"Completion of a college program in records management is usually required."}},
					{Kind: Paragraph, Text: "Source: FLYabroad bilingual NOC 2011 profile."},
				},
				Buttons: []Button{{"Advancement", "i:advancement:1253"}, {"Related jobs", "i:related:1253"}}}},
		{"a choice carries the compound question in its buttons", 2,
			plan{Kind: planChoose, Lang: zh, Intent: intents.Duties, Also: []intents.Intent{intents.Requirements}, Answered: true},
			Reply{Lang: zh, Intent: intents.Duties, Answered: true,
				Blocks:  []Block{{Kind: Paragraph, Text: "你问的是哪个职业？"}},
				Buttons: []Button{{"1252 卫生信息管理职业", "i:duties+requirements:1252"}, {"1253 记录管理技术人员", "i:duties+requirements:1253"}}}},
		{"an unknown code the profiles name as classified elsewhere", 2,
			plan{Kind: planUnknownCode, Lang: en, Intent: intents.Description, Code: "1411", Offer: intents.Description},
			Reply{Lang: en, Intent: intents.Description,
				Blocks:  []Block{{Kind: Paragraph, Text: "I have no profile for NOC 1411. It is General office support workers."}},
				Buttons: []Button{{"1252 Health information management occupations", "i:description:1252"}, {"1253 Records management technicians", "i:description:1253"}}}},
		{"an unknown code is cut short", 1,
			plan{Kind: planUnknownCode, Lang: zh, Intent: intents.Duties, Code: strings.Repeat("9", 40), Offer: intents.Duties},
			Reply{Lang: zh, Intent: intents.Duties,
				Blocks:  []Block{{Kind: Paragraph, Text: "我没有 NOC 99999999999… 的职业档案。"}},
				Buttons: []Button{{"1252 卫生信息管理职业", "i:duties:1252"}}}},
		{"an out-of-scope topic about the profile discussed", 1,
			plan{Kind: planOutOfScope, Lang: zh, Intent: intents.OutOfScope, Topic: topicPay, Profile: "1252"},
			Reply{Lang: zh, Intent: intents.OutOfScope,
				Blocks: []Block{
					{Kind: Paragraph, Text: "卫生信息管理职业（NOC 1252）的职业档案不包含薪资待遇方面的信息，所以我无法如实回答。"},
					{Kind: Paragraph, Text: "我可以回答：职业概况、主要职责、学历和证书要求、晋升发展、职称头衔、相关职业以及信息来源。"},
				},
				Buttons: []Button{{"职业概况", "i:description:1252"}, {"主要职责", "i:duties:1252"}, {"任职要求", "i:requirements:1252"}}}},
		{"out of scope with no topic and no profile", 2,
			plan{Kind: planOutOfScope, Lang: en, Intent: intents.OutOfScope},
			Reply{Lang: en, Intent: intents.OutOfScope, Blocks: []Block{
				{Kind: Paragraph, Text: "That is not something the occupation profiles answer."},
				{Kind: Paragraph, Text: "I can tell you what the occupation is, its main duties, education and certification, advancement, job titles, related occupations and the source."},
			}}},
		{"the lookup of a title classified elsewhere offers the profile that names it", 1,
			plan{Kind: planLookup, Lang: en, Intent: intents.Lookup, Answered: true, Title: knowledge.TitleMatch{
				Title: knowledge.Text{EN: "Health records clerks", ZH: "健康记录员"}, Code: "1411", Listed: "1252", Kind: knowledge.KindElsewhere}},
			Reply{Lang: en, Intent: intents.Lookup, Answered: true,
				Blocks: []Block{{Kind: Paragraph, Text: "“Health records clerks” is not in " + occ1252 +
					": the profile classifies it elsewhere, in NOC 1411 General office support workers."}},
				Buttons: []Button{{"Job titles", "i:titles:1252"}, {"Duties", "i:duties:1252"}}}},
		{"the language menu", 1,
			plan{Kind: planLangMenu, Lang: zh, Intent: intents.Help, Answered: true},
			Reply{Lang: zh, Intent: intents.Help, Answered: true,
				Blocks:  []Block{{Kind: Paragraph, Text: "选择回复语言：/lang en、/lang zh 或 /lang zh-hant（繁体中文）。"}},
				Buttons: []Button{{"English", "lang:en"}, {"中文", "lang:zh"}, {"繁體中文", "lang:zh-hant"}}}},
		{"an insult", 1,
			plan{Kind: planInsult, Lang: zh, Intent: intents.OutOfScope, Answered: true},
			Reply{Lang: zh, Intent: intents.OutOfScope, Answered: true,
				Blocks: []Block{{Kind: Paragraph, Text: "抱歉没能帮上忙。我根据官方职业档案回答：职业概况、主要职责、学历要求、晋升发展、职称头衔和相关职业。可以问我这些方面，或者告诉我一个职业名称。"}}}},
		{"goodbye", 1,
			plan{Kind: planFarewell, Lang: en, Intent: intents.Thanks, Answered: true, Profile: "1252"},
			Reply{Lang: en, Intent: intents.Thanks, Answered: true,
				Blocks: []Block{{Kind: Paragraph, Text: "Goodbye! Come back any time you have a question about an occupation."}}}},
		{"nothing more on a section", 1,
			plan{Kind: planNothingMore, Lang: en, Intent: intents.Requirements, Answered: true, Profile: "1252"},
			Reply{Lang: en, Intent: intents.Requirements, Answered: true,
				Blocks:  []Block{{Kind: Paragraph, Text: "That is all the profile of " + occ1252 + " says on this. You can ask about:"}},
				Buttons: []Button{{"Advancement", "i:advancement:1252"}, {"Duties", "i:duties:1252"}, {"Related jobs", "i:related:1252"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lib := oneLib
			if tt.profiles == 2 {
				lib = twoLib
			}
			if got := render(tt.plan, lib); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// An unknown command is named, cut short, before the help.
func TestRenderUnknownCommand(t *testing.T) {
	loadFixtures(t)
	got := render(plan{Kind: planUnknownCommand, Lang: en, Intent: intents.Help, Profile: "1252", Command: strings.Repeat("x", 40)}, oneLib)
	help := render(plan{Kind: planHelp, Lang: en, Intent: intents.Help, Profile: "1252"}, oneLib)
	if want := "I don't know the command /" + strings.Repeat("x", 31) + "…."; got.Blocks[0].Text != want {
		t.Errorf("first line %q, want %q", got.Blocks[0].Text, want)
	}
	if !reflect.DeepEqual(got.Blocks[1:], help.Blocks) || !reflect.DeepEqual(got.Buttons, help.Buttons) {
		t.Errorf("the unknown command is not followed by help:\n%+v\nhelp:\n%+v", got, help)
	}
}

// A section the profile says nothing on says so; whether that counts as
// answered is the plan's to say, not the wording's.
func TestRenderKeepsThePlansVerdict(t *testing.T) {
	loadFixtures(t)
	r := render(plan{Kind: planSections, Lang: en, Intent: intents.Advancement, Profile: "1253"}, twoLib)
	if r.Answered || r.Intent != intents.Advancement || !strings.Contains(text(r), "says nothing about advancement") {
		t.Errorf("got %+v", r)
	}
}

// outOfScopeTopic is the topic a question is about as an out-of-scope
// reply names it, "" for none: what the matcher recognises (Result.Topic),
// as the wording says it (topicName).
func outOfScopeTopic(t *testing.T, lang knowledge.Lang, question string) string {
	loadFixtures(t)
	return topicName(lang, oneMatcher.Classify(question).Topic)
}
