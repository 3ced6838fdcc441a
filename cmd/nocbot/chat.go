package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/plain"
	"github.com/nocbot/nocbot/bot/questions"
	"github.com/nocbot/nocbot/intents"
)

// runChat is a conversation with the core in the terminal: the same
// answers the chat platforms get, buttons shown as numbered choices that a
// digit picks. It needs no token and works with piped input.
func runChat(ctx context.Context, e env, args []string) error {
	fset := newFlagSet("chat", e)
	var k kbFlags
	k.register(fset, e)
	if _, err := parseInterspersed(fset, args); err != nil {
		return err
	}
	base, err := openKB(ctx, k, e, true)
	if err != nil {
		return err
	}
	defer base.Close()
	if err := checkHome(base.lib, homeOccupation(e.getenv)); err != nil {
		return err
	}
	qlog, err := openQuestionLog(ctx, base.store, e.getenv(questions.KeyEnv), 0, nil)
	if err != nil {
		return err
	}
	cfg, err := coreConfig(base, bot.Config{Log: qlog, Home: homeOccupation(e.getenv)})
	if err != nil {
		return err
	}
	core := bot.New(base.lib, base.matcher, cfg)

	term := &plain.Terminal{In: e.stdin, Out: e.stdout, Handler: core, UserLang: e.getenv("LANG"), MaxLine: intents.MaxQuestionBytes}
	if isTerminal(e.stdin) {
		term.Prompt = "> "
		term.Intro = fmt.Sprintf("(%d occupation profiles loaded; type a question, a number to pick a choice, or /quit)", len(base.lib.Profiles()))
	}
	return term.Run(ctx)
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
