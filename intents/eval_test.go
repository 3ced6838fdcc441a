package intents

import (
	"os"
	"testing"

	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/seeds"
)

func seedLibrary(t testing.TB) *knowledge.Library {
	t.Helper()
	set, err := knowledge.LoadSeeds(seeds.FS())
	if err != nil {
		t.Fatal(err)
	}
	return knowledge.NewLibrary(set.Profiles)
}

func newMatcher(t testing.TB) *Matcher {
	t.Helper()
	data, err := TrainingData()
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMatcher(data, seedLibrary(t))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func readEval(t testing.TB) []Case {
	t.Helper()
	f, err := os.Open("testdata/eval.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := ReadCases(f)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

func TestEvaluationSet(t *testing.T) {
	m := newMatcher(t)
	cases := readEval(t)
	r := Evaluate(m, cases)
	if testing.Verbose() {
		r.WriteTo(os.Stdout)
	}
	t.Logf("accuracy %.3f en %.3f zh %.3f", r.Accuracy(), r.LangAccuracy(knowledge.EN), r.LangAccuracy(knowledge.ZH))
}
