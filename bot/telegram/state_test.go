package telegram

import (
	"context"
	"log/slog"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nocbot/nocbot/bot"
)

func TestLedger(t *testing.T) {
	ctx := context.Background()
	store := testDB(t)
	l := newLedger(store.DB(), 999, false, quietLog())
	if in, err := l.load(ctx); err != nil || len(in) != 0 || l.offset() != 0 {
		t.Fatalf("fresh: %v %v offset %d", in, err, l.offset())
	}
	msg := func(id int) inbound {
		return inbound{ID: id, Chat: 5, Msg: bot.Message{Platform: platform, Chat: "5", User: "5", Text: "q", ID: strconv.Itoa(id)}}
	}
	for _, id := range []int{10, 11, 12} {
		if !l.take(id, msg(id), true) {
			t.Fatalf("update %d not new", id)
		}
	}
	if !l.take(13, inbound{}, false) {
		t.Fatal("update 13 not new")
	}
	for _, id := range []int{10, 13} {
		if l.take(id, msg(id), true) {
			t.Errorf("update %d taken twice", id)
		}
	}
	l.finish(10)
	if l.take(10, msg(10), true) {
		t.Error("a finished update taken again")
	}
	if err := l.commit(ctx); err != nil {
		t.Fatal(err)
	}
	// 10 answered before the commit: no row; 11 and 12 pending.
	if n := pendingRows(t, store); n != 2 || storedOffset(t, store) != 14 {
		t.Errorf("%d pending rows, offset %d; want 2, 14", n, storedOffset(t, store))
	}
	l.finish(11)
	if err := l.commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := pendingRows(t, store); n != 1 {
		t.Errorf("%d pending rows after 11 answered, want 1", n)
	}

	// A restart finds 12 pending, and the offset.
	l2 := newLedger(store.DB(), 999, false, quietLog())
	in, err := l2.load(ctx)
	if err != nil || len(in) != 1 || in[0] != msg(12) || l2.offset() != 14 {
		t.Fatalf("load: %+v %v offset %d", in, err, l2.offset())
	}
	if l2.take(12, msg(12), true) {
		t.Error("a pending update taken again")
	}
	// Another bot's state is its own.
	l3 := newLedger(store.DB(), 1000, false, quietLog())
	if in, _ := l3.load(ctx); len(in) != 0 || l3.offset() != 0 {
		t.Errorf("another bot sees %v, offset %d", in, l3.offset())
	}
	l2.finish(12)
	if err := l2.commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := pendingRows(t, store); n != 0 {
		t.Errorf("%d pending rows at the end", n)
	}
}

// A failed commit loses nothing: the next one writes what it could not.
func TestLedgerCommitFailure(t *testing.T) {
	ctx := context.Background()
	store := testDB(t)
	l := newLedger(store.DB(), 999, false, quietLog())
	l.take(1, inbound{ID: 1, Chat: 1}, true)
	l.take(2, inbound{ID: 2, Chat: 1}, true)
	if err := l.commit(ctx); err != nil {
		t.Fatal(err)
	}
	l.finish(1)
	l.take(3, inbound{ID: 3, Chat: 1}, true)
	if _, err := store.DB().Exec(`ALTER TABLE platform_state RENAME TO platform_state_away`); err != nil {
		t.Fatal(err)
	}
	if err := l.commit(ctx); err == nil {
		t.Fatal("commit without the table succeeded")
	}
	if _, err := store.DB().Exec(`ALTER TABLE platform_state_away RENAME TO platform_state`); err != nil {
		t.Fatal(err)
	}
	if err := l.commit(ctx); err != nil {
		t.Fatal(err)
	}
	var keys []string
	rows, _ := store.DB().Query(`SELECT key FROM platform_state WHERE key LIKE 'pending:%' ORDER BY key`)
	for rows.Next() {
		var k string
		rows.Scan(&k)
		keys = append(keys, k)
	}
	rows.Close()
	if len(keys) != 2 || keys[0] != l.pendingKey(2) || keys[1] != l.pendingKey(3) || storedOffset(t, store) != 4 {
		t.Errorf("pending %v offset %d; want updates 2 and 3, offset 4", keys, storedOffset(t, store))
	}
}

