package noc2021

import (
	"errors"
	"strings"
	"testing"
)

const (
	s = StructureFile
	e = ElementsFile
	k = CorrespondenceFile // k for konkordanz: c is the classification
)

// Each broken input names the file and line that are wrong. Fixture lines
// are those of testdata/fixture (the correspondence's records 411 → 40010,
// 411 → 10020 and 6452 → 64301 take two lines each: 5–6, 7–8, 9–10).
func TestLoadMalformed(t *testing.T) {
	ins := `"Insurance, real estate and financial brokerage managers"`
	tests := []struct {
		name     string
		file     string
		change   func([]byte) []byte
		wantFile string // the file named in the error, when not the one changed
		wantLine int
		wantMsg  string
	}{
		// the structure
		{"structure: empty", s, func([]byte) []byte { return nil }, "", 1, "empty file"},
		{"structure: only a BOM and blank lines", s, func([]byte) []byte { return []byte("\xef\xbb\xbf\r\n\r\n") }, "", 1, "empty file"},
		{"structure: header only", s, keepLines(1), "", 1, "no unit groups"},
		{"structure: wrong column name", s, edit(1, "Level,Hierarchy,Code - NOC 2021 V1.0,Class title,Class definition"), "", 1, `column 2 is headed "Hierarchy", want "Hierarchical structure"`},
		{"structure: missing column", s, edit(1, "Level,Hierarchical structure,Code - NOC 2021 V1.0,Class title"), "", 1, "header has 4 columns, want 5"},
		{"structure: row with an extra column", s, edit(11, "5,Unit Group,10010,Financial managers,Financial managers plan.,extra"), "", 11, "row has 6 columns, want 5"},
		{"structure: unit group code of 4 digits", s, edit(6, "5,Unit Group,0010,Legislators,Legislators legislate."), "", 6, `code "0010" of a Unit Group is not 5 digits`},
		{"structure: minor group code of 3 digits", s, edit(5, "4,Minor Group,001,Legislative and senior managers,Managers."), "", 5, `code "001" of a Minor Group is not 4 digits`},
		{"structure: code with a letter", s, edit(11, "5,Unit Group,1001O,Financial managers,Financial managers plan."), "", 11, "not 5 digits"},
		{"structure: unknown level", s, edit(2, "6,Broad Category,0,Legislative occupations,Legislators."), "", 2, `level "6" is not 1 to 5`},
		{"structure: level named wrongly", s, edit(2, "1,Major Group,0,Legislative occupations,Legislators."), "", 2, `level 1 is named "Major Group", want "Broad Category"`},
		{"structure: missing parent", s, edit(5, deleteLine), "", 5, "Unit Group 00010 has no parent Minor Group 0001"},
		{"structure: duplicate code", s, edit(11, "5,Unit Group,00010,Legislators,Legislators legislate."), "", 11, "code 00010 is already defined at line 6"},
		{"structure: TEER above 5", s, edit(11, "5,Unit Group,16010,Financial managers,Financial managers plan."), "", 11, "TEER (the second digit) is 6"},
		{"structure: no title", s, edit(11, "5,Unit Group,10010, ,Financial managers plan."), "", 11, "Unit Group 10010 has no class title"},
		{"structure: no lead statement", s, edit(11, "5,Unit Group,10010,Financial managers,"), "", 11, "Unit Group 10010 has no class definition"},
		{"structure: invalid UTF-8", s, edit(11, "5,Unit Group,10010,Financial \xff managers,Financial managers plan."), "", 11, `invalid UTF-8 in column "Class title"`},
		{"structure: control character", s, edit(11, "5,Unit Group,10010,Financial\x07managers,Financial managers plan."), "", 11, "control character U+0007"},
		{"structure: unclosed quote", s, edit(6, `5,Unit Group,00010,Legislators,"Legislators participate.`), "", 6, "malformed quoted field"},
		{"structure: truncated", s, cut(15), "", 23, "truncated"},
		{"structure: huge", s, func([]byte) []byte { return make([]byte, MaxFileSize+1) }, "", 1, "over the"},

		// the elements
		{"elements: wrong column name", e, edit(1, "Level,Code - NOC 2021 V1.0,Class title,Element Type,Element Description English"), "", 1, `column 4 is headed "Element Type", want "Element Type Label English"`},
		{"elements: unknown element type", e, edit(16, "5,10010,Financial managers,Inclusions,Managers of accounting departments "), "", 16, `unknown element type "Inclusions"`},
		{"elements: level other than 5", e, edit(2, "4,00010,Legislators,Illustrative example(s),city councillor "), "", 2, `level "4"`},
		{"elements: code of 4 digits", e, edit(13, "5,1001,Financial managers,Illustrative example(s),financial planning and analysis manager "), "", 13, `code "1001" is not a 5-digit unit group code`},
		{"elements: empty description", e, edit(10, "5,00010,Legislators,Main duties, "), "", 10, "empty Main duties description"},
		{"elements: exclusion citing an unknown code", e, edit(18, "5,10010,Financial managers,Exclusion(s),Legislators (elected)  (See 00011 Legislators)"), "", 18, "exclusion cites 00011, which is not in " + StructureFile},
		{"elements: exclusion citing a minor group as a unit group", e, edit(7, "5,00010,Legislators,Exclusion(s),Senior managers  (See 40010 Managers in public administration)"), "", 7, `exclusion cites 40010 as "Managers in public administration", but it is titled "Government managers`},
		{"elements: exclusion with the wrong group title", e, edit(7, "5,00010,Legislators,Exclusion(s),Senior managers  (See 4001 Public administration managers)"), "", 7, `but it is titled "Managers in public administration"`},
		{"elements: exclusion with one space before (See", e, edit(30, "5,10020,"+ins+",Exclusion(s),Financial managers (See 10010 Financial managers)"), "", 30, `does not read "Title  (See NNNNN Group title)"`},
		{"elements: exclusion without a code", e, edit(30, "5,10020,"+ins+",Exclusion(s),Financial managers  (See Financial managers)"), "", 30, "does not read"},
		{"elements: unit group not in the structure", s, edit(23, deleteLine), e, 58, "unit group 64301 is not in " + StructureFile},
		{"elements: unit group missing from the elements", e, deleteLinesFn(58, 65), s, 23, "unit group 64301 has no rows in " + ElementsFile},
		{"elements: title differs from the structure", s, edit(23, "5,Unit Group,64301,Bartenders and mixologists,Bartenders mix drinks."), e, 58, `unit group 64301 is titled "Bartenders", but "Bartenders and mixologists"`},
		{"elements: no title", e, edit(58, "5,64301, ,Illustrative example(s),bartender "), "", 58, "unit group 64301 has no class title"},
		{"elements: title changes within a group", e, edit(59, "5,64301,Barmen,All examples,bartender "), "", 59, `class title "Barmen" differs from "Bartenders" on line 58`},
		{"elements: no duties", e, deleteLinesFn(62, 64), "", 58, "unit group 64301 has no Main duties"},
		{"elements: duties introduction only", e, deleteLinesFn(63, 64), "", 62, "hold only the introduction, no duty"},
		{"elements: duties without introduction", e, edit(62, deleteLine), "", 62, "want the introduction"},
		{"elements: no all examples", e, deleteLinesFn(59, 60), "", 58, "unit group 64301 has no All examples"},
		{"elements: no illustrative example", e, edit(58, deleteLine), "", 58, "unit group 64301 has no Illustrative example(s)"},
		{"elements: illustrative example not among all examples", e, edit(58, "5,64301,Bartenders,Illustrative example(s),barkeeper "), "", 58, `illustrative example "barkeeper" is not among the All examples of 64301`},
		{"elements: unit group's rows apart", e, edit(65, "5,00010,Legislators,Employment requirements,A mandate is required. "), "", 65, "rows of unit group 00010 start again here; they must be together (first at line 2)"},
		{"elements: element type's rows apart", e, edit(20, "5,10010,Financial managers,Employment requirements,A degree is required. "), "", 21, "Main duties rows of unit group 10010 start again here"},
		{"elements: invalid UTF-8", e, edit(34, "5,10020,"+ins+",Main duties,Hire and \xe2\x28 train staff "), "", 34, `invalid UTF-8 in column "Element Description English"`},
		{"elements: line break inside a description", e, edit(34, "5,10020,"+ins+",Main duties,\"Hire and\ntrain staff \""), "", 34, `control character U+000A in column "Element Description English"`},
		{"elements: truncated", e, cut(10), "", 65, "truncated"},
		{"elements: truncated inside quotes", e, func(b []byte) []byte {
			return append(b, "5,64301,Bartenders,Additional information,\"Progression\r\n"...)
		}, "", 66, "malformed quoted field"},

		// the correspondence
		{"correspondence: column name without its leading space", k, edit(1, "NOC 2016 V1.3 Code,NOC 2016 V1.3 Title,GSIM Type of Change,NOC 2021 V1.0 Code,NOC 2021 V1.0 Title,Notes"), "", 1, `column 3 is headed "GSIM Type of Change", want " GSIM Type of Change"`},
		{"correspondence: unknown NOC 2021 code", k, edit(2, `11,Legislators,"VC1 - Code Change, VC2 - Name Change",11,Legislators,`), "", 2, "NOC 2021 code 00011 is not a unit group"},
		{"correspondence: NOC 2021 code of a minor group", k, edit(2, `11,Legislators,"VC1 - Code Change, VC2 - Name Change",1002,Legislators,`), "", 2, "NOC 2021 code 01002 is not a unit group"},
		{"correspondence: NOC 2016 code of 5 digits", k, edit(3, `01111,Financial managers,"VC1 - Code Change",10010,Financial managers,`), "", 3, `NOC 2016 code "01111" is not 1 to 4 digits`},
		{"correspondence: NOC 2021 code with a letter", k, edit(3, `111,Financial managers,"VC1 - Code Change",1001O,Financial managers,`), "", 3, `NOC 2021 code "1001O" is not 1 to 5 digits`},
		{"correspondence: NOC 2021 title differs", k, edit(9, `6452,Bartenders,"VC1 - Code Change, VC2 - Name Change",64301,Bartender,"6452 continues as 64301`), "", 9, `NOC 2021 64301 is titled "Bartender", but "Bartenders"`},
		{"correspondence: NOC 2016 title differs between rows", k, edit(7, `411,Government managers,"Transfer, VC1 - Code Change, VC2 - Name Change",10020,"Insurance, real estate and financial brokerage managers","0411 continues as 40010 and`), "", 7, `NOC 2016 0411 is titled "Government managers", but "Government managers - health`},
		{"correspondence: no title", k, edit(2, `11,,"VC1 - Code Change, VC2 - Name Change",10,Legislators,`), "", 2, "missing title for 0011 → 00010"},
		{"correspondence: empty type of change", k, edit(2, `11,Legislators,"VC1 - Code Change, ",10,Legislators,`), "", 2, "empty type of change"},
		{"correspondence: repeated record", k, func(b []byte) []byte {
			return append(b, "11,Legislators,\"VC1 - Code Change, VC2 - Name Change\",10,Legislators,\n"...)
		}, "", 11, "0011 → 00010 is already given at line 2"},
		{"correspondence: a unit group without predecessor", k, deleteLinesFn(9, 10), "", 7, "no record leads to NOC 2021 unit group 64301 (Bartenders): truncated?"},
		{"correspondence: truncated", k, cut(5), "", 9, "truncated"},
		{"correspondence: unclosed note", k, edit(10, ""), "", 9, "malformed quoted field"},
		{"correspondence: header only", k, keepLines(1), "", 1, "no correspondence rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := fixture(t)
			files[tt.file] = tt.change(files[tt.file])
			_, err := load(files)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Load: got %v, want a *ParseError", err)
			}
			wantFile := tt.wantFile
			if wantFile == "" {
				wantFile = tt.file
			}
			if pe.File != wantFile || pe.Line != tt.wantLine || !strings.Contains(pe.Msg, tt.wantMsg) {
				t.Errorf("Load:\n got %v\nwant %s:%d: …%s…", err, wantFile, tt.wantLine, tt.wantMsg)
			}
			if prefix := wantFile + ":"; !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("error %q does not start with %q", err, prefix)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	for _, name := range fileNames {
		files := fixture(t)
		delete(files, name)
		_, err := load(files)
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("without %s: got %v, want an error naming it", name, err)
		}
	}
}

func edit(line int, text string) func([]byte) []byte {
	return func(b []byte) []byte { return editLines(b, map[int]string{line: text}) }
}

func deleteLinesFn(from, to int) func([]byte) []byte {
	return func(b []byte) []byte { return editLines(b, deleteLines(from, to)) }
}

// keepLines keeps the first n lines.
func keepLines(n int) func([]byte) []byte {
	return func(b []byte) []byte {
		lines := strings.SplitAfter(string(b), "\n")
		return []byte(strings.Join(lines[:n], ""))
	}
}

// cut drops the last n bytes, as an interrupted download would.
func cut(n int) func([]byte) []byte {
	return func(b []byte) []byte { return b[:len(b)-n] }
}
