package knowledge

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/nocbot/nocbot/knowledge/noc2021"
)

// The NOC 2021 fixture (testdata/noc2021) is cut from the official files
// and nocbot's names: unit groups 00010, 10020 (duties split by role),
// 11100 and 40010 (an exclusion citing minor group 4140), 12111 and 12112
// (NOC 2016 1252 and 1253), 14100, 31301, 64301 (its own duties
// introduction) and 72106, with the groups above them.
const noc2021Fixture = "testdata/noc2021"

func fixtureLibraryBoth(t testing.TB) *Library {
	t.Helper()
	lib, err := LoadLibrary(fixtureFS(t), os.DirFS(noc2021Fixture), os.DirFS(noc2021Fixture))
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

func fixtureClassification(t testing.TB) (*noc2021.Classification, *ChineseNames) {
	t.Helper()
	c, err := noc2021.Load(os.DirFS(noc2021Fixture))
	if err != nil {
		t.Fatal(err)
	}
	zh, err := LoadChineseNames(os.DirFS(noc2021Fixture), c)
	if err != nil {
		t.Fatal(err)
	}
	return c, zh
}

func convertFixture(t *testing.T, code string) Profile {
	t.Helper()
	c, zh := fixtureClassification(t)
	u, ok := c.UnitGroup(code)
	if !ok {
		t.Fatalf("fixture has no unit group %s", code)
	}
	return FromNOC2021(u, c, zh)
}

func TestFromNOC2021(t *testing.T) {
	p := convertFixture(t, "12111")
	checks := []struct {
		what      string
		got, want any
	}{
		{"code", p.Code, "12111"},
		{"title", p.Title, Text{EN: "Health information management occupations", ZH: "卫生信息管理职业"}},
		{"Chinese title is nocbot's", p.TitleZHProject, true},
		{"classification", p.Classification, NOC2021},
		{"provider", p.Provider, ProviderStatCan},
		{"attribution", p.Attribution, []string{noc2021.SourceNotice, noc2021.AdaptedNotice}},
		{"source", p.Source, NOC2021URL},
		{"TEER", [2]any{p.TEER, p.HasTEER}, [2]any{2, true}},
		{"lead is English only", p.Lead.Has(ZH), false},
		{"lead in Chinese falls back to English", strings.HasPrefix(p.Lead.In(ZH), "Health information management workers collect, code"), true},
		{"duties intro", p.DutiesIntro.EN, "This group performs some or all of the following duties:"},
		{"first duty", p.Duties[0], Text{EN: "Classify and code diseases according to an established classification system"}},
		{"no headings", slices.ContainsFunc(p.Duties, func(t Text) bool { return t.Heading }), false},
		{"requirement", strings.Contains(p.Requirements[1].EN, "Canadian Health Information Management Association national certification examination"), true},
		{"examples", p.ExampleTitles[0], Text{EN: "health information management supervisor"}},
		{"examples among all titles", len(p.AllTitles) > len(p.ExampleTitles), true},
		{"exclusion", p.Elsewhere[0], CrossRef{Title: Text{EN: "Health records clerk"}, Code: "14100",
			Group: Text{EN: "General office support workers", ZH: "一般办公室文员"}, Level: UnitGroup}},
		{"aliases", slices.Contains(p.Aliases, Text{ZH: "病历技师"}), true},
		{"hierarchy codes", groupCodes(p.Hierarchy), "1 12 121 1211"},
		{"broad category", p.Hierarchy[0].Title, Text{EN: "Business, finance and administration occupations", ZH: "商业、金融和行政职业"}},
		{"minor group has no Chinese name", p.Hierarchy[3].Title.Has(ZH), false},
	}
	for _, c := range checks {
		if !equalAny(c.got, c.want) {
			t.Errorf("%s: got %#v, want %#v", c.what, c.got, c.want)
		}
	}
}

func equalAny(a, b any) bool {
	switch a := a.(type) {
	case []string:
		return slices.Equal(a, b.([]string))
	}
	return a == b
}

func groupCodes(gs []Group) string {
	var codes []string
	for _, g := range gs {
		codes = append(codes, g.Code)
	}
	return strings.Join(codes, " ")
}

// 10020 splits its duties and requirements by role; the roles stay
// headings, in file order, each followed by its own items.
func TestFromNOC2021Headings(t *testing.T) {
	p := convertFixture(t, "10020")
	var headings []string
	for i, d := range p.Duties {
		if d.Heading {
			headings = append(headings, d.EN)
			if i+1 == len(p.Duties) || p.Duties[i+1].Heading {
				t.Errorf("heading %q has no duties under it", d.EN)
			}
		}
	}
	want := []string{"Insurance managers", "Real estate service managers", "Mortgage broker managers", "Securities managers"}
	if !slices.Equal(headings, want) {
		t.Errorf("duty headings %q, want %q", headings, want)
	}
	if !p.Duties[0].Heading {
		t.Error("the list starts with its first role")
	}
}

func TestFromNOC2021Intro(t *testing.T) {
	p := convertFixture(t, "64301")
	if p.DutiesIntro.EN != "Bartenders perform some or all of the following duties:" {
		t.Errorf("duties intro %q", p.DutiesIntro.EN)
	}
	if len(p.Duties) == 0 || p.Duties[0].EN == p.DutiesIntro.EN {
		t.Errorf("the introduction is not a duty: %+v", p.Duties)
	}
	if p.TEER != 4 || !p.HasTEER {
		t.Errorf("TEER %d (%v), want 4", p.TEER, p.HasTEER)
	}
}

// An exclusion may cite a whole minor group: it keeps the 4-digit code,
// says it is a minor group, and carries the group's official name (minor
// groups have no Chinese name).
func TestFromNOC2021MinorGroupExclusion(t *testing.T) {
	p := convertFixture(t, "40010")
	i := slices.IndexFunc(p.Elsewhere, func(r CrossRef) bool { return r.Code == "4140" })
	if i < 0 {
		t.Fatalf("no exclusion citing 4140 in %+v", p.Elsewhere)
	}
	want := CrossRef{
		Title: Text{EN: "Policy and program researchers, consultants and officers"},
		Code:  "4140",
		Group: Text{EN: "Policy and program researchers, consultants and officers"},
		Level: MinorGroup,
	}
	if p.Elsewhere[i] != want {
		t.Errorf("got %+v, want %+v", p.Elsewhere[i], want)
	}
}

func TestTextLanguages(t *testing.T) {
	tests := []struct {
		text Text
		lang Lang
		want string
		has  bool
	}{
		{Text{ZH: "病历技师", EN: "medical records technician"}, ZH, "病历技师", true},
		{Text{ZH: "病历技师", EN: "medical records technician"}, EN, "medical records technician", true},
		{Text{EN: "welder"}, ZH, "welder", false},
		{Text{EN: "welder"}, EN, "welder", true},
		{Text{ZH: "焊工"}, EN, "", false},
		{Text{EN: "welder"}, "fr", "welder", true},
	}
	for _, tt := range tests {
		if got := tt.text.In(tt.lang); got != tt.want {
			t.Errorf("%+v.In(%s) = %q, want %q", tt.text, tt.lang, got, tt.want)
		}
		if got := tt.text.Has(tt.lang); got != tt.has {
			t.Errorf("%+v.Has(%s) = %v, want %v", tt.text, tt.lang, got, tt.has)
		}
	}
}

func TestLibraryBothSources(t *testing.T) {
	lib := fixtureLibraryBoth(t)
	fly, ok := lib.Profile("1252")
	if !ok || fly.Classification != NOC2011 || fly.Provider != ProviderFLYabroad || fly.HasTEER {
		t.Fatalf("1252: %v %q %q TEER %v", ok, fly.Classification, fly.Provider, fly.HasTEER)
	}
	cur, ok := lib.Profile("12111")
	if !ok || !cur.IsNOC2021() {
		t.Fatalf("12111: %v", ok)
	}
	if p, ok := lib.Counterpart("1252"); !ok || p.Code != "12111" {
		t.Errorf("Counterpart(1252) = %v, %v; want 12111", p, ok)
	}
	if p, ok := lib.Counterpart("12111"); !ok || p.Code != "1252" {
		t.Errorf("Counterpart(12111) = %v, %v; want 1252 (the part of 1253 it took does not change that)", p, ok)
	}
	if p, ok := lib.Counterpart("12112"); ok {
		t.Errorf("Counterpart(12112) = %s: its only source, 1253, was split", p.Code)
	}
	if p, ok := lib.Counterpart("1253"); ok {
		t.Errorf("Counterpart(1253) = %s: 1253 was split", p.Code)
	}

	tests := []struct {
		code string
		want string // codes of Current, space-separated
	}{
		{"1252", "12111"},
		{"1253", "12111 12112"},
		{"12111", "12111"},
		{"0011", "00010"},
		{"11", "00010"}, // the correspondence's unpadded spelling
		{"9999", ""},
		{"99999", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := profileCodes(lib.Current(tt.code)); got != tt.want {
			t.Errorf("Current(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}

	links := lib.Successors("1253")
	if len(links) != 2 {
		t.Fatalf("Successors(1253) = %+v", links)
	}
	for _, l := range links {
		if l.Notes != "1253 continues as 12112 and part transferred to 12111" || !slices.Contains(l.Changes, "RC5 - Transfer") {
			t.Errorf("1253 → %s: changes %q, note %q", l.NOC2021Code, l.Changes, l.Notes)
		}
	}
	var from []string
	for _, l := range lib.Predecessors("12111") {
		from = append(from, l.NOC2016Code)
	}
	if !slices.Equal(from, []string{"1252", "1253"}) {
		t.Errorf("Predecessors(12111) = %q", from)
	}
}

func TestLibraryGroups(t *testing.T) {
	lib := fixtureLibraryBoth(t)
	tests := []struct {
		code  string
		level Level
		en    string
		zh    string
	}{
		{"1", BroadCategory, "Business, finance and administration occupations", "商业、金融和行政职业"},
		{"12", MajorGroup, "Administrative and financial supervisors and specialized administrative occupations", "行政和财务主管及专门行政职业"},
		{"121", SubMajorGroup, "", ""},
		{"1211", MinorGroup, "", ""},
		{"12111", UnitGroup, "Health information management occupations", "卫生信息管理职业"},
		{"4140", MinorGroup, "Policy and program researchers, consultants and officers", ""},
	}
	for _, tt := range tests {
		g, ok := lib.Group(tt.code)
		if !ok || g.Level != tt.level || g.Code != tt.code {
			t.Errorf("Group(%s) = %+v, %v", tt.code, g, ok)
			continue
		}
		if g.Title.EN == "" || (tt.en != "" && g.Title.EN != tt.en) || g.Title.ZH != tt.zh {
			t.Errorf("Group(%s) title %+v, want %q / %q", tt.code, g.Title, tt.en, tt.zh)
		}
	}
	for _, code := range []string{"", "9", "1252", "123456", "abc"} {
		if g, ok := lib.Group(code); ok {
			t.Errorf("Group(%q) = %+v", code, g)
		}
	}
	if got := profileCodes(lib.Members("1211")); got != "12111 12112" {
		t.Errorf("Members(1211) = %q", got)
	}
	if got := profileCodes(lib.Neighbours("12111")); got != "12112" {
		t.Errorf("Neighbours(12111) = %q", got)
	}
	if n := lib.Neighbours("1252"); n != nil {
		t.Errorf("Neighbours(1252) = %v: NOC 2011 has no groups here", n)
	}
	if _, ok := NewLibrary(nil).Group("1"); ok {
		t.Error("a library without NOC 2021 has no groups")
	}
}

// profileCodes lists the profiles' codes, space-separated.
func profileCodes(ps []*Profile) string {
	var codes []string
	for _, p := range ps {
		codes = append(codes, p.Code)
	}
	return strings.Join(codes, " ")
}

// A broken file fails the whole load, naming the file and line.
func TestLoadLibraryErrors(t *testing.T) {
	dir := func() fstest.MapFS {
		fsys := fstest.MapFS{}
		entries, err := os.ReadDir(noc2021Fixture)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			data, err := os.ReadFile(noc2021Fixture + "/" + e.Name())
			if err != nil {
				t.Fatal(err)
			}
			fsys[e.Name()] = &fstest.MapFile{Data: data}
		}
		return fsys
	}
	brokenNames := dir()
	brokenNames[NamesFile].Data = append(brokenNames[NamesFile].Data, "12111\t卫生\n"...)
	lines := strings.Count(string(brokenNames[NamesFile].Data), "\n")
	brokenElements := dir()
	brokenElements[noc2021.ElementsFile].Data = append(brokenElements[noc2021.ElementsFile].Data, "5,12111,Health information management occupations,Main duties\r\n"...)
	fiveDigit := fixtureFS(t)
	fiveDigit["12345.txt"] = &fstest.MapFile{Data: []byte(strings.Replace(string(readSeed(t)), "1252", "12345", -1))}
	brokenProfile := fixtureFS(t)
	brokenProfile["bad.txt"] = &fstest.MapFile{Data: []byte("not a profile\n")}
	tests := []struct {
		name         string
		fly, noc, zh fs.FS
		want         string
		parseError   string // the file of the *ParseError, whichever kind of file it is; "" for none
	}{
		{"names", fixtureFS(t), dir(), brokenNames, fmt.Sprintf("load Chinese names: names.zh.tsv:%d: 2 tab-separated fields", lines), NamesFile},
		{"elements", fixtureFS(t), brokenElements, dir(), "load NOC 2021: " + noc2021.ElementsFile + ":", noc2021.ElementsFile},
		{"profile", brokenProfile, dir(), dir(), "load FLYabroad profiles: bad.txt:", "bad.txt"},
		{"missing names", fixtureFS(t), dir(), fstest.MapFS{}, "load Chinese names: read Chinese names:", ""},
		{"NOC 2021 code in FLYabroad", fiveDigit, dir(), dir(), "12345.txt: code 12345 is not a 4-digit NOC 2011 unit group", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lib, err := LoadLibrary(tt.fly, tt.noc, tt.zh)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadLibrary = %v, %v; want an error with %q", lib, err, tt.want)
			}
			var pe *ParseError
			if found := errors.As(err, &pe); found != (tt.parseError != "") || found && (pe.File != tt.parseError || pe.Line < 1) {
				t.Errorf("LoadLibrary = %v; want a *ParseError at a line of %q", err, tt.parseError)
			}
		})
	}
}
