package questions

import (
	"strings"
	"testing"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/knowledge/jobmatch"
)

// A message the core matched against the unit groups' duties is someone's
// own job: however it is answered (a match, a question about duties, out
// of scope when it matched nothing well), neither the question log nor
// the debug log keeps a word of it.
func TestDescriptionsAreNotLogged(t *testing.T) {
	receptionists := knowledge.Profile{Code: "14101", Title: knowledge.Text{EN: "Receptionists"}, TEER: 4, HasTEER: true,
		Classification: knowledge.NOC2021, Lead: knowledge.Text{EN: "Receptionists greet people and answer phones."},
		Duties: []knowledge.Text{{EN: "Answer phones and forward calls"}, {EN: "Book and confirm appointments"}}}
	jobs := jobmatch.New([]knowledge.Profile{receptionists}, nil)
	for _, tt := range []struct {
		name, text, secret string
	}{
		// A posting long enough to be matched; it matches nothing well and
		// is answered as out of scope.
		{"out of scope", "Looking for a team player at Quillomarsh who loves the outdoors, is comfortable on boats in rough weather, " +
			"has a valid licence, can lift fifty pounds and is available on weekends, holidays and early mornings all summer long", "Quillomarsh"},
		// Read as a question about duties by its words, matched as a
		// description by its opening.
		{"duties", "my duties: answering phones, booking appointments at Zentrivale clinic", "Zentrivale"},
		{"match", "/match I answer phones and book appointments at Brambleworth", "Brambleworth"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			store := openStore(t, "")
			log := openLog(t, store, Config{})
			var debug bottest.LogBuffer
			core := bottest.Core(t, bot.Config{Log: log, Jobs: jobs})
			h := bot.Observe(core, nil, debug.Logger(), nil)
			r := h.Handle(t.Context(), bot.Message{Platform: "test", Chat: "c", User: "u", ID: "1", Text: tt.text})
			var intent, text string
			if err := store.DB().QueryRow(`SELECT intent, text FROM questions`).Scan(&intent, &text); err != nil {
				t.Fatalf("reading the question log: %v", err)
			}
			if intent != string(r.Intent) || strings.Contains(text, tt.secret) || strings.Contains(text, "phones") {
				t.Errorf("the question log kept intent %q text %q of %q (reply intent %s)", intent, text, tt.text, r.Intent)
			}
			if strings.Contains(debug.String(), tt.secret) {
				t.Errorf("the debug log kept the description:\n%s", debug.String())
			}
			if !strings.Contains(debug.String(), "intent="+string(r.Intent)) {
				t.Errorf("the debug log lost the intent:\n%s", debug.String())
			}
		})
	}
}
