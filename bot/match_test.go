package bot

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/knowledge/jobmatch"
)

// fakeJobs answers every description with the same result and remembers
// the descriptions it was given.
type fakeJobs struct {
	mu    sync.Mutex
	r     jobmatch.Result
	asked []string
}

func (f *fakeJobs) Match(description string, k int) jobmatch.Result {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, description)
	return f.r
}

type recordedLog struct {
	mu sync.Mutex
	qs []LoggedQuestion
}

func (l *recordedLog) Record(_ context.Context, q LoggedQuestion) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.qs = append(l.qs, q)
	return nil
}

// A description of someone's own job is theirs: the question log keeps
// the intent and the codes matched, and the debug log not its text.
func TestMatchLogsOnlyIntentAndCodes(t *testing.T) {
	description := "I code diagnoses from patient charts, secret-ish detail 4471"
	var logs recordedLog
	jobs := &fakeJobs{r: goodResult()}
	if !jobs.r.Good() {
		t.Fatal("the fake result is not good enough to be offered")
	}
	core := newTestCore(t, 1, Config{Log: &logs, Jobs: jobs})
	var debug bytes.Buffer
	h := Observe(core, nil, slog.New(slog.NewTextHandler(&debug, &slog.HandlerOptions{Level: slog.LevelDebug})), nil)
	for _, text := range []string{"/match " + description, "/match\n" + description} {
		r := h.Handle(context.Background(), Message{Platform: "test", Chat: "c", User: "u", Text: text})
		if r.Intent != intents.Match || !r.Answered {
			t.Fatalf("%q: intent %s answered %v", text, r.Intent, r.Answered)
		}
		if !strings.Contains(replyText(r), "12111 Health information management occupations (TEER 2)") {
			t.Errorf("%q: reply\n%s", text, replyText(r))
		}
	}
	if len(jobs.asked) != 2 || jobs.asked[0] != description || jobs.asked[1] != description {
		t.Errorf("matcher asked %q, want the description twice", jobs.asked)
	}
	for _, q := range logs.qs {
		if q.Intent != intents.Match || q.Text != "12111" {
			t.Errorf("logged %+v, want the match intent and the codes only", q)
		}
	}
	if strings.Contains(debug.String(), "4471") {
		t.Errorf("the description reached the log:\n%s", debug.String())
	}
}

func goodResult() jobmatch.Result {
	x := jobmatch.New([]knowledge.Profile{
		{Code: "12111", Title: knowledge.Text{EN: "Health information management occupations"}, TEER: 2, HasTEER: true,
			Classification: knowledge.NOC2021, Lead: knowledge.Text{EN: "Health information management workers code health records."},
			Duties: []knowledge.Text{{EN: "Classify and code diagnoses from patient charts"}, {EN: "Abstract clinical data"}}},
		{Code: "12112", Title: knowledge.Text{EN: "Records management technicians"}, TEER: 2, HasTEER: true,
			Classification: knowledge.NOC2021, Lead: knowledge.Text{EN: "Records management technicians keep records."},
			Duties: []knowledge.Text{{EN: "Classify and code records"}}},
	}, nil)
	return x.Match("I code diagnoses from patient charts", 3)
}

// /match with nothing after it, and a description that matches nothing
// well, ask for the duties; neither is answered with a guess.
func TestMatchAsksForDuties(t *testing.T) {
	core := newTestCore(t, 1, Config{Jobs: &fakeJobs{r: jobmatch.Result{Phrases: 1, Words: 1, Known: 1}}})
	for _, text := range []string{"/match", "/match hmm"} {
		r := core.Handle(context.Background(), Message{Platform: "test", Chat: "c", User: text, Text: text})
		if r.Intent != intents.Match || r.Answered || !strings.Contains(replyText(r), "Please list your main duties") {
			t.Errorf("%q: intent %s answered %v:\n%s", text, r.Intent, r.Answered, replyText(r))
		}
	}
}

// ownJobIndex matches descriptions against three small unit groups, with
// Chinese read through a term list of its own.
func ownJobIndex(t *testing.T) *jobmatch.Index {
	t.Helper()
	terms, err := jobmatch.ParseTerms("terms.tsv", []byte("接电话\tanswer phones\n预约\tbook appointments\n病历\tpatient charts\n编码\tcode classify\n"))
	if err != nil {
		t.Fatal(err)
	}
	group := func(code, title string, teer int, lead string, duties ...string) knowledge.Profile {
		p := knowledge.Profile{Code: code, Title: knowledge.Text{EN: title}, TEER: teer, HasTEER: true,
			Classification: knowledge.NOC2021, Lead: knowledge.Text{EN: lead}}
		for _, d := range duties {
			p.Duties = append(p.Duties, knowledge.Text{EN: d})
		}
		return p
	}
	return jobmatch.New([]knowledge.Profile{
		group("14101", "Receptionists", 4, "Receptionists greet people and answer phones.",
			"Answer phones and forward calls", "Book and confirm appointments", "Greet visitors and direct them"),
		group("12111", "Health information management occupations", 2, "Health information management workers code health records.",
			"Classify and code diagnoses from patient charts", "Abstract clinical data"),
		group("31301", "Registered nurses", 1, "Registered nurses care for patients.",
			"Assess patients and give medications", "Teach patients and their families about their care"),
	}, terms)
}

