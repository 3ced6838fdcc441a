package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/plain"
	"github.com/nocbot/nocbot/intents"
)

// runCmd runs nocbot in process with the given stdin and environment.
func runCmd(t *testing.T, stdin string, environ map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(k string) string { return environ[k] },
		lookupEnv: func(k string) (string, bool) { v, ok := environ[k]; return v, ok }}
	code = run(context.Background(), args, e)
	return code, out.String(), errb.String()
}

// noEnv keeps tests away from the user's real data directory.
func noEnv(t *testing.T) map[string]string {
	return map[string]string{"HOME": t.TempDir()}
}

// twoProfiles is a seeds directory with the fixture set (bottest) and the
// 1253 test fixture.
func twoProfiles(t *testing.T) string {
	t.Helper()
	dir := bottest.FixtureDir(t)
	fixture, err := os.ReadFile("../../knowledge/testdata/fixture/1253_test_fixture.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "001_1253.txt"), fixture, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestClassifyContract(t *testing.T) {
	lines := []string{
		"需要什么学历？",
		"",
		"   ",
		strings.Repeat("salary ", 150000), // ~1 MB
		"what are the duties\r",
		"invalid \xff\xfe utf-8",
		"control \x00\x01\x1b[31m chars",
		"<b>markup</b> & 'quotes' \"; DROP TABLE profiles; --",
		"what is the noc code for medical records technician",
		"病歷技師的NOC代碼是多少",
		"health records clerk noc code",
		"what's the noc code for a software engineer",
		"how much does a medical records technician earn",
		"what are the duties and the salary?",
	}
	input := strings.Join(lines, "\n") // the last line has no newline
	code, out, stderr := runCmd(t, input, noEnv(t), "classify")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	outLines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(outLines) != len(lines) {
		t.Fatalf("%d input lines gave %d output lines", len(lines), len(outLines))
	}
	wantKeys := `{"intent":`
	for i, l := range outLines {
		if !strings.HasPrefix(l, wantKeys) {
			t.Errorf("line %d: %s does not start with %s", i+1, l, wantKeys)
		}
		var got struct {
			Intent     intents.Intent
			Lang       string
			NOC        *string
			NOC2011    string `json:"noc_2011"`
			Confidence *float64
			Also       []intents.Intent
			Topic      intents.Topic
		}
		dec := json.NewDecoder(strings.NewReader(l))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("line %d: %q: %v", i+1, l, err)
		}
		if !got.Intent.Valid() || (got.Lang != "en" && got.Lang != "zh") || got.NOC == nil || got.Confidence == nil || *got.Confidence < 0 || *got.Confidence > 1 {
			t.Errorf("line %d: invalid %s", i+1, l)
		}
	}
	// The NOC 2021 code, and the NOC 2011 one where the occupation came
	// whole from one.
	wantNOC := map[int][2]string{8: {"12111", "1252"}, 9: {"12111", "1252"}, 10: {"14100", "1411"}, 11: {"21231", ""}, 12: {"", ""}}
	for i, want := range wantNOC {
		var got classification
		json.Unmarshal([]byte(outLines[i]), &got)
		if got.NOC != want[0] || got.NOC2011 != want[1] || (i <= 11 && got.Intent != intents.Lookup) {
			t.Errorf("%q: got %s, want noc %q noc_2011 %q", lines[i], outLines[i], want[0], want[1])
		}
	}
	// Every part of a compound, in order, and the topic no profile covers.
	var last classification
	json.Unmarshal([]byte(outLines[len(outLines)-1]), &last)
	if last.Intent != intents.Duties || len(last.Also) != 1 || last.Also[0] != intents.OutOfScope {
		t.Errorf("%q -> %s, want duties, also out_of_scope", lines[len(lines)-1], outLines[len(outLines)-1])
	}
	var pay classification
	json.Unmarshal([]byte(outLines[len(outLines)-2]), &pay)
	if pay.Intent != intents.OutOfScope || pay.Topic != intents.TopicPay {
		t.Errorf("%q -> %s, want out_of_scope with the topic pay", lines[len(lines)-2], outLines[len(outLines)-2])
	}
	var first classification
	json.Unmarshal([]byte(outLines[0]), &first)
	if first.Intent != intents.Requirements || first.Lang != "zh" {
		t.Errorf("需要什么学历？ -> %s", outLines[0])
	}
}

