package intents

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/nocbot/nocbot/knowledge"
)

// The phrase files as the matcher reads them: whole words, never a word
// inside another ("learn" is not "earn", "prepare" holds no "pr").
func TestPhrases(t *testing.T) {
	m := newMatcher(t)
	tests := []struct {
		q     string
		topic Topic
		talk  SmallTalk
		lang  knowledge.Lang
		more  bool
	}{
		{q: "how much do they earn", topic: TopicPay},
		{q: "what is the hourly rate", topic: TopicPay},
		{q: "Salaries?", topic: TopicPay},
		{q: "工资多少", topic: TopicPay},
		{q: "薪資待遇如何", topic: TopicPay}, // Traditional, read as Simplified
		{q: "can i get pr with this job", topic: TopicImmigration},
		{q: "how many crs points", topic: TopicImmigration},
		{q: "这个职业能移民吗", topic: TopicImmigration},
		{q: "is it a good career", topic: TopicOutlook},
		{q: "is there demand in vancouver", topic: TopicOutlook},
		{q: "值不值得做", topic: TopicOutlook},
		{q: "what hours do they work", topic: TopicConditions},
		{q: "can i do this job from home", topic: TopicConditions},
		{q: "需要加班吗", topic: TopicConditions},
		{q: "what will I learn"},
		{q: "what do they prepare"},
		{q: "tell me a joke"},
		{q: ""},
		{q: "bye", talk: Farewell},
		{q: "Bye bye!", talk: Farewell},
		{q: "bye, what are the duties"},
		{q: "ok", talk: Acknowledgement},
		{q: "嗯嗯", talk: Acknowledgement},
		{q: "who are you?", talk: Identity},
		{q: "你是机器人吗", talk: Identity},
		{q: "你好蠢", talk: Insult},
		{q: "this bot is dumb", talk: Insult},
		{q: "what do they dump"},
		{q: "in english please", lang: knowledge.EN},
		{q: "English", lang: knowledge.EN},
		{q: "用中文回答", lang: knowledge.ZH},
		{q: "what is english for 病历"},
		{q: "tell me more", more: true},
		{q: "详细一点", more: true},
		{q: "more duties"},
	}
	for _, tt := range tests {
		r := m.Classify(tt.q)
		if r.Topic != tt.topic || r.SmallTalk != tt.talk || r.LangRequest != tt.lang || r.More != tt.more {
			t.Errorf("Classify(%q): topic %q small talk %q lang %q more %v, want %q %q %q %v",
				tt.q, r.Topic, r.SmallTalk, r.LangRequest, r.More, tt.topic, tt.talk, tt.lang, tt.more)
		}
	}
}

// An insult is answered as what it is, not as a greeting.
func TestInsultIsNoGreeting(t *testing.T) {
	m := newMatcher(t)
	for _, q := range []string{"你好蠢", "you are useless", "你好笨啊"} {
		if r := m.Classify(q); r.Intent != OutOfScope || r.SmallTalk != Insult {
			t.Errorf("Classify(%q) = %s, small talk %q; want out of scope, an insult", q, r.Intent, r.SmallTalk)
		}
	}
	if r := m.Classify("你好"); r.Intent != Greeting {
		t.Errorf("Classify(你好) = %s, want greeting", r.Intent)
	}
}

// The recognisers the conversation core reads besides topics and small
// talk: scripts, comparisons, the occupation discussed, "all titles",
// "what's NOC?" and a move to another code.
func TestPhraseCues(t *testing.T) {
	m := newMatcher(t)
	type cues struct {
		script                                     Script
		compares, conversation, whole, titles, noc bool
		switchTo                                   string
	}
	tests := []struct {
		q    string
		want cues
	}{
		{"用繁體回答", cues{script: Traditional}},
		{"please reply in traditional chinese", cues{script: Traditional}},
		{"换成简体", cues{script: Simplified}},
		{"traditional duties", cues{}},
		{"what's the difference between 1252 and 1253?", cues{compares: true}},
		{"1252 vs 1253", cues{compares: true}},
		{"这个工作和1253有什么区别", cues{compares: true, conversation: true}},
		{"how do I defer payments", cues{}},
		{"does this job involve ICD?", cues{conversation: true}},
		{"do they code diseases", cues{conversation: true}},
		{"theyre", cues{}},
		{"all titles", cues{whole: true, titles: true}},
		{"全部职称", cues{whole: true, titles: true}},
		{"overall titled", cues{}},
		{"what's NOC?", cues{noc: true}},
		{"NOC是什么", cues{noc: true}},
		{"what is noc 1252", cues{}},
		{"ok, now 1252", cues{switchTo: "1252"}},
		{"back to 1253", cues{switchTo: "1253"}},
		{"回到1253", cues{switchTo: "1253"}},
		{"好的，现在看看1252", cues{switchTo: "1252"}},
		{"1252", cues{}},
		{"now 1252 duties", cues{}},
		{"back to 1252 or 1253", cues{}},
		{"回到家1252", cues{}},
	}
	for _, tt := range tests {
		r := m.Classify(tt.q)
		got := cues{r.ScriptRequest, r.Compares, r.AboutConversation, r.Whole, r.NamesTitles, r.AboutNOC, r.SwitchTo}
		if got != tt.want {
			t.Errorf("Classify(%q): %+v, want %+v", tt.q, got, tt.want)
		}
	}
}

