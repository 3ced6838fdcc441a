package telegram

import (
	"strings"
	"testing"

	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
)

// A profile reply has a share button only when getMe says inline mode is
// on: the button starts an inline query, which leads nowhere until
// BotFather's /setinline turns it on.
func TestShareNeedsInlineMode(t *testing.T) {
	for _, inline := range []bool{true, false} {
		f := telegramtest.NewServer(t)
		f.SetInlineMode(inline)
		b, _ := start(t, testConfig(f), testCore(t), runOpts{})
		f.Push(telegramtest.PrivateText(7301, "/noc 72106", "en"))
		settled(f, b)
		msgs := f.Sent()
		if len(msgs) == 0 || !strings.Contains(joinTexts(msgs), "72106") {
			t.Fatalf("inline %v: reply %q", inline, joinTexts(msgs))
		}
		if got := strings.Contains(msgs[len(msgs)-1].Keyboard, "switch_inline_query"); got != inline {
			t.Errorf("inline mode %v: share button %v; keyboard %s", inline, got, msgs[len(msgs)-1].Keyboard)
		}
		if inv := f.Invalid(); len(inv) > 0 {
			t.Errorf("refused: %q", inv)
		}
	}
}
