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

func TestIndex(t *testing.T) {
	type rec struct{ key uint32 }
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 3, 1000, 5000} {
		recs := make([]rec, n)
		for i := range recs {
			recs[i] = rec{rng.Uint32()}
			if i%3 == 1 {
				recs[i] = recs[i-1] // repeated keys
			}
		}
		if n > 2 {
			recs[0].key, recs[1].key = 0, 0xffffffff // the extremes
		}
		Sort(recs, func(r *rec) uint32 { return r.key })
		ix := NewIndex(recs, func(r *rec) uint32 { return r.key })
		probes := []uint32{0, 1, 0xffffffff, 0x80000000}
		for range 200 {
			probes = append(probes, rng.Uint32())
		}
		for _, r := range recs {
			probes = append(probes, r.key)
		}
		for _, k := range probes {
			lo, hi := ix.Bucket(k)
			var got, want []int
			for i := lo; i < hi; i++ {
				if recs[i].key == k {
					got = append(got, i)
				}
			}
			for i, r := range recs {
				if r.key == k {
					want = append(want, i)
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%d records: Bucket(%#x) holds %v of the key, want %v", n, k, got, want)
			}
		}
	}
	if lo, hi := (Index{}).Bucket(7); lo != hi {
		t.Errorf("the zero Index has records: [%d, %d)", lo, hi)
	}
}
