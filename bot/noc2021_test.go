package bot

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/seeds"
)

// nocTrained is the FLYabroad 1252 profile beside the NOC 2021 fixture set
// (ten unit groups, with 12111, 12112, 72106 and 31301, their
// correspondence and Chinese names).
type trained struct {
	lib *knowledge.Library
	m   *intents.Matcher
}

var nocTrained = sync.OnceValues(func() (trained, error) {
	seed, err := fs.ReadFile(seeds.FS(), "000_cf489acd30f463c5.txt")
	if err != nil {
		return trained{}, err
	}
	noc := os.DirFS("../knowledge/testdata/noc2021")
	lib, err := knowledge.LoadLibrary(fstest.MapFS{"1252.txt": {Data: seed}}, noc, noc)
	if err != nil {
		return trained{}, err
	}
	data, err := intents.TrainingData()
	if err != nil {
		return trained{}, err
	}
	m, err := intents.NewMatcher(data, lib)
	return trained{lib, m}, err
})

func nocFixture() (*knowledge.Library, *intents.Matcher, error) {
	tr, err := nocTrained()
	return tr.lib, tr.m, err
}

func nocCore(t *testing.T, home string) *Core {
	t.Helper()
	lib, m, err := nocFixture()
	if err != nil {
		t.Fatal(err)
	}
	return New(lib, m, Config{Home: home})
}

// Which profile answers, in which classification, by the language asked.
func TestDecideNOC2021(t *testing.T) {
	lib, _, err := nocFixture()
	if err != nil {
		t.Fatal(err)
	}
	c := nocCore(t, "1252")
	after12111 := session{Lang: en, Profile: "12111", LastIntent: intents.Requirements}
	tests := []struct {
		name        string
		home        string
		sess        session
		text        string
		wantKind    planKind
		wantProfile string // the profile the reply answers from
		wantAsked   string
		wantSession string // the profile the session remembers
		wantTEER    string
	}{
		{"English about the home occupation: NOC 2021", "1252", session{}, "what education do I need?", planSections, "12111", "", "12111", ""},
		{"Chinese about the home occupation: the bilingual NOC 2011 text", "1252", session{}, "需要什么学历？", planSections, "1252", "", "12111", ""},
		{"a NOC 2021 code in Chinese: its bilingual counterpart", "1252", session{}, "/noc 12111", planSections, "12111", "", "12111", ""},
		{"an old code with no profile: the group that continues it", "1252", session{}, "/noc 1253", planSections, "12112", "1253", "12112", ""},
		{"the old code of the home occupation in English", "1252", session{}, "/noc 1252", planSections, "12111", "", "12111", ""},
		{"a language switch answers from the other text", "1252", after12111, "用中文回答", planSections, "1252", "", "12111", ""},
		{"naming another occupation switches to it", "1252", after12111, "what does a welder do?", planSections, "72106", "", "72106", ""},
		{"TEER of a named occupation", "1252", session{}, "what's the TEER of a welder?", planTEER, "72106", "", "72106", ""},
		{"TEER of the occupation in context", "1252", after12111, "TEER是几", planTEER, "1252", "", "12111", ""},
		{"what an old code became", "1252", session{}, "is 1253 still valid?", planTEER, "12112", "1253", "12112", ""},
		{"what a TEER category means", "1252", session{}, "what does TEER 2 mean", planTEER, "12111", "", "", "2"},
		{"a code no classification knows is not guessed", "1252", session{}, "duties of NOC 99999", planUnknownCode, "", "", "", ""},
		{"no home: asks which occupation", "", session{}, "what are the duties?", planChoose, "", "", "", ""},
		{"a short code is a group, not an old code", "1252", session{}, "/noc 12", planUnknownCode, "", "", "", ""},
		{"a command with a title instead of a code", "1252", session{}, "/duties welder", planSections, "72106", "", "72106", ""},
		{"a command with words that name nothing: the occupation discussed", "1252", session{}, "/duties please", planSections, "12111", "", "12111", ""},
		{"a command with words that name nothing and no occupation", "", session{}, "/duties zorblax", planNoSuchTitle, "", "", "", ""},
		{"after a TEER answer, a bare code asks its TEER", "1252", session{Lang: en, Profile: "72106", LastIntent: intents.Teer}, "what about 1253?", planTEER, "12112", "1253", "12112", ""},
		{"a language switch after a TEER answer says it again", "1252", session{Lang: en, Profile: "72106", LastIntent: intents.Teer}, "用中文回答", planTEER, "72106", "", "72106", ""},
		{"no home, a named occupation is answered", "", session{}, "what education does a registered nurse need?", planSections, "31301", "", "31301", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := Message{Platform: "test", Chat: "c", User: "u", Text: tt.text}
			p := decide(lib, tt.sess, c.read(msg), tt.home)
			category := ""
			if p.AboutCategory {
				category = fmt.Sprint(p.Category)
			}
			if p.Kind != tt.wantKind || p.Profile != tt.wantProfile || p.Asked != tt.wantAsked || category != tt.wantTEER {
				t.Errorf("got kind %d profile %q asked %q category %q, want kind %d profile %q asked %q category %q",
					p.Kind, p.Profile, p.Asked, category, tt.wantKind, tt.wantProfile, tt.wantAsked, tt.wantTEER)
			}
			if p.Session.Profile != tt.wantSession && tt.wantSession != "" {
				t.Errorf("session remembers %q, want %q", p.Session.Profile, tt.wantSession)
			}
		})
	}
}

