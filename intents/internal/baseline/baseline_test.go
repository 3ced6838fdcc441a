package baseline

import "testing"

func TestTrainAndPredict(t *testing.T) {
	texts := []string{"what is the salary", "how much do they earn", "hourly wage",
		"what are the duties", "main tasks", "what do they do every day",
		"工资多少", "收入怎么样", "主要职责", "每天做什么"}
	labels := []string{"pay", "pay", "pay", "duties", "duties", "duties", "pay", "pay", "duties", "duties"}
	m, err := Train(texts, labels)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ q, want string }{
		{"salary", "pay"},
		{"their duties", "duties"},
		{"工资", "pay"},
		{"职责", "duties"},
	} {
		if got, p := m.Predict(tt.q); got != tt.want || p <= 0.5 {
			t.Errorf("Predict(%q) = %s %.2f, want %s above 0.5", tt.q, got, p, tt.want)
		}
	}
	// Deterministic: the same data gives the same probabilities.
	again, _ := Train(texts, labels)
	for _, q := range []string{"", "x", "薪水", "what tasks"} {
		l1, p1 := m.Predict(q)
		l2, p2 := again.Predict(q)
		if l1 != l2 || p1 != p2 {
			t.Errorf("Predict(%q): %s %v then %s %v", q, l1, p1, l2, p2)
		}
	}
}

func TestTrainRejectsBadInput(t *testing.T) {
	if _, err := Train(nil, nil); err == nil {
		t.Error("Train(nil) succeeded")
	}
	if _, err := Train([]string{"a"}, []string{"x", "y"}); err == nil {
		t.Error("Train with more labels than texts succeeded")
	}
}

func TestGramCounts(t *testing.T) {
	got := gramCounts("ab")
	for _, g := range []string{"a", "b", " a", "ab", "b ", " ab", "ab ", " ab "} {
		if got[g] != 1 {
			t.Errorf("gram %q counted %d, want 1", g, got[g])
		}
	}
	if _, ok := got[" "]; ok {
		t.Error("the padding alone counted as a gram")
	}
	if len(gramCounts("病历")) != 8 {
		t.Errorf("gramCounts(病历) = %v, want 8 grams", gramCounts("病历"))
	}
}
