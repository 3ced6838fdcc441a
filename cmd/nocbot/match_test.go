package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/nocbot/nocbot/bot/bottest"
)

// nocbot match answers every input line with one JSON line, in order,
// whatever the line holds; the best unit group of a description of
// duties comes first, with the duty sentences it matched.
func TestMatchContract(t *testing.T) {
	dir := bottest.FixtureDir(t)
	lines := []string{
		"I classify and code diseases from patient health records and abstract clinical data",
		"",
		strings.Repeat("weld steel parts; ", 60000), // ~1 MB, thousands of duties
		"invalid \xff\xfe utf-8",
		"我给病历编码，摘录临床数据",
		"I mix cocktails and pour beer at the bar\r",
		"I code diagnoses from patient charts using ICD-10-CA and abstract clinical data",
	}
	code, out, stderr := runCmd(t, strings.Join(lines, "\n"), noEnv(t), "match", "--seeds", dir, "--top", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	outLines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(outLines) != len(lines) {
		t.Fatalf("%d input lines gave %d output lines:\n%s", len(lines), len(outLines), out)
	}
	type match struct {
		NOC    string   `json:"noc"`
		Title  string   `json:"title"`
		TEER   *int     `json:"teer"`
		Score  *float64 `json:"score"`
		Duties []string `json:"duties"`
	}
	var got []struct {
		Lang      string  `json:"lang"`
		Matches   []match `json:"matches"`
		Truncated bool    `json:"truncated"`
	}
	for i, l := range outLines {
		if !strings.HasPrefix(l, `{"lang":`) {
			t.Errorf("line %d: %s", i+1, l)
		}
		var g struct {
			Lang      string  `json:"lang"`
			Matches   []match `json:"matches"`
			Truncated bool    `json:"truncated"`
		}
		dec := json.NewDecoder(strings.NewReader(l))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&g); err != nil || g.Matches == nil {
			t.Fatalf("line %d: %q: %v", i+1, l, err)
		}
		if len(g.Matches) > 2 {
			t.Errorf("line %d: %d matches, want at most --top 2", i+1, len(g.Matches))
		}
		for _, m := range g.Matches {
			if m.TEER == nil || m.Score == nil || *m.Score < 0 || *m.Score > 1 || m.Duties == nil || len(m.NOC) != 5 || m.Title == "" {
				t.Errorf("line %d: match %+v", i+1, m)
			}
		}
		got = append(got, g)
	}
	first := func(i int) string {
		if len(got[i].Matches) == 0 {
			return ""
		}
		return got[i].Matches[0].NOC
	}
	if first(0) != "12111" || len(got[0].Matches[0].Duties) == 0 || got[0].Lang != "en" {
		t.Errorf("a health records coder: %+v, want 12111 first with its matched duties", got[0])
	}
	if len(got[1].Matches) != 0 {
		t.Errorf("an empty line matched %+v", got[1].Matches)
	}
	if !got[2].Truncated || first(2) != "72106" {
		t.Errorf("a megabyte of welding: truncated %v, first %q; want a cut and 72106", got[2].Truncated, first(2))
	}
	if first(4) != "12111" || got[4].Lang != "zh" {
		t.Errorf("a Chinese description: %+v, want zh and 12111 first", got[4])
	}
	if first(5) != "64301" {
		t.Errorf("a bartender: %+v, want 64301 first", got[5])
	}
	// The nurses come second on the words "patient" and "clinical", but
	// none of their duty sentences is about coding charts: none is given.
	if g := got[6].Matches; len(g) != 2 || g[0].NOC != "12111" || len(g[0].Duties) == 0 || g[1].NOC != "31301" || len(g[1].Duties) != 0 {
		t.Errorf("a coder of charts: %+v, want 12111 with its matched duties, then 31301 with none", g)
	}
}

func TestMatchUsage(t *testing.T) {
	for _, args := range [][]string{{"match", "--top", "0"}, {"match", "--top", "21"}} {
		if code, _, _ := runCmd(t, "", noEnv(t), args...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}