func TestClassifyEmptyInput(t *testing.T) {
	code, out, _ := runCmd(t, "", noEnv(t), "classify")
	if code != 0 || out != "" {
		t.Errorf("empty stdin: exit %d, output %q; want 0 and nothing", code, out)
	}
}

func TestAsk(t *testing.T) {
	seedsDir := twoProfiles(t)
	tests := []struct {
		name     string
		args     []string
		want     []string
		dontWant []string
	}{
		{"education in Chinese", []string{"ask", "需要什么学历？"},
			[]string{"两年的健康信息管理或健康记录技术大学文凭课程", "NOC 1252"}, []string{"diploma"}},
		{"education in English: NOC 2021", []string{"ask", "what education do I need?"},
			[]string{"two-year college diploma program", "NOC 2021 12111, TEER 2", "Source: Statistics Canada"}, []string{"文凭"}},
		{"question as several words", []string{"ask", "how", "do", "I", "get", "promoted"},
			[]string{"Progression to supervisory positions"}, nil},
		{"salary is out of scope", []string{"ask", "how much do they earn?"},
			[]string{"does not cover salary"}, []string{"diploma", "Classify and code", "hospitals", "Progression", "medical records technician"}},
		{"immigration is out of scope, in Chinese", []string{"ask", "这个职业移民加分吗"},
			[]string{"移民"}, []string{"文凭", "医院", "晋升为"}},
		{"a title of any occupation", []string{"ask", "what is the noc code for a software engineer"},
			[]string{"21231", "Software engineers and designers"}, nil},
		{"unknown title", []string{"ask", "what is the noc code for a zorblax wrangler"},
			[]string{"lists that job title"}, []string{"is a job title in NOC"}},
		{"an old code answers from the group that continues it", []string{"ask", "/noc 1253"},
			[]string{"1253 continues as 12112 and part transferred to 12111", "Records management technicians (NOC 2021 12112"}, nil},
		{"Chinese framing of an English-only profile", []string{"ask", "焊工需要什么学历"},
			[]string{"任职要求", "NOC 2021 72106", "官方文本只有英文", "来源：加拿大统计局"}, nil},
		{"other profile by title with --seeds", []string{"ask", "--seeds", seedsDir, "what are the duties of a records management technician"},
			[]string{"Records management technicians (NOC 2021 12112"}, []string{"Classify and code diseases"}},
		{"no home occupation: asks which", []string{"ask", "--seeds", seedsDir, "--home-none", "what are the duties"},
			[]string{"Which occupation do you mean?", "1252", "1253", "job title"}, []string{"Classify and code diseases", "Legislators"}},
		{"code picks the profile with --seeds", []string{"ask", "what are the duties of 1253", "--seeds", seedsDir},
			[]string{"Keep and retrieve records"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			environ, args := noEnv(t), tt.args
			if i := slices.Index(args, "--home-none"); i >= 0 {
				environ["NOCBOT_HOME"] = "none"
				args = slices.Delete(slices.Clone(args), i, i+1)
			}
			code, out, stderr := runCmd(t, "", environ, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			bottest.CheckText(t, out, tt.want, tt.dontWant)
		})
	}
}

func TestUtterances(t *testing.T) {
	code, out, _ := runCmd(t, "", nil, "utterances")
	data, err := intents.TrainingData()
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v", code, err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(data) {
		t.Fatalf("%d lines, want %d", len(lines), len(data))
	}
	for i, l := range lines {
		f := strings.Split(l, "\t")
		if len(f) != 3 || !intents.Intent(f[0]).Valid() || (f[1] != "en" && f[1] != "zh") || f[2] == "" {
			t.Fatalf("line %d: %q is not intent<TAB>lang<TAB>text", i+1, l)
		}
	}
}

