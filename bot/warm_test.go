package bot_test

import (
	"context"
	"errors"
	"testing"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/knowledge/jobmatch"
)

// jobsSeen records the descriptions the core matches.
type jobsSeen chan string

func (j jobsSeen) Match(description string, k int) jobmatch.Result {
	j <- description
	return jobmatch.Result{}
}

func TestCoreWarm(t *testing.T) {
	jobs := make(jobsSeen, 8)
	core := bottest.Core(t, bot.Config{Jobs: jobs})
	if err := core.Warm(context.Background()); err != nil {
		t.Fatalf("Warm: %v", err)
	}
	select {
	case <-jobs:
	default:
		t.Error("Warm left the job matcher to the first /match")
	}
	// Warm loads what replies would load: they are the same after it.
	zh := core.Handle(context.Background(), bot.Message{Platform: "test", Chat: "w", User: "w", Text: "焊工的主要職責是什麼", UserLang: "zh-TW"})
	if zh.Lang != "zh" || len(zh.Blocks) == 0 {
		t.Errorf("reply after Warm: %+v", zh)
	}

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	idle := make(jobsSeen, 1)
	if err := bottest.Core(t, bot.Config{Jobs: idle}).Warm(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("Warm with its context cancelled: %v, want context.Canceled", err)
	}
	if len(idle) > 0 {
		t.Error("Warm went on after its context was cancelled")
	}
}
