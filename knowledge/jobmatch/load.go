package jobmatch

import (
	"fmt"
	"io/fs"
	"sync"

	"github.com/nocbot/nocbot/knowledge"
)

// LoadTerms reads nocbot's duty word lists (TermsFiles) from the root of
// fsys (seeds.NOC2021Chinese() holds them).
func LoadTerms(fsys fs.FS) ([]Term, error) {
	var out []Term
	for _, name := range TermsFiles() {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("load duty words: %w", err)
		}
		parse := ParseTerms
		if name == EverydayFile || name == EverydayFileZH {
			parse = ParseEveryday
		}
		terms, err := parse(name, data)
		if err != nil {
			return nil, fmt.Errorf("load duty words: %w", err)
		}
		out = append(out, terms...)
	}
	return out, nil
}

// Lazy is an Index built the first time it is used: most conversations
// never match a description, and start-up stays fast. It is safe for
// concurrent use.
type Lazy struct {
	once  sync.Once
	build func() *Index
	x     *Index
}

// NewLazy returns an Index of profiles and terms that is built on first
// use.
func NewLazy(profiles []knowledge.Profile, terms []Term, opts ...Option) *Lazy {
	return &Lazy{build: func() *Index { return New(profiles, terms, opts...) }}
}

// Index returns the index, building it if it is not built yet.
func (l *Lazy) Index() *Index {
	l.once.Do(func() { l.x = l.build() })
	return l.x
}

// Match is Index().Match.
func (l *Lazy) Match(description string, k int) Result { return l.Index().Match(description, k) }
