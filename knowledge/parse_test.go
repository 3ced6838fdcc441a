package knowledge

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/nocbot/nocbot/seeds"
)

const seedName = "000_cf489acd30f463c5.txt"

func readSeed(t testing.TB) []byte {
	t.Helper()
	data, err := fs.ReadFile(seeds.FS(), seedName)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func parseSeed(t testing.TB) Profile {
	t.Helper()
	p, err := Parse(seedName, readSeed(t))
	if err != nil {
		t.Fatalf("Parse(seed): %v", err)
	}
	return p
}

func TestParseSeed(t *testing.T) {
	p := parseSeed(t)
	counts := []struct {
		what      string
		got, want int
	}{
		{"example titles", len(p.ExampleTitles), 4},
		{"duties", len(p.Duties), 6},
		{"requirements", len(p.Requirements), 2},
		{"additional information", len(p.Additional), 2},
		{"classified elsewhere", len(p.Elsewhere), 4},
		{"all titles", len(p.AllTitles), 17},
	}
	for _, c := range counts {
		if c.got != c.want {
			t.Errorf("%s: got %d, want %d", c.what, c.got, c.want)
		}
	}
	checks := []struct {
		what, got, want string
	}{
		{"code", p.Code, "1252"},
		{"title zh", p.Title.ZH, "卫生信息管理职业"},
		{"title en", p.Title.EN, "Health information management occupations"},
		{"lead zh start", p.Lead.ZH[:len("卫生信息管理技术人员")], "卫生信息管理技术人员"},
		{"lead en end", p.Lead.EN[len(p.Lead.EN)-len("included in this unit group."):], "included in this unit group."},
		{"example 3 zh", p.ExampleTitles[2].ZH, "健康记录技术员"},
		{"example 3 en", p.ExampleTitles[2].EN, "health records technician"},
		{"duties intro zh", p.DutiesIntro.ZH, "卫生信息管理技术人员及有关人员执行部分或全部下列职责："},
		{"duties intro en", p.DutiesIntro.EN, "Health information management technicians and related workers perform some or all of the following duties:"},
		{"duty 1 zh", p.Duties[0].ZH, "根据建立的分类系统对疾病进行分类和编码"},
		{"duty 1 en", p.Duties[0].EN, "Classify and code diseases according to an established classification system"},
		{"duty 6 en", p.Duties[5].EN, "May supervise other health information management technicians and related workers."},
		{"requirement 1 en", p.Requirements[0].EN, "Health information management technicians and related workers require completion of a recognized two year college diploma program in health record technology or health information management."},
		{"requirement 2 zh", p.Requirements[1].ZH, "雇主可能要求卫生信息管理技术人员及有关人员参加加拿大卫生信息管理协会国家认证考试。"},
		{"additional 1 zh", p.Additional[0].ZH, "随着经验积累，有可能晋升为主管职位。"},
		{"additional 2 en", p.Additional[1].EN, "Progression to management positions is possible with additional training and experience."},
		{"elsewhere 1 title en", p.Elsewhere[0].Title.EN, "Health information management consultants"},
		{"elsewhere 1 title zh", p.Elsewhere[0].Title.ZH, "卫生信息管理顾问"},
		{"elsewhere 1 group en", p.Elsewhere[0].Group.EN, "Professional occupations in business management consulting"},
		{"elsewhere 1 group zh", p.Elsewhere[0].Group.ZH, "企业管理咨询的专业职业"},
		{"elsewhere 3 title zh", p.Elsewhere[2].Title.ZH, "健康记录员"},
		{"elsewhere 3 title en", p.Elsewhere[2].Title.EN, "Health records clerks"},
		{"elsewhere 4 title en", p.Elsewhere[3].Title.EN, "Records management technicians"},
		{"elsewhere 4 group en", p.Elsewhere[3].Group.EN, ""},
		{"elsewhere 4 group zh", p.Elsewhere[3].Group.ZH, ""},
		{"all titles 1 zh", p.AllTitles[0].ZH, "分类员，健康记录"},
		{"all titles 1 en", p.AllTitles[0].EN, "classifier, health records"},
		{"all titles 12 zh", p.AllTitles[11].ZH, "病历技师"},
		{"all titles 12 en", p.AllTitles[11].EN, "medical records technician"},
		{"all titles 17 en", p.AllTitles[16].EN, "technician, medical records"},
		{"source", p.Source, "http://www5.hrsdc.gc.ca/NOC/English/NOC/2011/Profile.aspx?val=1&val1=1252"},
		{"file", p.File, seedName},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.what, c.got, c.want)
		}
	}
	var codes []string
	for _, r := range p.Elsewhere {
		codes = append(codes, r.Code)
	}
	if got := strings.Join(codes, ","); got != "1122,0114,1411,1253" {
		t.Errorf("classified elsewhere codes: got %s, want 1122,0114,1411,1253", got)
	}
}