// Healthy reports the outcome of the last commit: a failure stays until a
// commit succeeds (the next ones carry what it could not write), and a
// commit cut short by its context is not the database's fault.
func TestLedgerKeepsCommitOutcome(t *testing.T) {
	ctx := context.Background()
	store := testDB(t)
	l := newLedger(store.DB(), 999, false, quietLog())
	l.take(1, inbound{ID: 1, Chat: 1}, true)
	if err := l.commit(ctx); err != nil || l.lastCommitErr() != nil {
		t.Fatalf("commit: %v, last %v", err, l.lastCommitErr())
	}
	if _, err := store.DB().Exec(`ALTER TABLE platform_state RENAME TO platform_state_away`); err != nil {
		t.Fatal(err)
	}
	l.take(2, inbound{ID: 2, Chat: 1}, true)
	for i := range 2 {
		if err := l.commit(ctx); err == nil || l.lastCommitErr() != err {
			t.Fatalf("commit %d without the table: %v, last %v", i+1, err, l.lastCommitErr())
		}
	}
	failed := l.lastCommitErr()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := l.commit(cancelled); err == nil || l.lastCommitErr() != failed {
		t.Errorf("cancelled commit: %v, last %v; want %v kept", err, l.lastCommitErr(), failed)
	}
	if _, err := store.DB().Exec(`ALTER TABLE platform_state_away RENAME TO platform_state`); err != nil {
		t.Fatal(err)
	}
	if err := l.commit(ctx); err != nil || l.lastCommitErr() != nil {
		t.Errorf("commit with the table back: %v, last %v", err, l.lastCommitErr())
	}
}

func TestLedgerForgetsOldIDs(t *testing.T) {
	l := newLedger(nil, 1, false, quietLog())
	for id := 1; id <= recentIDs+10; id++ {
		l.take(id, inbound{}, false)
	}
	if l.take(recentIDs+10, inbound{}, false) {
		t.Error("a recent id taken again")
	}
	if !l.take(1, inbound{}, false) {
		t.Error("the oldest id is still remembered: memory is not bounded")
	}
	if len(l.recent) > recentIDs {
		t.Errorf("%d ids remembered", len(l.recent))
	}
}

// Webhook deliveries taken are remembered across restarts for
// seenWindow, then forgotten, in the database and in memory.
func TestLedgerRemembersWebhookDeliveries(t *testing.T) {
	ctx := context.Background()
	store := testDB(t)
	now := time.Unix(1_800_000_000, 0)
	open := func() *ledger {
		l := newLedger(store.DB(), 999, true, quietLog())
		l.now = func() time.Time { return now }
		if _, err := l.load(ctx); err != nil {
			t.Fatal(err)
		}
		return l
	}
	seenRows := func() int {
		var n int
		store.DB().QueryRow(`SELECT count(*) FROM platform_state WHERE key LIKE 'seen:999:%'`).Scan(&n)
		return n
	}
	l := open()
	in := inbound{Chat: 5, Msg: bot.Message{Platform: platform, Chat: "5", User: "5", Text: "q"}}
	if !l.take(40, in, true) || !l.take(41, inbound{}, false) {
		t.Fatal("new updates refused")
	}
	l.finish(40)
	if err := l.commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := seenRows(); n != 2 {
		t.Errorf("%d deliveries stored as seen, want 2", n)
	}
	now = now.Add(seenWindow - time.Minute)
	l = open()
	if l.take(40, in, true) || l.take(41, inbound{}, false) {
		t.Error("a delivery taken before the restart was taken again")
	}
	now = now.Add(2 * time.Minute)
	l = open()
	if n := seenRows(); n != 0 {
		t.Errorf("%d deliveries still stored after %v", n, seenWindow)
	}
	if !l.take(40, in, true) {
		t.Error("a delivery past the window is still refused")
	}
}

