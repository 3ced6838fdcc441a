package main

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

// checkAppendJSON fails unless appendJSON writes what json.Marshal does.
func checkAppendJSON(t *testing.T, c classification) {
	t.Helper()
	want, wantErr := json.Marshal(c)
	got, err := c.appendJSON([]byte("prefix"))
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("appendJSON(%#v): error %v, json.Marshal's %v", c, err, wantErr)
	}
	if err == nil && string(got) != "prefix"+string(want) {
		t.Fatalf("appendJSON(%#v)\n = %s\nwant prefix%s", c, got, want)
	}
}

func TestAppendJSONAsMarshal(t *testing.T) {
	for _, c := range []classification{
		{intents.Lookup, knowledge.EN, "12111", "1252", 0.9951, nil, ""},
		{intents.OutOfScope, knowledge.ZH, "", "", 1, nil, ""},
		{intents.Duties, knowledge.EN, "", "", 0, nil, ""},
		{intents.Duties, knowledge.EN, "", "", math.Copysign(0, -1), nil, ""},
		{"<script>&</script>", "\"quoted\" \\back\\", "\x00\x01\b\f\n\r\t\x1f\x7f", "", 0.5, nil, ""},
		{"\xff\xfe invalid", "\xe4\xb8", "\xed\xa0\x80 surrogate", "a\u2028b\u2029c", 0.12345, nil, ""},
		{"需要什么学历", "ｅｎ", "👍🏽", "\ufffd", 1e-7, nil, ""},
		{"", "", "", "", 1e-6, nil, ""},
		{"", "", "", "", 123456789e20, nil, ""},
		{"", "", "", "", 1e21, nil, ""},
		{"", "", "", "", -2.5e-10, nil, ""},
		{"", "", "", "", 5e-324, nil, ""},
		{"", "", "", "", math.MaxFloat64, nil, ""},
		{"", "", "", "", math.NaN(), nil, ""},
		{"", "", "", "", math.Inf(1), nil, ""},
	} {
		checkAppendJSON(t, c)
	}
}

func FuzzAppendJSON(f *testing.F) {
	f.Add("lookup", "en", "12111", "1252", 0.9951)
	f.Add("<&>", "\u2028", "\xff", "\x00\x1f\"\\", 1e-9)
	f.Add("", "", "", "", 1e300)
	f.Fuzz(func(t *testing.T, intent, lang, noc, noc2011 string, conf float64) {
		checkAppendJSON(t, classification{intents.Intent(intent), knowledge.Lang(lang), noc, noc2011, conf, []intents.Intent{intents.Intent(noc)}, intents.Topic(lang)})
	})
}

func BenchmarkAppendJSON(b *testing.B) {
	c := classification{intents.Lookup, knowledge.EN, "12111", "1252", 0.9951, nil, ""}
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		buf, _ = c.appendJSON(buf[:0])
	}
}