func TestEval(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "eval.tsv")
	os.WriteFile(file, []byte("# comment\nrequirements\tzh\t需要什么学历\nout_of_scope\ten\twhat is the weather\nduties\ten\twhat are the duties\n"), 0o600)
	code, out, stderr := runCmd(t, "", noEnv(t), "eval", "--seeds", bottest.FixtureDir(t), file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, w := range []string{"accuracy 1.000 (3/3)", "accuracy[en] 1.000 (2/2)", "accuracy[zh] 1.000 (1/1)", "confusion"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	bad := filepath.Join(dir, "bad.tsv")
	os.WriteFile(bad, []byte("nonsense\ten\tx\n"), 0o600)
	if code, _, stderr := runCmd(t, "", noEnv(t), "eval", bad); code != 1 || !strings.Contains(stderr, "unknown intent") {
		t.Errorf("bad eval file: exit %d, %q", code, stderr)
	}
}

func TestProfile(t *testing.T) {
	fixture := bottest.FixtureDir(t)
	code, out, stderr := runCmd(t, "", noEnv(t), "profile", "--seeds", fixture, "1252", "--lang", "zh")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, w := range []string{"卫生信息管理职业（NOC 1252）", "主要职责", "根据建立的分类系统对疾病进行分类和编码", "任职要求", "附加信息", "其他分类", "健康记录员 — NOC 1411 一般办公室支援工人", "全部职称", "病历技师（medical records technician）", "http://www5.hrsdc.gc.ca/NOC/English/NOC/2011/Profile.aspx?val=1&val1=1252"} {
		if !strings.Contains(out, w) {
			t.Errorf("profile lacks %q", w)
		}
	}
	if code, _, stderr := runCmd(t, "", noEnv(t), "profile", "--seeds", fixture, "9999"); code != 1 || !strings.Contains(stderr, "no profile for NOC") {
		t.Errorf("unknown code: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCmd(t, "", noEnv(t), "profile", "--seeds", fixture, "1252", "--lang", "fr"); code != 2 || !strings.Contains(stderr, "--lang must be en or zh") {
		t.Errorf("bad lang: exit %d, %q", code, stderr)
	}
}

func TestImport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "kb", "nocbot.db")
	seedsDir := twoProfiles(t)
	code, out, stderr := runCmd(t, "", noEnv(t), "import", "--db", db, "--seeds", seedsDir)
	if code != 0 || !strings.Contains(out, "imported 2 profiles (1252, 1253)") {
		t.Fatalf("exit %d: %s %s", code, out, stderr)
	}
	// The database named by NOCBOT_DB serves later commands.
	code, out, _ = runCmd(t, "", map[string]string{"NOCBOT_DB": db}, "profile", "1253", "--seeds", seedsDir)
	if code != 0 || !strings.Contains(out, "Records management technicians") {
		t.Errorf("profile from imported db: exit %d\n%s", code, out)
	}

	corrupt := filepath.Join(dir, "corrupt.db")
	os.WriteFile(corrupt, bytes.Repeat([]byte("garbage!"), 1000), 0o600)
	broken := t.TempDir()
	os.WriteFile(filepath.Join(broken, "x.txt"), []byte("## 1252 卫 Broken - FLYabroad NOC\n"), 0o600)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"corrupt database", []string{"import", "--db", corrupt}, "corrupt or not an SQLite file"},
		{"broken seed", []string{"import", "--db", db, "--seeds", broken}, "x.txt:"},
		{"missing seeds dir", []string{"import", "--db", db, "--seeds", filepath.Join(dir, "nope")}, "seeds directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, "", noEnv(t), tt.args...)
			if code != 1 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, stderr, tt.want)
			}
		})
	}
}

func TestChatThroughPipe(t *testing.T) {
	input := "hi\n需要什么学历\n1\nin English please\nhow much do they earn\n/titles\ntell me more\n/quit\nnever read\n"
	env := noEnv(t)
	code, out, stderr := runCmd(t, input, env, "chat", "--seeds", bottest.FixtureDir(t))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	steps := []string{
		"Hello!",         // /start greeting
		"任职要求",           // education in Chinese
		"» 晋升发展",         // button 1 picked by digit
		"随着经验积累",         // advancement answered in Chinese
		"Advancement",    // "in English please" repeats the last answer in English
		"does not cover", // out of scope, in English
		"Example titles",
		"All 17 titles",
	}
	rest := out
	for _, s := range steps {
		i := strings.Index(rest, s)
		if i < 0 {
			t.Fatalf("transcript lacks %q after the previous step:\n%s", s, out)
		}
		rest = rest[i+len(s):]
	}
	if strings.Contains(out, "never read") || !utf8.ValidString(out) {
		t.Error("chat went on after /quit or wrote invalid UTF-8")
	}
}

