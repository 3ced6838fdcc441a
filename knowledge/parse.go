package knowledge

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nocbot/nocbot/knowledge/noc2021"
)

// MaxProfileSize bounds one profile file. Real profiles are a few kilobytes;
// anything near this size is not a profile and is refused before parsing.
const MaxProfileSize = 1 << 20

// ParseError says where and why a profile file, a names file or an
// official NOC 2021 file does not follow its format: one type for all, so
// a caller finds the file and line of any of them with one errors.As.
type ParseError = noc2021.ParseError

type section int

const (
	secNone section = iota
	secLead
	secExamples
	secDuties
	secRequirements
	secAdditional
	secElsewhere
	secAllTitles
)

// name is the English heading that introduces the section.
func (s section) name() string {
	switch s {
	case secLead:
		return "lead statement"
	case secExamples:
		return "Example Titles"
	case secDuties:
		return "Main duties"
	case secRequirements:
		return "Employment requirements"
	case secAdditional:
		return "Additional information"
	case secElsewhere:
		return "Classified elsewhere"
	case secAllTitles:
		return "All titles"
	}
	return "none"
}

func sectionByHeading(en string) (section, bool) {
	for s := secExamples; s <= secAllTitles; s++ {
		if strings.EqualFold(en, s.name()) {
			return s, true
		}
	}
	return secNone, false
}

// requiredSections are the sections every profile must have. Additional
// information and Classified elsewhere are absent from some official
// profiles, so they are optional.
func requiredSections() []section {
	return []section{secExamples, secDuties, secRequirements, secAllTitles}
}

var (
	headingRE = regexp.MustCompile(`^##\s+(\d{4,5})\s+(.+?)\s+-\s+FLYabroad NOC\s*$`)
	// "Health records clerks (in [1411](1411) General office support workers )"
	crossRefGroupRE = regexp.MustCompile(`^(.+?)\s*\(in\s+\[(\d{4,5})\]\((\d{4,5})\)\s*(.*?)\s*\)$`)
	// "Records management technicians [1253](1253)"
	crossRefBareRE = regexp.MustCompile(`^(.+?)\s*\[(\d{4,5})\]\((\d{4,5})\)$`)
)

// Parse reads one profile in the FLYabroad NOC format. name is used in
// errors only. Any deviation from the format is an error of type
// *ParseError naming the line; no partial profile is returned.
func Parse(name string, data []byte) (Profile, error) {
	p := &parser{file: name}
	prof, err := p.parse(data)
	if err != nil {
		return Profile{}, err
	}
	prof.File = name
	return prof, nil
}

type parser struct {
	file  string
	lines []string
	i     int // index of the line being read
}

