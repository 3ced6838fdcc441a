package noc2021

// structureHeader is the classification structure file's header, as
// published.
func structureHeader() []string {
	return []string{"Level", "Hierarchical structure", "Code - NOC 2021 V1.0", "Class title", "Class definition"}
}

// structure is the parsed classification structure, with the line of every
// code for errors found later.
type structure struct {
	groups []Group     // levels 1–4, file order
	units  []UnitGroup // level 5: code, title, lead and TEER only
	line   map[string]int
	level  map[string]Level
	title  map[string]string
}

func parseStructure(file string, data []byte) (*structure, error) {
	t, err := newTable(file, data, structureHeader(), -1)
	if err != nil {
		return nil, err
	}
	s := &structure{line: map[string]int{}, level: map[string]Level{}, title: map[string]string{}}
	err = t.forEach(func(rec []string, line int) error {
		if len(rec[0]) != 1 || rec[0][0] < '1' || rec[0][0] > '5' {
			return errAt(file, line, "level %q is not 1 to 5", rec[0])
		}
		level := Level(rec[0][0] - '0')
		if rec[1] != level.String() {
			return errAt(file, line, "level %d is named %q, want %q", level, rec[1], level.String())
		}
		code, title, def := rec[2], clean(rec[3]), clean(rec[4])
		if len(code) != int(level) || !isDigits(code) {
			return errAt(file, line, "code %q of a %s is not %d digits", code, level.String(), level)
		}
		if prev, dup := s.line[code]; dup {
			return errAt(file, line, "code %s is already defined at line %d", code, prev)
		}
		if title == "" {
			return errAt(file, line, "%s %s has no class title", level.String(), code)
		}
		if def == "" {
			return errAt(file, line, "%s %s has no class definition", level.String(), code)
		}
		s.line[code], s.level[code], s.title[code] = line, level, title
		if level < UnitGroupLevel {
			s.groups = append(s.groups, Group{Level: level, Code: code, Title: title, Definition: def})
			return nil
		}
		teer := int(code[1] - '0')
		if teer > 5 {
			return errAt(file, line, "unit group %s: TEER (the second digit) is %d, want 0 to 5", code, teer)
		}
		s.units = append(s.units, UnitGroup{Code: code, Title: title, Lead: def, TEER: teer})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(s.units) == 0 {
		return nil, errAt(file, t.lines, "no unit groups (level 5 rows)")
	}
	// Parents are checked once every row is read, so the file's order does
	// not matter.
	check := func(code string) error {
		for n := 1; n < len(code); n++ {
			if _, ok := s.line[code[:n]]; !ok {
				return errAt(file, s.line[code], "%s %s has no parent %s %s", Level(len(code)), code, Level(n), code[:n])
			}
		}
		return nil
	}
	for _, g := range s.groups {
		if err := check(g.Code); err != nil {
			return nil, err
		}
	}
	for _, u := range s.units {
		if err := check(u.Code); err != nil {
			return nil, err
		}
	}
	return s, nil
}
