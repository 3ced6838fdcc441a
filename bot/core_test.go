package bot

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/seeds"
)

// The matcher takes tens of milliseconds to train: share one per profile
// set across tests.
var (
	fixtureOnce sync.Once
	oneLib      *knowledge.Library
	twoLib      *knowledge.Library
	oneMatcher  *intents.Matcher
	twoMatcher  *intents.Matcher
	fixtureErr  error
)

func loadFixtures(t testing.TB) {
	t.Helper()
	fixtureOnce.Do(func() {
		seed, err := fs.ReadFile(seeds.FS(), "000_cf489acd30f463c5.txt")
		if err != nil {
			fixtureErr = err
			return
		}
		extra, err := os.ReadFile("../knowledge/testdata/fixture/1253_test_fixture.txt")
		if err != nil {
			fixtureErr = err
			return
		}
		one, err := knowledge.LoadSeeds(fstest.MapFS{"1252.txt": {Data: seed}})
		if err != nil {
			fixtureErr = err
			return
		}
		two, err := knowledge.LoadSeeds(fstest.MapFS{"1252.txt": {Data: seed}, "1253.txt": {Data: extra}})
		if err != nil {
			fixtureErr = err
			return
		}
		data, err := intents.TrainingData()
		if err != nil {
			fixtureErr = err
			return
		}
		oneLib, twoLib = knowledge.NewLibrary(one.Profiles), knowledge.NewLibrary(two.Profiles)
		if oneMatcher, fixtureErr = intents.NewMatcher(data, oneLib); fixtureErr != nil {
			return
		}
		twoMatcher, fixtureErr = intents.NewMatcher(data, twoLib)
	})
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
}

func newTestCore(t testing.TB, profiles int, cfg Config) *Core {
	t.Helper()
	loadFixtures(t)
	if profiles == 2 {
		return New(twoLib, twoMatcher, cfg)
	}
	return New(oneLib, oneMatcher, cfg)
}

// harness drives the core like one user in one chat.
type harness struct {
	t    *testing.T
	core *Core
	user Message
	last Reply
}

func (h *harness) say(text string) Reply {
	m := h.user
	m.Text = text
	h.last = h.core.Handle(context.Background(), m)
	return h.last
}

func (h *harness) press(label string) Reply {
	h.t.Helper()
	for _, b := range h.last.Buttons {
		if b.Label == label || strings.HasPrefix(b.Label, label) {
			m := h.user
			m.Button = b.Data
			h.last = h.core.Handle(context.Background(), m)
			return h.last
		}
	}
	h.t.Fatalf("no button %q in %v", label, h.last.Buttons)
	return Reply{}
}

// text is everything a reply says, for assertions.
func text(r Reply) string {
	var b strings.Builder
	for _, bl := range r.Blocks {
		b.WriteString(bl.Text + "\n" + bl.URL + "\n")
		for _, it := range bl.Items {
			b.WriteString(it + "\n")
		}
	}
	return b.String()
}

type step struct {
	say, press string
	lang       knowledge.Lang
	intent     intents.Intent
	has        []string
	hasNot     []string
	buttons    []string // labels the reply must offer
}

func runTranscript(t *testing.T, core *Core, user Message, steps []step) {
	h := &harness{t: t, core: core, user: user}
	for i, s := range steps {
		var r Reply
		if s.press != "" {
			r = h.press(s.press)
		} else {
			r = h.say(s.say)
		}
		what := s.say + s.press
		if s.lang != "" && r.Lang != s.lang {
			t.Errorf("step %d %q: lang %s, want %s", i+1, what, r.Lang, s.lang)
		}
		if s.intent != "" && r.Intent != s.intent {
			t.Errorf("step %d %q: intent %s, want %s", i+1, what, r.Intent, s.intent)
		}
		body := text(r)
		for _, w := range s.has {
			if !strings.Contains(body, w) {
				t.Errorf("step %d %q: reply lacks %q:\n%s", i+1, what, w, body)
			}
		}
		for _, w := range s.hasNot {
			if strings.Contains(body, w) {
				t.Errorf("step %d %q: reply has %q:\n%s", i+1, what, w, body)
			}
		}
		for _, want := range s.buttons {
			found := false
			for _, b := range r.Buttons {
				found = found || strings.HasPrefix(b.Label, want)
				if len(b.Data) > MaxButtonData {
					t.Errorf("step %d: button data %q over %d bytes", i+1, b.Data, MaxButtonData)
				}
			}
			if !found {
				t.Errorf("step %d %q: no button %q in %v", i+1, what, want, r.Buttons)
			}
		}
	}
}

