package noc2021

import "strings"

// correspondenceHeader is the correspondence file's header, as published:
// its third column's name starts with a space.
func correspondenceHeader() []string {
	return []string{"NOC 2016 V1.3 Code", "NOC 2016 V1.3 Title", " GSIM Type of Change", "NOC 2021 V1.0 Code", "NOC 2021 V1.0 Title", "Notes"}
}

const notesColumn = 5 // the one column whose values may span lines

type linkRow struct {
	Link
	line int
}

func parseCorrespondence(file string, data []byte) ([]linkRow, error) {
	t, err := newTable(file, data, correspondenceHeader(), notesColumn)
	if err != nil {
		return nil, err
	}
	var links []linkRow
	pair := map[[2]string]int{} // (2016, 2021) -> line
	err = t.forEach(func(rec []string, line int) error {
		// Codes are written without their leading zeros: "11" is NOC 2016
		// 0011, "10" is NOC 2021 00010.
		c16, ok := code(rec[0], 4)
		if !ok {
			return errAt(file, line, "NOC 2016 code %q is not 1 to 4 digits", rec[0])
		}
		c21, ok := code(rec[3], 5)
		if !ok {
			return errAt(file, line, "NOC 2021 code %q is not 1 to 5 digits", rec[3])
		}
		l := Link{NOC2016Code: c16, NOC2016Title: clean(rec[1]), NOC2021Code: c21, NOC2021Title: clean(rec[4])}
		if l.NOC2016Title == "" || l.NOC2021Title == "" {
			return errAt(file, line, "missing title for %s → %s", c16, c21)
		}
		for _, c := range strings.Split(rec[2], ",") {
			c = clean(c)
			if c == "" {
				return errAt(file, line, "empty type of change in %q", rec[2])
			}
			l.Changes = append(l.Changes, c)
		}
		// Two notes end in a line break, five in a space.
		l.Notes = strings.Join(strings.Fields(clean(rec[5])), " ")
		k := [2]string{c16, c21}
		if prev, dup := pair[k]; dup {
			return errAt(file, line, "%s → %s is already given at line %d", c16, c21, prev)
		}
		pair[k] = line
		links = append(links, linkRow{Link: l, line: line})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(links) == 0 {
		return nil, errAt(file, t.lines, "no correspondence rows")
	}
	return links, nil
}

// code pads an unpadded code to width digits.
func code(s string, width int) (string, bool) {
	if len(s) > width || !isDigits(s) {
		return "", false
	}
	return padCode(s, width), true
}
