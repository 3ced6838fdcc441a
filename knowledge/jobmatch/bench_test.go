package jobmatch

import (
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/seeds"
)

// description1000 is a job description of about 1,000 characters, the
// way a posting lists duties.
const description1000 = `Health records coder at a 400-bed hospital. I review discharge summaries, operative reports and consultation notes for every inpatient chart.
I assign ICD-10-CA diagnosis codes and CCI intervention codes, following the national coding standards.
I abstract clinical and demographic data into the Discharge Abstract Database and correct the edits it reports.
I query physicians when the documentation is unclear or incomplete.
I check charts for completeness before they are closed, and file loose reports.
I release information to patients, insurers and lawyers when the request is authorised, following privacy legislation.
I help the health information manager with chart audits and the monthly coding statistics, and I train new coders on the abstracting software.
I keep the electronic health record index up to date and merge duplicate patient records.
I answer questions from clinic staff about missing documentation, record retention and release.`

// BenchmarkMatch1000 matches a 1,000-character description against all
// 516 unit groups (the shipped data), on one goroutine.
func BenchmarkMatch1000(b *testing.B) {
	x, _ := shippedIndex(b)
	if n := len(description1000); n < 950 || n > 1100 {
		b.Fatalf("description is %d bytes", n)
	}
	b.ReportAllocs()
	took := make([]time.Duration, 0, 1024)
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		r := x.Match(description1000, 5)
		took = append(took, time.Since(start))
		if len(r.Matches) == 0 {
			b.Fatal("no match")
		}
	}
	// Each call's own time, for the median and the tail the mean hides.
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkMatchChinese matches a Chinese description.
func BenchmarkMatchChinese(b *testing.B) {
	x, _ := shippedIndex(b)
	desc := strings.Repeat("我在医院病案室工作，给出院病历编码，摘录临床数据，检查病历是否完整，", 6)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		x.Match(desc, 5)
	}
}

// BenchmarkBuild builds the index of all 516 unit groups with nocbot's
// duty word lists, from a library already loaded.
func BenchmarkBuild(b *testing.B) {
	lib, err := knowledge.LoadLibrary(seeds.FS(), seeds.NOC2021(), seeds.NOC2021Chinese())
	if err != nil {
		b.Fatal(err)
	}
	terms, err := LoadTerms(seeds.NOC2021Chinese())
	if err != nil {
		b.Fatal(err)
	}
	// What a built index keeps alive on the heap, measured once.
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	kept := New(lib.Profiles(), terms)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(kept)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		New(lib.Profiles(), terms)
	}
	b.ReportMetric((float64(after.HeapAlloc)-float64(before.HeapAlloc))/(1<<20), "index-MB")
}
