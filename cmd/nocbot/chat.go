package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

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
	k.register(fset)
	if _, err := parseInterspersed(fset, args); err != nil {
		return err
	}
	base, err := openKB(ctx, k, e, true)
	if err != nil {
		return err
	}
	defer base.Close()
	salt, err := questions.Salt(ctx, base.store.DB())
	if err != nil {
		return err
	}
	core := bot.New(base.lib, base.matcher, bot.Config{Log: questions.New(base.store.DB(), 0), Salt: salt})

	interactive := isTerminal(e.stdin)
	in := bufio.NewReaderSize(e.stdin, 64*1024)
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	user := bot.Message{Platform: "terminal", Chat: "terminal", User: "terminal", UserLang: e.getenv("LANG")}

	greet := core.Handle(ctx, withButton(user, "", "/start"))
	fmt.Fprint(out, plain.Render(greet))
	if interactive {
		fmt.Fprintf(out, "(%d occupation profiles loaded; type a question, a number to pick a choice, or /quit)\n", len(base.lib.Profiles()))
	}
	buttons := greet.Buttons
	for ctx.Err() == nil {
		if interactive {
			fmt.Fprint(out, "\n> ")
		}
		if err := out.Flush(); err != nil {
			return err
		}
		line, err := readLine(in, intents.MaxQuestionBytes)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read input: %w", err)
		}
		text := strings.TrimSpace(line)
		switch text {
		case "":
			continue
		case "/quit", "/exit", "quit", "exit":
			return nil
		}
		msg := withButton(user, "", text)
		if n, err := strconv.Atoi(text); err == nil && n >= 1 && n <= len(buttons) && len(text) <= 2 {
			msg = withButton(user, buttons[n-1].Data, "")
			fmt.Fprintf(out, "» %s\n", buttons[n-1].Label)
		}
		r := core.Handle(ctx, msg)
		fmt.Fprint(out, "\n"+plain.Render(r))
		buttons = r.Buttons
	}
	return nil
}

func withButton(m bot.Message, data, text string) bot.Message {
	m.Button, m.Text = data, text
	return m
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
