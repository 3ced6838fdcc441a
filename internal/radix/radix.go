// Package radix sorts records by a 32-bit key in linear time, and finds a
// key among them in constant time: the typo tables of hundreds of
// thousands of hashed deletions are sorted at every start, where a
// comparison sort was a fifth of the work, and read for every word of
// every question, where bisecting them was a tenth of it.
//
// It knows numbers, never what they are hashes of.
package radix

// Sort orders records by key, keeping the order of records with equal
// keys.
func Sort[T any](records []T, key func(*T) uint32) {
	tmp := make([]T, len(records))
	src, dst := records, tmp
	for shift := 0; shift < 32; shift += 16 {
		var count [1 << 16]int32
		for i := range src {
			count[(key(&src[i])>>shift)&0xffff]++
		}
		sum := int32(0)
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for i := range src {
			d := (key(&src[i]) >> shift) & 0xffff
			dst[count[d]] = src[i]
			count[d]++
		}
		src, dst = dst, src
	}
	// Two passes: the result is back in records.
}

// Index finds the run of records with a key in records sorted by key: it
// keeps where each value of the key's top bits starts, so a search reads
// a bucket of a record or two instead of bisecting them all.
type Index struct {
	start []int32 // by top bits; one more than the buckets
	shift uint
}

// NewIndex indexes records, sorted by key (see Sort), with about one
// bucket per two records.
func NewIndex[T any](records []T, key func(*T) uint32) Index {
	bits := uint(1)
	for bits < 20 && 1<<(bits+1) <= len(records) {
		bits++
	}
	ix := Index{start: make([]int32, 1<<bits+1), shift: 32 - bits}
	b := 0
	for i := range records {
		for top := int(key(&records[i]) >> ix.shift); b <= top; b++ {
			ix.start[b] = int32(i)
		}
	}
	for ; b < len(ix.start); b++ {
		ix.start[b] = int32(len(records))
	}
	return ix
}

// Bucket returns the records [lo, hi) whose keys share key's top bits:
// those with key itself among them, in order.
func (ix Index) Bucket(key uint32) (lo, hi int) {
	if len(ix.start) == 0 {
		return 0, 0
	}
	top := key >> ix.shift
	return int(ix.start[top]), int(ix.start[top+1])
}
