package main

import (
	"testing"

	"github.com/nocbot/nocbot/bot/bottest"
)

// TestShippedFactAnswers asks the shipped profiles the fact and yes/no
// questions people ask (issue examples), in English, Chinese and
// Traditional Chinese, and checks each reply quotes the sentence that
// holds the fact, hedges where the profile hedges, and says plainly what
// the profile does not hold.
func TestShippedFactAnswers(t *testing.T) {
	tests := []struct {
		question    string
		has, hasNot []string
	}{
		{"can I work in a clinic?", []string{"Yes — the profile says:", "employed by hospitals, clinics"}, nil},
		{"do they need a license?", []string{"Not necessarily — the profile says:", "which may be required by employers"}, []string{"Yes —"}},
		{"what is CHIMA?", []string{"Canadian Health Information Management Association"}, nil},
		{"Will I have to prepare statistics in this job?", []string{"Yes — the profile says:", "Prepare medical, social and administrative statistics"}, nil},
		{"Does this job involve classification systems like ICD?", []string{"The profile does not mention “ICD”.", "classification system"}, []string{"Yes —", "11200"}},
		{"do they need a university degree?", []string{"does not say anything about “university” and “degree”"}, []string{"Yes —"}},
		{"可以在诊所工作吗", []string{"是的——档案写道：", "诊所"}, nil},
		{"必须考证吗", []string{"不一定——档案写道：", "认证考试"}, []string{"是的"}},
		{"这个工作要做统计吗", []string{"是的——档案写道：", "准备医疗，社会和行政统计"}, nil},
		{"這個工作要做統計嗎", []string{"是的——檔案寫道：", "準備醫療，社會和行政統計"}, []string{"档案", "统计"}},
		{"這個工作和1253有什麼區別", []string{"衛生信息管理職業（NOC 1252）", "12112"}, []string{"职业"}},
		{"what's the difference between 1252 and 1253?", []string{"Health information management occupations (NOC 2021 12111", "Records management technicians (NOC 2021 12112"}, nil},
		{"all titles", []string{"All 17 titles"}, nil},
		{"全部职称", []string{"全部17个职称"}, nil},
		{"what's NOC?", []string{"National Occupational Classification"}, nil},
		// Asked in the negative: never "yes" of a sentence that says the opposite.
		{"没有文凭可以做吗", []string{"不行——档案写明需要：", "大学文凭课程"}, []string{"是的"}},
		{"不需要大学文凭吗", []string{"不行——档案写明需要："}, []string{"是的"}},
		{"can I do this job without a diploma?", []string{"No — the profile says it is required:", "college diploma"}, []string{"Yes —", "41407"}},
		{"do I not need certification?", []string{"Not necessarily — the profile says:"}, []string{"Yes —"}},
		// A verdict rests on one sentence holding every term.
		{"Do they manage hospitals?", []string{"The profile says:", "employed by hospitals"}, []string{"Yes —"}},
		{"Do they code cancer?", []string{"The profile says:", "cancer registrar"}, []string{"Yes —"}},
		// A name no sentence holds, asked in Chinese.
		{"ICD是什麼", []string{"職業檔案沒有提到“ICD”。"}, []string{"收集，代碼"}},
		// A section word alone.
		{"quals?", []string{"Employment requirements — "}, []string{"not something"}},
		{"升职?", []string{"晋升与发展 — "}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			code, out, stderr := runCmd(t, "", noEnv(t), "ask", tt.question)
			if code != 0 {
				t.Fatalf("ask %q: exit %d: %s", tt.question, code, stderr)
			}
			bottest.CheckText(t, out, tt.has, tt.hasNot)
		})
	}
}
