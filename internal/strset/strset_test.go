package strset

import "testing"

func TestFind(t *testing.T) {
	s := New([]string{"health", "records", "", "技术", "health", "records technician"})
	for _, tt := range []struct {
		in string
		id int32
		ok bool
	}{
		{"health", 0, true},
		{"records", 1, true},
		{"", 2, true},
		{"技术", 3, true},
		{"records technician", 5, true},
		{"record", -1, false},
		{"Health", -1, false},
	} {
		if id, ok := s.Find(tt.in); id != tt.id || ok != tt.ok {
			t.Errorf("Find(%q) = %d, %v, want %d, %v", tt.in, id, ok, tt.id, tt.ok)
		}
		if id, ok := s.FindBytes([]byte(tt.in)); id != tt.id || ok != tt.ok {
			t.Errorf("FindBytes(%q) = %d, %v, want %d, %v", tt.in, id, ok, tt.id, tt.ok)
		}
	}
	if empty := New(nil); empty.Len() != 0 {
		t.Error("New(nil) is not empty")
	} else if _, ok := empty.Find("x"); ok {
		t.Error("found a string in an empty set")
	}
}
