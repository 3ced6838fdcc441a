package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/nocbot/nocbot/bot/questions"
	"github.com/nocbot/nocbot/knowledge"
)

// openQuestionLog opens the question log of store, its key from key
// (NOCBOT_QUESTIONS_KEY) or the key file beside the database.
func openQuestionLog(ctx context.Context, store *knowledge.Store, key string, retention time.Duration, log *slog.Logger) (*questions.Log, error) {
	return questions.Open(ctx, store.DB(), questions.Config{Retention: retention, Key: key,
		KeyFile: questions.KeyFile(store.Path()), Logger: log})
}
