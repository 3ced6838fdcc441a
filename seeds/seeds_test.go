package seeds_test

import (
	"testing"

	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/seeds"
)

// Every profile shipped in the binary must parse: a broken file here would
// stop nocbot from starting.
func TestEmbeddedProfilesParse(t *testing.T) {
	set, err := knowledge.LoadSeeds(seeds.FS())
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Profiles) == 0 {
		t.Fatal("no embedded profiles")
	}
}