func TestReadPhrasesErrors(t *testing.T) {
	for _, tt := range []struct {
		name, file, content, want string
	}{
		{"unknown kind", "colour.red.txt", "red\n", "name must be"},
		{"no value", "topic.txt", "pay\n", "name must be"},
		{"unknown value", "topic.weather.txt", "rain\n", `unknown topic "weather"`},
		{"no words", "topic.pay.txt", "# pay\nwage\n=!!\n", "data/topic.pay.txt:3"},
		{"mixed", "topic.pay.txt", "工资 salary\n", "data/topic.pay.txt:1: phrase"},
	} {
		fsys := fstest.MapFS{"data/" + tt.file: {Data: []byte(tt.content)}}
		_, err := readPhrases(fsys, "data", nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err %v, want it to say %q", tt.name, err, tt.want)
		}
	}
	if _, err := readPhrases(fstest.MapFS{}, "missing", nil); err == nil {
		t.Error("a missing directory read without an error")
	}
}

// Every shipped phrase file reads, and each says what it holds in a
// header.
func TestShippedPhraseFiles(t *testing.T) {
	norm, err := NewNormalizer(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := readPhrases(phrasesFS, phrasesDir, norm); err != nil {
		t.Fatal(err)
	}
	entries, _ := phrasesFS.ReadDir(phrasesDir)
	for _, e := range entries {
		data, _ := phrasesFS.ReadFile(phrasesDir + "/" + e.Name())
		if !strings.HasPrefix(string(data), "# ") {
			t.Errorf("%s has no header comment saying what it holds", e.Name())
		}
	}
}

// A question asked in the negative is marked so, on whole words; one that
// offers both ways ("有没有", "需不需要", "or not") is not.
func TestNegatedQuestions(t *testing.T) {
	m := newMatcher(t)
	tests := []struct {
		q    string
		want bool
	}{
		{"can I do this job without a diploma?", true},
		{"do I not need certification?", true},
		{"I don't have a degree, can I still apply?", true},
		{"没有文凭可以做吗", true},
		{"不需要大学文凭吗", true},
		{"无需考证吗", true},
		{"不用考试吗", true},
		{"沒有文憑可以做嗎", true}, // Traditional, read as Simplified
		{"can I work in a clinic?", false},
		{"do they need a license?", false},
		{"what is the notation for codes", false}, // "not" inside a word
		{"do I need a diploma or not?", false},
		{"有没有法语考试", false},
		{"需不需要文凭", false},
		{"要不要考证", false},
		{"必须考证吗", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := m.Classify(tt.q).Negated; got != tt.want {
			t.Errorf("Classify(%q).Negated = %v, want %v", tt.q, got, tt.want)
		}
	}
}

// A message that opens the way people describe their own job is marked,
// so the core can match what follows against every unit group's duties;
// one that asks about an occupation or the job of others is not.
func TestOwnJobCue(t *testing.T) {
	m := newMatcher(t)
	for _, tt := range []struct {
		q    string
		want bool
	}{
		{"my duties: answering phones, booking appointments", true},
		{"My job is loading trucks and checking the manifests", true},
		{"I work as a cashier and I also stock the shelves", true},
		{"in my job I repair furnaces and install ductwork", true},
		{"I'm responsible for payroll and month-end reports", true},
		{"我的工作是给病历编码", true},
		{"我负责仓库的进货和盘点", true},
		{"我平时的工作就是修电脑、装系统", true},
		{"what are the duties of a nurse", false},
		{"does this job involve ICD?", false},
		{"他的工作是什么", false},
		{"1252 的主要职责", false},
		{"workers duties", false},
	} {
		if got := m.Classify(tt.q).OwnJob; got != tt.want {
			t.Errorf("Classify(%q).OwnJob = %v, want %v", tt.q, got, tt.want)
		}
	}
}

// A title's word used as no job ("a master's degree") names no occupation;
// the same word beside another word of the title still does.
func TestNoTitlePhrases(t *testing.T) {
	norm, err := NewNormalizer(nil)
	if err != nil {
		t.Fatal(err)
	}
	book, err := readPhrases(phrasesFS, phrasesDir, norm)
	if err != nil {
		t.Fatal(err)
	}
	deck := []knowledge.TitleMatch{
		{Code: "72602", Title: knowledge.Text{EN: "master - inland waters"}},
		{Code: "72602", Title: knowledge.Text{EN: "master mariner"}},
	}
	for _, tt := range []struct {
		q    string
		want []string // titles kept
	}{
		{"Is a master's degree required?", nil},
		{"do I need a masters degree", nil},
		{"Do I need a master degree for this?", nil},
		{"I am a master mariner with a master's degree", []string{"master mariner"}},
		// No phrase of the kind: titles are as found.
		{"what does a master do", []string{"master - inland waters", "master mariner"}},
	} {
		tokens := norm.Tokens(tt.q)
		f := book.find(tokens, strings.Join(tokens, " "))
		var got []string
		for _, ti := range book.withoutNoTitles(deck, tokens, &f) {
			got = append(got, ti.Title.EN)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%q: titles kept %q, want %q", tt.q, got, tt.want)
		}
	}
}
