package noc2021

import (
	"fmt"
	"strings"
)

// elementsHeader is the elements file's header, as published.
func elementsHeader() []string {
	return []string{"Level", "Code - NOC 2021 V1.0", "Class title", "Element Type Label English", "Element Description English"}
}

type elementType int

const (
	illustrativeType elementType = iota
	allExamplesType
	inclusionType
	exclusionType
	dutyType
	requirementType
	additionalType
	numElementTypes
)

// String is the element type's label in the elements file.
func (t elementType) String() string {
	if t < 0 || t >= numElementTypes {
		return fmt.Sprintf("elementType(%d)", int(t))
	}
	return [numElementTypes]string{
		"Illustrative example(s)",
		"All examples",
		"Inclusion(s)",
		"Exclusion(s)",
		"Main duties",
		"Employment requirements",
		"Additional information",
	}[t]
}

// dutiesIntroEnd ends the row that introduces every Main duties list:
// "This group performs some or all of the following duties:" (and, in
// 64301, "Bartenders perform …").
const dutiesIntroEnd = "some or all of the following duties:"

type row struct {
	text string // cleaned
	line int
}

// elementsUnit is one unit group as the elements file describes it: the
// element lists of a UnitGroup, and the lines that later checks against the
// structure name.
type elementsUnit struct {
	UnitGroup
	line       int   // its first row
	exclLines  []int // the line of each of Exclusions
	rowsByType [numElementTypes][]row
}

