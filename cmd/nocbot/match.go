package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/plain"
	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/knowledge/jobmatch"
	"github.com/nocbot/nocbot/seeds"
)

// jobMatcher is the matcher of people's own duties for lib, with nocbot's
// duty word lists, built on first use. The lists are nocbot's own data,
// shipped in the binary whatever --seeds says. It reads Traditional
// Chinese through the classifier's converter when b has a classifier.
func jobMatcher(b *kb) (*jobmatch.Lazy, error) {
	terms, err := jobmatch.LoadTerms(seeds.NOC2021Chinese())
	if err != nil {
		return nil, err
	}
	var opts []jobmatch.Option
	if b.matcher != nil {
		opts = append(opts, jobmatch.WithSimplifier(b.matcher.Normalizer().Simplified))
	}
	return jobmatch.NewLazy(b.lib.Profiles(), terms, opts...), nil
}

// coreConfig is cfg with the job matcher of b.
func coreConfig(b *kb, cfg bot.Config) (bot.Config, error) {
	jobs, err := jobMatcher(b)
	if err != nil {
		return cfg, err
	}
	cfg.Jobs = jobs
	return cfg, nil
}

// matchLine is one line of `nocbot match`'s output (README: machine
// interface).
type matchLine struct {
	Lang      knowledge.Lang `json:"lang"`
	Matches   []matchJSON    `json:"matches"`
	Truncated bool           `json:"truncated,omitempty"`
}

type matchJSON struct {
	NOC    string   `json:"noc"`
	Title  string   `json:"title"`
	TEER   int      `json:"teer"`
	Score  float64  `json:"score"`
	Duties []string `json:"duties"`
}

func runMatch(ctx context.Context, e env, args []string) error {
	fset := newFlagSet("match", e)
	var k kbFlags
	k.register(fset, e)
	top := fset.Int("top", 5, "how many unit groups to give per description (1-20)")
	if _, err := parseInterspersed(fset, args); err != nil {
		return err
	}
	if *top < 1 || *top > 20 {
		return fmt.Errorf("--top %d: want 1 to 20: %w", *top, errUsage)
	}
	base, err := open(ctx, k, e, false, false)
	if err != nil {
		return err
	}
	defer base.Close()
	jobs, err := jobMatcher(base)
	if err != nil {
		return err
	}
	in := bufio.NewReaderSize(e.stdin, 64*1024)
	out := bufio.NewWriter(e.stdout)
	enc := json.NewEncoder(out)
	for ctx.Err() == nil {
		// One byte over the matcher's limit, so it can say it cut the line.
		description, err := plain.ReadLine(in, jobmatch.MaxInput+1)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read stdin: %w", err)
		}
		r := jobs.Match(description, *top)
		line := matchLine{Lang: r.Lang, Matches: []matchJSON{}, Truncated: r.Truncated}
		for _, m := range r.Matches {
			duties := m.Duties()
			if duties == nil {
				duties = []string{}
			}
			line.Matches = append(line.Matches, matchJSON{NOC: m.Code, Title: m.Title.EN, TEER: m.TEER,
				Score: math.Round(m.Score*1e4) / 1e4, Duties: duties})
		}
		if err := enc.Encode(line); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		// Answer each line as it comes when a tool talks to us line by
		// line; batch when the input is already there.
		if in.Buffered() == 0 {
			if err := out.Flush(); err != nil {
				return fmt.Errorf("write: %w", err)
			}
		}
	}
	return out.Flush()
}
