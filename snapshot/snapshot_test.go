package snapshot

import (
	"bytes"
	"flag"
	"os"
	"reflect"
	"testing"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/seeds"
)

var update = flag.Bool("update", false, "write "+File+" from the sources")

// The embedded snapshot is what the sources and the code give today: a
// change to a seed file, the training data, the parsers, the index or the
// training that was not followed by `go generate ./snapshot` fails here.
func TestSnapshotIsCurrent(t *testing.T) {
	fresh, err := Build()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(File, fresh, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(fresh, []byte(data)) {
		t.Fatalf("%s is out of date with its sources (%d bytes embedded, %d built): run go generate ./snapshot", File, len(data), len(fresh))
	}
}

// The snapshot gives the library and matcher the sources give: the same
// profiles and groups, the same titles found and suggested, the same
// reading of every question of the evaluation set, its parts and its
// typos.
func TestSnapshotAnswersAsBuilt(t *testing.T) {
	lib, m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	builtLib, err := knowledge.LoadLibrary(seeds.FS(), seeds.NOC2021(), seeds.NOC2021Chinese())
	if err != nil {
		t.Fatal(err)
	}
	utterances, err := intents.TrainingData()
	if err != nil {
		t.Fatal(err)
	}
	built, err := intents.NewMatcher(utterances, builtLib)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(lib.Profiles(), builtLib.Profiles()) {
		t.Error("profiles differ")
	}
	for _, code := range []string{"1", "12", "121", "1211", "12111", "1252", "99999"} {
		g1, ok1 := lib.Group(code)
		g2, ok2 := builtLib.Group(code)
		if g1 != g2 || ok1 != ok2 || !reflect.DeepEqual(lib.Members(code), builtLib.Members(code)) ||
			!reflect.DeepEqual(lib.Successors(code), builtLib.Successors(code)) ||
			!reflect.DeepEqual(lib.Predecessors(code), builtLib.Predecessors(code)) {
			t.Errorf("group %s differs", code)
		}
	}
	f, err := os.Open("../intents/testdata/eval.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := intents.ReadCases(f)
	if err != nil {
		t.Fatal(err)
	}
	questions := []string{"", "helth records tecnician", "medical coder", "编码员", "病歷技師"}
	for _, c := range cases {
		questions = append(questions, c.Question)
	}
	for _, q := range questions {
		if got, want := m.Classify(q), built.Classify(q); !reflect.DeepEqual(got, want) {
			t.Errorf("Classify(%q) = %+v from the snapshot, %+v built", q, got, want)
		}
		if got, want := lib.SuggestTitles(q, 5), builtLib.SuggestTitles(q, 5); !reflect.DeepEqual(got, want) {
			t.Errorf("SuggestTitles(%q) differ", q)
		}
	}
}

// A damaged snapshot is an error, never a panic.
func TestReadDamaged(t *testing.T) {
	for _, n := range []int{0, 1, 100, len(data) / 3, len(data) / 2, len(data) - 1} {
		if _, _, err := Read(data[:n]); err == nil {
			t.Errorf("Read(first %d bytes) = no error", n)
		}
	}
}
