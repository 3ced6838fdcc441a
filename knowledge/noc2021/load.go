package noc2021

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// Load reads the three official files from the root of fsys and returns the
// whole classification, or the first thing wrong as a *ParseError
// ("file:line: what is wrong"); never part of it.
func Load(fsys fs.FS) (*Classification, error) {
	var data [3][]byte
	for i, name := range [...]string{StructureFile, ElementsFile, CorrespondenceFile} {
		b, err := readFile(fsys, name)
		if err != nil {
			return nil, err
		}
		data[i] = b
	}
	return parse(data[0], data[1], data[2])
}

func readFile(fsys fs.FS, name string) ([]byte, error) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read NOC 2021 file: %w", err)
	}
	if info.Size() > MaxFileSize {
		return nil, errAt(name, 1, "file is %d bytes, over the %d-byte limit", info.Size(), MaxFileSize)
	}
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read NOC 2021 file: %w", err)
	}
	return b, nil
}

// parse reads the three files and checks that they agree: every unit group
// of the structure has its elements and the other way round, under the same
// title; every exclusion and correspondence record names a group that
// exists, under its title; every unit group has a NOC 2016 predecessor.
func parse(structureData, elementsData, correspondenceData []byte) (*Classification, error) {
	// The elements file is most of the work: the two small files are read
	// beside it, on another core.
	var (
		s        *structure
		links    []linkRow
		smallErr error
		done     = make(chan struct{})
	)
	go func() {
		defer close(done)
		if s, smallErr = parseStructure(StructureFile, structureData); smallErr == nil {
			links, smallErr = parseCorrespondence(CorrespondenceFile, correspondenceData)
		}
	}()
	units, err := parseElements(ElementsFile, elementsData)
	<-done
	// The structure's error first, then the elements', then the
	// correspondence's, as when they were read one after the other.
	if smallErr != nil && s == nil {
		return nil, smallErr
	}
	if err != nil {
		return nil, err
	}
	if smallErr != nil {
		return nil, smallErr
	}

	// The published structure is in code order already; UnitGroupsUnder
	// relies on it, whatever the file's order.
	slices.SortFunc(s.groups, func(a, b Group) int { return strings.Compare(a.Code, b.Code) })
	slices.SortFunc(s.units, func(a, b UnitGroup) int { return strings.Compare(a.Code, b.Code) })
	c := &Classification{Groups: s.groups, UnitGroups: s.units, Correspondence: make([]Link, len(links))}
	c.index()

	elems := make(map[string]*elementsUnit, len(units))
	for _, e := range units {
		if _, ok := c.unit[e.Code]; !ok {
			return nil, errAt(ElementsFile, e.line, "unit group %s is not in %s", e.Code, StructureFile)
		}
		if want := s.title[e.Code]; e.Title != want {
			return nil, errAt(ElementsFile, e.line, "unit group %s is titled %q, but %q in %s", e.Code, truncate(e.Title, 60), truncate(want, 60), StructureFile)
		}
		for i, x := range e.Exclusions {
			level, ok := s.level[x.Code]
			if !ok || int(level) != len(x.Code) {
				return nil, errAt(ElementsFile, e.exclLines[i], "exclusion cites %s, which is not in %s", x.Code, StructureFile)
			}
			if want := s.title[x.Code]; x.Group != want {
				return nil, errAt(ElementsFile, e.exclLines[i], "exclusion cites %s as %q, but it is titled %q", x.Code, truncate(x.Group, 60), truncate(want, 60))
			}
		}
		elems[e.Code] = e
	}
	for i := range c.UnitGroups {
		u := &c.UnitGroups[i]
		e, ok := elems[u.Code]
		if !ok {
			return nil, errAt(StructureFile, s.line[u.Code], "unit group %s has no rows in %s", u.Code, ElementsFile)
		}
		u.IllustrativeExamples, u.AllExamples = e.IllustrativeExamples, e.AllExamples
		u.Inclusions, u.Exclusions = e.Inclusions, e.Exclusions
		u.DutiesIntro, u.Duties, u.Requirements, u.Additional = e.DutiesIntro, e.Duties, e.Requirements, e.Additional
	}

	title16 := map[string]linkRow{}
	lastLine := 0
	for i, l := range links {
		want, ok := s.title[l.NOC2021Code]
		if !ok || s.level[l.NOC2021Code] != UnitGroupLevel {
			return nil, errAt(CorrespondenceFile, l.line, "NOC 2021 code %s is not a unit group of %s", l.NOC2021Code, StructureFile)
		}
		if l.NOC2021Title != want {
			return nil, errAt(CorrespondenceFile, l.line, "NOC 2021 %s is titled %q, but %q in %s", l.NOC2021Code, truncate(l.NOC2021Title, 60), truncate(want, 60), StructureFile)
		}
		if first, seen := title16[l.NOC2016Code]; seen && first.NOC2016Title != l.NOC2016Title {
			return nil, errAt(CorrespondenceFile, l.line, "NOC 2016 %s is titled %q, but %q at line %d", l.NOC2016Code, truncate(l.NOC2016Title, 60), truncate(first.NOC2016Title, 60), first.line)
		} else if !seen {
			title16[l.NOC2016Code] = l
		}
		c.Correspondence[i] = l.Link
		lastLine = l.line
	}
	c.indexLinks()
	// Every NOC 2021 unit group comes from somewhere in NOC 2016; one
	// without a predecessor means the correspondence was cut short.
	for _, u := range c.UnitGroups {
		if len(c.to2021[u.Code]) == 0 {
			return nil, errAt(CorrespondenceFile, lastLine, "no record leads to NOC 2021 unit group %s (%s): truncated?", u.Code, truncate(u.Title, 60))
		}
	}
	return c, nil
}

// New holds a classification read before and checked then (nocbot's
// build-time snapshot): groups and unit groups in code order, the
// correspondence in file order. It checks nothing.
func New(groups []Group, units []UnitGroup, links []Link) *Classification {
	c := &Classification{Groups: groups, UnitGroups: units, Correspondence: links}
	c.index()
	c.indexLinks()
	return c
}

// index builds the lookups by code of Groups and UnitGroups.
func (c *Classification) index() {
	c.group = make(map[string]int, len(c.Groups))
	c.unit = make(map[string]int, len(c.UnitGroups))
	for i, g := range c.Groups {
		c.group[g.Code] = i
	}
	for i, u := range c.UnitGroups {
		c.unit[u.Code] = i
	}
}

// indexLinks builds the lookups of Correspondence by either code.
func (c *Classification) indexLinks() {
	c.from2016 = map[string][]int{}
	c.to2021 = make(map[string][]int, len(c.UnitGroups))
	for i, l := range c.Correspondence {
		c.from2016[l.NOC2016Code] = append(c.from2016[l.NOC2016Code], i)
		c.to2021[l.NOC2021Code] = append(c.to2021[l.NOC2021Code], i)
	}
}
