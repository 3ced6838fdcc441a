package noc2021

import (
	"strings"
	"testing"

	"github.com/nocbot/nocbot/seeds"
)

// The files shipped in the binary import whole, with the figures and spot
// checks of their provenance (/work/shared/data/noc2021/PROVENANCE.md,
// restated in seeds/noc2021/README.md).
func TestLoadShipped(t *testing.T) {
	c, err := Load(seeds.NOC2021())
	if err != nil {
		t.Fatal(err)
	}

	perLevel := map[Level]int{}
	for _, g := range c.Groups {
		perLevel[g.Level]++
	}
	perTEER := make([]int, 6)
	var illustrative, allExamples, toUnit, toMinor, withInclusions, withAdditional, withHeadings int
	var dutyRows, requirementRows int
	for _, u := range c.UnitGroups {
		if u.TEER != int(u.Code[1]-'0') {
			t.Errorf("%s: TEER %d, want the code's second digit", u.Code, u.TEER)
		}
		perTEER[u.TEER]++
		illustrative += len(u.IllustrativeExamples)
		allExamples += len(u.AllExamples)
		for _, x := range u.Exclusions {
			switch len(x.Code) {
			case 5:
				toUnit++
			case 4:
				toMinor++
			}
		}
		if len(u.Inclusions) > 0 {
			withInclusions++
		}
		if len(u.Additional) > 0 {
			withAdditional++
		}
		dutyRows += 1 + len(u.Duties) // the introduction is a row of its own
		requirementRows += len(u.Requirements)
		if hasHeading(u.Duties) || hasHeading(u.Requirements) {
			withHeadings++
		}
		if u.Code == "12201" && len(u.Exclusions) != 0 {
			t.Errorf("12201: %d exclusions, want none", len(u.Exclusions))
		}
		checkClean(t, u)
	}
	from, to := map[string]bool{}, map[string]bool{}
	for _, l := range c.Correspondence {
		from[l.NOC2016Code], to[l.NOC2021Code] = true, true
	}
	counts := []struct {
		what      string
		got, want int
	}{
		{"broad categories", perLevel[BroadCategory], 10},
		{"major groups", perLevel[MajorGroup], 45},
		{"sub-major groups", perLevel[SubMajorGroup], 89},
		{"minor groups", perLevel[MinorGroup], 162},
		{"unit groups", len(c.UnitGroups), 516},
		{"TEER 0", perTEER[0], 48},
		{"TEER 1", perTEER[1], 97},
		{"TEER 2", perTEER[2], 162},
		{"TEER 3", perTEER[3], 69},
		{"TEER 4", perTEER[4], 95},
		{"TEER 5", perTEER[5], 45},
		// All examples: one title a row, none repeated within a group.
		{"all examples", allExamples, 27935},
		{"illustrative examples", illustrative, 4768},
		{"exclusions citing a unit group", toUnit, 2136},
		{"exclusions citing a minor group", toMinor, 54},
		{"unit groups with inclusions", withInclusions, 115},
		{"unit groups with additional information", withAdditional, 401},
		// Every repeated duty or requirement row stands under another role:
		// none is dropped, so the lists keep all the file's rows.
		{"Main duties rows", dutyRows, 6144},
		{"Employment requirements rows", requirementRows, 2122},
		// "About 190" in the provenance; 191 on review of every heading.
		{"unit groups split by role", withHeadings, 191},
		{"correspondence records", len(c.Correspondence), 585},
		{"NOC 2016 codes", len(from), 500},
		{"NOC 2021 codes", len(to), 516},
	}
	for _, tt := range counts {
		if tt.got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.what, tt.got, tt.want)
		}
	}

	u := mustUnit(t, c, "12111")
	if u.Title != "Health information management occupations" || u.TEER != 2 {
		t.Errorf("12111: got %q TEER %d", u.Title, u.TEER)
	}
	if want := "Health information management workers collect, code, record, review and manage health information"; !strings.HasPrefix(u.Lead, want) {
		t.Errorf("12111 lead: got %q, want it to start %q", u.Lead, want)
	}
	if !hasItem(u.Duties, "Classify and code diseases according to an established classification system") {
		t.Errorf("12111 duties: got %q", render(u.Duties))
	}
	reqs := render(u.Requirements)
	for _, want := range []string{"two-year college diploma program in health record technology or health information management", "Canadian Health Information Management Association national certification examination"} {
		if !strings.Contains(reqs, want) {
			t.Errorf("12111 requirements: got %q, want %q", reqs, want)
		}
	}
	if got := renderLinks(c.Successors("1252")); got != "1252 Health information management occupations → 12111 Health information management occupations [VC1 - Code Change; VC2 - Name Change] " {
		t.Errorf("1252 successors: got %q", got)
	}
	if got := linkTargets(c.Successors("1253")); got != "12111 12112" {
		t.Errorf("1253 successors: got %q, want 12111 12112", got)
	}
	if got := c.Successors("1253")[0].Notes; got != "1253 continues as 12112 and part transferred to 12111" {
		t.Errorf("1253 notes: got %q", got)
	}
	if got := link2016(c.Predecessors("12111")); got != "1252 1253" {
		t.Errorf("12111 predecessors: got %q, want 1252 1253", got)
	}
	if got := linkTargets(c.Successors("11")); got != "00010" {
		t.Errorf("0011 successors: got %q, want 00010", got)
	}

	var headings []string
	for _, it := range mustUnit(t, c, "10020").Duties {
		if it.Heading {
			headings = append(headings, it.Text)
		}
	}
	if got := strings.Join(headings, " | "); got != "Insurance managers | Real estate service managers | Mortgage broker managers | Securities managers" {
		t.Errorf("10020 duty headings: got %q", got)
	}
	if d := mustUnit(t, c, "10020").Duties; !d[0].Heading || d[1].Heading {
		t.Errorf("10020 duties start %q, want the heading then a duty", render(d[:2]))
	}
	if got := mustUnit(t, c, "64301").DutiesIntro; got != "Bartenders perform some or all of the following duties:" {
		t.Errorf("64301 duties intro: got %q", got)
	}
	if got := mustUnit(t, c, "00010").DutiesIntro; got != "This group performs some or all of the following duties:" {
		t.Errorf("00010 duties intro: got %q", got)
	}

	// Hard cases of the sub-heading rule, each seen in the file.
	headingCases := []struct {
		code, text string
		duties     bool // else requirements
		heading    bool
	}{
		{"00010", "Enact, amend or repeal laws and regulations", true, false},                                                                  // first row alone
		{"31201", "Communicate and collaborate with other health care professionals", true, false},                                             // after a stray full stop
		{"42201", "May maintain program statistics for purposes of evaluation and research", true, false},                                      // likewise
		{"51120", "Record producers", true, true},                                                                                              // opens like a duty
		{"41201", "Research assistants", true, true},                                                                                           // likewise
		{"31209", "Doctors of podiatric medicine (D.P.M.)", false, true},                                                                       // full stop inside parentheses
		{"43203", "Border services student officers must complete Control and Defensive Tactics (CDT) training", false, false},                 // no heading first
		{"53121", "May participate in the development of a director or ringmaster's vision", true, false},                                      // last row
		{"53100", "Curatorial assistants, museum extension officers, museology technicians and museum registrars and cataloguers", true, true}, // 12 words
	}
	for _, hc := range headingCases {
		u := mustUnit(t, c, hc.code)
		list := u.Requirements
		if hc.duties {
			list = u.Duties
		}
		found := false
		for _, it := range list {
			if it.Text == hc.text {
				found = true
				if it.Heading != hc.heading {
					t.Errorf("%s %q: heading %v, want %v", hc.code, hc.text, it.Heading, hc.heading)
				}
			}
		}
		if !found {
			t.Errorf("%s: no item %q", hc.code, hc.text)
		}
	}

	x := findExclusion(mustUnit(t, c, "00011").Exclusions, "4001")
	if x.Group != "Managers in public administration" {
		t.Errorf("00011: no exclusion citing minor group 4001 Managers in public administration: %+v", mustUnit(t, c, "00011").Exclusions)
	}
	if members := c.UnitGroupsUnder("4001"); len(members) == 0 {
		t.Error("minor group 4001 has no unit groups")
	}
}