func TestTranscriptEnglishOneProfile(t *testing.T) {
	core := newTestCore(t, 1, Config{})
	runTranscript(t, core, Message{Platform: "test", Chat: "c1", User: "u1"}, []step{
		{say: "hello", lang: knowledge.EN, intent: intents.Greeting, has: []string{"Hello", "NOC 1252"}, buttons: []string{"Overview", "Duties"}},
		{say: "what do they do?", intent: intents.Description, has: []string{"Health information management occupations (NOC 1252)", "collect, code, record, review and manage health information"}},
		{say: "what about education?", intent: intents.Requirements, has: []string{"two year college diploma program", "NOC 1252"}, buttons: []string{"Advancement"}},
		{say: "and how to advance?", intent: intents.Advancement, has: []string{"Progression to supervisory positions"}},
		{say: "用中文回答", lang: knowledge.ZH, intent: intents.Advancement, has: []string{"随着经验积累，有可能晋升为主管职位。"}},
		{press: "相关职业", lang: knowledge.ZH, intent: intents.Related, has: []string{"健康记录员 — NOC 1411 一般办公室支援工人"}, buttons: []string{"职称头衔"}},
		{press: "职称头衔", lang: knowledge.ZH, intent: intents.Titles, has: []string{"病历部门主管（medical records unit supervisor）"}},
		{say: "how much do they earn?", lang: knowledge.ZH, intent: intents.OutOfScope, has: []string{"薪资"}, hasNot: []string{"病历", "文凭"}},
		{say: "/lang en", lang: knowledge.EN},
		{say: "titles", intent: intents.Titles, has: []string{"Example titles", "health records technician"}, hasNot: []string{"classifier, health records"}, buttons: []string{"All titles"}},
		{say: "tell me more", intent: intents.Titles, has: []string{"All 17 titles", "classifier, health records"}},
		{say: "what is the NOC code for health records clerks", intent: intents.Lookup, has: []string{"NOC 1411", "not in"}},
		{say: "what is the noc code of a software engineer", intent: intents.Lookup, has: []string{"None of the occupation profiles"}, hasNot: []string{"is a job title in NOC"}},
		{say: "where does this come from", intent: intents.Source, has: []string{"http://www5.hrsdc.gc.ca/NOC/English/NOC/2011/Profile.aspx?val=1&val1=1252"}},
		{say: "/frobnicate", has: []string{"I don't know the command /frobnicate", "/duties"}},
		{say: "thanks!", intent: intents.Thanks},
	})
}

func TestTranscriptChineseTwoProfiles(t *testing.T) {
	core := newTestCore(t, 2, Config{})
	runTranscript(t, core, Message{Platform: "test", Chat: "c2", User: "u2"}, []step{
		{say: "你好", lang: knowledge.ZH, intent: intents.Greeting, has: []string{"你好"}, buttons: []string{"1252", "1253"}},
		{say: "有哪些职责？", lang: knowledge.ZH, intent: intents.Duties, has: []string{"你问的是哪个职业？"}, hasNot: []string{"根据建立的分类系统"}, buttons: []string{"1252", "1253"}},
		{press: "1253", lang: knowledge.ZH, intent: intents.Duties, has: []string{"保管和检索记录", "NOC 1253"}},
		{say: "需要什么学历", intent: intents.Requirements, has: []string{"记录管理的大学课程"}},
		{say: "1252", intent: intents.Requirements, has: []string{"两年的健康信息管理或健康记录技术大学文凭课程"}},
		{say: "in English please", lang: knowledge.EN, intent: intents.Requirements, has: []string{"two year college diploma program"}},
		{say: "what's the weather like tomorrow?", lang: knowledge.EN, intent: intents.OutOfScope, hasNot: []string{"diploma"}},
		{say: "how do I get promoted", lang: knowledge.EN, intent: intents.Advancement, has: []string{"NOC 1252", "Progression to management positions"}},
		{say: "what about 1253?", intent: intents.Advancement, has: []string{"NOC 1253", "says nothing about advancement"}},
		{say: "/noc 9999", has: []string{"no profile for NOC 9999"}, buttons: []string{"1252", "1253"}},
		{say: "/noc 1411", has: []string{"no profile for NOC 1411", "General office support workers"}},
	})
}

