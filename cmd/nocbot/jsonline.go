package main

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// appendJSON appends c as encoding/json writes it, byte for byte, without
// reflection or allocation: classify writes one line per question, and a
// json.Encoder cost more than classifying it.
func (c classification) appendJSON(b []byte) ([]byte, error) {
	if math.IsInf(c.Confidence, 0) || math.IsNaN(c.Confidence) {
		return b, fmt.Errorf("json: unsupported confidence %v", c.Confidence)
	}
	b = append(b, `{"intent":`...)
	b = appendJSONString(b, string(c.Intent))
	b = append(b, `,"lang":`...)
	b = appendJSONString(b, string(c.Lang))
	b = append(b, `,"noc":`...)
	b = appendJSONString(b, c.NOC)
	if c.NOC2011 != "" {
		b = append(b, `,"noc_2011":`...)
		b = appendJSONString(b, c.NOC2011)
	}
	b = append(b, `,"confidence":`...)
	b = appendJSONFloat(b, c.Confidence)
	if len(c.Also) > 0 {
		b = append(b, `,"also":[`...)
		for i, in := range c.Also {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, string(in))
		}
		b = append(b, ']')
	}
	if c.Topic != "" {
		b = append(b, `,"topic":`...)
		b = appendJSONString(b, string(c.Topic))
	}
	return append(b, '}'), nil
}

// appendJSONString appends s quoted as encoding/json quotes it: HTML's <,
// > and & escaped, invalid UTF-8 as U+FFFD, U+2028 and U+2029 escaped for
// JavaScript.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= ' ' && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendJSONFloat appends a finite f as encoding/json writes a float64:
// the shortest decimal that reads back as f, in exponent form only below
// 1e-6 or from 1e21.
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// "1e-07" is "1e-7".
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
