package plain

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/nocbot/nocbot/bot"
)

// script answers each message by what it was, and offers two buttons.
type script struct{ seen []bot.Message }

func (s *script) Handle(_ context.Context, m bot.Message) bot.Reply {
	s.seen = append(s.seen, m)
	if m.Text == "boom" {
		panic("boom")
	}
	what := "text " + m.Text
	if m.Button != "" {
		what = "button " + m.Button
	}
	return bot.Reply{Blocks: []bot.Block{{Kind: bot.Paragraph, Text: what}},
		Buttons: []bot.Button{{Label: "One", Data: "d1"}, {Label: "Two", Data: "d2"}}}
}

func TestTerminal(t *testing.T) {
	tests := []struct {
		name, in string
		maxLine  int
		want     []string // in order in the output
		wantMsgs int      // messages the handler saw, greeting included
	}{
		{"greets and answers", "hello\n", 0, []string{"text /start", "text hello", "[1] One  [2] Two"}, 2},
		{"a number presses a button", "2\n", 0, []string{"» Two", "button d2"}, 2},
		{"a number past the buttons is text", "3\n", 0, []string{"text 3"}, 2},
		{"blank lines are skipped", "\n  \n\nx\n", 0, []string{"text x"}, 2},
		{"quit ends the chat", "a\n/quit\nb\n", 0, []string{"text a"}, 2},
		{"the last line needs no newline", "a\nb", 0, []string{"text a", "text b"}, 3},
		{"a long line is cut", strings.Repeat("x", 100) + "\nok\n", 10, []string{"text xxxxxxxxxx\n", "text ok"}, 3},
		{"CRLF", "a\r\nb\r\n", 0, []string{"text a\n", "text b\n"}, 3},
		{"a panic is an apology", "boom\nafter\n", 0, []string{"Sorry, something went wrong", "text after"}, 3},
		{"invalid UTF-8 is passed on", "\xff\xfe\n", 0, []string{"text \xff\xfe"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			h := &script{}
			term := &Terminal{In: strings.NewReader(tt.in), Out: &out, Handler: h, MaxLine: tt.maxLine}
			if err := term.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			got := out.String()
			at := 0
			for _, w := range tt.want {
				i := strings.Index(got[at:], w)
				if i < 0 {
					t.Fatalf("output lacks %q after byte %d:\n%s", w, at, got)
				}
				at += i + len(w)
			}
			if len(h.seen) != tt.wantMsgs {
				t.Errorf("handler saw %d messages, want %d", len(h.seen), tt.wantMsgs)
			}
			for _, m := range h.seen {
				if m.Platform != "terminal" || m.Chat == "" || m.User == "" {
					t.Errorf("message without a conversation: %+v", m)
				}
			}
			if err := term.Healthy(); err == nil || !strings.Contains(err.Error(), "stopped") {
				t.Errorf("Healthy after Run: %v", err)
			}
			if err := term.Run(context.Background()); !errors.Is(err, bot.ErrRunTwice) {
				t.Errorf("second Run: %v", err)
			}
		})
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("device gone") }

func TestTerminalErrors(t *testing.T) {
	term := &Terminal{In: strings.NewReader("a\n"), Out: failingWriter{}, Handler: &script{}, Prompt: "> "}
	if err := term.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("write failure: %v", err)
	}
	term = &Terminal{In: failingReader{}, Out: io.Discard, Handler: &script{}}
	if err := term.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "device gone") {
		t.Errorf("read failure: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h := &script{}
	term = &Terminal{In: strings.NewReader("a\nb\n"), Out: io.Discard, Handler: h}
	if err := term.Run(ctx); err != nil || len(h.seen) != 1 {
		t.Errorf("cancelled: err %v, %d messages (want the greeting only)", err, len(h.seen))
	}
}

// readingReader tells when a Read starts waiting on r.
type readingReader struct {
	r       io.Reader
	reading chan struct{}
}

func (rr *readingReader) Read(p []byte) (int, error) {
	select {
	case rr.reading <- struct{}{}:
	default:
	}
	return rr.r.Read(p)
}

// Ctrl-C (ctx cancelled) stops a chat waiting for a line that never comes.
func TestTerminalStopsWhileReading(t *testing.T) {
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.Close() }) // ends the read Run left waiting
	in := &readingReader{r: pr, reading: make(chan struct{}, 1)}
	h := &script{}
	term := &Terminal{In: in, Out: io.Discard, Handler: h}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- term.Run(ctx) }()
	<-in.reading // Run waits for a line
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run stopped by ctx: %v", err)
	}
	if len(h.seen) != 1 {
		t.Errorf("handler saw %d messages, want the greeting only", len(h.seen))
	}
}

func FuzzReadLine(f *testing.F) {
	f.Add("a\nb", 3)
	f.Add("\r\n\r\n", 0)
	f.Add(strings.Repeat("x", 70000)+"\n", 10)
	f.Fuzz(func(t *testing.T, in string, max int) {
		r := bufio.NewReaderSize(strings.NewReader(in), 16)
		total := 0
		for {
			line, err := ReadLine(r, max)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if max > 0 && len(line) > max {
				t.Fatalf("line of %d bytes, max %d", len(line), max)
			}
			if total++; total > len(in)+1 {
				t.Fatal("more lines than bytes")
			}
		}
	})
}
