// Package noc2021 reads Statistics Canada's official National Occupational
// Classification (NOC) 2021 Version 1.0 files — the classification
// structure, the elements of every unit group and the NOC 2016 V1.3 → NOC
// 2021 V1.0 correspondence — into plain Go values, and looks them up by code.
//
// It knows the official file formats and their quirks, and nothing of the
// bot's profile model, languages, storage or platforms: the knowledge
// package converts these values into profiles. It never modifies or guesses:
// a file that does not follow the format is an error naming the file and
// line, and no partial classification is returned.
package noc2021

import (
	"fmt"
	"sort"
	"strings"
)

// The official file names, as published and as shipped in seeds/noc2021.
const (
	StructureFile      = "noc_2021_version_1.0_-_classification_structure.csv"
	ElementsFile       = "noc_2021_version_1.0_-_elements.csv"
	CorrespondenceFile = "2026-03-02_noc2016v1_3-noc2021v1_0-eng.csv"
)

// Attribution the Statistics Canada Open Licence requires: SourceNotice
// wherever the data is shown as published, AdaptedNotice wherever it is
// parsed, reformatted or translated.
const (
	SourceNotice  = "Source: Statistics Canada, National Occupational Classification (NOC) 2021 Version 1.0."
	AdaptedNotice = "Adapted from Statistics Canada, National Occupational Classification (NOC) 2021 Version 1.0. This does not constitute an endorsement by Statistics Canada of this product."
)

// Level is a group's depth in the classification; its code has as many
// digits as its level.
type Level int

// The five levels of NOC 2021.
const (
	BroadCategory Level = 1 + iota
	MajorGroup
	SubMajorGroup
	MinorGroup
	UnitGroupLevel
)

