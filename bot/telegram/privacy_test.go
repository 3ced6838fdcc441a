package telegram

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/questions"
	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
	"github.com/nocbot/nocbot/knowledge"
)

// After a run of a few hundred updates and a clean stop, the database
// files (the WAL and free pages included: the bytes, not the rows) hold
// no user or chat id and no text of a question nocbot answered; only the
// unanswered questions' text is kept, for stats.
func TestDatabaseFilesKeepNoIDsOrAnsweredText(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "nocbot.db")
	store, err := knowledge.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []knowledge.Migrations{Migrations(), questions.Migrations()} {
		if err := store.Migrate(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	qlog, err := questions.Open(ctx, store.DB(), questions.Config{KeyFile: questions.KeyFile(path)})
	if err != nil {
		t.Fatal(err)
	}
	f := telegramtest.NewServer(t)
	cfg := testConfig(f)
	cfg.MaxRequests = 256
	b, stop := start(t, cfg, bottest.Core(t, bot.Config{Log: qlog, MaxSessions: 100000}), runOpts{db: store})

	const chats = 100
	var ups []tgbotapi.Update
	var ids, answered, unanswered []string
	for c := range chats {
		chat := int64(7731000000 + c)
		ids = append(ids, fmt.Sprint(chat))
		a := fmt.Sprintf("what are the duties? asks quokka%03d", c)
		u := fmt.Sprintf("what is the salary in wombatville%03d", c)
		answered, unanswered = append(answered, a), append(unanswered, u)
		ups = append(ups, telegramtest.PrivateText(chat, a, "en"), telegramtest.PrivateText(chat, u, "en"))
	}
	for g := range chats {
		user := int64(8841000000 + g)
		ids = append(ids, fmt.Sprint(user))
		ups = append(ups, telegramtest.GroupText(-1009900000, user, "/duties"))
	}
	f.Push(ups...)
	settled(f, b)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	var got int
	store.DB().QueryRow(`SELECT count(*) FROM questions`).Scan(&got)
	if got != len(ups) {
		t.Errorf("%d questions recorded, want %d", got, len(ups))
	}
	store.Close()

	var files []byte
	for _, name := range []string{path, path + "-wal", path + "-journal"} {
		data, err := os.ReadFile(name)
		if err == nil {
			files = append(files, data...)
		}
	}
	found := func(list []string) (n int) {
		for _, s := range list {
			if bytes.Contains(files, []byte(s)) {
				n++
			}
		}
		return n
	}
	nIDs, nAnswered, nUnanswered := found(ids), found(answered), found(unanswered)
	t.Logf("%d bytes in the database files: %d of %d raw ids, %d of %d answered texts, %d of %d unanswered texts",
		len(files), nIDs, len(ids), nAnswered, len(answered), nUnanswered, len(unanswered))
	if nIDs != 0 || nAnswered != 0 {
		t.Errorf("the database files hold %d raw user or chat ids and %d answered questions' text", nIDs, nAnswered)
	}
	if nUnanswered != len(unanswered) {
		t.Errorf("%d of %d unanswered questions kept: stats needs them", nUnanswered, len(unanswered))
	}
	if strings.Contains(string(files), "user_salt") {
		t.Error("a salt is in the database")
	}
}
