package radix

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSort(t *testing.T) {
	type rec struct{ key, pos uint32 }
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 1000} {
		recs := make([]rec, n)
		for i := range recs {
			// Few distinct keys, spread over both halves: equal keys
			// must keep their order.
			recs[i] = rec{key: rng.Uint32N(50) * 0x01010101, pos: uint32(i)}
		}
		Sort(recs, func(r *rec) uint32 { return r.key })
		if !slices.IsSortedFunc(recs, func(a, b rec) int {
			if a.key != b.key {
				return int(int64(a.key) - int64(b.key))
			}
			return int(a.pos) - int(b.pos)
		}) {
			t.Errorf("%d records: not sorted by key, then position", n)
		}
	}
}
