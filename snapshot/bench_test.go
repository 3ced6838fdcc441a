package snapshot

import "testing"

// Start-up of every command on the built-in sources: the library and
// matcher from the snapshot (compare intents' BenchmarkShipped, which
// builds them from the files).
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}
