package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParseStartPayload(f *testing.F) {
	for _, s := range []string{"noc_12111", "noc_1252_duties", "noc_72106_education", "noc_", "noc__duties", "noc_1x", "noc_12111_", "noc_12111_help",
		"noc_" + strings.Repeat("9", 80), "\xff", "", "help", "noc_１２１１１"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cmd, ok := parseStartPayload(s)
		if !ok {
			return
		}
		if len(s) > MaxStartPayload || !utf8.ValidString(s) || len(cmd.Args) != 1 || !isDigits(cmd.Code) || !takesCode(cmd.Name) {
			t.Fatalf("parseStartPayload(%q) = %+v", s, cmd)
		}
		section := cmd.Name
		if section == "noc" {
			section = ""
		}
		if again := StartPayload(cmd.Code, section); again != s {
			t.Fatalf("parseStartPayload(%q) = %+v, written back as %q", s, cmd, again)
		}
	})
}