// mutateLines applies edits to the seed: line number (1-based) -> new text;
// "\x00" deletes the line.
func mutateLines(t testing.TB, edits map[int]string) []byte {
	lines := strings.Split(string(readSeed(t)), "\n")
	var out []string
	for i, l := range lines {
		if r, ok := edits[i+1]; ok {
			if r == "\x00" {
				continue
			}
			l = r
		}
		out = append(out, l)
	}
	return []byte(strings.Join(out, "\n"))
}

func deleteRange(t testing.TB, from, to int) []byte {
	edits := map[int]string{}
	for i := from; i <= to; i++ {
		edits[i] = "\x00"
	}
	return mutateLines(t, edits)
}

func TestParseMalformed(t *testing.T) {
	tests := []struct {
		name     string
		data     []byte
		wantLine int
		wantMsg  string
	}{
		{"empty file", nil, 1, "empty profile file"},
		{"only blank lines", []byte("\n \n\t\n"), 1, "empty profile file"},
		{"no heading", deleteRange(t, 1, 1), 2, "missing profile heading"},
		{"missing section", deleteRange(t, 36, 43), 71, `missing section heading "Employment requirements"`},
		{"unknown section", mutateLines(t, map[int]string{44: "## 1252 卫生信息管理职业薪资 Wages - FLYabroad NOC"}), 44, `unknown section heading "Wages"`},
		{"heading code differs", mutateLines(t, map[int]string{14: "## 1253 卫生信息管理职业主要职责 Main duties - FLYabroad NOC"}), 14, "heading code 1253 differs from the profile's code 1252"},
		{"malformed heading", mutateLines(t, map[int]string{7: "## Example Titles"}), 7, "malformed heading"},
		{"duplicate section", mutateLines(t, map[int]string{44: "## 1252 卫生信息管理职业主要职责 Main duties - FLYabroad NOC"}), 44, `duplicate "Main duties" section (first at line 14)`},
		{"title without english", mutateLines(t, map[int]string{11: "* 健康记录技术员"}), 11, "without its English half"},
		{"title without chinese", mutateLines(t, map[int]string{11: "* health records technician"}), 11, "without its Chinese half"},
		{"duty without english", deleteRange(t, 19, 19), 18, "without its English half"},
		{"requirement without chinese", mutateLines(t, map[int]string{38: "* Health information management technicians require a diploma."}), 38, "without its Chinese half"},
		{"lead without english", deleteRange(t, 5, 5), 3, "lead statement without its English half"},
		{"cross-reference without code", mutateLines(t, map[int]string{57: "* 记录管理技术人员 Records management technicians"}), 57, "without a [code](code) reference"},
		{"cross-reference link mismatch", mutateLines(t, map[int]string{57: "* 记录管理技术人员 Records management technicians [1253](1254)"}), 57, "links to a different code"},
		{"stray text in titles", mutateLines(t, map[int]string{13: "some stray words"}), 13, "unexpected text in Example Titles"},
		{"missing source", deleteRange(t, 79, 79), 78, "missing source link"},
		{"two sources", mutateLines(t, map[int]string{78: "https://example.org/1252"}), 79, "second source link"},
		{"text after source", append(readSeed(t), []byte("\n* 多余 extra\n")...), 80, "text after the source link"},
		{"invalid utf-8", mutateLines(t, map[int]string{22: "Collect, code \xff\xfe and store"}), 22, "invalid UTF-8"},
		{"control character", mutateLines(t, map[int]string{31: "Prepare \x00 statistics"}), 31, "control character U+0000"},
		{"empty section", deleteRange(t, 46, 50), 44, `section "Additional information" has no items`},
		{"huge file", make([]byte, MaxProfileSize+1), 1, "over the"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("bad.txt", tt.data)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse: got %v, want a *ParseError", err)
			}
			if pe.File != "bad.txt" || pe.Line != tt.wantLine || !strings.Contains(pe.Msg, tt.wantMsg) {
				t.Errorf("Parse: got %q, want bad.txt:%d: ...%s...", err, tt.wantLine, tt.wantMsg)
			}
			if !strings.HasPrefix(err.Error(), "bad.txt:") {
				t.Errorf("error %q does not start with file:line", err)
			}
		})
	}
}

