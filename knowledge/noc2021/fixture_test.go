package noc2021

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// The fixture: five unit groups in four broad categories, written with the
// published files' quirks (BOM, CRLF and LF, trailing spaces, no-break
// spaces, a two-line note, unpadded correspondence codes).
//
//	00010 Legislators: a plain duties list; an exclusion citing minor group 4001
//	10010 Financial managers: an inclusion; an exclusion whose title holds parentheses
//	10020 Insurance, …: duties and requirements split by role sub-headings, a
//	      duty shared by two roles, a duty repeated under one role, a repeated inclusion
//	40010 Government managers …: two NOC 2016 sources share it (many to many)
//	64301 Bartenders: the "Bartenders perform …" introduction
const fixtureDir = "testdata/fixture"

var fileNames = [...]string{StructureFile, ElementsFile, CorrespondenceFile}

// fixture returns the fixture's files by name; the map is the caller's to
// change.
func fixture(t testing.TB) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, name := range fileNames {
		data, err := os.ReadFile(filepath.Join(fixtureDir, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = data
	}
	return files
}

func load(files map[string][]byte) (*Classification, error) {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	return Load(fsys)
}

func loadFixture(t testing.TB) *Classification {
	t.Helper()
	c, err := load(fixture(t))
	if err != nil {
		t.Fatalf("Load(fixture): %v", err)
	}
	return c
}

// editLines replaces lines (1-based) of data, keeping each line's ending;
// deleteLine as the new text deletes the line.
func editLines(data []byte, edits map[int]string) []byte {
	lines := strings.SplitAfter(string(data), "\n")
	var out strings.Builder
	for i, l := range lines {
		r, ok := edits[i+1]
		switch {
		case !ok:
			out.WriteString(l)
		case r == deleteLine:
		default:
			end := l[len(strings.TrimRight(l, "\r\n")):]
			out.WriteString(r + end)
		}
	}
	return []byte(out.String())
}

const deleteLine = "\x00delete"

func deleteLines(from, to int) map[int]string {
	edits := map[int]string{}
	for i := from; i <= to; i++ {
		edits[i] = deleteLine
	}
	return edits
}

func TestLoadFixture(t *testing.T) {
	c := loadFixture(t)

	var codes []string
	for _, g := range c.Groups {
		codes = append(codes, g.Code)
	}
	if got, want := strings.Join(codes, " "), "0 00 000 0001 1 10 100 1001 1002 4 40 400 4001 6 64 643 6430"; got != want {
		t.Errorf("groups: got %s, want %s", got, want)
	}
	codes = codes[:0]
	for _, u := range c.UnitGroups {
		codes = append(codes, u.Code)
	}
	if got, want := strings.Join(codes, " "), "00010 10010 10020 40010 64301"; got != want {
		t.Errorf("unit groups: got %s, want %s", got, want)
	}

	u := mustUnit(t, c, "10020")
	checks := []struct{ what, got, want string }{
		{"title", u.Title, "Insurance, real estate and financial brokerage managers"},
		{"lead", u.Lead, "Insurance managers plan and direct the operations of insurance establishments."},
		{"duties intro", u.DutiesIntro, "This group performs some or all of the following duties:"},
		{"duties", render(u.Duties), "# Insurance managers | Plan, organize, direct, control and evaluate the operations of an insurance department | Hire and train staff | Report losses to underwriters | Review claims. | " +
			"# Real estate service managers | Plan, organize, direct, control and evaluate the operations of a real estate firm | Hire and train staff | Negotiate leases. | Report sales to head office | Approve budgets. | " +
			"# Plan administrators | Administer pension plans."},
		{"requirements", render(u.Requirements), "# Insurance managers | A university degree is usually required. | # Real estate service managers | A college diploma is usually required. | Several years of experience are required."},
		{"inclusions", strings.Join(u.Inclusions, " | "), "Insurance agency managers"},
		{"all examples", strings.Join(u.AllExamples, " | "), "insurance manager | plan administrator - insurance | real estate service manager"},
		{"illustrative", strings.Join(u.IllustrativeExamples, " | "), "insurance manager"},
		{"additional", strings.Join(u.Additional, " | "), ""},
		{"exclusions", renderExclusions(u.Exclusions), "Financial managers → 10010 Financial managers"},
	}
	for _, tt := range checks {
		if tt.got != tt.want {
			t.Errorf("10020 %s:\n got %q\nwant %q", tt.what, tt.got, tt.want)
		}
	}
	if u.TEER != 0 {
		t.Errorf("10020 TEER: got %d, want 0", u.TEER)
	}

	legislators := mustUnit(t, c, "00010")
	bartenders := mustUnit(t, c, "64301")
	financial := mustUnit(t, c, "10010")
	gov := mustUnit(t, c, "40010")
	more := []struct{ what, got, want string }{
		// A first row that would pass for a heading stays a duty when no
		// other row does: the list is not split by role.
		{"00010 duties", render(legislators.Duties), "Enact, amend or repeal laws and regulations | Represent constituents' interests | May serve as members of committees."},
		{"00010 exclusions", renderExclusions(legislators.Exclusions), "Senior government managers and officials → 4001 Managers in public administration"},
		{"00010 all examples", strings.Join(legislators.AllExamples, " | "), "city councillor | councillor, city | Member of Parliament (MP)"},
		{"10010 exclusions", renderExclusions(financial.Exclusions), "Managers in communication (except broadcasting) → 10020 Insurance, real estate and financial brokerage managers | Legislators (elected) → 00010 Legislators"},
		{"10010 no-break space", render(financial.Duties), "Plan, organize, direct, control and evaluate the operation of a financial department | Develop financial policies and systems."},
		{"10010 inclusions", strings.Join(financial.Inclusions, " | "), "Managers of accounting departments"},
		{"10010 additional", strings.Join(financial.Additional, " | "), "Progression to senior management positions is possible with experience."},
		{"40010 lead (no-break space, trailing space)", gov.Lead, "Government managers in health and social policy plan and direct the development of policies."},
		{"64301 duties intro", bartenders.DutiesIntro, "Bartenders perform some or all of the following duties:"},
		{"64301 duties", render(bartenders.Duties), "Take beverage orders from serving staff or directly from patrons | Mix and serve drinks and beverages."},
		{"64301 exclusions", renderExclusions(bartenders.Exclusions), "Bar supervisors (food and beverage) → 10020 Insurance, real estate and financial brokerage managers"},
		{"64301 requirements", render(bartenders.Requirements), "Completion of secondary school may be required."},
	}
	for _, tt := range more {
		if tt.got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.what, tt.got, tt.want)
		}
	}
	if g, ok := c.Group("1002"); !ok || g.Level != MinorGroup || g.Title != "Managers in financial and business services" ||
		g.Definition != "This minor group comprises managers in financial and business services.   They are employed throughout the private sector." {
		t.Errorf("Group(1002): got %+v, %v", g, ok)
	}
	if g, ok := c.Group("64301"); !ok || g.Level != UnitGroupLevel || g.Definition != bartenders.Lead {
		t.Errorf("Group(64301): got %+v, %v", g, ok)
	}
}