// A title the profiles word differently gets the titles that share its
// distinctive words; a question that only looks short does not.
func TestUnknownTitleSuggestions(t *testing.T) {
	core := newTestCore(t, 1, Config{})
	coders := []string{"health records management coder — NOC 1252", "health information management coder — NOC 1252"}
	runTranscript(t, core, Message{Platform: "test", Chat: "c3", User: "u3"}, []step{
		{say: "medical coder", lang: knowledge.EN, intent: intents.OutOfScope, has: append([]string{"Job titles with similar words"}, coders...),
			buttons: []string{"1252 Health information management occupations"}},
		{say: "what is the noc code for a medical coder", intent: intents.Lookup, has: append([]string{"None of the occupation profiles"}, coders...),
			hasNot: []string{"The profiles I have"}},
		{say: "编码员", lang: knowledge.ZH, intent: intents.OutOfScope, has: []string{"含有相近字词的职称", "健康档案管理编码人员 — NOC 1252"}},
		{say: "software engineer", lang: knowledge.EN, intent: intents.OutOfScope, has: []string{"None of the occupation profiles I have is about “engineer”"},
			hasNot: []string{"similar words"}, buttons: []string{"1252 Health information management occupations"}},
		{say: "how much does a coder earn", intent: intents.OutOfScope, has: []string{"salary"}, hasNot: []string{"similar words"}},
		{say: "what's the weather like for coders in the summer of next year", intent: intents.OutOfScope, hasNot: []string{"similar words"}},
	})
}

// A question about an occupation no profile covers is not answered from
// another occupation's profile.
func TestUnknownOccupation(t *testing.T) {
	core := newTestCore(t, 1, Config{})
	runTranscript(t, core, Message{Platform: "test", Chat: "c4", User: "u4"}, []step{
		{say: "what education does a dentist need", lang: knowledge.EN, intent: intents.Requirements,
			has:    []string{"None of the occupation profiles I have is about “dentist”", "Health information management occupations (NOC 1252)"},
			hasNot: []string{"diploma"}, buttons: []string{"1252 Health information management occupations"}},
		{press: "1252", intent: intents.Requirements, has: []string{"two year college diploma program"}},
		{say: "how do nurses get promoted", intent: intents.Advancement, has: []string{"about “nurse”"}, hasNot: []string{"Progression"}},
		{say: "护士需要什么学历", lang: knowledge.ZH, intent: intents.Requirements, has: []string{"没有关于“护士”的"}, hasNot: []string{"文凭"}},
		{say: "外科医生怎么晋升", intent: intents.Advancement, has: []string{"没有关于“外科医生”的"}, hasNot: []string{"卫生信息管理医生"}},
		{say: "what are the duties", lang: knowledge.EN, intent: intents.Duties, has: []string{"Classify and code diseases"}},
		{say: "what about nurses?", intent: intents.Duties, has: []string{"about “nurse”"}, hasNot: []string{"Classify and code diseases"}},
		{press: "1252", intent: intents.Duties, has: []string{"Classify and code diseases"}},
		// Known titles and generic ranks stay questions about the profile.
		{say: "what does a medical records technician do", lang: knowledge.EN, intent: intents.Description, has: []string{"collect, code, record"}},
		{say: "how do I become a manager", intent: intents.Advancement, has: []string{"Progression to management positions"}},
		{say: "what do they do", intent: intents.Description, has: []string{"collect, code, record"}},
		{say: "卫生信息管理医生需要什么学历", lang: knowledge.ZH, intent: intents.Requirements, has: []string{"文凭"}},
		{say: "I am a nurse, what education do I need?", lang: knowledge.EN, intent: intents.Requirements, has: []string{"two year college diploma"}},
	})
}

