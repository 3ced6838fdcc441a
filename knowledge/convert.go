package knowledge

import (
	"fmt"
	"io/fs"

	"github.com/nocbot/nocbot/knowledge/noc2021"
)

// NOC2021URL is the publisher's page for NOC 2021 Version 1.0, from which
// every unit group's official page is reached. The files carry no per-group
// address, so a NOC 2021 profile links here.
const NOC2021URL = "https://www.statcan.gc.ca/en/subjects/standard/noc/2021/indexV1"

// ChineseNames is nocbot's own Chinese for NOC 2021: a name for every broad
// category, major group and unit group (names.zh.tsv), and the everyday
// words people use for unit groups (aliases.zh.tsv). None of it is
// official. Read-only once built.
type ChineseNames struct {
	name    map[string]string   // code -> Chinese name
	aliases map[string][]string // unit group code -> aliases, in file order
}

// NewChineseNames holds the given names and aliases as they are; see
// LoadChineseNames for the checked version.
func NewChineseNames(names []Name, aliases []Alias) *ChineseNames {
	n := &ChineseNames{name: make(map[string]string, len(names)), aliases: map[string][]string{}}
	for _, x := range names {
		n.name[x.Code] = x.ZH
	}
	for _, a := range aliases {
		n.aliases[a.Code] = append(n.aliases[a.Code], a.ZH)
	}
	return n
}

// Name returns nocbot's Chinese name for a group, or "" when it has none
// (sub-major and minor groups, unknown codes).
func (n *ChineseNames) Name(code string) string {
	if n == nil {
		return ""
	}
	return n.name[code]
}

// Aliases returns the everyday Chinese words for a unit group. The slice is
// shared: do not modify it.
func (n *ChineseNames) Aliases(code string) []string {
	if n == nil {
		return nil
	}
	return n.aliases[code]
}

// LoadChineseNames reads NamesFile and AliasesFile from the root of fsys and
// checks them against the classification: every code is a group of it,
// every English title is its official title, every broad category, major
// group and unit group has a name, and every alias names a unit group.
// Errors say file:line.
func LoadChineseNames(fsys fs.FS, c *noc2021.Classification) (*ChineseNames, error) {
	namesData, err := readLimited(fsys, NamesFile)
	if err != nil {
		return nil, err
	}
	aliasesData, err := readLimited(fsys, AliasesFile)
	if err != nil {
		return nil, err
	}
	names, err := ParseNames(NamesFile, namesData)
	if err != nil {
		return nil, err
	}
	aliases, err := ParseAliases(AliasesFile, aliasesData)
	if err != nil {
		return nil, err
	}
	named := make(map[string]bool, len(names))
	for _, n := range names {
		g, ok := c.Group(n.Code)
		if !ok {
			return nil, &ParseError{File: NamesFile, Line: n.Line, Msg: fmt.Sprintf("%s is not a NOC 2021 group", n.Code)}
		}
		if g.Title != n.EN {
			return nil, &ParseError{File: NamesFile, Line: n.Line, Msg: fmt.Sprintf("%s is titled %q in NOC 2021, not %q", n.Code, truncate(g.Title, 60), truncate(n.EN, 60))}
		}
		named[n.Code] = true
	}
	last := 1
	if len(names) > 0 {
		last = names[len(names)-1].Line
	}
	for _, g := range c.Groups {
		if (g.Level == BroadCategory || g.Level == MajorGroup) && !named[g.Code] {
			return nil, &ParseError{File: NamesFile, Line: last, Msg: fmt.Sprintf("no Chinese name for %s %s (%s)", g.Level, g.Code, truncate(g.Title, 60))}
		}
	}
	for _, u := range c.UnitGroups {
		if !named[u.Code] {
			return nil, &ParseError{File: NamesFile, Line: last, Msg: fmt.Sprintf("no Chinese name for unit group %s (%s)", u.Code, truncate(u.Title, 60))}
		}
	}
	for _, a := range aliases {
		if _, ok := c.UnitGroup(a.Code); !ok {
			return nil, &ParseError{File: AliasesFile, Line: a.Line, Msg: fmt.Sprintf("%s is not a NOC 2021 unit group", a.Code)}
		}
	}
	return NewChineseNames(names, aliases), nil
}

func readLimited(fsys fs.FS, name string) ([]byte, error) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read Chinese names: %w", err)
	}
	if info.Size() > maxNamesFileSize {
		return nil, &ParseError{File: name, Line: 1, Msg: fmt.Sprintf("file is %d bytes, over the %d-byte limit", info.Size(), maxNamesFileSize)}
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read Chinese names: %w", err)
	}
	return data, nil
}

// FromNOC2021 converts a NOC 2021 unit group into a profile: English text as
// published, the hierarchy and the names of excluded groups from c, and
// nocbot's Chinese names and aliases from zh (nil for none), marked as
// nocbot's own.
func FromNOC2021(u noc2021.UnitGroup, c *noc2021.Classification, zh *ChineseNames) Profile {
	p := Profile{
		Code:           u.Code,
		Title:          Text{EN: u.Title, ZH: zh.Name(u.Code)},
		Lead:           Text{EN: u.Lead},
		ExampleTitles:  englishTexts(u.IllustrativeExamples),
		DutiesIntro:    Text{EN: u.DutiesIntro},
		Duties:         itemTexts(u.Duties),
		Requirements:   itemTexts(u.Requirements),
		Additional:     englishTexts(u.Additional),
		AllTitles:      englishTexts(u.AllExamples),
		Inclusions:     englishTexts(u.Inclusions),
		Source:         NOC2021URL,
		File:           noc2021.ElementsFile,
		Classification: NOC2021,
		Provider:       ProviderStatCan,
		Attribution:    []string{noc2021.SourceNotice, noc2021.AdaptedNotice},
		TEER:           u.TEER,
		HasTEER:        true,
	}
	p.TitleZHProject = p.Title.ZH != ""
	for _, g := range c.Ancestors(u.Code) {
		p.Hierarchy = append(p.Hierarchy, groupOf(g, zh))
	}
	for _, x := range u.Exclusions {
		p.Elsewhere = append(p.Elsewhere, CrossRef{
			Title: Text{EN: x.Title},
			Code:  x.Code,
			Group: Text{EN: x.Group, ZH: zh.Name(x.Code)},
			Level: Level(len(x.Code)),
		})
	}
	for _, a := range zh.Aliases(u.Code) {
		p.Aliases = append(p.Aliases, Text{ZH: a})
	}
	return p
}

func groupOf(g noc2021.Group, zh *ChineseNames) Group {
	return Group{Level: g.Level, Code: g.Code, Title: Text{EN: g.Title, ZH: zh.Name(g.Code)}, Definition: g.Definition}
}

func englishTexts(ss []string) []Text {
	if len(ss) == 0 {
		return nil
	}
	out := make([]Text, len(ss))
	for i, s := range ss {
		out[i] = Text{EN: s}
	}
	return out
}

func itemTexts(items []noc2021.Item) []Text {
	if len(items) == 0 {
		return nil
	}
	out := make([]Text, len(items))
	for i, it := range items {
		out[i] = Text{EN: it.Text, Heading: it.Heading}
	}
	return out
}