func (p *parser) errAt(line int, format string, args ...any) error {
	return &ParseError{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) parse(data []byte) (Profile, error) {
	var prof Profile
	if len(data) > MaxProfileSize {
		return prof, p.errAt(1, "file is %d bytes, over the %d-byte limit for a profile", len(data), MaxProfileSize)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return prof, p.errAt(1, "empty profile file")
	}
	p.lines = strings.Split(string(data), "\n")
	for i, l := range p.lines {
		l = strings.TrimSuffix(l, "\r")
		if !utf8.ValidString(l) {
			return prof, p.errAt(i+1, "invalid UTF-8")
		}
		for _, r := range l {
			if unicode.IsControl(r) && r != '\t' {
				return prof, p.errAt(i+1, "control character %U", r)
			}
		}
		p.lines[i] = strings.TrimSpace(l)
	}

	seen := map[section]int{} // section -> heading line
	cur := secNone
	var leadZH, leadEN []string
	leadLine := 0 // where the lead statement starts
	sourceLine := 0
	for p.i = 0; p.i < len(p.lines); p.i++ {
		line, ln := p.lines[p.i], p.i+1
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			sec, err := p.heading(line, ln, &prof, cur)
			if err != nil {
				return prof, err
			}
			if prev, dup := seen[sec]; dup {
				return prof, p.errAt(ln, "duplicate %q section (first at line %d)", sec.name(), prev)
			}
			seen[sec] = ln
			cur = sec
			continue
		}
		if cur == secNone {
			return prof, p.errAt(ln, "missing profile heading: a profile starts with \"## <code> <中文名称> <English name> - FLYabroad NOC\"")
		}
		if isURL(line) {
			if cur == secLead {
				return prof, p.errAt(ln, "source link inside the lead statement")
			}
			if sourceLine != 0 {
				return prof, p.errAt(ln, "second source link (first at line %d)", sourceLine)
			}
			u, err := url.Parse(line)
			if err != nil || u.Host == "" || strings.ContainsAny(line, " \t") {
				return prof, p.errAt(ln, "malformed source link %q", line)
			}
			prof.Source, sourceLine = line, ln
			continue
		}
		if sourceLine != 0 {
			return prof, p.errAt(ln, "text after the source link (line %d); the link ends the profile", sourceLine)
		}
		switch cur {
		case secLead:
			if strings.HasPrefix(line, "*") {
				return prof, p.errAt(ln, "list item in the lead statement")
			}
			if HasHan(line) {
				if len(leadEN) > 0 {
					return prof, p.errAt(ln, "Chinese text after the English lead statement: the Chinese paragraph comes first")
				}
				if leadLine == 0 {
					leadLine = ln
				}
				leadZH = append(leadZH, line)
			} else {
				if len(leadZH) == 0 {
					return prof, p.errAt(ln, "lead statement without its Chinese half")
				}
				leadEN = append(leadEN, line)
			}
		case secDuties:
			if !strings.HasPrefix(line, "*") {
				if len(prof.Duties) > 0 || prof.DutiesIntro != (Text{}) {
					return prof, p.errAt(ln, "unexpected text in Main duties: want \"* \" items after the lead-in sentence")
				}
				zh, en := splitBilingual(line)
				if err := p.checkPair(zh, en, ln); err != nil {
					return prof, err
				}
				prof.DutiesIntro = Text{ZH: zh, EN: en}
				continue
			}
			t, err := p.item(line, ln)
			if err != nil {
				return prof, err
			}
			prof.Duties = append(prof.Duties, t)
		case secExamples, secAllTitles, secRequirements, secAdditional:
			if !strings.HasPrefix(line, "*") {
				return prof, p.errAt(ln, "unexpected text in %s: want \"* <中文> <English>\" items", cur.name())
			}
			t, err := p.item(line, ln)
			if err != nil {
				return prof, err
			}
			switch cur {
			case secExamples:
				prof.ExampleTitles = append(prof.ExampleTitles, t)
			case secAllTitles:
				prof.AllTitles = append(prof.AllTitles, t)
			case secRequirements:
				prof.Requirements = append(prof.Requirements, t)
			case secAdditional:
				prof.Additional = append(prof.Additional, t)
			}
		case secElsewhere:
			if !strings.HasPrefix(line, "*") {
				return prof, p.errAt(ln, "unexpected text in Classified elsewhere: want \"* <中文> <English> [code](code)\" items")
			}
			t, err := p.item(line, ln)
			if err != nil {
				return prof, err
			}
			ref, err := p.crossRef(t, ln, prof.Code)
			if err != nil {
				return prof, err
			}
			prof.Elsewhere = append(prof.Elsewhere, ref)
		}
	}

	end := len(p.lines)
	if len(leadZH) == 0 {
		return prof, p.errAt(seen[secLead]+1, "missing lead statement after the profile heading")
	}
	if len(leadEN) == 0 {
		return prof, p.errAt(leadLine, "lead statement without its English half")
	}
	prof.Lead = Text{ZH: strings.Join(leadZH, ""), EN: strings.Join(leadEN, " ")}
	for _, s := range requiredSections() {
		if _, ok := seen[s]; !ok {
			return prof, p.errAt(end, "missing section heading %q", s.name())
		}
	}
	for s := secExamples; s <= secAllTitles; s++ {
		if ln, ok := seen[s]; ok && countItems(&prof, s) == 0 {
			return prof, p.errAt(ln, "section %q has no items", s.name())
		}
	}
	if prof.Source == "" {
		return prof, p.errAt(end, "missing source link (the official profile URL ends the file)")
	}
	return prof, nil
}

func countItems(prof *Profile, s section) int {
	switch s {
	case secExamples:
		return len(prof.ExampleTitles)
	case secDuties:
		return len(prof.Duties)
	case secRequirements:
		return len(prof.Requirements)
	case secAdditional:
		return len(prof.Additional)
	case secElsewhere:
		return len(prof.Elsewhere)
	case secAllTitles:
		return len(prof.AllTitles)
	}
	return 1
}