// With many profiles, replies name a bounded number of them.
func TestManyProfilesBounded(t *testing.T) {
	loadFixtures(t)
	base := twoLib.Profiles()[1] // the 1253 fixture
	var profiles []knowledge.Profile
	for i := range 40 {
		p := base
		p.Code = fmt.Sprintf("%d", 7000+i)
		p.Title = knowledge.Text{EN: fmt.Sprintf("Test occupation %d", i), ZH: fmt.Sprintf("测试职业%d", i)}
		profiles = append(profiles, p)
	}
	lib := knowledge.NewLibrary(profiles)
	data, err := intents.TrainingData()
	if err != nil {
		t.Fatal(err)
	}
	m, err := intents.NewMatcher(data, lib)
	if err != nil {
		t.Fatal(err)
	}
	core := New(lib, m, Config{})
	h := &harness{t: t, core: core, user: Message{Platform: "test", Chat: "c", User: "u"}}
	for _, q := range []string{"what is the noc code of a software engineer", "what do they do?", "/noc 9999", "hello", "/help"} {
		r := h.say(q)
		if len(r.Buttons) > maxChoiceButtons {
			t.Errorf("%q: %d buttons", q, len(r.Buttons))
		}
		listed := strings.Count(text(r), "Test occupation")
		if listed > maxListedProfiles {
			t.Errorf("%q names %d profiles", q, listed)
		}
	}
	if body := text(h.say("what is the noc code of a software engineer")); !strings.Contains(body, "and 30 more") {
		t.Errorf("the profile list does not say how many more there are:\n%s", body)
	}
}

// Language switches and "more" in the words people use.
func TestLanguageAndMoreRequests(t *testing.T) {
	runTranscript(t, newTestCore(t, 1, Config{}), Message{Platform: "test", Chat: "c7", User: "u7"}, []step{
		{say: "需要什么学历", lang: knowledge.ZH, intent: intents.Requirements},
		{say: "说英文", lang: knowledge.EN, intent: intents.Requirements, has: []string{"two year college diploma"}},
		{say: "再详细一点", lang: knowledge.EN, intent: intents.Requirements, has: []string{"That is all the profile"}, buttons: []string{"Advancement"}},
		{say: "中文版", lang: knowledge.ZH, intent: intents.Requirements, has: []string{"文凭"}},
		{say: "titles", lang: knowledge.ZH, intent: intents.Titles}, // pinned: stays Chinese
		{say: "更详细一点", lang: knowledge.ZH, intent: intents.Titles, has: []string{"全部17个职称"}},
		{say: "switch to english", lang: knowledge.EN},
	})
}

// "I'd like to know about <title>" names a known title in words the
// matcher cannot place: it is answered with where the title belongs, and
// the conversation is about that profile from then on.
func TestTitleInUnplacedWords(t *testing.T) {
	runTranscript(t, newTestCore(t, 2, Config{}), Message{Platform: "test", Chat: "c9", User: "u9"}, []step{
		{say: "我想了解病历技师", lang: knowledge.ZH, intent: intents.Lookup, has: []string{"NOC 1252"}, hasNot: []string{"没有这个职位名称", "含有相近字词"}},
		{say: "他们的工作内容是什么", intent: intents.Duties, has: []string{"NOC 1252"}, hasNot: []string{"你问的是哪个职业"}},
		{say: "工资怎么样", intent: intents.OutOfScope, has: []string{"薪资"}},
	})
}

func TestSmallTalk(t *testing.T) {
	runTranscript(t, newTestCore(t, 1, Config{}), Message{Platform: "test", Chat: "c8", User: "u8"}, []step{
		{say: "who are you?", lang: knowledge.EN, intent: intents.Help, has: []string{"I answer questions about Canadian NOC occupations"}},
		{say: "what are the duties", intent: intents.Duties},
		{say: "ok", intent: intents.Thanks, has: []string{"Anything else"}, hasNot: []string{"not something"}, buttons: []string{"Overview"}},
		{say: "bye!", intent: intents.Thanks, has: []string{"Goodbye"}},
		{say: "好的", lang: knowledge.ZH, intent: intents.Thanks, has: []string{"还想了解"}, hasNot: []string{"你好"}},
		{say: "你是谁", intent: intents.Help, has: []string{"我根据加拿大 NOC 官方职业档案回答问题"}},
		{say: "再见", intent: intents.Thanks, has: []string{"再见"}},
		{say: "ok what education do I need", lang: knowledge.EN, intent: intents.Requirements}, // a question, not small talk
	})
}

