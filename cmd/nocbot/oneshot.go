package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/plain"
	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

func runAsk(ctx context.Context, e env, args []string) error {
	fset := newFlagSet("ask", e)
	var k kbFlags
	k.register(fset, e)
	pos, err := parseInterspersed(fset, args)
	if err != nil {
		return err
	}
	question := joinArgs(pos)
	if question == "" {
		return fmt.Errorf("%w: missing QUESTION", errUsage)
	}
	base, err := openKB(ctx, k, e, false)
	if err != nil {
		return err
	}
	defer base.Close()
	home := homeOccupation(e.getenv)
	if err := checkHome(base.lib, home); err != nil {
		return err
	}
	cfg, err := coreConfig(base, bot.Config{Home: home})
	if err != nil {
		return err
	}
	r := bot.New(base.lib, base.matcher, cfg).Handle(ctx, bot.Message{Platform: "cli", Chat: "ask", User: "ask", Text: question})
	return writeString(e.stdout, plain.Render(r))
}

// classification is one line of `nocbot classify` output. The field names
// and order are a stable interface.
type classification struct {
	Intent     intents.Intent `json:"intent"`
	Lang       knowledge.Lang `json:"lang"`
	NOC        string         `json:"noc"`
	NOC2011    string         `json:"noc_2011,omitempty"`
	Confidence float64        `json:"confidence"`
	// Also are the further parts of a compound question, in order
	// (out_of_scope included); Topic the career topic no profile covers
	// that the question (its first part) names.
	Also  []intents.Intent `json:"also,omitempty"`
	Topic intents.Topic    `json:"topic,omitempty"`
}

// sameOccupation reports whether the code got names the occupation want
// names, in either classification: 12111 for 1252, 12112 for 1253 (the
// group that continues it).
func sameOccupation(lib *knowledge.Library, got, want string) bool {
	if got == want {
		return true
	}
	if _, old := codes(lib, got); old != "" && old == want {
		return true
	}
	return len(want) == 4 && slices.ContainsFunc(lib.Successors(want), func(l knowledge.Link) bool { return l.NOC2021Code == got })
}

// codes gives the occupation a question resolved to in both
// classifications, as the README's machine interface has them: the NOC 2021
// code whenever the occupation is in NOC 2021, and its NOC 2011/2016 code
// where one is known (the one it came from whole).
func codes(lib *knowledge.Library, code string) (noc2021, noc2011 string) {
	if len(code) == 4 {
		if c, ok := lib.Counterpart(code); ok {
			return c.Code, code
		}
		if links := lib.Successors(code); len(links) == 1 {
			return links[0].NOC2021Code, code
		}
		return code, code
	}
	var whole []string
	for _, l := range lib.Predecessors(code) {
		if len(lib.Successors(l.NOC2016Code)) == 1 {
			whole = append(whole, l.NOC2016Code)
		}
	}
	if len(whole) == 1 {
		return code, whole[0]
	}
	return code, ""
}

func runClassify(ctx context.Context, e env, args []string) error {
	fset := newFlagSet("classify", e)
	var k kbFlags
	k.register(fset, e)
	if _, err := parseInterspersed(fset, args); err != nil {
		return err
	}
	base, err := openKB(ctx, k, e, false)
	if err != nil {
		return err
	}
	defer base.Close()
	in := bufio.NewReaderSize(e.stdin, 64*1024)
	out := bufio.NewWriter(e.stdout)
	var line []byte // one output line, reused
	for {
		question, err := plain.ReadLine(in, intents.MaxQuestionBytes)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read stdin: %w", err)
		}
		res := base.matcher.Classify(question)
		noc, noc2011 := codes(base.lib, res.NOC)
		line, err = classification{res.Intent, res.Lang, noc, noc2011, math.Round(res.Confidence*1e4) / 1e4, res.Also, res.Topic}.appendJSON(line[:0])
		if err != nil {
			return fmt.Errorf("write: %w", err)
		}
		line = append(line, '\n')
		if _, err := out.Write(line); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		// Answer each line as it comes when a tool talks to us line by
		// line; batch when the input is already there.
		if in.Buffered() == 0 {
			if err := out.Flush(); err != nil {
				return fmt.Errorf("write: %w", err)
			}
		}
		if ctx.Err() != nil {
			break
		}
	}
	return out.Flush()
}

func runEval(ctx context.Context, e env, args []string) error {
	fset := newFlagSet("eval", e)
	var k kbFlags
	k.register(fset, e)
	pos, err := parseInterspersed(fset, args)
	if err != nil {
		return err
	}
	if err := requireArgs(pos, 1, "FILE"); err != nil {
		return err
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	cases, err := intents.ReadCases(f)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	base, err := openKB(ctx, k, e, false)
	if err != nil {
		return err
	}
	defer base.Close()
	_, err = intents.EvaluateWith(base.matcher, cases, func(got, want string) bool {
		return sameOccupation(base.lib, got, want)
	}).WriteTo(e.stdout)
	return err
}

func runUtterances(ctx context.Context, e env, args []string) error {
	fset := newFlagSet("utterances", e)
	if _, err := parseInterspersed(fset, args); err != nil {
		return err
	}
	data, err := intents.TrainingData()
	if err != nil {
		return err
	}
	out := bufio.NewWriter(e.stdout)
	for _, u := range data {
		fmt.Fprintf(out, "%s\t%s\t%s\n", u.Intent, u.Lang, u.Text)
	}
	return out.Flush()
}

func runProfile(ctx context.Context, e env, args []string) error {
	fset := newFlagSet("profile", e)
	var k kbFlags
	k.register(fset, e)
	langFlag := fset.String("lang", "en", "language: en or zh")
	pos, err := parseInterspersed(fset, args)
	if err != nil {
		return err
	}
	lang, ok := knowledge.ParseLang(*langFlag)
	if !ok {
		return fmt.Errorf("%w: --lang must be en or zh, not %q", errUsage, *langFlag)
	}
	if err := requireArgs(pos, 1, "CODE"); err != nil {
		return err
	}
	lib, store, err := openLibrary(ctx, k, e, false)
	if err != nil {
		return err
	}
	defer store.Close()
	p, ok := lib.Profile(strings.TrimSpace(pos[0]))
	if !ok {
		var codes []string
		for _, q := range lib.Profiles() {
			codes = append(codes, q.Code)
		}
		return fmt.Errorf("no profile for NOC %q (profiles: %s)", pos[0], strings.Join(codes, ", "))
	}
	return writeString(e.stdout, plain.Render(bot.ProfileReply(lang, p)))
}

func runImport(ctx context.Context, e env, args []string) error {
	fset := newFlagSet("import", e)
	var k kbFlags
	k.register(fset, e)
	if _, err := parseInterspersed(fset, args); err != nil {
		return err
	}
	fsys, err := seedFS(k.seeds)
	if err != nil {
		return err
	}
	path, err := dbPath(k.db, e, true)
	if err != nil {
		return err
	}
	set, err := knowledge.LoadSeeds(fsys)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, path)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Import(ctx, set); err != nil {
		return err
	}
	var codes []string
	for _, p := range set.Profiles {
		codes = append(codes, p.Code)
	}
	_, err = fmt.Fprintf(e.stdout, "imported %s (%s) into %s\n", plural(len(set.Profiles), "profile", "profiles"), strings.Join(codes, ", "), path)
	return err
}
