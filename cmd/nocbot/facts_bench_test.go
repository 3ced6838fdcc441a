package main

import (
	"context"
	"runtime"
	"testing"

	"github.com/nocbot/nocbot/knowledge/facts"
)

// BenchmarkFactIndexBuild splits and indexes every shipped profile (the
// 516 NOC 2021 groups and the FLYabroad profiles), as a server that built
// it at start-up would, and reports the heap it keeps. The core builds
// each profile's part on the first question about it instead.
func BenchmarkFactIndexBuild(b *testing.B) {
	lib, store, err := openLibrary(context.Background(), kbFlags{}, env{getenv: func(string) string { return "" }}, false)
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	b.ReportAllocs()
	var kept uint64
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		x, err := facts.New(lib)
		if err != nil {
			b.Fatal(err)
		}
		x.BuildAll()
		runtime.GC()
		runtime.ReadMemStats(&after)
		kept = after.HeapAlloc - before.HeapAlloc
		runtime.KeepAlive(x)
	}
	b.ReportMetric(float64(kept), "heap-B")
}
