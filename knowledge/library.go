package knowledge

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/nocbot/nocbot/knowledge/noc2021"
)

// Library is the set of profiles nocbot answers from, held in memory with
// its title index: the FLYabroad NOC 2011 profiles (4-digit codes) and,
// when built by LoadLibrary, the 516 NOC 2021 unit groups (5-digit codes)
// with the classification above them and the correspondence between the
// two. Profiles are small and change only with a new seed set, so every
// question is answered without touching the database. A Library is
// read-only and safe for concurrent use.
type Library struct {
	profiles []Profile
	byCode   map[string]int
	titles   *TitleIndex
	noc      *noc2021.Classification // nil: no NOC 2021 in this library
	zh       *ChineseNames
}

// Link is one record of the official NOC 2016 → NOC 2021 correspondence
// (NOC 2011 shares NOC 2016's codes): codes, titles, the types of change
// and the publisher's note ("1253 continues as 12112 and part transferred
// to 12111").
type Link = noc2021.Link

// NewLibrary indexes the given profiles. A profile that does not say which
// classification it is from is a FLYabroad NOC 2011 profile: that is what
// Parse and the store give, as neither records provenance.
func NewLibrary(profiles []Profile) *Library {
	return newLibrary(profiles, nil, nil)
}

func newLibrary(profiles []Profile, c *noc2021.Classification, zh *ChineseNames) *Library {
	l := &Library{
		profiles: append([]Profile(nil), profiles...),
		byCode:   make(map[string]int, len(profiles)),
		noc:      c,
		zh:       zh,
	}
	for i := range l.profiles {
		if l.profiles[i].Classification == "" {
			markFLYabroad(&l.profiles[i])
		}
	}
	sort.Slice(l.profiles, func(i, j int) bool { return l.profiles[i].Code < l.profiles[j].Code })
	for i, p := range l.profiles {
		l.byCode[p.Code] = i
	}
	l.titles = NewTitleIndex(l.profiles)
	return l
}

// markFLYabroad records where a FLYabroad profile comes from.
func markFLYabroad(p *Profile) {
	p.Classification = NOC2011
	p.Provider = ProviderFLYabroad
}

// LoadLibrary builds the whole library from the shipped files, without a
// database: the FLYabroad profiles at the root of flyabroad (*.txt), the
// official NOC 2021 files at the root of noc (see noc2021.Load), and
// nocbot's Chinese names and aliases at the root of zh (NamesFile,
// AliasesFile). Any broken file fails the whole load with file:line.
func LoadLibrary(flyabroad, noc, zh fs.FS) (*Library, error) {
	set, err := LoadSeeds(flyabroad)
	if err != nil {
		return nil, fmt.Errorf("load FLYabroad profiles: %w", err)
	}
	c, err := noc2021.Load(noc)
	if err != nil {
		return nil, fmt.Errorf("load NOC 2021: %w", err)
	}
	names, err := LoadChineseNames(zh, c)
	if err != nil {
		return nil, fmt.Errorf("load Chinese names: %w", err)
	}
	profiles := make([]Profile, 0, len(set.Profiles)+len(c.UnitGroups))
	for _, p := range set.Profiles {
		if len(p.Code) != 4 {
			return nil, fmt.Errorf("load FLYabroad profiles: %s: code %s is not a 4-digit NOC 2011 unit group", p.File, p.Code)
		}
		profiles = append(profiles, p)
	}
	for _, u := range c.UnitGroups {
		profiles = append(profiles, FromNOC2021(u, c, names))
	}
	return newLibrary(profiles, c, names), nil
}

// Profiles returns every profile, sorted by code. The slice is shared: do
// not modify it.
func (l *Library) Profiles() []Profile { return l.profiles }

// Profile returns the profile of a unit group: a 4-digit code is a
// FLYabroad NOC 2011 profile, a 5-digit code a NOC 2021 one.
func (l *Library) Profile(code string) (*Profile, bool) {
	i, ok := l.byCode[code]
	if !ok {
		return nil, false
	}
	return &l.profiles[i], true
}

// Group returns the NOC 2021 group with this code at any level (1 to 5
// digits), with its official English title and definition and nocbot's
// Chinese name where it has one. A 4-digit code here is a NOC 2021 minor
// group, never a NOC 2011 unit group.
func (l *Library) Group(code string) (Group, bool) {
	if l.noc == nil {
		return Group{}, false
	}
	g, ok := l.noc.Group(code)
	if !ok {
		return Group{}, false
	}
	return groupOf(g, l.zh), true
}

// Members returns the NOC 2021 unit group profiles inside a NOC 2021 group
// (a minor group's members, say), in code order; none for a unit group or
// an unknown code.
func (l *Library) Members(code string) []*Profile {
	if l.noc == nil {
		return nil
	}
	var out []*Profile
	for _, u := range l.noc.UnitGroupsUnder(code) {
		if p, ok := l.Profile(u.Code); ok {
			out = append(out, p)
		}
	}
	return out
}

// Neighbours returns the other unit groups of a NOC 2021 unit group's minor
// group: the occupations closest to it.
func (l *Library) Neighbours(code string) []*Profile {
	if len(code) != 5 {
		return nil
	}
	var out []*Profile
	for _, p := range l.Members(code[:4]) {
		if p.Code != code {
			out = append(out, p)
		}
	}
	return out
}

// Successors returns where a NOC 2011/2016 unit group went in NOC 2021, in
// the correspondence's order: one link for 1252 (→ 12111), two for 1253
// (→ 12111 and 12112, with the note "1253 continues as 12112 and part
// transferred to 12111").
func (l *Library) Successors(code string) []Link {
	if l.noc == nil {
		return nil
	}
	return l.noc.Successors(code)
}

// Predecessors returns the NOC 2011/2016 unit groups a NOC 2021 unit group
// comes from: 12111 from 1252 and part of 1253.
func (l *Library) Predecessors(code string) []Link {
	if l.noc == nil {
		return nil
	}
	return l.noc.Predecessors(code)
}

// Current returns the NOC 2021 profiles for any unit group code: the
// profile itself for a 5-digit code, the NOC 2021 successors of a 4-digit
// NOC 2011/2016 code (1253 → 12111, 12112, in code order), none for a code
// NOC 2021 does not know.
func (l *Library) Current(code string) []*Profile {
	code = strings.TrimSpace(code)
	if len(code) == 5 {
		if p, ok := l.Profile(code); ok && p.IsNOC2021() {
			return []*Profile{p}
		}
		return nil
	}
	var out []*Profile
	for _, link := range l.Successors(code) {
		if p, ok := l.Profile(link.NOC2021Code); ok && !containsProfile(out, p) {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// Counterpart returns the profile of the same occupation in the other
// classification, when the library holds it: a NOC 2011/2016 group that
// went whole into one NOC 2021 group (FLYabroad 1252 → 12111) and that
// group are each other's counterpart, even when the NOC 2021 group also
// took part of another one (12111 took part of 1253). A group split in
// several (1253) has none: see Successors.
func (l *Library) Counterpart(code string) (*Profile, bool) {
	switch len(code) {
	case 4:
		if links := l.Successors(code); len(links) == 1 {
			return l.Profile(links[0].NOC2021Code)
		}
	case 5:
		var whole []string
		for _, link := range l.Predecessors(code) {
			if len(l.Successors(link.NOC2016Code)) == 1 {
				whole = append(whole, link.NOC2016Code)
			}
		}
		if len(whole) == 1 {
			return l.Profile(whole[0])
		}
	}
	return nil, false
}

func containsProfile(ps []*Profile, p *Profile) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
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