// Pending rows written by every version of nocbot are read back; a row of
// a newer version is left for it with a warning, an unreadable one dropped
// with a warning; none stops the bot.
func TestLedgerReadsEveryRowVersion(t *testing.T) {
	ctx := context.Background()
	store := testDB(t)
	var logged strings.Builder
	l := newLedger(store.DB(), 999, false, slog.New(slog.NewTextHandler(&logged, nil)))
	button := inbound{ID: 12, Chat: -1001234, Group: true, ReplyTo: 55, Callback: "cb7",
		Msg: bot.Message{Platform: platform, Chat: "-1001234", User: "42", UserLang: "zh-CN", Button: "more:1252", ID: "12"}}
	typed := inbound{ID: 13, Chat: 5, Msg: bot.Message{Platform: platform, Chat: "5", User: "5", Text: "病历技师做什么？", UserLang: "en", ID: "13"}}
	typedV1 := typed
	typedV1.ID, typedV1.Msg.ID = 14, "14"
	buttonNow := button
	buttonNow.ID, buttonNow.Msg.ID = 21, "21"
	typedNow := typed
	typedNow.ID, typedNow.Msg.ID = 22, "22"
	rows := []struct {
		name  string
		id    int
		value string
		want  *inbound // nil: not answered
		kept  bool     // the row stays after the answered ones are done
	}{
		// As nocbot wrote them before rows had a version.
		{"version 0, a button press in a group", 12,
			`{"id":12,"chat":-1001234,"group":true,"reply_to":55,"callback":"cb7","msg":{"Platform":"telegram","Chat":"-1001234","User":"42","Text":"","UserLang":"zh-CN","Button":"more:1252"}}`,
			&button, false},
		{"version 0, a typed question", 13,
			`{"id":13,"chat":5,"msg":{"Platform":"telegram","Chat":"5","User":"5","Text":"病历技师做什么？","UserLang":"en","Button":""}}`,
			&typed, false},
		{"version 1", 14,
			`{"v":1,"id":14,"chat":5,"msg":{"platform":"telegram","chat":"5","user":"5","text":"病历技师做什么？","user_lang":"en"}}`,
			&typedV1, false},
		{"version 2, a button press in a group", 21,
			`{"v":2,"id":21,"chat":-1001234,"group":true,"reply_to":55,"callback":"cb7","user":"42","lang":"zh-CN","button":"more:1252"}`,
			&buttonNow, false},
		{"version 2, a typed question in a private chat", 22,
			`{"v":2,"id":22,"chat":5,"text":"病历技师做什么？","lang":"en"}`,
			&typedNow, false},
		{"a newer version", 15, `{"v":3,"id":15,"message":{"words":"private words"}}`, nil, true},
		{"not JSON", 16, `{"id":16,"msg":{"Text":"private words"`, nil, false},
		{"a wrong type", 17, `{"v":1,"id":"17","msg":{"text":"private words"}}`, nil, false},
		{"another update's row", 18, `{"v":1,"id":19,"msg":{"text":"private words"}}`, nil, false},
		{"a negative version", 20, `{"v":-1,"id":20}`, nil, false},
	}
	slices.SortFunc(rows, func(a, b struct {
		name  string
		id    int
		value string
		want  *inbound
		kept  bool
	}) int {
		return a.id - b.id
	})
	for _, r := range rows {
		if _, err := store.DB().Exec(`INSERT INTO platform_state (platform, key, value) VALUES (?, ?, ?)`, platform, l.pendingKey(r.id), r.value); err != nil {
			t.Fatal(err)
		}
	}
	got, err := l.load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var want []inbound
	var wantKept []string
	for _, r := range rows {
		if r.want != nil {
			want = append(want, *r.want)
		}
		if r.kept {
			wantKept = append(wantKept, l.pendingKey(r.id))
		}
		newer := strings.Contains(logged.String(), "newer nocbot") && strings.Contains(logged.String(), "key="+l.pendingKey(r.id)+" ")
		dropped := strings.Contains(logged.String(), "dropping an unreadable pending update key="+l.pendingKey(r.id)+" ")
		if r.want == nil && !newer && !dropped || r.want != nil && (newer || dropped) {
			t.Errorf("%s: logged\n%s", r.name, logged.String())
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("load read\n%+v\nwant\n%+v", got, want)
	}
	if strings.Contains(logged.String(), "private words") {
		t.Errorf("a warning holds what a user wrote:\n%s", logged.String())
	}
	for _, in := range got {
		l.finish(in.ID)
	}
	if err := l.commit(ctx); err != nil {
		t.Fatal(err)
	}
	var keys []string
	res, err := store.DB().Query(`SELECT key FROM platform_state WHERE key LIKE 'pending:%' ORDER BY key`)
	if err != nil {
		t.Fatal(err)
	}
	for res.Next() {
		var k string
		res.Scan(&k)
		keys = append(keys, k)
	}
	res.Close()
	if !slices.Equal(keys, wantKept) {
		t.Errorf("rows left %q, want %q", keys, wantKept)
	}
	if l.offset() != 23 {
		t.Errorf("offset %d, want one past the updates read", l.offset())
	}
}

// Every field of an update survives its pending row: a field added to
// inbound or bot.Message fails here until the row stores it.
func TestPendingRowKeepsEveryField(t *testing.T) {
	var in inbound
	var fill func(v reflect.Value, path string)
	fill = func(v reflect.Value, path string) {
		for i := range v.NumField() {
			f, name := v.Field(i), path+v.Type().Field(i).Name
			switch f.Kind() {
			case reflect.String:
				f.SetString(name + " 病历")
			case reflect.Int, reflect.Int64:
				f.SetInt(int64(1000 + i))
			case reflect.Bool:
				f.SetBool(true)
			case reflect.Struct:
				fill(f, name+".")
			default:
				t.Fatalf("%s is a %s: decide how pending rows store it", name, f.Kind())
			}
		}
	}
	fill(reflect.ValueOf(&in).Elem(), "")
	// Not stored but known: the platform, the chat (as in.Chat) and the
	// update (as in.ID).
	in.Msg.Platform, in.Msg.Chat, in.Msg.ID = platform, strconv.FormatInt(in.Chat, 10), strconv.Itoa(in.ID)
	data, err := encodePending(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodePending(data)
	if err != nil || got != in {
		t.Errorf("read back\n%+v (%v)\nwant\n%+v\nfrom %s", got, err, in, data)
	}
	if !strings.HasPrefix(string(data), `{"v":2,`) {
		t.Errorf("row %s does not start with its version", data)
	}
}

// A pending row holds no more than answering needs: in a private chat,
// where the user is the chat, the user's id is not stored again, nor the
// platform, the chat or the update id twice.
func TestPendingRowIsMinimal(t *testing.T) {
	for _, tt := range []struct {
		in   inbound
		want string
	}{
		{inbound{ID: 7, Chat: 5, Msg: bot.Message{Platform: platform, Chat: "5", User: "5", Text: "q", UserLang: "en", ID: "7"}},
			`{"v":2,"id":7,"chat":5,"text":"q","lang":"en"}`},
		{inbound{ID: 8, Chat: -9, Group: true, ReplyTo: 3, Msg: bot.Message{Platform: platform, Chat: "-9", User: "42", Button: "b", ID: "8"}},
			`{"v":2,"id":8,"chat":-9,"group":true,"reply_to":3,"user":"42","button":"b"}`},
	} {
		data, err := encodePending(tt.in)
		if err != nil || string(data) != tt.want {
			t.Errorf("stored %s (%v), want %s", data, err, tt.want)
		}
		if back, err := decodePending(data); err != nil || back != tt.in {
			t.Errorf("read back %+v (%v), want %+v", back, err, tt.in)
		}
	}
}

// Any stored row decodes to an update or an error, never a panic, and an
// update read back is written and read again unchanged.
func FuzzDecodePending(f *testing.F) {
	for _, seed := range []string{
		`{"id":12,"chat":-1001234,"group":true,"reply_to":55,"callback":"cb7","msg":{"Platform":"telegram","Chat":"-1001234","User":"42","Text":"","UserLang":"zh-CN","Button":"more:1252"}}`,
		`{"v":1,"id":14,"chat":5,"msg":{"platform":"telegram","chat":"5","user":"5","text":"病历技师做什么？","user_lang":"en"}}`,
		`{"v":2,"id":21,"chat":-1001234,"group":true,"reply_to":55,"callback":"cb7","user":"42","lang":"zh-CN","button":"more:1252"}`,
		`{"v":2,"id":22,"chat":5,"user":"5","text":"x"}`,
		`{"v":2}`, `{"v":3}`, `{"v":-1}`, `{"v":1e400}`, `null`, `[]`, `{"msg":null}`, "{\"msg\":{\"Text\":\"\xff\"}}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := decodePending(data)
		if err != nil {
			return
		}
		again, err := encodePending(in)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := decodePending(again); err != nil || back != in {
			t.Fatalf("%s read as %+v, written as %s, read back as %+v (%v)", data, in, again, back, err)
		}
	})
}