// A question that asks for several sections gets them all, in order.
func TestCompoundQuestions(t *testing.T) {
	runTranscript(t, newTestCore(t, 1, Config{}), Message{Platform: "test", Chat: "c5", User: "u5"}, []step{
		{say: "what do they do and what education do they need?", lang: knowledge.EN, intent: intents.Description,
			has: []string{"collect, code, record", "Employment requirements", "two year college diploma"}, hasNot: []string{"Main duties"},
			buttons: []string{"Advancement"}},
		{say: "what about 1252?", intent: intents.Requirements}, // follow-ups continue from the last section
		{say: "他们做什么，怎么晋升？", lang: knowledge.ZH, intent: intents.Description, has: []string{"卫生信息管理技术人员及有关人员收集", "晋升与发展"}},
		{say: "what education and certification do they need", lang: knowledge.EN, intent: intents.Requirements, hasNot: []string{"collect, code, record"}},
	})
	runTranscript(t, newTestCore(t, 2, Config{}), Message{Platform: "test", Chat: "c6", User: "u6"}, []step{
		{say: "duties and requirements", intent: intents.Duties, has: []string{"Which occupation"}, buttons: []string{"1252", "1253"}},
		{press: "1253", intent: intents.Duties, has: []string{"Keep and retrieve records", "college program in records management"}},
	})
}

func TestPlatformLanguageIsTheDefault(t *testing.T) {
	core := newTestCore(t, 1, Config{})
	runTranscript(t, core, Message{Platform: "telegram", Chat: "c", User: "u", UserLang: "zh-hans"}, []step{
		{say: "/duties", lang: knowledge.ZH, intent: intents.Duties, has: []string{"主要职责"}},
		{say: "1252", lang: knowledge.ZH},                                        // no words: stays Chinese
		{say: "what are the duties", lang: knowledge.EN, intent: intents.Duties}, // the question's language wins
		{say: "/education", lang: knowledge.EN},                                  // and stays
	})
}

func TestHostileInput(t *testing.T) {
	core := newTestCore(t, 2, Config{})
	inputs := []Message{
		{Text: ""}, {Text: "   "}, {Text: strings.Repeat("x", 1<<20)}, {Text: "\xff\xfe\x00"},
		{Text: "<script>alert(1)</script>"}, {Text: "'; DROP TABLE profiles; --"},
		{Text: "/"}, {Text: "/noc " + strings.Repeat("9", 5000)}, {Text: "/lang klingon"},
		{Button: "i:nonsense:1252"}, {Button: "i:duties:0000"}, {Button: "garbage"}, {Button: strings.Repeat("a", 10000)},
		{Button: "i:duties+nonsense:1252"}, {Button: "i:duties+duties+duties+duties+duties:1252"}, {Button: "i:help+duties:1252"},
		{Button: "i:duties+lookup:1252"}, {Button: "i:+:1252"}, {Button: "i:duties+:1252"},
	}
	for i, m := range inputs {
		m.Platform, m.Chat, m.User = "test", "hostile", "u"
		checkReply(t, fmt.Sprintf("input %d", i), core.Handle(context.Background(), m))
	}
}

// checkReply holds for every reply: something to say, a known language,
// buttons a platform accepts.
func checkReply(t *testing.T, what string, r Reply) {
	t.Helper()
	if len(r.Blocks) == 0 {
		t.Fatalf("%s: empty reply", what)
	}
	if r.Lang != knowledge.EN && r.Lang != knowledge.ZH {
		t.Fatalf("%s: language %q", what, r.Lang)
	}
	for _, b := range r.Buttons {
		if b.Label == "" || b.Data == "" || len(b.Data) > MaxButtonData || !utf8.ValidString(b.Label) {
			t.Fatalf("%s: button %+v", what, b)
		}
	}
	for _, bl := range r.Blocks {
		if !utf8.ValidString(bl.Text) {
			t.Fatalf("%s: invalid UTF-8 in %q", what, bl.Text)
		}
	}
}

