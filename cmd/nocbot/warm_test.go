package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
)

// serve warms the core up beside the start and waits for the warm-up
// before it reports having stopped: nothing of it outlives serve.
func TestServeWarmsUpAndWaitsForIt(t *testing.T) {
	tg := telegramtest.NewServer(t)
	environ := map[string]string{
		"HOME": t.TempDir(), "NOCBOT_DB": filepath.Join(t.TempDir(), "nocbot.db"), "NOCBOT_SEEDS": bottest.FixtureDir(t),
		"TELEGRAM_TOKEN": telegramtest.Token, "TELEGRAM_API_URL": tg.URL(),
	}
	logs := &bottest.LogBuffer{}
	stop := serving(t, environ, listener(t), logs)
	telegramServing(tg)
	if code := stop(); code != 0 {
		t.Fatalf("serve exited %d:\n%s", code, logs.String())
	}
	out := logs.String()
	warm := max(strings.Index(out, "msg=\"warmed up\""), strings.Index(out, "msg=\"warm-up cut short by the shutdown\""))
	stopped := strings.Index(out, "msg=stopped")
	if warm < 0 || stopped < 0 || warm > stopped {
		t.Errorf("want the warm-up's end logged before serve's stop (at %d, %d):\n%s", warm, stopped, out)
	}
	if strings.Contains(out, "level=WARN msg=warm-up") {
		t.Errorf("warm-up failed:\n%s", out)
	}
}