// String is the level's name as the structure file writes it.
func (l Level) String() string {
	if l >= BroadCategory && l <= UnitGroupLevel {
		return [...]string{
			BroadCategory:  "Broad Category",
			MajorGroup:     "Major Group",
			SubMajorGroup:  "Sub-major Group",
			MinorGroup:     "Minor Group",
			UnitGroupLevel: "Unit Group",
		}[l]
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// Group is one row of the classification structure: its code (leading zeros
// kept: "0", "00", "000", "0001", "00010"), title and definition. At level 5
// the definition is the unit group's lead statement.
type Group struct {
	Level      Level
	Code       string
	Title      string
	Definition string
}

// UnitGroup is a level-5 group with all its elements, each list in file
// order. Text is trimmed and its no-break spaces are plain spaces; nothing
// else is rewritten (the double spaces of "…  or completion of …" in some
// requirements are the publisher's). A row that repeats an earlier one of
// the same list is dropped; in Duties and Requirements only when it repeats
// one under the same sub-heading, so a duty two roles share stays under
// both (the shipped files repeat rows only that way: nothing is dropped).
type UnitGroup struct {
	Code  string // five digits
	Title string
	Lead  string // the class definition
	TEER  int    // the second digit of the code, 0–5

	IllustrativeExamples []string // always among AllExamples
	AllExamples          []string
	Inclusions           []string
	Exclusions           []Exclusion

	// DutiesIntro is the first Main duties row, which introduces the list
	// ("This group performs some or all of the following duties:") and is
	// not a duty.
	DutiesIntro  string
	Duties       []Item
	Requirements []Item
	Additional   []string
}

// Item is one row of a Main duties or Employment requirements list. Some
// unit groups split these lists by role: a Heading item ("Insurance
// managers") names the role, and the items after it, up to the next
// heading, belong to that role. A list either starts with a heading or has
// none.
type Item struct {
	Text    string
	Heading bool
}

// Exclusion is an occupation the unit group does not cover, and where it is
// classified instead: a unit group (5-digit Code) or, for a few, a whole
// minor group (4-digit Code).
type Exclusion struct {
	Title string // "Managers in communication (except broadcasting)"
	Code  string // "10030" or "1003"
	Group string // the title of the group Code names
}

// Link is one record of the NOC 2016 V1.3 → NOC 2021 V1.0 correspondence.
// The relation is many to many: a NOC 2016 unit group may continue in
// several NOC 2021 ones and the other way round. Codes are padded (the file
// writes "11" for 0011 and "10" for 00010). NOC 2011 shares NOC 2016's
// codes.
type Link struct {
	NOC2016Code  string // four digits
	NOC2016Title string
	NOC2021Code  string // five digits
	NOC2021Title string
	// Changes are the type-of-change labels, as published
	// ("RC5 - Transfer", "VC1 - Code Change"); not a closed set.
	Changes []string
	Notes   string // "1253 continues as 12112 and part transferred to 12111", or ""
}

// Classification is the whole of NOC 2021 V1.0 with its correspondence from
// NOC 2016. Treat it as read-only; the lookups return copies of their lists.
type Classification struct {
	Groups         []Group     // levels 1–4, in code order
	UnitGroups     []UnitGroup // level 5, in code order
	Correspondence []Link      // in file order

	group    map[string]int   // code -> index in Groups
	unit     map[string]int   // code -> index in UnitGroups
	from2016 map[string][]int // NOC 2016 code -> indexes in Correspondence
	to2021   map[string][]int // NOC 2021 code -> indexes in Correspondence
}

// Group returns the group with this code at any level; a unit group comes
// with its lead statement as definition.
func (c *Classification) Group(code string) (Group, bool) {
	if i, ok := c.group[code]; ok {
		return c.Groups[i], true
	}
	if u, ok := c.UnitGroup(code); ok {
		return Group{Level: UnitGroupLevel, Code: u.Code, Title: u.Title, Definition: u.Lead}, true
	}
	return Group{}, false
}

// UnitGroup returns the unit group with this five-digit code.
func (c *Classification) UnitGroup(code string) (UnitGroup, bool) {
	i, ok := c.unit[code]
	if !ok {
		return UnitGroup{}, false
	}
	return c.UnitGroups[i], true
}

// Ancestors returns the groups above code, broad category first: four for
// a unit group, none for a broad category or an unknown code.
func (c *Classification) Ancestors(code string) []Group {
	if _, ok := c.Group(code); !ok {
		return nil
	}
	var out []Group
	for n := 1; n < len(code); n++ {
		out = append(out, c.Groups[c.group[code[:n]]])
	}
	return out
}

// UnitGroupsUnder returns the unit groups inside the group with this code
// (the members of a minor group, say), in code order; none for an unknown
// code or a unit group.
func (c *Classification) UnitGroupsUnder(code string) []UnitGroup {
	if _, ok := c.group[code]; !ok {
		return nil
	}
	from := sort.Search(len(c.UnitGroups), func(i int) bool { return c.UnitGroups[i].Code >= code })
	var out []UnitGroup
	for _, u := range c.UnitGroups[from:] {
		if !strings.HasPrefix(u.Code, code) {
			break
		}
		out = append(out, u)
	}
	return out
}

// Successors returns where a NOC 2016 (or 2011) unit group went in NOC
// 2021, in file order. The code may be written unpadded ("11" for 0011), as
// the correspondence file does.
func (c *Classification) Successors(noc2016 string) []Link {
	return c.links(c.from2016[padCode(noc2016, 4)])
}

// Predecessors returns the NOC 2016 unit groups a NOC 2021 unit group comes
// from, in file order. The code may be written unpadded ("10" for 00010).
func (c *Classification) Predecessors(noc2021 string) []Link {
	return c.links(c.to2021[padCode(noc2021, 5)])
}

func (c *Classification) links(idx []int) []Link {
	if len(idx) == 0 {
		return nil
	}
	out := make([]Link, len(idx))
	for i, j := range idx {
		out[i] = c.Correspondence[j]
	}
	return out
}

// padCode left-pads an all-digit code to width; anything else is returned
// as is and will not match.
func padCode(code string, width int) string {
	if len(code) == 0 || len(code) >= width || !isDigits(code) {
		return code
	}
	return strings.Repeat("0", width-len(code)) + code
}