// Any text, then any button the reply offers, gives a well-formed reply.
func FuzzHandle(f *testing.F) {
	for _, s := range []string{"what do they do", "需要什么学历？", "medical coder", "编码员", "what education does a dentist need",
		"护士呢", "/noc 1253", "what do they do and what education do they need", "职责和学历", "/lang zh", "tell me more", "\xff<b>", "what is the noc code for a software engineer", ""} {
		f.Add(s)
	}
	core := newTestCore(f, 2, Config{})
	f.Fuzz(func(t *testing.T, text string) {
		user := Message{Platform: "fuzz", Chat: "c", User: "u"}
		m := user
		m.Text = text
		r := core.Handle(context.Background(), m)
		checkReply(t, fmt.Sprintf("%q", text), r)
		for _, b := range r.Buttons {
			m := user
			m.Button = b.Data
			checkReply(t, fmt.Sprintf("%q then %q", text, b.Data), core.Handle(context.Background(), m))
		}
	})
}

func TestSessionsBounded(t *testing.T) {
	now := time.Unix(0, 0)
	clock := func() time.Time { return now }
	s := newSessions(1000, time.Hour, clock)
	for i := range 100000 {
		s.put("user"+strconvItoa(i), session{Profile: "1252"})
	}
	if n := s.len(); n != 1000 {
		t.Errorf("%d sessions kept, want the capacity 1000", n)
	}
	if _, ok := s.get("user0"); ok {
		t.Error("the least recently used session was not evicted")
	}
	if _, ok := s.get("user99999"); !ok {
		t.Error("the newest session is gone")
	}
	now = now.Add(2 * time.Hour)
	if _, ok := s.get("user99999"); ok {
		t.Error("a session outlived its time to live")
	}
	s.put("fresh", session{})
	if n := s.len(); n != 1 {
		t.Errorf("%d sessions after expiry, want only the fresh one", n)
	}
}

func TestSessionExpiryForgetsLanguage(t *testing.T) {
	now := time.Unix(0, 0)
	core := newTestCore(t, 1, Config{SessionTTL: time.Minute, Now: func() time.Time { return now }})
	h := &harness{t: t, core: core, user: Message{Platform: "test", Chat: "c", User: "u"}}
	h.say("/lang zh")
	if r := h.say("1252"); r.Lang != knowledge.ZH {
		t.Fatalf("lang %s, want zh", r.Lang)
	}
	now = now.Add(2 * time.Minute)
	if r := h.say("1252"); r.Lang != knowledge.EN {
		t.Errorf("after expiry lang %s, want the default en", r.Lang)
	}
}

func strconvItoa(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(b[n:])
		}
	}
}

func TestManyUsersThroughCore(t *testing.T) {
	core := newTestCore(t, 1, Config{MaxSessions: 500})
	ctx := context.Background()
	for i := range 100000 {
		// Button presses skip the classifier: this is about sessions.
		core.Handle(ctx, Message{Platform: "test", Chat: "c", User: strconvItoa(i), Button: "i:duties:1252"})
	}
	if n := core.sessions.len(); n != 500 {
		t.Errorf("%d sessions after 100,000 users, want the bound 500", n)
	}
}

// BenchmarkHandleSection measures a typed section question end to end
// through the core: classification, profile choice, answer. It reports the
// median and 99th percentile per message besides the mean.
func BenchmarkHandleSection(b *testing.B) {
	core := newTestCore(b, 1, Config{})
	msgs := []Message{
		{Platform: "bench", Chat: "c", User: "u", Text: "what are the duties"},
		{Platform: "bench", Chat: "c", User: "u", Text: "需要什么学历"},
		{Platform: "bench", Chat: "c", User: "u", Text: "how do I get promoted?"},
	}
	ctx := context.Background()
	var took []time.Duration
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		core.Handle(ctx, msgs[i%len(msgs)])
		took = append(took, time.Since(start))
	}
	reportPercentiles(b, took)
}

func reportPercentiles(b *testing.B, took []time.Duration) {
	if len(took) == 0 {
		return
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkSessionMemory reports the heap one remembered conversation costs.
func BenchmarkSessionMemory(b *testing.B) {
	const n = 10000
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		s := newSessions(n, time.Hour, time.Now)
		for i := range n {
			s.put("telegram\x00"+strconvItoa(1_000_000_000+i)+"\x00"+strconvItoa(i), session{Lang: knowledge.ZH, Profile: "1252", LastIntent: intents.Duties, More: "all:1252"})
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/session")
		runtime.KeepAlive(s)
	}
}
