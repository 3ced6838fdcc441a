package wire

import (
	"math"
	"slices"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	var w Writer
	w.Uint(300)
	w.Int(-7)
	w.Bool(true)
	w.Float64(math.Pi)
	w.String("病历技术员")
	w.Strings([]string{"a", "病历技术员", ""})
	w.Int32s([]int32{-1, 0, 1 << 30})
	w.Uint32s([]uint32{math.MaxUint32})
	w.Float32s([]float32{0.5, -2})
	w.Strings(nil)
	r := NewReader(string(w.Bytes()))
	if r.Uint() != 300 || r.Int() != -7 || !r.Bool() || r.Float64() != math.Pi || r.String() != "病历技术员" ||
		!slices.Equal(r.Strings(), []string{"a", "病历技术员", ""}) ||
		!slices.Equal(r.Int32s(), []int32{-1, 0, 1 << 30}) || !slices.Equal(r.Uint32s(), []uint32{math.MaxUint32}) ||
		!slices.Equal(r.Float32s(), []float32{0.5, -2}) || r.Strings() != nil {
		t.Error("read back differs")
	}
	if err := r.Done(); err != nil {
		t.Error(err)
	}
	if r.Uint(); r.Err() == nil {
		t.Error("read past the end: no error")
	}
}

// Any bytes read as a snapshot give values or an error, never a panic.
func FuzzReader(f *testing.F) {
	var w Writer
	w.Strings([]string{"nurse", "护士"})
	w.Int32s([]int32{1, 2})
	f.Add(w.Bytes())
	f.Add([]byte{})
	f.Add([]byte{0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(string(data))
		for range 4 {
			r.Strings()
			r.Int32s()
			r.Float64()
			r.Float32s()
			r.Uint32s()
			r.Len(10)
		}
		_ = r.Done()
	})
}
