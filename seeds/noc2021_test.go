package seeds_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"sort"
	"strings"
	"testing"

	"github.com/nocbot/nocbot/seeds"
)

// The shipped NOC 2021 files must be the published ones, byte for byte:
// the checksums are those in noc2021/README.md and the data's provenance.
func TestNOC2021FilesUnchanged(t *testing.T) {
	want := map[string]string{
		"noc_2021_version_1.0_-_elements.csv":                 "50c3e31a90b0150cc5b8efd29ec020c2fd9ea5fc5b0a171ed65d3cd9a0abf32f",
		"noc_2021_version_1.0_-_classification_structure.csv": "9d97fb39b9fceaeef3a10fe1ec719ad58f2af15810f80e004422dce3dd62bad6",
		"2026-03-02_noc2016v1_3-noc2021v1_0-eng.csv":          "0a8375082e3a297910fbebadd4d44fd831300df3d5c04edec0b8a1d6b37172f1",
	}
	fsys := seeds.NOC2021()
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	if len(names) != len(want) {
		t.Errorf("embedded NOC 2021 files: got %q, want the %d official files", names, len(want))
	}
	for name, sum := range want {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		h := sha256.Sum256(data)
		if got := hex.EncodeToString(h[:]); got != sum {
			t.Errorf("%s: SHA-256 %s, want %s", name, got, sum)
		}
	}
}

// The FLYabroad loader reads *.txt at the root only: the NOC 2021 files
// must not appear there.
func TestProfilesExcludeNOC2021(t *testing.T) {
	entries, err := fs.ReadDir(seeds.FS(), ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".txt") {
			t.Errorf("profile file system holds %q, want *.txt profiles only", e.Name())
		}
	}
}
