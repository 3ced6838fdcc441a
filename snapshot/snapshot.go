// Package snapshot is the library and the trained matcher nocbot answers
// from, prepared at build time so a command starts without parsing the
// NOC 2021 files, indexing titles or training the model.
//
// nocbot.snap is derived data, not a source: it is what knowledge and
// intents make of seeds/ (the FLYabroad profiles, Statistics Canada's NOC
// 2021 files, nocbot's Chinese names) and intents/data, written by
// `go generate ./snapshot`. Its tests fail when it differs from what the
// sources and the code give today. The package knows how to build and
// read the snapshot, never what the profiles or questions mean.
package snapshot

//go:generate go test -run TestSnapshotIsCurrent -update

import (
	_ "embed"
	"fmt"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/internal/wire"
	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/seeds"
)

// File is the snapshot's name beside this package's source.
const File = "nocbot.snap"

//go:embed nocbot.snap
var data string

// Load returns the library and matcher the built-in sources give, read
// from the snapshot.
func Load(opts ...intents.Option) (*knowledge.Library, *intents.Matcher, error) {
	return Read(data, opts...)
}

// Read reads a snapshot Build wrote.
func Read(snap string, opts ...intents.Option) (*knowledge.Library, *intents.Matcher, error) {
	r := wire.NewReader(snap)
	lib, err := knowledge.ReadLibrarySnapshot(r)
	if err != nil {
		return nil, nil, fmt.Errorf("built-in snapshot: %w", err)
	}
	m, err := intents.ReadMatcherSnapshot(r, lib, opts...)
	if err == nil {
		err = r.Done()
	}
	if err != nil {
		return nil, nil, fmt.Errorf("built-in snapshot: %w", err)
	}
	return lib, m, nil
}

// Build makes the snapshot from the built-in sources, as nocbot would
// without one: the library LoadLibrary builds and the matcher NewMatcher
// trains on it.
func Build() ([]byte, error) {
	lib, err := knowledge.LoadLibrary(seeds.FS(), seeds.NOC2021(), seeds.NOC2021Chinese())
	if err != nil {
		return nil, err
	}
	utterances, err := intents.TrainingData()
	if err != nil {
		return nil, err
	}
	m, err := intents.NewMatcher(utterances, lib)
	if err != nil {
		return nil, err
	}
	var w wire.Writer
	lib.AppendSnapshot(&w)
	m.AppendSnapshot(&w)
	return w.Bytes(), nil
}