func parseElements(file string, data []byte) ([]*elementsUnit, error) {
	t, err := newTable(file, data, elementsHeader(), -1)
	if err != nil {
		return nil, err
	}
	var units []*elementsUnit
	first := map[string]int{} // code -> line of its first row
	var cur *elementsUnit
	var curType elementType
	err = t.forEach(func(rec []string, line int) error {
		if rec[0] != "5" {
			return errAt(file, line, "level %q: elements belong to unit groups, level 5", rec[0])
		}
		code, title, text := rec[1], clean(rec[2]), clean(rec[4])
		if len(code) != 5 || !isDigits(code) {
			return errAt(file, line, "code %q is not a 5-digit unit group code", code)
		}
		typ := elementType(-1)
		for et := range numElementTypes {
			if rec[3] == et.String() {
				typ = et
			}
		}
		if typ < 0 {
			return errAt(file, line, "unknown element type %q", truncate(rec[3], 60))
		}
		if text == "" {
			return errAt(file, line, "empty %s description", typ)
		}
		if cur == nil || code != cur.Code {
			if at, seen := first[code]; seen {
				return errAt(file, line, "rows of unit group %s start again here; they must be together (first at line %d)", code, at)
			}
			if title == "" {
				return errAt(file, line, "unit group %s has no class title", code)
			}
			first[code] = line
			cur = &elementsUnit{UnitGroup: UnitGroup{Code: code, Title: title}, line: line}
			units = append(units, cur)
		} else if title != cur.Title {
			return errAt(file, line, "class title %q differs from %q on line %d", truncate(title, 60), truncate(cur.Title, 60), cur.line)
		}
		if typ != curType && len(cur.rowsByType[typ]) > 0 {
			return errAt(file, line, "%s rows of unit group %s start again here; they must be together", typ, code)
		}
		curType = typ
		cur.rowsByType[typ] = append(cur.rowsByType[typ], row{text: text, line: line})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(units) == 0 {
		return nil, errAt(file, t.lines, "no element rows")
	}
	verbs := dutyVerbs(units)
	for _, u := range units {
		if err := u.build(file, verbs); err != nil {
			return nil, err
		}
	}
	return units, nil
}

// build turns the rows of one unit group into its element lists.
func (u *elementsUnit) build(file string, verbs map[string]bool) error {
	rows := &u.rowsByType
	if len(rows[allExamplesType]) == 0 {
		return errAt(file, u.line, "unit group %s has no %s", u.Code, allExamplesType)
	}
	if len(rows[illustrativeType]) == 0 {
		return errAt(file, u.line, "unit group %s has no %s", u.Code, illustrativeType)
	}
	if len(rows[dutyType]) == 0 {
		return errAt(file, u.line, "unit group %s has no %s", u.Code, dutyType)
	}
	u.AllExamples = uniqueTexts(rows[allExamplesType])
	u.IllustrativeExamples = uniqueTexts(rows[illustrativeType])
	u.Inclusions = uniqueTexts(rows[inclusionType])
	u.Additional = uniqueTexts(rows[additionalType])

	all := make(map[string]bool, len(u.AllExamples))
	for _, s := range u.AllExamples {
		all[s] = true
	}
	for _, r := range rows[illustrativeType] {
		if !all[r.text] {
			return errAt(file, r.line, "illustrative example %q is not among the All examples of %s", truncate(r.text, 60), u.Code)
		}
	}

	seen := map[string]bool{}
	for _, r := range rows[exclusionType] {
		e, ok := parseExclusion(r.text)
		if !ok {
			return errAt(file, r.line, "exclusion %q does not read \"Title  (See NNNNN Group title)\"", truncate(r.text, 80))
		}
		if seen[r.text] {
			continue
		}
		seen[r.text] = true
		u.Exclusions = append(u.Exclusions, e)
		u.exclLines = append(u.exclLines, r.line)
	}

	duties := rows[dutyType]
	if !strings.HasSuffix(duties[0].text, dutiesIntroEnd) {
		return errAt(file, duties[0].line, "the first %s row of %s is %q, want the introduction \"… %s\"", dutyType, u.Code, truncate(duties[0].text, 60), dutiesIntroEnd)
	}
	if len(duties) == 1 {
		return errAt(file, duties[0].line, "%s of %s hold only the introduction, no duty", dutyType, u.Code)
	}
	u.DutiesIntro = duties[0].text
	words := titleWords(u.Title, u.AllExamples)
	u.Duties = itemList(duties[1:], verbs, words)
	u.Requirements = itemList(rows[requirementType], verbs, words)
	return nil
}

// parseExclusion splits "Title  (See NNNNN Group title)". The title may
// itself hold parentheses; two spaces before "(See" separate it.
func parseExclusion(s string) (Exclusion, bool) {
	const sep = "  (See "
	i := strings.LastIndex(s, sep)
	if i < 0 || !strings.HasSuffix(s, ")") || i+len(sep) > len(s)-1 {
		return Exclusion{}, false
	}
	title := strings.TrimSpace(s[:i])
	code, group, ok := strings.Cut(s[i+len(sep):len(s)-1], " ")
	group = strings.TrimSpace(group)
	if !ok || title == "" || group == "" || (len(code) != 4 && len(code) != 5) || !isDigits(code) {
		return Exclusion{}, false
	}
	return Exclusion{Title: title, Code: code, Group: group}, true
}

// uniqueTexts returns the texts in order, each once: a repeated row in a
// list without sub-headings says nothing new.
func uniqueTexts(rows []row) []string {
	if len(rows) == 0 {
		return nil
	}
	out := make([]string, 0, len(rows))
	seen := make(map[string]bool, len(rows))
	for _, r := range rows {
		if !seen[r.text] {
			seen[r.text] = true
			out = append(out, r.text)
		}
	}
	return out
}

// itemList marks the role sub-headings of a duties or requirements list and
// drops an entry that repeats one already under the same heading. The same
// entry under two headings (a duty two roles share) is kept under both.
func itemList(rows []row, verbs map[string]bool, isTitleWord func(string) bool) []Item {
	if len(rows) == 0 {
		return nil
	}
	texts := make([]string, len(rows))
	for i, r := range rows {
		texts[i] = r.text
	}
	heading := markHeadings(texts, verbs, isTitleWord)
	out := make([]Item, 0, len(rows))
	section := map[string]bool{}
	for i, s := range texts {
		if heading[i] {
			section = map[string]bool{}
			out = append(out, Item{Text: s, Heading: true})
			continue
		}
		if section[s] {
			continue
		}
		section[s] = true
		out = append(out, Item{Text: s})
	}
	return out
}
