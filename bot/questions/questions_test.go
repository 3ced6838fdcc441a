package questions

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

func TestLogAndSummarize(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	db := store.DB()
	now := time.Unix(1_800_000_000, 0)
	log := New(db, 24*time.Hour)
	log.now = func() time.Time { return now }

	entries := []bot.LoggedQuestion{
		{Time: now.Add(-48 * time.Hour), Platform: "telegram", Intent: intents.Duties, Answered: true, Text: "too old"},
		{Time: now, Platform: "telegram", UserHash: "a", Lang: knowledge.EN, Intent: intents.OutOfScope, Text: "What is the salary?"},
		{Time: now, Platform: "discord", UserHash: "b", Lang: knowledge.EN, Intent: intents.OutOfScope, Text: "what is the salary?"},
		{Time: now, Platform: "discord", UserHash: "b", Lang: knowledge.ZH, Intent: intents.Requirements, Confidence: 0.9, Answered: true, Text: "需要什么学历"},
		{Time: now, Platform: "discord", UserHash: "c", Lang: knowledge.ZH, Intent: intents.Lookup, Text: strings.Repeat("长", 1000) + "\xff"},
		{Time: now, Platform: "telegram", UserHash: "d", Lang: knowledge.EN, Intent: intents.Requirements, Text: "what education does a nurse need", Occupation: "nurse"},
		{Time: now, Platform: "telegram", UserHash: "e", Lang: knowledge.ZH, Intent: intents.Requirements, Text: "护士需要什么学历", Occupation: "护士"},
		{Time: now, Platform: "discord", UserHash: "f", Lang: knowledge.EN, Intent: intents.Advancement, Text: "how do nurses get promoted", Occupation: "nurse"},
	}
	for _, e := range entries {
		if err := log.Record(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	// Recording pruned the entry past retention already.
	if n, err := log.Prune(ctx); err != nil || n != 0 {
		t.Fatalf("Prune removed %d (%v), want nothing left to remove", n, err)
	}
	r, err := Summarize(ctx, db, now.Add(-365*24*time.Hour), 5)
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 7 || r.Unanswered != 6 || r.OutOfScope != 2 || r.DistinctUsers != 6 || r.OutOfScopeShare != 2.0/7 {
		t.Errorf("report %+v", r)
	}
	if len(r.TopUnanswered) == 0 || r.TopUnanswered[0] != (Count{"what is the salary?", 2}) {
		t.Errorf("top unanswered %v, want the salary question twice first", r.TopUnanswered)
	}
	if want := []Count{{"nurse", 2}, {"护士", 1}}; !slices.Equal(r.MissingOccupations, want) {
		t.Errorf("missing occupations %v, want %v", r.MissingOccupations, want)
	}
	if len(r.ByIntent) < 2 || r.ByIntent[0] != (Count{"requirements", 3}) || r.ByIntent[1] != (Count{"out_of_scope", 2}) {
		t.Errorf("by intent %v", r.ByIntent)
	}
	var longest int
	db.QueryRow(`SELECT max(length(CAST(text AS BLOB))) FROM questions`).Scan(&longest)
	if longest > MaxTextBytes {
		t.Errorf("stored %d bytes of text, limit %d", longest, MaxTextBytes)
	}
}

func TestSaltIsStableAndSecret(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	a, err := Salt(ctx, store.DB())
	if err != nil || len(a) != 32 {
		t.Fatalf("salt %q, %v", a, err)
	}
	b, _ := Salt(ctx, store.DB())
	if a != b {
		t.Error("salt changed between calls")
	}
}

// openStore opens an in-memory nocbot database with the log's tables.
func openStore(t *testing.T) *knowledge.Store {
	t.Helper()
	store, err := knowledge.Open(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Migrate(t.Context(), Migrations()); err != nil {
		t.Fatal(err)
	}
	return store
}