func TestLookups(t *testing.T) {
	c := loadFixture(t)
	tests := []struct{ what, got, want string }{
		{"ancestors of 10020", groupCodes(c.Ancestors("10020")), "1 10 100 1002"},
		{"ancestors of 643", groupCodes(c.Ancestors("643")), "6 64"},
		{"ancestors of a broad category", groupCodes(c.Ancestors("4")), ""},
		{"ancestors of an unknown code", groupCodes(c.Ancestors("99999")), ""},
		{"members of minor group 1001", unitCodes(c.UnitGroupsUnder("1001")), "10010"},
		{"members of minor group 1002", unitCodes(c.UnitGroupsUnder("1002")), "10020"},
		{"unit groups under major group 10", unitCodes(c.UnitGroupsUnder("10")), "10010 10020"},
		{"unit groups under broad category 0", unitCodes(c.UnitGroupsUnder("0")), "00010"},
		{"unit groups under a unit group", unitCodes(c.UnitGroupsUnder("10020")), ""},
		{"unit groups under an unknown code", unitCodes(c.UnitGroupsUnder("7")), ""},
		{"unit groups under the empty code", unitCodes(c.UnitGroupsUnder("")), ""},
		{"successors of 0011", renderLinks(c.Successors("0011")), "0011 Legislators → 00010 Legislators [VC1 - Code Change; VC2 - Name Change] "},
		{"successors of 11 (unpadded)", renderLinks(c.Successors("11")), "0011 Legislators → 00010 Legislators [VC1 - Code Change; VC2 - Name Change] "},
		{"successors of 0411 (split, two-line note)", renderLinks(c.Successors("0411")),
			"0411 Government managers - health and social policy development and program administration → 40010 Government managers - health and social policy development and program administration [RC4.2 - Split off; RC5 - Transfer; VC1 - Code Change; VC2 - Name Change] 0411 continues as 40010 and part transferred to 10020 | " +
				"0411 Government managers - health and social policy development and program administration → 10020 Insurance, real estate and financial brokerage managers [Transfer; VC1 - Code Change; VC2 - Name Change] 0411 continues as 40010 and part transferred to 10020"},
		{"successors of 6452 (note ends in a line break)", renderLinks(c.Successors("6452")), "6452 Bartenders → 64301 Bartenders [VC1 - Code Change; VC2 - Name Change] 6452 continues as 64301"},
		{"successors of 0111 (note ends in a space)", renderLinks(c.Successors("111")), "0111 Financial managers → 10010 Financial managers [VC1 - Code Change; VC2 - Name Change] 0111 continues as 10010"},
		{"successors of an unknown code", renderLinks(c.Successors("9999")), ""},
		{"successors of text", renderLinks(c.Successors("abc")), ""},
		{"predecessors of 10020", link2016(c.Predecessors("10020")), "0121 0411"},
		{"predecessors of 10 (unpadded)", link2016(c.Predecessors("10")), "0011"},
		{"predecessors of an unknown code", link2016(c.Predecessors("99999")), ""},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.what, tt.got, tt.want)
		}
	}
	if _, ok := c.UnitGroup("1002"); ok {
		t.Error("UnitGroup(1002): a minor group is not a unit group")
	}
	if _, ok := c.Group("00011"); ok {
		t.Error("Group(00011): found a code the fixture does not hold")
	}
	// Lookups hand out copies: changing one leaves the classification as it was.
	links := c.Successors("0011")
	links[0].NOC2021Code = "changed"
	if c.Successors("0011")[0].NOC2021Code != "00010" {
		t.Error("Successors returned the classification's own storage")
	}
}

