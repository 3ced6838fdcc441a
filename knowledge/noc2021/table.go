package noc2021

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxFileSize bounds one official file. The largest (the elements) is about
// 5 MB; anything near this size is not the published file and is refused
// before parsing.
const MaxFileSize = 32 << 20

// ParseError says where and why a file does not follow its format.
// knowledge.ParseError is this type, for profiles and names files too:
// it is declared here because knowledge imports this package, not the
// other way round.
type ParseError struct {
	File string
	Line int // 1-based
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

func errAt(file string, line int, format string, args ...any) error {
	return &ParseError{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// table reads the rows of one CSV file under a fixed header, with the line
// each row starts on.
type table struct {
	file   string
	header []string
	r      *csv.Reader
	lines  int // lines in the file, for errors about its end
	// multiLine is the one column whose values may span lines (-1: none).
	multiLine int
}

// newTable checks what can be checked of the file as a whole, then its
// header row. The published files are UTF-8, with or without a byte order
// mark, with CRLF or LF line ends, and end with a line break: a file that
// does not was cut short.
func newTable(file string, data []byte, header []string, multiLine int) (*table, error) {
	if len(data) > MaxFileSize {
		return nil, errAt(file, 1, "file is %d bytes, over the %d-byte limit", len(data), MaxFileSize)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errAt(file, 1, "empty file: want the header row %q", strings.Join(header, ","))
	}
	t := &table{file: file, header: header, lines: bytes.Count(data, []byte("\n")), multiLine: multiLine}
	if data[len(data)-1] != '\n' {
		t.lines++
		return nil, errAt(file, t.lines, "file ends in the middle of a line: truncated")
	}
	t.r = csv.NewReader(bytes.NewReader(data))
	t.r.ReuseRecord = true
	got, line, err := t.next()
	if err == io.EOF {
		return nil, errAt(file, 1, "empty file: want the header row %q", strings.Join(header, ","))
	}
	if err != nil {
		return nil, err
	}
	if len(got) != len(header) {
		return nil, errAt(file, line, "header has %d columns, want %d: %q", len(got), len(header), strings.Join(header, ","))
	}
	for i := range header {
		if got[i] != header[i] {
			return nil, errAt(file, line, "column %d is headed %q, want %q", i+1, got[i], header[i])
		}
	}
	return t, nil
}

// forEach calls fn with every row after the header (the slice is valid only
// during the call) and the line it starts on, until the end or an error.
func (t *table) forEach(fn func(rec []string, line int) error) error {
	for {
		rec, line, err := t.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(rec, line); err != nil {
			return err
		}
	}
}

// next returns the next row (valid only until the following call) and the
// line it starts on; io.EOF after the last row.
func (t *table) next() ([]string, int, error) {
	rec, err := t.r.Read()
	if err != nil {
		return nil, 0, t.readError(rec, err)
	}
	line, _ := t.r.FieldPos(0)
	for i, f := range rec {
		if err := t.checkText(f, i); err != nil {
			return nil, 0, err
		}
	}
	return rec, line, nil
}

// readError turns a CSV reader's error into one naming the line. Apart from
// next so that a row read without error costs no allocation here.
func (t *table) readError(rec []string, err error) error {
	if err == io.EOF {
		return io.EOF
	}
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("read %s: %w", t.file, err)
	}
	switch {
	case errors.Is(pe.Err, csv.ErrFieldCount):
		return errAt(t.file, pe.StartLine, "row has %d columns, want %d", len(rec), len(t.header))
	case errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote):
		return errAt(t.file, pe.StartLine, "malformed quoted field in column %d (line %d): %v", pe.Column, pe.Line, pe.Err)
	}
	return errAt(t.file, pe.StartLine, "%v", pe.Err)
}

// checkText refuses invalid UTF-8 and control characters: no published
// value holds either, except line breaks in the one column that may span
// lines.
func (t *table) checkText(f string, col int) error {
	if !utf8.ValidString(f) {
		line, _ := t.r.FieldPos(col)
		return errAt(t.file, line, "invalid UTF-8 in %s", t.column(col))
	}
	// Control characters are single bytes in UTF-8: a byte loop finds
	// them without decoding every rune again.
	for i := 0; i < len(f); i++ {
		if c := f[i]; c < 0x20 && !(c == '\n' && col == t.multiLine) || c == 0x7f {
			line, _ := t.r.FieldPos(col)
			return errAt(t.file, line, "control character %U in %s", rune(c), t.column(col))
		}
	}
	return nil
}

// column names a column for an error; the header row itself may have more
// columns than it should.
func (t *table) column(col int) string {
	if col < len(t.header) {
		return fmt.Sprintf("column %q", t.header[col])
	}
	return fmt.Sprintf("column %d", col+1)
}

// clean trims a value and turns its no-break spaces (U+00A0, which the
// published text uses here and there) into plain spaces.
func clean(s string) string {
	if strings.IndexByte(s, 0xc2) >= 0 { // the first byte of U+00A0 in UTF-8
		s = strings.ReplaceAll(s, "\u00a0", " ")
	}
	return strings.TrimSpace(s)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// truncate shortens s for an error message.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