// heading reads a "## <code> <zh> <en> - FLYabroad NOC" line. The first
// heading names the unit group; later ones open a section of it.
func (p *parser) heading(line string, ln int, prof *Profile, cur section) (section, error) {
	m := headingRE.FindStringSubmatch(line)
	if m == nil {
		return secNone, p.errAt(ln, "malformed heading %q: want \"## <code> <中文> <English> - FLYabroad NOC\"", truncate(line, 80))
	}
	code := m[1]
	zh, en := splitBilingual(m[2])
	if cur == secNone {
		if err := p.checkPair(zh, en, ln); err != nil {
			return secNone, err
		}
		prof.Code = code
		prof.Title = Text{ZH: zh, EN: en}
		return secLead, nil
	}
	if code != prof.Code {
		return secNone, p.errAt(ln, "heading code %s differs from the profile's code %s", code, prof.Code)
	}
	sec, ok := sectionByHeading(en)
	if !ok {
		return secNone, p.errAt(ln, "unknown section heading %q", en)
	}
	if !HasHan(zh) {
		return secNone, p.errAt(ln, "section heading %q without its Chinese half", en)
	}
	return sec, nil
}

// item reads a "* " list item: Chinese and English on one line, or the
// Chinese on the item line and the English on the line right after it.
func (p *parser) item(line string, ln int) (Text, error) {
	text := strings.TrimSpace(strings.TrimPrefix(line, "*"))
	zh, en := splitBilingual(text)
	if zh == "" {
		return Text{}, p.errAt(ln, "item without its Chinese half: %q", truncate(text, 60))
	}
	if en == "" && p.i+1 < len(p.lines) {
		next := p.lines[p.i+1]
		if next != "" && !strings.HasPrefix(next, "*") && !strings.HasPrefix(next, "#") && !hasCJK(next) && !isURL(next) {
			en = next
			p.i++
		}
	}
	if err := p.checkPair(zh, en, ln); err != nil {
		return Text{}, err
	}
	return Text{ZH: zh, EN: en}, nil
}

func (p *parser) checkPair(zh, en string, ln int) error {
	if !HasHan(zh) {
		return p.errAt(ln, "text without its Chinese half")
	}
	if !hasLetter(en) {
		return p.errAt(ln, "item without its English half: %q", truncate(zh, 40))
	}
	return nil
}

func (p *parser) crossRef(t Text, ln int, own string) (CrossRef, error) {
	var ref CrossRef
	if m := crossRefGroupRE.FindStringSubmatch(t.EN); m != nil {
		ref.Title.EN, ref.Code, ref.Group.EN = m[1], m[2], m[4]
		if m[2] != m[3] {
			return ref, p.errAt(ln, "cross-reference [%s](%s) links to a different code", m[2], m[3])
		}
	} else if m := crossRefBareRE.FindStringSubmatch(t.EN); m != nil {
		ref.Title.EN, ref.Code = m[1], m[2]
		if m[2] != m[3] {
			return ref, p.errAt(ln, "cross-reference [%s](%s) links to a different code", m[2], m[3])
		}
	} else {
		return ref, p.errAt(ln, "classified-elsewhere item without a [code](code) reference: %q", truncate(t.EN, 60))
	}
	if ref.Code == own {
		return ref, p.errAt(ln, "classified-elsewhere item refers to the profile's own code %s", own)
	}
	ref.Title.ZH = t.ZH
	// "健康记录员（一般办公室支援工人）": the group name in brackets.
	for _, br := range [...][2]string{{"（", "）"}, {"(", ")"}} {
		if i := strings.Index(t.ZH, br[0]); i > 0 {
			ref.Title.ZH = strings.TrimSpace(t.ZH[:i])
			ref.Group.ZH = strings.TrimSpace(strings.TrimSuffix(t.ZH[i+len(br[0]):], br[1]))
			break
		}
	}
	return ref, nil
}

// splitBilingual splits "中文 English" at the last CJK character: the
// profile puts Chinese first, and English text holds no CJK characters.
func splitBilingual(s string) (zh, en string) {
	end := -1
	for i, r := range s {
		if isCJK(r) {
			end = i + utf8.RuneLen(r)
		}
	}
	if end < 0 {
		return "", strings.TrimSpace(s)
	}
	return strings.TrimSpace(s[:end]), strings.TrimSpace(s[end:])
}

// isCJK reports Han characters and the CJK and full-width punctuation that
// Chinese text uses.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) ||
		(r >= 0x3000 && r <= 0x303F) || // CJK symbols and punctuation
		(r >= 0xFF00 && r <= 0xFFEF) // full-width forms
}

func hasCJK(s string) bool { return strings.IndexFunc(s, isCJK) >= 0 }

// HasHan reports whether s holds a Chinese (Han) character.
func HasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

func hasLetter(s string) bool { return strings.IndexFunc(s, unicode.IsLetter) >= 0 }

func isURL(line string) bool {
	return strings.HasPrefix(line, "http://") || strings.HasPrefix(line, "https://")
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
