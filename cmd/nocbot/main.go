// Command nocbot is a bilingual career-guidance chatbot for Canadian NOC
// occupations. One binary: chat in the terminal, serve chat platforms,
// answer one question, classify questions for tools, manage the knowledge
// base.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/nocbot/nocbot/metrics"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, lookupEnv: os.LookupEnv})
	stop()
	os.Exit(code)
}

// env is what a command sees of the world, so tests can run commands in
// process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// lookupEnv tells a variable set empty from one not set; nil: set
	// means not empty (tests that give only getenv).
	lookupEnv func(string) (string, bool)
	// httpListener, when set, is where serve's HTTP endpoints listen
	// instead of NOCBOT_HTTP_ADDR: a test opens it on port 0, so no other
	// process can take the port between choosing and listening.
	httpListener net.Listener
	// onMetrics, when set, is given serve's metrics as they are created:
	// a test waits on their changes instead of polling /metrics.
	onMetrics func(*metrics.Metrics)
}

// lookup is a variable's value and whether it is set at all.
func (e env) lookup(k string) (string, bool) {
	if e.lookupEnv != nil {
		return e.lookupEnv(k)
	}
	v := e.getenv(k)
	return v, v != ""
}

type command struct {
	name, args, summary string
	run                 func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"chat", "[--seeds DIR] [--db PATH]", "talk to nocbot in the terminal (no token needed)", runChat},
		{"serve", "[flags]", "serve the chat platforms whose tokens are set (see README)", runServe},
		{"health", "[--http ADDR]", "exit 0 when a running nocbot serve is healthy (for container health checks)", runHealth},
		{"ask", "[--seeds DIR] [--db PATH] QUESTION", "print the reply to one question, as the bot would send it", runAsk},
		{"classify", "[--seeds DIR] [--db PATH]", "read questions on stdin, one per line; write one JSON object per line", runClassify},
		{"match", "[--seeds DIR] [--top K]", "read job descriptions on stdin, one per line; write the matching NOC 2021 groups as JSON lines", runMatch},
		{"eval", "[--seeds DIR] FILE", "score the matcher on a TSV of intent<TAB>lang<TAB>question", runEval},
		{"utterances", "", "print the training utterances as TSV intent<TAB>lang<TAB>text", runUtterances},
		{"profile", "[--seeds DIR] [--db PATH] [--lang en|zh] CODE", "print a whole occupation profile", runProfile},
		{"import", "[--seeds DIR] [--db PATH]", "(re)build the database from the seed profiles", runImport},
		{"stats", "[--db PATH] [--days N] [--top N]", "what people asked: intent mix, out-of-scope share, unanswered questions", runStats},
	}
}

// errUsage marks an error that is the user's: it is printed with the usage.
var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, e env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintf(e.stderr, "nocbot %s: %v\nusage: nocbot %s %s\n", c.name, err, c.name, c.args)
			return 2
		default:
			fmt.Fprintf(e.stderr, "nocbot %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(e.stderr, "nocbot: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "nocbot answers questions about Canadian NOC occupations, in English or Chinese.")
	fmt.Fprintln(w, "\nusage: nocbot COMMAND [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'nocbot COMMAND -h' for a command's flags.")
}
