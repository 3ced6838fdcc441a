package discord

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The README's Discord section lists the slash commands nocbot registers,
// all of them and no other.
func TestREADMEListsSlashCommands(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), "registers its slash commands (")
	list, _, closed := strings.Cut(after, ")")
	if !ok || !closed {
		t.Fatal(`README: no "registers its slash commands (…)" in the Discord section`)
	}
	var documented []string
	for _, m := range regexp.MustCompile("`/([a-z0-9_-]+)`").FindAllStringSubmatch(list, -1) {
		documented = append(documented, m[1])
	}
	var registered []string
	for _, c := range slashCommands() {
		registered = append(registered, c.Name)
	}
	slices.Sort(documented)
	slices.Sort(registered)
	if !slices.Equal(documented, registered) {
		t.Errorf("README lists %v, nocbot registers %v", documented, registered)
	}
}
