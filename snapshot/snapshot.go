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
	"encoding/binary"
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

// Read reads a snapshot Build wrote: the library and the matcher at once,
// on two cores.
func Read(snap string, opts ...intents.Option) (*knowledge.Library, *intents.Matcher, error) {
	n, k := binary.Uvarint([]byte(snap[:min(len(snap), binary.MaxVarintLen64)]))
	if k <= 0 || n > uint64(len(snap)-k) {
		return nil, nil, fmt.Errorf("built-in snapshot: %w", wire.ErrCorrupt)
	}
	libData, matcherData := snap[k:k+int(n)], snap[k+int(n):]
	var (
		lib    *knowledge.Library
		libErr error
		done   = make(chan struct{})
	)
	go func() {
		defer close(done)
		r := wire.NewReader(libData)
		if lib, libErr = knowledge.ReadLibrarySnapshot(r); libErr == nil {
			libErr = r.Done()
		}
	}()
	// The matcher holds the library only to look titles up with later:
	// it is read before the library is there.
	var finder lateFinder
	r := wire.NewReader(matcherData)
	m, err := intents.ReadMatcherSnapshot(r, &finder, opts...)
	if err == nil {
		err = r.Done()
	}
	<-done
	if err == nil {
		err = libErr
	}
	if err != nil {
		return nil, nil, fmt.Errorf("built-in snapshot: %w", err)
	}
	finder.Library = lib
	return lib, m, nil
}

// lateFinder is the library a matcher looks titles up in, set once both
// are read and before either is used.
type lateFinder struct{ *knowledge.Library }

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
	var lw, mw wire.Writer
	lib.AppendSnapshot(&lw)
	m.AppendSnapshot(&mw)
	libData := lw.Bytes()
	out := binary.AppendUvarint(nil, uint64(len(libData)))
	out = append(out, libData...)
	return append(out, mw.Bytes()...), nil
}