func hasHeading(items []Item) bool {
	for _, it := range items {
		if it.Heading {
			return true
		}
	}
	return false
}

func hasItem(items []Item, text string) bool {
	for _, it := range items {
		if it.Text == text {
			return true
		}
	}
	return false
}

func findExclusion(xs []Exclusion, code string) Exclusion {
	for _, x := range xs {
		if x.Code == code {
			return x
		}
	}
	return Exclusion{}
}

func linkTargets(ls []Link) string {
	return codesOf(ls, func(l Link) string { return l.NOC2021Code })
}

// checkClean: no value keeps a trailing space or a no-break space.
func checkClean(t *testing.T, u UnitGroup) {
	t.Helper()
	texts := []string{u.Title, u.Lead, u.DutiesIntro}
	texts = append(texts, u.IllustrativeExamples...)
	texts = append(texts, u.AllExamples...)
	texts = append(texts, u.Inclusions...)
	texts = append(texts, u.Additional...)
	for _, it := range append(append([]Item(nil), u.Duties...), u.Requirements...) {
		texts = append(texts, it.Text)
	}
	for _, x := range u.Exclusions {
		texts = append(texts, x.Title, x.Group)
	}
	for _, s := range texts {
		if s != strings.TrimSpace(s) || strings.ContainsRune(s, '\u00a0') || s == "" {
			t.Errorf("%s: unclean text %q", u.Code, s)
		}
	}
}
