package knowledge

import (
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/nocbot/nocbot/seeds"
)

// These tests and benchmarks use the shipped data: every FLYabroad profile,
// all of NOC 2021 and nocbot's Chinese names and aliases.

func shippedLibrary(tb testing.TB) *Library {
	tb.Helper()
	lib, err := LoadLibrary(seeds.FS(), seeds.NOC2021(), seeds.NOC2021Chinese())
	if err != nil {
		tb.Fatal(err)
	}
	return lib
}

func TestShippedLibrary(t *testing.T) {
	lib := shippedLibrary(t)
	n2021 := 0
	for i := range lib.Profiles() {
		p := &lib.Profiles()[i]
		if !p.IsNOC2021() {
			if p.Classification != NOC2011 || len(p.Code) != 4 {
				t.Errorf("%s: classification %q", p.Code, p.Classification)
			}
			continue
		}
		n2021++
		if !p.Title.Has(ZH) || !p.TitleZHProject {
			t.Errorf("%s %s has no Chinese name of nocbot's", p.Code, p.Title.EN)
		}
		if len(p.Hierarchy) != 4 || !p.HasTEER || p.TEER != int(p.Code[1]-'0') {
			t.Errorf("%s: hierarchy %d groups, TEER %d", p.Code, len(p.Hierarchy), p.TEER)
		}
		for _, g := range p.Hierarchy[:2] {
			if !g.Title.Has(ZH) {
				t.Errorf("%s: %s %s has no Chinese name", p.Code, g.Level, g.Code)
			}
		}
		if len(lib.Predecessors(p.Code)) == 0 {
			t.Errorf("%s has no NOC 2016 predecessor", p.Code)
		}
	}
	if n2021 != 516 {
		t.Errorf("%d NOC 2021 profiles, want 516", n2021)
	}
	if p, ok := lib.Counterpart("1252"); !ok || p.Code != "12111" {
		t.Errorf("Counterpart(1252) = %v, %v", p, ok)
	}
	if got := profileCodes(lib.Current("1253")); got != "12111 12112" {
		t.Errorf("Current(1253) = %q", got)
	}
}

// lookupSet is a set of realistic questions: exact titles, typos,
// abbreviations, several words, Chinese, and questions naming no title.
var lookupSet = []string{
	"medical records technician",
	"welder",
	"registered nurse",
	"software developer",
	"health information management",
	"what is the noc code for a helth records technican?",
	"I work as a truck driver, what is my NOC?",
	"sous chef",
	"finacial analyst",
	"elementary school teacher",
	"supervisor",
	"retail store manager",
	"heavy duty equipment mechanic",
	"what does a real estate agent do",
	"病历技师的NOC代码是多少",
	"护士",
	"焊工需要什么学历",
	"会计师",
	"卡车司机的工作内容",
	"软件工程师",
	"how is the weather today",
	"tell me about salary in toronto",
	"code",
	"我想知道技术人员的职责",
}

// BenchmarkLookupShipped runs the queries of lookupSet in turn over all the
// shipped titles and reports the median and 99th percentile of the time
// one query takes, over every query run.
func BenchmarkLookupShipped(b *testing.B) {
	lib := shippedLibrary(b)
	var times []time.Duration
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		lib.LookupTitle(lookupSet[i%len(lookupSet)])
		times = append(times, time.Since(start))
	}
	reportPercentiles(b, times)
}

func reportPercentiles(b *testing.B, times []time.Duration) {
	b.StopTimer()
	if len(times) == 0 {
		return
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(times[len(times)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkLoadLibraryShipped measures building the whole library from
// the embedded files. Besides the wall time it reports the CPU time of the
// process per build (all cores, the garbage collector included), which
// other work on the machine disturbs less.
func BenchmarkLoadLibraryShipped(b *testing.B) {
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		shippedLibrary(b)
	}
	b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkTitleIndexShipped measures building the title index of the
// shipped data, and reports the heap the index keeps (apart from the
// profiles' strings, which it shares).
func BenchmarkTitleIndexShipped(b *testing.B) {
	profiles := shippedLibrary(b).Profiles()
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		NewTitleIndex(profiles)
	}
	b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ix := NewTitleIndex(profiles)
	ix.Lookup("helth records technican") // and its scratch space
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "kept-MiB")
	runtime.KeepAlive(ix)
}
