package questions

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

func TestLogAndSummarize(t *testing.T) {
	ctx := context.Background()
	store := openStore(t, "")
	db := store.DB()
	now := time.Unix(1_800_000_000, 0)
	log := openLog(t, store, Config{Retention: 24 * time.Hour, Now: func() time.Time { return now }})

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
	if n, err := log.Prune(ctx); err != nil || n != 1 {
		t.Fatalf("Prune removed %d (%v), want the entry past retention", n, err)
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
	// Opening the log prunes too: an idle bot's old entries go at start
	// (and hourly after, in Run).
	if err := log.Record(ctx, entries[0]); err != nil {
		t.Fatal(err)
	}
	openLog(t, store, Config{Retention: 24 * time.Hour, Now: func() time.Time { return now }})
	var n int
	db.QueryRow(`SELECT count(*) FROM questions`).Scan(&n)
	if n != 7 {
		t.Errorf("%d entries after opening, want the one past retention gone", n)
	}
}

// What the log stores of a question: no user or update id, and the text
// only of a question nocbot could not answer.
func TestLogKeepsLittle(t *testing.T) {
	ctx := context.Background()
	store := openStore(t, "")
	// A fixed key, so the hashes are the same every run (a random one
	// may hold any digits, "9001" among them, one run in thousands).
	const key = "a fixed test key of thirty-two chars"
	log := openLog(t, store, Config{Key: key})
	now := time.Now()
	for _, q := range []bot.LoggedQuestion{
		{Time: now, Platform: "telegram", UserHash: "user-hash-1", ID: "9001", Intent: intents.Duties, Answered: true, Text: "what does a welder do", Occupation: ""},
		{Time: now, Platform: "telegram", UserHash: "user-hash-1", ID: "9002", Intent: intents.OutOfScope, Text: "mail me at ann.lee@example.org or 613-555-0199"},
	} {
		if err := log.Record(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := store.DB().Query(`SELECT user_hash, coalesce(update_hash, ''), text FROM questions ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var texts []string
	hashed := regexp.MustCompile(`^[0-9a-f]{24}$`)
	for i := 0; rows.Next(); i++ {
		var user, update, text string
		rows.Scan(&user, &update, &text)
		id := []string{"9001", "9002"}[min(i, 1)]
		if !hashed.MatchString(user) || !hashed.MatchString(update) || strings.Contains(user, "user-hash") || strings.Contains(update, id) {
			t.Errorf("stored user %q, update %q: want keyed hashes, not user-hash-1 and %s", user, update, id)
		}
		texts = append(texts, text)
	}
	if want := []string{"", "mail me at [email] or [phone]"}; !slices.Equal(texts, want) {
		t.Errorf("texts stored %q, want %q", texts, want)
	}
}

// A platform update is recorded once, however often it is handled (a
// replay after a crash, a redelivery); updates without an id always are.
func TestRecordOncePerUpdate(t *testing.T) {
	ctx := context.Background()
	store := openStore(t, "")
	log := openLog(t, store, Config{})
	now := time.Now()
	for _, q := range []struct{ platform, id string }{
		{"telegram", "7"}, {"telegram", "7"}, {"discord", "7"}, {"telegram", "8"}, {"terminal", ""}, {"terminal", ""},
	} {
		if err := log.Record(ctx, bot.LoggedQuestion{Time: now, Platform: q.platform, ID: q.id, Intent: intents.Duties}); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	store.DB().QueryRow(`SELECT count(*) FROM questions`).Scan(&n)
	if n != 5 {
		t.Errorf("%d entries, want 5 (telegram 7 once)", n)
	}
}

// The key: from the environment as given; else a 0600 file beside the
// database, kept across opens and replaced once older than the retention
// period; for an in-memory database, one per process.
func TestKey(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "nocbot.db")
	store := openStore(t, path)
	userOf := func(l *Log) string { return l.hash("user\x00u") }

	if _, err := Open(ctx, store.DB(), Config{Key: "short"}); err == nil || !strings.Contains(err.Error(), KeyEnv) {
		t.Errorf("a short key from the environment: %v", err)
	}
	env := openLog(t, store, Config{Key: "0123456789abcdef-from-env"})
	file := KeyFile(path)
	a := openLog(t, store, Config{KeyFile: file})
	info, err := os.Stat(file)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v (%v), want mode 0600", info, err)
	}
	b := openLog(t, store, Config{KeyFile: file})
	if userOf(a) != userOf(b) || userOf(a) == userOf(env) {
		t.Error("the key file's key is not kept across opens, or is the environment's")
	}
	os.Chmod(file, 0o644)
	old := time.Now().Add(-48 * time.Hour)
	os.Chtimes(file, old, old)
	kept := openLog(t, store, Config{KeyFile: file, Retention: 72 * time.Hour})
	if info, _ := os.Stat(file); userOf(kept) != userOf(a) || info.Mode().Perm() != 0o600 {
		t.Error("a key within the retention period was replaced, or left readable by others")
	}
	rotated := openLog(t, store, Config{KeyFile: file, Retention: 24 * time.Hour})
	if userOf(rotated) == userOf(a) {
		t.Error("a key older than the retention period was kept")
	}
	if m1, m2 := openLog(t, store, Config{}), openLog(t, store, Config{}); userOf(m1) == userOf(m2) {
		t.Error("two processes without a key file share a key")
	}
	os.WriteFile(file, []byte("not hex\n"), 0o600)
	if _, err := Open(ctx, store.DB(), Config{KeyFile: file}); err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("a broken key file: %v, want an error naming it", err)
	}
}

// A database of an older nocbot is brought up to date with its entries:
// the text of answered questions blanked, the rest scrubbed, the salt
// gone from the database.
func TestMigrationKeepsEntries(t *testing.T) {
	ctx := context.Background()
	store, err := knowledge.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	all := Migrations()
	older := all
	older.Steps = all.Steps[:2]
	if err := store.Migrate(ctx, older); err != nil {
		t.Fatal(err)
	}
	db := store.DB()
	for _, q := range []string{
		`INSERT INTO meta (key, value) VALUES ('user_salt', 'a1b2c3')`,
		`INSERT INTO questions (at, platform, user_hash, lang, intent, confidence, answered, text) VALUES (1, 'telegram', 'h1', 'en', 'duties', 0.9, 1, 'what does a welder do')`,
		`INSERT INTO questions (at, platform, user_hash, lang, intent, confidence, answered, text) VALUES (1, 'telegram', 'h2', 'en', 'out_of_scope', 0.1, 0, 'my SIN is 123 456 789, mail a@b.ca')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.Migrate(ctx, all); err != nil {
		t.Fatal(err)
	}
	openLog(t, store, Config{Now: func() time.Time { return time.Unix(2, 0) }})
	var texts []string
	rows, _ := db.Query(`SELECT text FROM questions ORDER BY id`)
	for rows.Next() {
		var s string
		rows.Scan(&s)
		texts = append(texts, s)
	}
	rows.Close()
	if want := []string{"", "my SIN is [number], mail [email]"}; !slices.Equal(texts, want) {
		t.Errorf("texts %q, want %q", texts, want)
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM meta WHERE key = 'user_salt'`).Scan(&n)
	if n != 0 {
		t.Error("the salt is still in the database")
	}
}

func TestScrub(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"what does a 12111 do? compare 1252 1253 1254", "what does a 12111 do? compare 1252 1253 1254"},
		{"NOC 2021 and TEER 3", "NOC 2021 and TEER 3"},
		{"email ann.lee+x@mail.example.co.uk now", "email [email] now"},
		{"call (613) 555-0199 or +1 613 555 0199 or 6135550199", "call [phone] or [phone] or [phone]"},
		{"+86 138 0013 8000 是我的电话", "[phone] 是我的电话"},
		{"SIN 046 454 286", "SIN [number]"},
		{"SIN 046-454-286.", "SIN [number]."},
		{"我的号码是046454286", "我的号码是[number]"},
		{"bad \xff byte", "bad \uFFFD byte"},
	} {
		if got := Scrub(tt.in); got != tt.want {
			t.Errorf("Scrub(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

var (
	nineDigitsRE = regexp.MustCompile(`(^|[^0-9])[0-9]{3}[ \-]?[0-9]{3}[ \-]?[0-9]{3}($|[^0-9])`)
	emailShapeRE = regexp.MustCompile(`[A-Za-z0-9]@[A-Za-z0-9\-]+\.[A-Za-z]`)
)

// FuzzScrub: whatever the text, what is kept is valid UTF-8 within the
// bound, without a nine-digit number or an e-mail address.
func FuzzScrub(f *testing.F) {
	for _, s := range []string{"SIN 046 454 286", "a@b.ca", "613-555-0199", "1234567890123", "+1 (613) 555-0199 x", strings.Repeat("9", 300), "长" + strings.Repeat("12345678 9", 30)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Scrub(s)
		if !utf8.ValidString(got) || len(got) > MaxTextBytes {
			t.Fatalf("Scrub(%q) = %q: invalid or too long", s, got)
		}
		if nineDigitsRE.MatchString(got) || emailShapeRE.MatchString(got) {
			t.Fatalf("Scrub(%q) = %q keeps a number or an address", s, got)
		}
	})
}

// openStore opens a nocbot database (in memory for "") with the log's
// tables.
func openStore(t *testing.T, path string) *knowledge.Store {
	t.Helper()
	store, err := knowledge.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Migrate(t.Context(), Migrations()); err != nil {
		t.Fatal(err)
	}
	return store
}

func openLog(t *testing.T, store *knowledge.Store, cfg Config) *Log {
	t.Helper()
	l, err := Open(t.Context(), store.DB(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
