package bot

import (
	"testing"

	"github.com/nocbot/nocbot/knowledge"
)

// The out-of-scope topics named in the reply: the profile does not hold
// them, and the reply says which one it cannot answer.
func TestOutOfScopeTopic(t *testing.T) {
	tests := []struct {
		normalized string
		lang       knowledge.Lang
		want       string
	}{
		{"how much do they earn", knowledge.EN, "salary and pay"},
		{"what is the hourly rate", knowledge.EN, "salary and pay"},
		{"工资多少", knowledge.ZH, "薪资待遇"},
		{"can i get pr with this job", knowledge.EN, "immigration"},
		{"how many crs points", knowledge.EN, "immigration"},
		{"这个职业能移民吗", knowledge.ZH, "移民"},
		{"is it a good career", knowledge.EN, "job outlook and openings"},
		{"is this job worth it", knowledge.EN, "job outlook and openings"},
		{"is there demand in vancouver", knowledge.EN, "job outlook and openings"},
		{"这个职业有前途吗", knowledge.ZH, "就业前景和招聘"},
		{"值不值得做", knowledge.ZH, "就业前景和招聘"},
		{"are there jobs in toronto", knowledge.EN, "job outlook and openings"},
		{"what hours do they work", knowledge.EN, "working hours and conditions"},
		{"can i do this job from home", knowledge.EN, "working hours and conditions"},
		{"需要加班吗", knowledge.ZH, "工作时间和工作条件"},
		// Words that only look like a topic.
		{"what do they prepare", knowledge.EN, ""}, // "pr" inside a word
		{"what will i learn", knowledge.EN, ""},    // "earn" inside a word
		{"tell me a joke", knowledge.EN, ""},
		{"", knowledge.EN, ""},
	}
	for _, tt := range tests {
		if got := outOfScopeTopic(t, tt.lang, tt.normalized); got != tt.want {
			t.Errorf("outOfScopeTopic(%q) = %q, want %q", tt.normalized, got, tt.want)
		}
	}
}
