package knowledge

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// SeedSet is every profile of a seeds directory, parsed, with a hash of the
// files it came from so a store can tell when they changed.
type SeedSet struct {
	Profiles []Profile // sorted by code
	Hash     string    // hex SHA-256 over the file names and contents
}

// maxSeedFiles bounds how many files one seeds directory may hold, so a
// mistaken --seeds / is refused instead of read.
const maxSeedFiles = 10000

// LoadSeeds reads and parses every *.txt file at the root of fsys. It fails
// as a whole: a single broken file, or two files with the same unit group
// code, is an error and no profile is returned.
func LoadSeeds(fsys fs.FS) (SeedSet, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return SeedSet{}, fmt.Errorf("read seeds directory: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.EqualFold(path.Ext(e.Name()), ".txt") {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return SeedSet{}, errors.New("read seeds directory: no profile files (*.txt)")
	}
	if len(names) > maxSeedFiles {
		return SeedSet{}, fmt.Errorf("read seeds directory: %d files, over the limit of %d", len(names), maxSeedFiles)
	}
	sort.Strings(names)

	h := sha256.New()
	byCode := map[string]string{} // code -> file
	set := SeedSet{Profiles: make([]Profile, 0, len(names))}
	for _, name := range names {
		info, err := fs.Stat(fsys, name)
		if err != nil {
			return SeedSet{}, fmt.Errorf("read seed %s: %w", name, err)
		}
		if info.Size() > MaxProfileSize {
			return SeedSet{}, &ParseError{File: name, Line: 1, Msg: fmt.Sprintf("file is %d bytes, over the %d-byte limit for a profile", info.Size(), MaxProfileSize)}
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return SeedSet{}, fmt.Errorf("read seed %s: %w", name, err)
		}
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(data))
		h.Write(data)
		prof, err := Parse(name, data)
		if err != nil {
			return SeedSet{}, err
		}
		if other, dup := byCode[prof.Code]; dup {
			return SeedSet{}, &ParseError{File: name, Line: 1, Msg: fmt.Sprintf("unit group %s is already defined in %s", prof.Code, other)}
		}
		byCode[prof.Code] = name
		set.Profiles = append(set.Profiles, prof)
	}
	sort.Slice(set.Profiles, func(i, j int) bool { return set.Profiles[i].Code < set.Profiles[j].Code })
	set.Hash = hex.EncodeToString(h.Sum(nil))
	return set, nil
}
