package facts

import (
	"os"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/nocbot/nocbot/knowledge"
)

// fixtureLibrary is the FLYabroad 1252 profile (a frozen copy) beside the
// NOC 2021 fixture set of ten unit groups.
var fixtureLibrary = sync.OnceValues(func() (*knowledge.Library, error) {
	noc := os.DirFS("../testdata/noc2021")
	return knowledge.LoadLibrary(os.DirFS("testdata/flyabroad"), noc, noc)
})

func fixtureIndex(t testing.TB) *Index {
	t.Helper()
	lib, err := fixtureLibrary()
	if err != nil {
		t.Fatal(err)
	}
	x, err := New(lib)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// normalizeForTest stands in for the classifier's normaliser: lower case,
// words and Chinese runs, punctuation dropped.
func normalizeForTest(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r))
	}), " ")
}
