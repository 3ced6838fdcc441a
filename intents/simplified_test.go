package intents

import "testing"

func TestNormalizerSimplified(t *testing.T) {
	n, err := NewNormalizer(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{"病歷", "病历"},
		{"註冊護士", "注册护士"},
		{"電銲工", "电焊工"}, // 銲: a variant OpenCC keeps
		{"衞生", "卫生"},
		{"焊工", "焊工"},
		{"nurse 護士", "nurse 护士"},
		{"", ""},
		{"\xff護", "\uFFFD护"}, // invalid UTF-8 comes back valid
	}
	for _, tt := range tests {
		if got := n.Simplified(tt.in); got != tt.want {
			t.Errorf("Simplified(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A question is read in the same Simplified as a search: the variants
// OpenCC keeps are read too.
func TestTokensReadVariants(t *testing.T) {
	n, err := NewNormalizer(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ in, want string }{
		{"銲工需要什麼學歷", "焊工需要什么学历"},
		{"衞生信息", "卫生信息"},
		{"welder", "welder"},
	} {
		if got := n.Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
