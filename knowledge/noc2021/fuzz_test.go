package noc2021

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/nocbot/nocbot/seeds"
)

// Every parser, on any bytes, returns values that keep the format's promises
// or a *ParseError naming a line of the input; never a panic.

func addSeeds(f *testing.F, name string, extra ...string) {
	f.Helper()
	data := fixture(f)[name]
	f.Add(data)
	f.Add(editLines(data, map[int]string{3: deleteLine}))
	f.Add(data[:len(data)/2])
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

func checkParseError(t *testing.T, data []byte, err error) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is not a *ParseError", err)
	}
	if lines := strings.Count(string(data), "\n") + 1; pe.Line < 1 || pe.Line > lines {
		t.Fatalf("error %v names line %d of a %d-line input", err, pe.Line, lines)
	}
}

func FuzzParseStructure(f *testing.F) {
	addSeeds(f, StructureFile,
		"",
		"\xef\xbb\xbf",
		"Level,Hierarchical structure,Code - NOC 2021 V1.0,Class title,Class definition\n5,Unit Group,00010,T,D\n",
		"Level,Hierarchical structure,Code - NOC 2021 V1.0,Class title,Class definition\n1,Broad Category,0,\"T\nT\",D\n",
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parseStructure("s.csv", data)
		if err != nil {
			checkParseError(t, data, err)
			return
		}
		for _, u := range s.units {
			if len(u.Code) != 5 || !isDigits(u.Code) || u.TEER < 0 || u.TEER > 5 || u.Title == "" || u.Lead == "" {
				t.Fatalf("bad unit group %+v", u)
			}
			for n := 1; n < 5; n++ {
				if s.level[u.Code[:n]] != Level(n) {
					t.Fatalf("unit group %s without its level-%d parent", u.Code, n)
				}
			}
		}
		for _, g := range s.groups {
			if len(g.Code) != int(g.Level) || g.Title == "" || g.Definition == "" {
				t.Fatalf("bad group %+v", g)
			}
		}
	})
}

func FuzzParseElements(f *testing.F) {
	addSeeds(f, ElementsFile,
		"",
		"Level,Code - NOC 2021 V1.0,Class title,Element Type Label English,Element Description English\n5,00010,T,Main duties,x\n",
		"Level,Code - NOC 2021 V1.0,Class title,Element Type Label English,Element Description English\r\n5,00010,T,Exclusion(s),a  (See 1)\r\n",
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		units, err := parseElements("e.csv", data)
		if err != nil {
			checkParseError(t, data, err)
			return
		}
		for _, u := range units {
			if len(u.AllExamples) == 0 || len(u.IllustrativeExamples) == 0 || len(u.Duties) == 0 || !strings.HasSuffix(u.DutiesIntro, dutiesIntroEnd) {
				t.Fatalf("unit group %s lacks a required element: %+v", u.Code, u.UnitGroup)
			}
			for _, list := range [][]Item{u.Duties, u.Requirements} {
				if len(list) > 0 && list[len(list)-1].Heading {
					t.Fatalf("unit group %s: a list ends in a heading: %+v", u.Code, list)
				}
			}
			for _, x := range u.Exclusions {
				if x.Title == "" || x.Group == "" || (len(x.Code) != 4 && len(x.Code) != 5) || !isDigits(x.Code) {
					t.Fatalf("unit group %s: bad exclusion %+v", u.Code, x)
				}
			}
		}
	})
}

func FuzzParseCorrespondence(f *testing.F) {
	addSeeds(f, CorrespondenceFile,
		"",
		"NOC 2016 V1.3 Code,NOC 2016 V1.3 Title, GSIM Type of Change,NOC 2021 V1.0 Code,NOC 2021 V1.0 Title,Notes\n1,a,\",,\",1,b,\n",
		"NOC 2016 V1.3 Code,NOC 2016 V1.3 Title, GSIM Type of Change,NOC 2021 V1.0 Code,NOC 2021 V1.0 Title,Notes\n1,a,c,1,b,\"x\r\ny\"\n",
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		links, err := parseCorrespondence("c.csv", data)
		if err != nil {
			checkParseError(t, data, err)
			return
		}
		for _, l := range links {
			if len(l.NOC2016Code) != 4 || len(l.NOC2021Code) != 5 || len(l.Changes) == 0 || l.NOC2016Title == "" || l.NOC2021Title == "" {
				t.Fatalf("bad link %+v", l.Link)
			}
			for _, c := range l.Changes {
				if c == "" || c != strings.TrimSpace(c) {
					t.Fatalf("bad type of change %q", c)
				}
			}
		}
	})
}

// BenchmarkLoadShipped imports the shipped files, already in memory.
func BenchmarkLoadShipped(b *testing.B) {
	fsys := fstest.MapFS{}
	for _, name := range fileNames {
		data, err := fs.ReadFile(seeds.NOC2021(), name)
		if err != nil {
			b.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}
