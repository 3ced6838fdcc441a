package bot

import (
	"bytes"
	"context"
	"log/slog"
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
		if q.Intent != intents.Match || q.Text != "12111 12112" {
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
