package questions

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

func TestLogAndSummarize(t *testing.T) {
	ctx := context.Background()
	store, err := knowledge.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
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
	if r.Total != 4 || r.Unanswered != 3 || r.OutOfScope != 2 || r.DistinctUsers != 3 || r.OutOfScopeShare != 0.5 {
		t.Errorf("report %+v", r)
	}
	if len(r.TopUnanswered) == 0 || r.TopUnanswered[0] != (Count{"what is the salary?", 2}) {
		t.Errorf("top unanswered %v, want the salary question twice first", r.TopUnanswered)
	}
	if len(r.ByIntent) == 0 || r.ByIntent[0] != (Count{"out_of_scope", 2}) {
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
	store, err := knowledge.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	a, err := Salt(ctx, store.DB())
	if err != nil || len(a) != 32 {
		t.Fatalf("salt %q, %v", a, err)
	}
	b, _ := Salt(ctx, store.DB())
	if a != b {
		t.Error("salt changed between calls")
	}
}
