// Package wire is the compact binary form nocbot's build-time snapshots
// are written in: unsigned varints, little-endian 32-bit numbers and
// strings kept once each in a table at the end, so a reader slices them
// out of the embedded data instead of copying them.
//
// It knows bytes and numbers, never what the snapshot holds.
package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Writer builds a snapshot. The zero value is ready to use.
type Writer struct {
	body  []byte
	table []byte
	at    map[string]uint64 // string -> offset in table
}

// Uint appends an unsigned number.
func (w *Writer) Uint(v uint64) { w.body = binary.AppendUvarint(w.body, v) }

// Int appends a signed number.
func (w *Writer) Int(v int64) { w.body = binary.AppendVarint(w.body, v) }

// Bool appends a flag.
func (w *Writer) Bool(b bool) {
	if b {
		w.Uint(1)
	} else {
		w.Uint(0)
	}
}

// Float64 appends a number exactly.
func (w *Writer) Float64(f float64) {
	w.body = binary.LittleEndian.AppendUint64(w.body, math.Float64bits(f))
}

// String appends a string; a string written before is stored once.
func (w *Writer) String(s string) {
	if w.at == nil {
		w.at = map[string]uint64{}
	}
	off, ok := w.at[s]
	if !ok {
		off = uint64(len(w.table))
		w.table = append(w.table, s...)
		w.at[s] = off
	}
	w.Uint(off)
	w.Uint(uint64(len(s)))
}

// Strings appends a list of strings.
func (w *Writer) Strings(ss []string) {
	w.Uint(uint64(len(ss)))
	for _, s := range ss {
		w.String(s)
	}
}

// Int32s appends a list of 32-bit numbers.
func (w *Writer) Int32s(v []int32) { write32(w, v, func(x int32) uint32 { return uint32(x) }) }

// Uint32s appends a list of 32-bit numbers.
func (w *Writer) Uint32s(v []uint32) { write32(w, v, func(x uint32) uint32 { return x }) }

// Float32s appends a list of 32-bit floats exactly.
func (w *Writer) Float32s(v []float32) { write32(w, v, math.Float32bits) }

func write32[T any](w *Writer, v []T, conv func(T) uint32) {
	w.Uint(uint64(len(v)))
	for _, x := range v {
		w.body = binary.LittleEndian.AppendUint32(w.body, conv(x))
	}
}

// Bytes returns the snapshot: the length of the body, the body, then the
// string table.
func (w *Writer) Bytes() []byte {
	out := binary.AppendUvarint(nil, uint64(len(w.body)))
	out = append(out, w.body...)
	return append(out, w.table...)
}

// ErrCorrupt is the error of a reader given data no Writer wrote.
var ErrCorrupt = errors.New("corrupt snapshot")

// Reader reads a snapshot in the order it was written. The first problem
// sticks: every later read returns zero values, and Err says what it was.
type Reader struct {
	body  string
	table string
	err   error
}

// NewReader reads data as Writer.Bytes wrote it. Strings read are
// substrings of data.
func NewReader(data string) *Reader {
	n, k := binary.Uvarint([]byte(data[:min(len(data), binary.MaxVarintLen64)]))
	if k <= 0 || n > uint64(len(data)-k) {
		return &Reader{err: ErrCorrupt}
	}
	return &Reader{body: data[k : k+int(n)], table: data[k+int(n):]}
}

// Err is the first problem met, or nil.
func (r *Reader) Err() error { return r.err }

// Done fails unless the whole body was read.
func (r *Reader) Done() error {
	if r.err == nil && len(r.body) != 0 {
		r.err = fmt.Errorf("%w: %d bytes left over", ErrCorrupt, len(r.body))
	}
	return r.err
}

func (r *Reader) fail() { r.err, r.body = ErrCorrupt, "" }

// Uint reads an unsigned number.
func (r *Reader) Uint() uint64 {
	var v uint64
	var s uint
	for i := 0; i < len(r.body) && i < binary.MaxVarintLen64; i++ {
		b := r.body[i]
		if b < 0x80 {
			r.body = r.body[i+1:]
			return v | uint64(b)<<s
		}
		v |= uint64(b&0x7f) << s
		s += 7
	}
	r.fail()
	return 0
}

// Int reads a signed number.
func (r *Reader) Int() int64 {
	u := r.Uint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

// Len reads a count of at most limit items.
func (r *Reader) Len(limit int) int {
	n := r.Uint()
	if n > uint64(limit) {
		r.fail()
		return 0
	}
	return int(n)
}

// Bool reads a flag.
func (r *Reader) Bool() bool { return r.Uint() != 0 }

func (r *Reader) fixed(n int) string {
	if len(r.body) < n {
		r.fail()
		return ""
	}
	s := r.body[:n]
	r.body = r.body[n:]
	return s
}

func le32(s string) uint32 {
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// Float64 reads a number.
func (r *Reader) Float64() float64 {
	s := r.fixed(8)
	if s == "" {
		return 0
	}
	return math.Float64frombits(uint64(le32(s[:4])) | uint64(le32(s[4:]))<<32)
}

// String reads a string, a substring of the data.
func (r *Reader) String() string {
	off, n := r.Uint(), r.Uint()
	if off > uint64(len(r.table)) || n > uint64(len(r.table))-off {
		r.fail()
		return ""
	}
	return r.table[off : off+n]
}

// Strings reads a list of strings; nil for none.
func (r *Reader) Strings() []string {
	n := r.Len(len(r.body))
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.String()
	}
	return out
}

// Int32s reads a list of 32-bit numbers; nil for none.
func (r *Reader) Int32s() []int32 { return read32(r, func(u uint32) int32 { return int32(u) }) }

// Uint32s reads a list of 32-bit numbers; nil for none.
func (r *Reader) Uint32s() []uint32 { return read32(r, func(u uint32) uint32 { return u }) }

// Float32s reads a list of 32-bit floats; nil for none.
func (r *Reader) Float32s() []float32 { return read32(r, math.Float32frombits) }

func read32[T any](r *Reader, conv func(uint32) T) []T {
	n := r.Len(len(r.body) / 4)
	s := r.fixed(4 * n)
	if n == 0 || s == "" {
		return nil
	}
	out := make([]T, n)
	for i := range out {
		out[i] = conv(le32(s[4*i:]))
	}
	return out
}