func TestUsage(t *testing.T) {
	if code, _, stderr := runCmd(t, "", nil, "frobnicate"); code != 2 || !strings.Contains(stderr, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCmd(t, "", nil); code != 2 || !strings.Contains(stderr, "classify") {
		t.Errorf("no command: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCmd(t, "", map[string]string{"HOME": t.TempDir(), "NOCBOT_HOME": "99999"}, "ask", "duties?"); code != 2 || !strings.Contains(stderr, "NOCBOT_HOME") {
		t.Errorf("unknown home occupation: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCmd(t, "", nil, "ask"); code != 2 || !strings.Contains(stderr, "missing QUESTION") {
		t.Errorf("ask without question: exit %d, %q", code, stderr)
	}
}

func TestStatsAfterChat(t *testing.T) {
	db := filepath.Join(t.TempDir(), "nocbot.db")
	environ := map[string]string{"NOCBOT_DB": db, "HOME": t.TempDir()}
	if code, _, stderr := runCmd(t, "what is the salary\nWhat is the salary\n需要什么学历\nwhat education does a nurse need\n", environ, "chat", "--seeds", bottest.FixtureDir(t)); code != 0 {
		t.Fatalf("chat: exit %d: %s", code, stderr)
	}
	code, out, stderr := runCmd(t, "", environ, "stats")
	if code != 0 {
		t.Fatalf("stats: exit %d: %s", code, stderr)
	}
	// The greeting chat sends on its own is not a question: 4 are
	// counted. Every NOC 2021 occupation has a profile: the nurse question is
	// answered (from 31301), and only the salary questions are not.
	for _, w := range []string{"questions in the last 30 days: 4 from 1 user\n", "unanswered: 2 (50.0%)", "out of scope: 2 (50.0%)", "requirements", "2  what is the salary"} {
		if !strings.Contains(out, w) {
			t.Errorf("stats lacks %q:\n%s", w, out)
		}
	}
	raw, _ := os.ReadFile(db)
	if bytes.Contains(raw, []byte("terminal\x00")) {
		t.Error("the user id is stored in clear")
	}
}

// BenchmarkAskPath is the work of `nocbot ask` once the process is up:
// classify, answer, render as plain text. It reports the median and 99th
// percentile per question besides the mean.
func BenchmarkAskPath(b *testing.B) {
	benchmarkAsk(b, "", []string{"需要什么学历？", "what are the duties", "how much do they earn?", "what is the noc code for health records clerks"})
}

// BenchmarkAskPathFacts is the ask path for questions about a specific
// fact, yes/no and not: held by the profile, hedged, held by no sentence,
// in English, Chinese and Traditional Chinese, about the home occupation
// `nocbot ask` answers about.
func BenchmarkAskPathFacts(b *testing.B) {
	benchmarkAsk(b, defaultHome, []string{"can I work in a clinic?", "do they need a license?", "这个工作要做统计吗", "what is CHIMA?",
		"do they need a university degree?", "這個工作要做統計嗎", "Will I have to prepare statistics in this job?", "必须考证吗"})
}

func benchmarkAsk(b *testing.B, home string, questions []string) {
	ctx := context.Background()
	base, err := openKB(ctx, kbFlags{}, env{getenv: func(string) string { return "" }}, false)
	if err != nil {
		b.Fatal(err)
	}
	defer base.Close()
	core := bot.New(base.lib, base.matcher, bot.Config{Home: home})
	for _, q := range questions { // first questions load what is loaded lazily
		core.Handle(ctx, bot.Message{Platform: "cli", Chat: "ask", User: "ask", Text: q})
	}
	took := make([]time.Duration, 0, 1<<16)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		r := core.Handle(ctx, bot.Message{Platform: "cli", Chat: "ask", User: "ask", Text: questions[i%len(questions)]})
		if plain.Render(r) == "" {
			b.Fatal("empty reply")
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	if len(took) > 0 {
		b.ReportMetric(float64(took[len(took)/2].Nanoseconds()), "p50-ns")
		b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds()), "p99-ns")
	}
}

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o600) }

// TestShippedLookups checks the shipped data as shipped: common
// occupations, asked in English and Chinese, resolve to their NOC 2021
// unit group (testdata/lookups_noc2021.tsv).
func TestShippedLookups(t *testing.T) {
	data, err := os.ReadFile("testdata/lookups_noc2021.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var questions, want []string
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		q, code, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		questions, want = append(questions, q), append(want, code)
	}
	code, out, stderr := runCmd(t, strings.Join(questions, "\n"), noEnv(t), "classify")
	if code != 0 {
		t.Fatalf("classify: exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(questions) {
		t.Fatalf("%d questions gave %d lines", len(questions), len(lines))
	}
	for i, l := range lines {
		var got classification
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatal(err)
		}
		if got.NOC != want[i] {
			t.Errorf("%q: got %s, want noc %s", questions[i], l, want[i])
		}
	}
}