// What a user reads: the classification, the attribution, Chinese framing
// of English-only text, role sub-headings, what an old code became.
func TestNOC2021Replies(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
		dontWant   []string
	}{
		{"English from NOC 2021, attributed", "what education do I need?",
			[]string{"Employment requirements — Health information management occupations (NOC 2021 12111, TEER 2)", "Source: Statistics Canada, National Occupational Classification (NOC) 2021 Version 1.0."},
			[]string{"FLYabroad", "文凭"}},
		{"Chinese from NOC 2011, with the current code", "需要什么学历？",
			[]string{"以下是 NOC 2011 职业档案 1252；在现行的 NOC 2021 中，它是 12111（TEER 2）。", "文凭", "来源：FLYabroad"},
			[]string{"Statistics Canada"}},
		{"Chinese framing of English-only text, role headings kept", "焊工需要什么学历",
			[]string{"官方文本只有英文", "任职要求 — 焊工及相关机器操作员（NOC 2021 72106，TEER 2）", "来源：加拿大统计局"},
			nil},
		{"an old code", "/noc 1253",
			[]string{"became 12111 Health information management occupations and 12112 Records management technicians", "“1253 continues as 12112 and part transferred to 12111”", "Records management technicians (NOC 2021 12112, TEER 2)"},
			nil},
		{"an old code in Chinese names its successors in Chinese", "1253在NOC 2021里是什么",
			[]string{"对应 12111 卫生信息管理职业和12112 文件记录管理技术员"}, []string{"Records management technicians、"}},
		{"TEER in Chinese", "护士的TEER是多少",
			[]string{"NOC 2021 代码：31301。TEER 1：通常需要大学学位。"}, nil},
		{"source names Statistics Canada and the project's Chinese names", "/source 72106",
			[]string{"Adapted from Statistics Canada", "does not constitute an endorsement", "nocbot's own translations"}, nil},
		{"related: exclusions and the minor group", "/related 12111",
			[]string{"Classified elsewhere", "Other occupations in the same minor group, 1211"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := nocCore(t, "1252")
			r := c.Handle(context.Background(), Message{Platform: "test", Chat: "c", User: "u", Text: tt.text})
			text := replyText(r)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("reply lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tt.dontWant {
				if strings.Contains(text, w) {
					t.Errorf("reply has %q:\n%s", w, text)
				}
			}
			for _, b := range r.Buttons {
				if len(b.Data) > MaxButtonData {
					t.Errorf("button data %q over %d bytes", b.Data, MaxButtonData)
				}
			}
		})
	}
}

func replyText(r Reply) string {
	var b strings.Builder
	for _, bl := range r.Blocks {
		b.WriteString(bl.Text + "\n")
		for _, it := range bl.Items {
			b.WriteString("• " + it + "\n")
		}
	}
	return b.String()
}
