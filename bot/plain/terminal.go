package plain

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"github.com/nocbot/nocbot/bot"
)

// Terminal is the reference bot.Platform: one conversation on a reader
// and a writer (a terminal, a pipe). Everything a platform must do that is
// not its own is done by package bot; what is left here is the terminal's
// wire format — lines in, plain text out, buttons as numbers to type.
type Terminal struct {
	In      io.Reader
	Out     io.Writer
	Handler bot.Handler
	// UserLang is the user's locale ($LANG), the reply language until the
	// questions say otherwise.
	UserLang string
	// Prompt, when not empty, is written before each line is read (an
	// interactive terminal); Intro once after the greeting.
	Prompt, Intro string
	// MaxLine bounds a line; the rest of a longer line is dropped.
	MaxLine int
	// Log receives what goes wrong (a handler's panic); nil: nowhere,
	// the apology is on the screen already.
	Log *slog.Logger

	life bot.Lifecycle
}

// Name implements bot.Platform.
func (t *Terminal) Name() string { return "terminal" }

// Healthy implements bot.Platform.
func (t *Terminal) Healthy() error { return t.life.Healthy() }

// Run greets, then answers each line until the input ends, "/quit" or ctx
// is cancelled. A number picks one of the buttons of the last reply.
func (t *Terminal) Run(ctx context.Context) error {
	if err := t.life.Begin(); err != nil {
		return err
	}
	err := t.run(ctx)
	t.life.Stop(err)
	return err
}

func (t *Terminal) run(ctx context.Context) error {
	log := t.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := bot.Recover(t.Handler, log)
	in := bufio.NewReaderSize(t.In, 64*1024)
	out := bufio.NewWriter(t.Out)
	defer out.Flush()
	user := bot.Message{Platform: t.Name(), Chat: "terminal", User: "terminal", UserLang: t.UserLang}
	t.life.Set(bot.StateServing)

	greet := h.Handle(bot.Unrecorded(ctx), withInput(user, "", "/start"))
	fmt.Fprint(out, Render(greet))
	if t.Intro != "" {
		fmt.Fprintln(out, t.Intro)
	}
	buttons := greet.Buttons
	for ctx.Err() == nil {
		if t.Prompt != "" {
			fmt.Fprint(out, "\n"+t.Prompt)
		}
		if err := out.Flush(); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		line, err := readLine(ctx, in, t.MaxLine)
		if ctx.Err() != nil || errors.Is(err, io.EOF) {
			return nil
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
		msg := withInput(user, "", text)
		if n, err := strconv.Atoi(text); err == nil && n >= 1 && n <= len(buttons) && len(text) <= 2 {
			msg = withInput(user, buttons[n-1].Data, "")
			fmt.Fprintf(out, "» %s\n", buttons[n-1].Label)
		}
		r := h.Handle(ctx, msg)
		fmt.Fprint(out, "\n"+Render(r))
		buttons = r.Buttons
	}
	return nil
}

// readLine is ReadLine in a goroutine of its own, so that ctx (Ctrl-C)
// stops the wait: a read of a terminal cannot be interrupted. When ctx
// ends first, that goroutine stays blocked until the input yields a line
// or ends: nothing to worry about in `nocbot chat`, which is about to exit;
// a test that cancels a Run still reading closes the input afterwards.
func readLine(ctx context.Context, in *bufio.Reader, max int) (string, error) {
	type result struct {
		line string
		err  error
	}
	done := make(chan result, 1) // the reader never waits for Run
	go func() {
		line, err := ReadLine(in, max)
		done <- result{line, err}
	}()
	select {
	case r := <-done:
		return r.line, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func withInput(m bot.Message, button, text string) bot.Message {
	m.Button, m.Text = button, text
	return m
}

// ReadLine reads one line of at most max bytes (max <= 0: no bound); the
// rest of a longer line is read and dropped. The last line may lack its
// newline; io.EOF comes only when there is no line at all.
func ReadLine(r *bufio.Reader, max int) (string, error) {
	var b []byte
	got := false
	for {
		chunk, err := r.ReadSlice('\n')
		if len(chunk) > 0 {
			got = true
		}
		if room := max - len(b); max <= 0 || room > 0 {
			if max > 0 {
				chunk = chunk[:min(len(chunk), room)]
			}
			b = append(b, chunk...)
		}
		switch {
		case err == nil:
			return strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r"), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && got:
			return strings.TrimSuffix(string(b), "\r"), nil
		default:
			return "", err
		}
	}
}
