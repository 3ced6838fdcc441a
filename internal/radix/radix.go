// Package radix sorts records by a 32-bit key in linear time: the typo
// tables of hundreds of thousands of hashed deletions are sorted at every
// start, where a comparison sort was a fifth of the work.
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