// A message that opens like a description of one's own job and lists
// duties is matched, whatever intent its words suggest ("my duties:" is
// read as a question about duties); one whose words match no duty stays
// the question it asks.
func TestOwnJobIsMatched(t *testing.T) {
	core := newTestCore(t, 1, Config{Jobs: ownJobIndex(t)})
	for _, tt := range []struct {
		text  string
		match bool
	}{
		{"my duties: answering phones, booking appointments", true},
		{"My job is answering phones and booking appointments for clients", true},
		{"in my job I answer phones and greet visitors", true},
		{"我平时的工作是接电话，安排预约", true},
		// A Chinese description with no opening is read by its length in
		// words, not in spaces.
		{"在诊所前台接电话，帮客人预约时间，接待来访的客人，每天都很忙", true},
		{"I work as a cashier and I answer phones and greet visitors", true},
		{"I work as a nurse, what is the TEER?", false},
		// A question about another section asks what it asks.
		{"in my job I answer phones and book appointments, what education do I need?", false},
		{"what are the duties?", false},
	} {
		r := core.Handle(context.Background(), Message{Platform: "test", Chat: "c", User: tt.text, Text: tt.text})
		text := replyText(r)
		if got := r.Intent == intents.Match && r.Answered && strings.Contains(text, "14101"); got != tt.match {
			t.Errorf("%q: intent %s answered %v, matched 14101 %v, want %v:\n%s", tt.text, r.Intent, r.Answered, got, tt.match, text)
		}
	}
}

// After the best group, a match lists only groups with a duty of their
// own matched, and no phrase is shown beside a duty it does not match.
func TestMatchListsNoWeakGuesses(t *testing.T) {
	core := newTestCore(t, 1, Config{Jobs: ownJobIndex(t)})
	r := core.Handle(context.Background(), Message{Platform: "test", Chat: "c", User: "u",
		Text: "/match I code diagnoses from patient charts and abstract clinical data"})
	text := replyText(r)
	if r.Intent != intents.Match || !r.Answered || !strings.Contains(text, "1. 12111 ") {
		t.Fatalf("intent %s answered %v, want 12111 first:\n%s", r.Intent, r.Answered, text)
	}
	for _, weak := range []string{"31301", "14101", "Assess patients", "Teach patients"} {
		if strings.Contains(text, weak) {
			t.Errorf("the reply shows %q, which matched none of the duties:\n%s", weak, text)
		}
	}
	if len(r.Buttons) != 1 {
		t.Errorf("buttons %+v, want the one group offered", r.Buttons)
	}
}

// A group matched through the words people use for a job, with no duty
// sentence of its own matched, is shown with its lead statement to check
// against: the Chinese one where the profile has it.
func TestMatchWithoutDutyShowsTheLead(t *testing.T) {
	dir := os.DirFS("../knowledge/testdata/noc2021")
	lib, err := knowledge.LoadLibrary(os.DirFS("../knowledge/testdata/fixture"), dir, dir)
	if err != nil {
		t.Fatal(err)
	}
	everyday, err := jobmatch.ParseEveryday("e.tsv", []byte("12111\tmeditech | dad submissions | chart completion queue | 病案室 | 出院小结\n"))
	if err != nil {
		t.Fatal(err)
	}
	var profiles []knowledge.Profile
	var lead string
	for _, p := range lib.Profiles() {
		if p.Code == "12111" {
			lead = p.Lead.EN
			p.Lead.ZH = "卫生信息管理人员为健康记录编码。"
		}
		profiles = append(profiles, p)
	}
	core := newTestCore(t, 1, Config{Jobs: jobmatch.New(profiles, everyday)})
	for _, tt := range []struct{ text, want string }{
		{"/match I work the chart completion queue in Meditech. I fix the DAD submissions before the deadline.", "NOC: “" + lead + "”"},
		{"/match 我在病案室整理出院小结。下午在病案室核对出院小结。", "NOC 概述：“卫生信息管理人员为健康记录编码。”"},
	} {
		r := core.Handle(context.Background(), Message{Platform: "test", Chat: "c", User: tt.text, Text: tt.text})
		if text := replyText(r); lead == "" || !r.Answered || !strings.Contains(text, "1. 12111 ") || !strings.Contains(text, tt.want) {
			t.Errorf("%q: answered %v, want 12111 with %q:\n%s", tt.text, r.Answered, tt.want, text)
		}
	}
}

// /match's own words are written in a script as a question is: Traditional
// words get a Traditional answer, Simplified words a Simplified one.
func TestMatchCommandAnswersInItsScript(t *testing.T) {
	core := newTestCore(t, 1, Config{Jobs: ownJobIndex(t)})
	for _, tt := range []struct{ text, want string }{
		{"/match 我平時的工作是接電話，安排預約，接待來訪的客人", "與你描述的職責最接近的"},
		{"/match 我平时的工作是接电话，安排预约，接待来访的客人", "与你描述的职责最接近的"},
	} {
		r := core.Handle(context.Background(), Message{Platform: "test", Chat: "c", User: "u", Text: tt.text})
		if text := replyText(r); !strings.Contains(text, tt.want) || !strings.Contains(text, "14101") {
			t.Errorf("%q: want %q and 14101:\n%s", tt.text, tt.want, text)
		}
	}
}
