package telegram

import (
	"context"
	"testing"

	"github.com/nocbot/nocbot/bot"
)

func TestLedger(t *testing.T) {
	ctx := context.Background()
	store := testDB(t)
	l := newLedger(store.DB(), 999)
	if in, err := l.load(ctx); err != nil || len(in) != 0 || l.offset() != 0 {
		t.Fatalf("fresh: %v %v offset %d", in, err, l.offset())
	}
	msg := func(id int) inbound {
		return inbound{ID: id, Chat: 5, Msg: bot.Message{Platform: platform, Chat: "5", User: "5", Text: "q"}}
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
	l2 := newLedger(store.DB(), 999)
	in, err := l2.load(ctx)
	if err != nil || len(in) != 1 || in[0] != msg(12) || l2.offset() != 14 {
		t.Fatalf("load: %+v %v offset %d", in, err, l2.offset())
	}
	if l2.take(12, msg(12), true) {
		t.Error("a pending update taken again")
	}
	// Another bot's state is its own.
	l3 := newLedger(store.DB(), 1000)
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
	l := newLedger(store.DB(), 999)
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

func TestLedgerForgetsOldIDs(t *testing.T) {
	l := newLedger(nil, 1)
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
