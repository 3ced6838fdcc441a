package intents

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nocbot/nocbot/knowledge"
)

// syntheticLibrary indexes syntheticProfiles.
func syntheticLibrary(tb testing.TB, n int) *knowledge.Library {
	tb.Helper()
	return knowledge.NewLibrary(syntheticProfiles(tb, n))
}

// syntheticProfiles are the shipped profiles plus n made-up ones shaped
// like NOC unit groups: a name and about 35 titles each, words drawn with
// a skewed frequency from a vocabulary of 3,000 English words and 1,000
// Chinese characters, so common words ("worker", "health") sit in many
// titles as they do in the real classification.
func syntheticProfiles(tb testing.TB, n int) []knowledge.Profile {
	tb.Helper()
	rng := rand.New(rand.NewPCG(500, 2011))
	word := func() string {
		// Squaring a uniform draw skews it toward the first words.
		i := int(3000 * rng.Float64() * rng.Float64())
		return fmt.Sprintf("w%dx", i)
	}
	han := func() string {
		var b strings.Builder
		for range 2 + rng.IntN(4) {
			b.WriteRune(rune(0x4e00 + int(1000*rng.Float64()*rng.Float64())))
		}
		return b.String()
	}
	title := func() knowledge.Text {
		words := make([]string, 1+rng.IntN(3))
		for i := range words {
			words[i] = word()
		}
		return knowledge.Text{EN: strings.Join(words, " "), ZH: han()}
	}
	profiles := append([]knowledge.Profile(nil), seedLibrary(tb).Profiles()...)
	for i := range n {
		p := knowledge.Profile{Code: fmt.Sprintf("%04d", 2000+i), Title: title(),
			Lead: knowledge.Text{EN: "lead", ZH: "简介"}, Source: "https://example.org"}
		for range 5 {
			p.ExampleTitles = append(p.ExampleTitles, title())
		}
		for range 30 {
			p.AllTitles = append(p.AllTitles, title())
		}
		profiles = append(profiles, p)
	}
	return profiles
}

// With 500 profiles, as many as NOC 2011 has unit groups: start-up
// (library and matcher) and classification.
func BenchmarkManyProfiles(b *testing.B) {
	data, err := TrainingData()
	if err != nil {
		b.Fatal(err)
	}
	profiles := syntheticProfiles(b, 500)
	b.Run("library", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			knowledge.NewLibrary(profiles)
		}
	})
	lib := knowledge.NewLibrary(profiles)
	b.Run("matcher", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := NewMatcher(data, lib); err != nil {
				b.Fatal(err)
			}
		}
	})
	m, err := NewMatcher(data, lib)
	if err != nil {
		b.Fatal(err)
	}
	qs := evalQuestions(b)
	b.Run("classify", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			m.Classify(qs[i%len(qs)])
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "questions/s")
	})
}

// The shipped profiles answer as before when 500 others are beside them.
func TestManyProfilesKeepAnswers(t *testing.T) {
	data, err := TrainingData()
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMatcher(data, syntheticLibrary(t, 500))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		q      string
		intent Intent
		noc    string
	}{
		{"what is the noc code for a medical records technician", Lookup, "1252"},
		{"病历技师的NOC代码是多少？", Lookup, "1252"},
		{"需要什么学历？", Requirements, ""},
		{"how much do they earn", OutOfScope, ""},
	} {
		if r := m.Classify(tt.q); r.Intent != tt.intent || r.NOC != tt.noc {
			t.Errorf("Classify(%q) = %s %q, want %s %q", tt.q, r.Intent, r.NOC, tt.intent, tt.noc)
		}
	}
}