func TestParseToleratesBOMAndCRLF(t *testing.T) {
	data := append([]byte("\xef\xbb\xbf"), []byte(strings.ReplaceAll(string(readSeed(t)), "\n", "\r\n"))...)
	got, err := Parse(seedName, data)
	if err != nil {
		t.Fatal(err)
	}
	if want := parseSeed(t); got.Duties[5] != want.Duties[5] || got.Source != want.Source || len(got.AllTitles) != 17 {
		t.Errorf("CRLF profile parsed differently: %+v", got.Duties[5])
	}
}

func fixtureFS(t testing.TB) fstest.MapFS {
	t.Helper()
	fixture, err := os.ReadFile("testdata/fixture/1253_test_fixture.txt")
	if err != nil {
		t.Fatal(err)
	}
	return fstest.MapFS{
		seedName:                 {Data: readSeed(t)},
		"1253_test_fixture.txt":  {Data: fixture},
		"README.md":              {Data: []byte("not a profile")},
		"notes/ignored-here.txt": {Data: []byte("subdirectories are not read")},
	}
}

func TestLoadSeeds(t *testing.T) {
	set, err := LoadSeeds(fixtureFS(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Profiles) != 2 || set.Profiles[0].Code != "1252" || set.Profiles[1].Code != "1253" {
		t.Fatalf("got %d profiles, want 1252 and 1253", len(set.Profiles))
	}
	if len(set.Hash) != 64 {
		t.Errorf("hash %q is not a hex SHA-256", set.Hash)
	}

	one, err := LoadSeeds(fstest.MapFS{seedName: {Data: readSeed(t)}})
	if err != nil {
		t.Fatalf("one profile: %v", err)
	}
	if one.Hash == set.Hash {
		t.Error("different seed sets share a hash")
	}
}

func TestLoadSeedsRefuses(t *testing.T) {
	dup := fixtureFS(t)
	dup["001_copy.txt"] = &fstest.MapFile{Data: readSeed(t)}
	broken := fixtureFS(t)
	broken["002_broken.txt"] = &fstest.MapFile{Data: []byte("## 1299 坏 Broken - FLYabroad NOC\n\n只有中文\n")}
	tests := []struct {
		name string
		fsys fs.FS
		want string
	}{
		{"no profiles", fstest.MapFS{"README.md": {Data: []byte("x")}}, "no profile files"},
		{"duplicate code", dup, "001_copy.txt:1: unit group 1252 is already defined in 000_cf489acd30f463c5.txt"},
		{"one broken file", broken, "002_broken.txt:3: lead statement without its English half"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := LoadSeeds(tt.fsys)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want error containing %q", err, tt.want)
			}
			if len(set.Profiles) != 0 {
				t.Errorf("a failed load returned %d profiles", len(set.Profiles))
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(readSeed(f))
	fixture, err := os.ReadFile("testdata/fixture/1253_test_fixture.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fixture)
	f.Add([]byte(""))
	f.Add([]byte("## 1252 卫 H - FLYabroad NOC\n\n中\n\nE\n"))
	f.Add(mutateLines(f, map[int]string{57: "* 记录 R [1253](1253)", 56: "* （） ( [1](1) )"}))
	f.Add(deleteRange(f, 1, 40))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz.txt", data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("error %v is not a located *ParseError", err)
			}
			return
		}
		if p.Code == "" || p.Source == "" || len(p.Duties) == 0 || len(p.AllTitles) == 0 || len(p.ExampleTitles) == 0 || len(p.Requirements) == 0 {
			t.Fatalf("accepted an incomplete profile: %+v", p)
		}
		texts := []Text{p.Title, p.Lead, p.DutiesIntro}
		texts = append(texts, p.Duties...)
		texts = append(texts, p.AllTitles...)
		for _, tx := range texts {
			if !utf8.ValidString(tx.ZH) || !utf8.ValidString(tx.EN) {
				t.Fatalf("invalid UTF-8 in %+v", tx)
			}
		}
		for _, tx := range append(p.AllTitles, p.Duties...) {
			if tx.ZH == "" || tx.EN == "" {
				t.Fatalf("item without a half accepted: %+v", tx)
			}
		}
	})
}
