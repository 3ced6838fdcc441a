//go:build race

package knowledge

// raceEnabled: the race detector drops sync.Pool entries at random and
// instruments allocations, so allocation counts mean nothing under it.
const raceEnabled = true
