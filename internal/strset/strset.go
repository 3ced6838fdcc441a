// Package strset numbers a fixed list of strings and finds a string's
// number: an open-addressing table of int32 slots, built in one pass over
// the list, cheaper to build at start-up than a Go map of the same
// strings and as quick to read.
//
// It knows strings, never what they are words of.
package strset

import "hash/maphash"

// Set finds strings in the list it was built from. It is read-only, so
// safe for concurrent use.
type Set struct {
	strs  []string
	slots []int32 // string number + 1; 0 is an empty slot
	mask  uint64
	seed  maphash.Seed
}

// New numbers strs by their position; a string listed twice keeps its
// first number. The set keeps strs: do not modify it.
func New(strs []string) *Set {
	size := uint64(8)
	for size < uint64(len(strs))*2 {
		size *= 2
	}
	s := &Set{strs: strs, slots: make([]int32, size), mask: size - 1, seed: maphash.MakeSeed()}
	for i, str := range strs {
		j := maphash.String(s.seed, str) & s.mask
		for ; s.slots[j] != 0; j = (j + 1) & s.mask {
			if strs[s.slots[j]-1] == str {
				break
			}
		}
		if s.slots[j] == 0 {
			s.slots[j] = int32(i + 1)
		}
	}
	return s
}

// Find returns the number of str, and whether it is listed.
func (s *Set) Find(str string) (int32, bool) {
	for j := maphash.String(s.seed, str) & s.mask; s.slots[j] != 0; j = (j + 1) & s.mask {
		if id := s.slots[j] - 1; s.strs[id] == str {
			return id, true
		}
	}
	return -1, false
}

// FindBytes is Find for a string held as bytes.
func (s *Set) FindBytes(b []byte) (int32, bool) {
	for j := maphash.Bytes(s.seed, b) & s.mask; s.slots[j] != 0; j = (j + 1) & s.mask {
		if id := s.slots[j] - 1; s.strs[id] == string(b) {
			return id, true
		}
	}
	return -1, false
}

// Len is the number of strings listed.
func (s *Set) Len() int { return len(s.strs) }
