package knowledge

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The files of nocbot's own Chinese for NOC 2021, as shipped in
// seeds/noc2021.
const (
	NamesFile   = "names.zh.tsv"
	AliasesFile = "aliases.zh.tsv"
)

// maxNamesFileSize bounds a names or aliases file; the shipped ones are a
// few tens of kilobytes.
const maxNamesFileSize = 1 << 20

// Name is one line of names.zh.tsv: nocbot's Chinese name for a NOC 2021
// broad category, major group or unit group, beside the official English
// title it translates.
type Name struct {
	Code string
	ZH   string
	EN   string
	Line int
}

// Alias is one line of aliases.zh.tsv: an everyday Chinese word people use
// for the occupation of one NOC 2021 unit group.
type Alias struct {
	ZH   string
	Code string
	Line int
}

// ParseNames reads names.zh.tsv (code<TAB>zh<TAB>en; "#" starts a comment
// line). Every line is checked on its own and against the lines before it
// (a code or a Chinese name given twice); whether the codes and English
// titles are NOC 2021's is checked when the names meet the classification
// (LoadLibrary). Errors are *ParseError, file:line.
func ParseNames(file string, data []byte) ([]Name, error) {
	var out []Name
	byCode := map[string]int{}
	byZH := map[string]int{}
	err := ReadTSV(file, data, maxNamesFileSize, 3, func(f []string, ln int) error {
		n := Name{Code: f[0], ZH: f[1], EN: f[2], Line: ln}
		if !isDigits(n.Code) || (len(n.Code) != 1 && len(n.Code) != 2 && len(n.Code) != 5) {
			return &ParseError{File: file, Line: ln, Msg: fmt.Sprintf("code %q is not a NOC 2021 broad category (1 digit), major group (2) or unit group (5)", truncate(n.Code, 20))}
		}
		if err := checkChinese(file, ln, n.ZH); err != nil {
			return err
		}
		if !hasLetter(n.EN) || hasCJK(n.EN) {
			return &ParseError{File: file, Line: ln, Msg: fmt.Sprintf("English title %q is not English", truncate(n.EN, 40))}
		}
		if prev, dup := byCode[n.Code]; dup {
			return &ParseError{File: file, Line: ln, Msg: fmt.Sprintf("code %s is already named at line %d", n.Code, prev)}
		}
		if prev, dup := byZH[n.ZH]; dup {
			return &ParseError{File: file, Line: ln, Msg: fmt.Sprintf("Chinese name %q is already used at line %d", n.ZH, prev)}
		}
		byCode[n.Code], byZH[n.ZH] = ln, ln
		out = append(out, n)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ParseAliases reads aliases.zh.tsv (alias<TAB>code; "#" starts a comment
// line). An alias names one unit group: a second line for it is an error.
func ParseAliases(file string, data []byte) ([]Alias, error) {
	var out []Alias
	seen := map[string]int{}
	err := ReadTSV(file, data, maxNamesFileSize, 2, func(f []string, ln int) error {
		a := Alias{ZH: f[0], Code: f[1], Line: ln}
		if err := checkChinese(file, ln, a.ZH); err != nil {
			return err
		}
		if len(a.Code) != 5 || !isDigits(a.Code) {
			return &ParseError{File: file, Line: ln, Msg: fmt.Sprintf("code %q is not a 5-digit NOC 2021 unit group", truncate(a.Code, 20))}
		}
		if prev, dup := seen[a.ZH]; dup {
			return &ParseError{File: file, Line: ln, Msg: fmt.Sprintf("alias %q is already given at line %d", a.ZH, prev)}
		}
		seen[a.ZH] = ln
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReadTSV reads a word list of nocbot's own: it calls f with the fields of
// every line that is neither empty nor a "#" comment, after checking the
// file is at most limit bytes (a byte order mark and CRLF line ends
// allowed) and the line is valid UTF-8 text of tab-separated, non-empty
// fields without spaces around them, exactly columns of them (columns ≤ 0:
// f checks the number). A file with no entries is an error. Errors are
// *ParseError, file:line.
func ReadTSV(file string, data []byte, limit, columns int, f func(fields []string, line int) error) error {
	if len(data) > limit {
		return &ParseError{File: file, Line: 1, Msg: fmt.Sprintf("file is %d bytes, over the %d-byte limit", len(data), limit)}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	lines := strings.Split(string(data), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	n := 0
	for i, l := range lines {
		ln := i + 1
		l = strings.TrimSuffix(l, "\r")
		if !utf8.ValidString(l) {
			return &ParseError{File: file, Line: ln, Msg: "invalid UTF-8"}
		}
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		for _, r := range l {
			if r != '\t' && unicode.IsControl(r) {
				return &ParseError{File: file, Line: ln, Msg: fmt.Sprintf("control character %U", r)}
			}
		}
		fields := strings.Split(l, "\t")
		if columns > 0 && len(fields) != columns {
			return &ParseError{File: file, Line: ln, Msg: fmt.Sprintf("%d tab-separated fields, want %d", len(fields), columns)}
		}
		for j, fl := range fields {
			if fl == "" || strings.TrimSpace(fl) != fl {
				return &ParseError{File: file, Line: ln, Msg: fmt.Sprintf("field %d is empty or has spaces around it: %q", j+1, truncate(fl, 40))}
			}
		}
		if err := f(fields, ln); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return &ParseError{File: file, Line: max(1, len(lines)), Msg: "no entries"}
	}
	return nil
}

// checkChinese refuses a name that is not Chinese: it must hold Han
// characters (a Latin letter may come with them: X光技师).
func checkChinese(file string, ln int, s string) error {
	if !HasHan(s) {
		return &ParseError{File: file, Line: ln, Msg: fmt.Sprintf("%q is not a Chinese name", truncate(s, 40))}
	}
	return nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
