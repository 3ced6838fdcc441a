package main

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseDotenv(t *testing.T) {
	tests := []struct {
		name, in string
		want     map[string]string
		wantErr  string
	}{
		{"basics", "# comment\n\nA=1\nexport B = two words \nC=x #note\n", map[string]string{"A": "1", "B": "two words", "C": "x"}, ""},
		{"quotes", `S='raw \n $x'` + "\n" + `D="a\"b\nc"` + "\nE=\n", map[string]string{"S": `raw \n $x`, "D": "a\"b\nc", "E": ""}, ""},
		{"crlf and bom", "\xef\xbb\xbfA=1\r\nB=2\r\n", map[string]string{"A": "1", "B": "2"}, ""},
		{"token with colon", "TELEGRAM_TOKEN=123456:ABC-def_ghi\n", map[string]string{"TELEGRAM_TOKEN": "123456:ABC-def_ghi"}, ""},
		{"no equals", "A=1\nJUSTAWORD\n", nil, "line 2: want KEY=VALUE"},
		{"bad name", "1A=x\n", nil, "line 1"},
		{"unterminated", "A=\"open\n", nil, "line 1 (A): unterminated double quote"},
		{"invalid utf-8", "A=\xff\n", nil, "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseDotenv([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want error %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func FuzzParseDotenv(f *testing.F) {
	for _, s := range []string{"A=1\n", "export B='x'\n", `C="a\"b"`, "D=x #c", "=", "\xff", "A=\"\\"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := parseDotenv(data)
		if err != nil {
			return
		}
		for k, v := range got {
			if !validEnvName(k) || !utf8.ValidString(v) {
				t.Fatalf("accepted %q=%q", k, v)
			}
		}
	})
}