// The published files mix BOM and CRLF (structure, elements) with BOM and LF
// (correspondence); any mix reads the same.
func TestLoadLineEndsAndBOM(t *testing.T) {
	want := loadFixture(t)
	variants := map[string]func([]byte) []byte{
		"without BOM": func(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) },
		"LF only":     func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")) },
		"CRLF only": func(b []byte) []byte {
			return bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
		},
	}
	for name, change := range variants {
		t.Run(name, func(t *testing.T) {
			files := fixture(t)
			for n, b := range files {
				files[n] = change(b)
			}
			got, err := load(files)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Error("classification differs from the fixture as written")
			}
		})
	}
}

func mustUnit(t *testing.T, c *Classification, code string) UnitGroup {
	t.Helper()
	u, ok := c.UnitGroup(code)
	if !ok {
		t.Fatalf("UnitGroup(%s): not found", code)
	}
	return u
}

// render writes a list with "# " before each heading.
func render(items []Item) string {
	var parts []string
	for _, it := range items {
		if it.Heading {
			parts = append(parts, "# "+it.Text)
		} else {
			parts = append(parts, it.Text)
		}
	}
	return strings.Join(parts, " | ")
}

func renderExclusions(xs []Exclusion) string {
	var parts []string
	for _, x := range xs {
		parts = append(parts, x.Title+" → "+x.Code+" "+x.Group)
	}
	return strings.Join(parts, " | ")
}

func renderLinks(ls []Link) string {
	var parts []string
	for _, l := range ls {
		parts = append(parts, l.NOC2016Code+" "+l.NOC2016Title+" → "+l.NOC2021Code+" "+l.NOC2021Title+" ["+strings.Join(l.Changes, "; ")+"] "+l.Notes)
	}
	return strings.Join(parts, " | ")
}

// codesOf joins the codes of a list, space-separated.
func codesOf[T any](xs []T, code func(T) string) string {
	codes := make([]string, len(xs))
	for i, x := range xs {
		codes[i] = code(x)
	}
	return strings.Join(codes, " ")
}

func link2016(ls []Link) string {
	return codesOf(ls, func(l Link) string { return l.NOC2016Code })
}

func groupCodes(gs []Group) string {
	return codesOf(gs, func(g Group) string { return g.Code })
}

func unitCodes(us []UnitGroup) string {
	return codesOf(us, func(u UnitGroup) string { return u.Code })
}
