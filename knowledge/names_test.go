package knowledge

import (
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/nocbot/nocbot/knowledge/noc2021"
)

func TestParseNamesMalformed(t *testing.T) {
	good := "# comment\n1\t商业、金融和行政职业\tBusiness, finance and administration occupations\n"
	tests := []struct {
		name, data string
		line       int
		msg        string
	}{
		{"two fields", good + "12111\t卫生信息管理职业\n", 3, "2 tab-separated fields, want 3"},
		{"four fields", good + "12111\t卫生\tHealth\textra\n", 3, "want 3"},
		{"bad code", good + "1211\t卫生\tHealth\n", 3, "is not a NOC 2021"},
		{"letters in code", good + "1211x\t卫生\tHealth\n", 3, "is not a NOC 2021"},
		{"not Chinese", good + "12111\thealth\tHealth\n", 3, "is not a Chinese name"},
		{"Chinese English", good + "12111\t卫生\t卫生\n", 3, "is not English"},
		{"spaces", good + "12111\t 卫生\tHealth\n", 3, "spaces around it"},
		{"empty field", good + "12111\t\tHealth\n", 3, "empty"},
		{"duplicate code", good + "1\t商业\tBusiness\n", 3, "already named at line 2"},
		{"duplicate name", good + "2\t商业、金融和行政职业\tOther\n", 3, "already used at line 2"},
		{"invalid UTF-8", good + "12111\t\xff\tHealth\n", 3, "invalid UTF-8"},
		{"control", good + "12111\t卫\x01生\tHealth\n", 3, "control character"},
		{"empty", "", 1, "no entries"},
		{"comments only", "# a\n# b\n", 2, "no entries"},
		{"huge", strings.Repeat("#", maxNamesFileSize+1), 1, "over the"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseNames("names.zh.tsv", []byte(tt.data))
			checkParseError(t, err, "names.zh.tsv", tt.line, tt.msg)
		})
	}
	names, err := ParseNames("names.zh.tsv", []byte("\xef\xbb\xbf"+good+"\r\n12111\t卫生信息管理职业\tHealth information management occupations\r\n"))
	if err != nil || len(names) != 2 || names[1] != (Name{Code: "12111", ZH: "卫生信息管理职业", EN: "Health information management occupations", Line: 4}) {
		t.Errorf("ParseNames(BOM, CRLF, blank line) = %+v, %v", names, err)
	}
}

func TestParseAliasesMalformed(t *testing.T) {
	good := "护士\t31301\n"
	tests := []struct {
		name, data string
		line       int
		msg        string
	}{
		{"one field", good + "焊工\n", 2, "1 tab-separated fields, want 2"},
		{"short code", good + "焊工\t7210\n", 2, "not a 5-digit"},
		{"not Chinese", good + "welder\t72106\n", 2, "not a Chinese name"},
		{"duplicate", good + "护士\t31302\n", 2, "already given at line 1"},
		{"invalid UTF-8", good + "\xc3\x28\t72106\n", 2, "invalid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAliases("aliases.zh.tsv", []byte(tt.data))
			checkParseError(t, err, "aliases.zh.tsv", tt.line, tt.msg)
		})
	}
	if a, err := ParseAliases("aliases.zh.tsv", []byte(good+"X光技师\t32121\n")); err != nil || len(a) != 2 || a[1].Line != 2 {
		t.Errorf("ParseAliases = %+v, %v", a, err)
	}
}

func checkParseError(t *testing.T, err error, file string, line int, msg string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v, want a *ParseError", err)
	}
	if pe.File != file || pe.Line != line || !strings.Contains(pe.Msg, msg) {
		t.Errorf("error %q, want %s:%d: …%s…", err, file, line, msg)
	}
}

// The names must be NOC 2021's: every code a group, every English title
// the official one, every broad category, major and unit group named,
// every alias a unit group.
func TestLoadChineseNamesChecks(t *testing.T) {
	c, err := noc2021.Load(os.DirFS(noc2021Fixture))
	if err != nil {
		t.Fatal(err)
	}
	names, err := os.ReadFile(noc2021Fixture + "/" + NamesFile)
	if err != nil {
		t.Fatal(err)
	}
	aliases, err := os.ReadFile(noc2021Fixture + "/" + AliasesFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(names), "\n")
	at := func(prefix string) int {
		for i, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return i
			}
		}
		t.Fatalf("no line %q in the fixture", prefix)
		return 0
	}
	edit := func(i int, repl string) string {
		out := append([]string(nil), lines...)
		out[i] = repl
		return strings.Join(out, "")
	}
	i12111 := at("12111\t")
	tests := []struct {
		name           string
		names, aliases string
		file           string
		line           int
		msg            string
	}{
		{"unknown code", edit(i12111, lines[i12111]+"99999\t不存在\tNothing\n"), string(aliases), NamesFile, i12111 + 2, "99999 is not a NOC 2021 group"},
		{"wrong English", edit(i12111, "12111\t卫生信息管理职业\tHealth information occupations\n"), string(aliases), NamesFile, i12111 + 1, "is titled"},
		{"unit group unnamed", edit(i12111, ""), string(aliases), NamesFile, len(lines) - 2, "no Chinese name for unit group 12111"},
		{"major group unnamed", edit(at("12\t"), ""), string(aliases), NamesFile, len(lines) - 2, "no Chinese name for Major Group 12"},
		{"alias of no group", string(names), string(aliases) + "无名\t99999\n", AliasesFile, strings.Count(string(aliases), "\n") + 1, "99999 is not a NOC 2021 unit group"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{NamesFile: {Data: []byte(tt.names)}, AliasesFile: {Data: []byte(tt.aliases)}}
			_, err := LoadChineseNames(fsys, c)
			checkParseError(t, err, tt.file, tt.line, tt.msg)
		})
	}
	if _, err := LoadChineseNames(fstest.MapFS{NamesFile: {Data: names}}, c); err == nil || !strings.Contains(err.Error(), AliasesFile) {
		t.Errorf("missing aliases file: %v", err)
	}
}

func FuzzParseNames(f *testing.F) {
	f.Add([]byte("# c\n1\t商业\tBusiness\n12111\t卫生信息管理职业\tHealth information management occupations\n"))
	f.Add([]byte("12111\t卫生\n"))
	f.Add([]byte("\xef\xbb\xbf12111\t卫生\tHealth\r\n\r\n"))
	f.Add([]byte("护士\t31301\nX光技师\t32121\n"))
	f.Add([]byte("\t\t\n"))
	f.Add([]byte("1\t\xff\tB\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, parse := range []func() (int, error){
			func() (int, error) { n, err := ParseNames("n", data); return len(n), err },
			func() (int, error) { a, err := ParseAliases("a", data); return len(a), err },
		} {
			n, err := parse()
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) || pe.Line < 1 || pe.Line > strings.Count(string(data), "\n")+1 {
					t.Fatalf("error %v is not a ParseError at a line of the input", err)
				}
				continue
			}
			if n == 0 {
				t.Fatal("no entries and no error")
			}
		}
	})
}
