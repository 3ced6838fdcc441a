package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/nocbot/nocbot/bot/questions"
)

// runStats prints what people asked: the intent mix, the out-of-scope
// share and the questions nocbot could not answer most often.
func runStats(ctx context.Context, e env, args []string) error {
	fset := newFlagSet("stats", e)
	var k kbFlags
	k.register(fset, e)
	days := fset.Int("days", 30, "summarise the last `N` days")
	top := fset.Int("top", 20, "list the `N` most frequent unanswered questions")
	if _, err := parseInterspersed(fset, args); err != nil {
		return err
	}
	if *days <= 0 || *top < 0 {
		return fmt.Errorf("%w: --days must be positive and --top not negative", errUsage)
	}
	_, store, err := openLibrary(ctx, k, e, true)
	if err != nil {
		return err
	}
	defer store.Close()
	since := time.Now().Add(-time.Duration(*days) * 24 * time.Hour)
	r, err := questions.Summarize(ctx, store.DB(), since, *top)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(e.stdout)
	fmt.Fprintf(w, "questions in the last %s: %d from %s\n", plural(*days, "day", "days"), r.Total, plural(r.DistinctUsers, "user", "users"))
	if r.Total == 0 {
		fmt.Fprintln(w, "(nothing recorded yet: questions are recorded by `nocbot chat` and `nocbot serve`)")
		return w.Flush()
	}
	fmt.Fprintf(w, "unanswered: %d (%.1f%%)   out of scope: %d (%.1f%%)   mean confidence: %.2f\n",
		r.Unanswered, pct(r.Unanswered, r.Total), r.OutOfScope, 100*r.OutOfScopeShare, r.MeanConfidence)
	section := func(title string, counts []questions.Count) {
		fmt.Fprintf(w, "\n%s\n", title)
		for _, c := range counts {
			fmt.Fprintf(w, "  %6d  %5.1f%%  %s\n", c.N, pct(c.N, r.Total), c.Value)
		}
	}
	section("intents", r.ByIntent)
	section("languages", r.ByLang)
	section("platforms", r.ByPlatform)
	if len(r.TopUnanswered) > 0 {
		fmt.Fprintf(w, "\nmost frequent unanswered questions\n")
		for _, c := range r.TopUnanswered {
			fmt.Fprintf(w, "  %6d  %s\n", c.N, oneLine(c.Value, 100))
		}
	}
	if len(r.MissingOccupations) > 0 {
		fmt.Fprintf(w, "\noccupations asked about with no profile (candidates for new profiles)\n")
		for _, c := range r.MissingOccupations {
			fmt.Fprintf(w, "  %6d  %s\n", c.N, oneLine(c.Value, 100))
		}
	}
	return w.Flush()
}

// plural is "1 user", "2 users".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func pct(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return 100 * float64(n) / float64(total)
}

// oneLine shows stored user text safely on a terminal: no control
// characters, one line, bounded length.
func oneLine(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
	r := []rune(s)
	if len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}
