package knowledge

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
)

// Library is the set of profiles nocbot answers from, held in memory with
// its title index. Profiles are small and change only with a new seed set,
// so every question is answered without touching the database. A Library
// is read-only and safe for concurrent use.
type Library struct {
	profiles []Profile
	byCode   map[string]int
	titles   *TitleIndex
}

// NewLibrary indexes the given profiles.
func NewLibrary(profiles []Profile) *Library {
	l := &Library{
		profiles: append([]Profile(nil), profiles...),
		byCode:   make(map[string]int, len(profiles)),
	}
	sort.Slice(l.profiles, func(i, j int) bool { return l.profiles[i].Code < l.profiles[j].Code })
	for i, p := range l.profiles {
		l.byCode[p.Code] = i
	}
	l.titles = NewTitleIndex(l.profiles)
	return l
}

// Profiles returns every profile, sorted by code. The slice is shared: do
// not modify it.
func (l *Library) Profiles() []Profile { return l.profiles }

// Profile returns the profile of a unit group.
func (l *Library) Profile(code string) (*Profile, bool) {
	i, ok := l.byCode[code]
	if !ok {
		return nil, false
	}
	return &l.profiles[i], true
}

// LookupTitle finds the job titles named in text; see TitleIndex.Lookup.
func (l *Library) LookupTitle(text string) []TitleMatch { return l.titles.Lookup(text) }

// SuggestTitles returns up to n titles sharing distinctive words with
// text; see TitleIndex.Suggest.
func (l *Library) SuggestTitles(text string, n int) []TitleMatch { return l.titles.Suggest(text, n) }

// Load makes sure the store holds the profiles of seedFS (rebuilding it if
// they changed since it was built) and returns them as a Library.
func Load(ctx context.Context, store *Store, seedFS fs.FS) (*Library, error) {
	set, err := LoadSeeds(seedFS)
	if err != nil {
		return nil, fmt.Errorf("load profiles: %w", err)
	}
	if _, err := store.Sync(ctx, set); err != nil {
		return nil, fmt.Errorf("import profiles: %w", err)
	}
	profs, err := store.Profiles(ctx)
	if err != nil {
		return nil, fmt.Errorf("read profiles: %w", err)
	}
	return NewLibrary(profs), nil
}
