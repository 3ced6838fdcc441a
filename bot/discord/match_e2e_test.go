package discord

import (
	"strings"
	"testing"

	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/discord/discordtest"
)

// TestE2EMatch describes a job with the /match slash command: the answer
// names the fixture's unit group whose duties match, the person's phrase
// beside the group's duty sentence, and the rule that duties decide.
func TestE2EMatch(t *testing.T) {
	t.Parallel()
	h := startBot(t, setup{})
	f := h.f
	i := f.SlashInteraction(discordtest.InteractionOpts{User: "1400", Channel: "1400000000000000000", Locale: "en-US", Guild: true},
		"match", [2]string{"duties", "I classify and code diagnoses from patient health records; I abstract clinical data for reports"})
	f.Dispatch(t, "INTERACTION_CREATE", i)
	var parts []string
	for _, r := range f.WaitRequests(1, discordtest.IsAnswer(i)) {
		parts = append(parts, r.Msg().Content)
	}
	bottest.CheckText(t, strings.Join(parts, "\n"), []string{
		`12111 Health information management occupations \(TEER 2\)`,
		"Classify and code diseases according to an established classification system",
		"Choose by duties, not by job title", "This is not immigration advice."}, nil)
	t.Cleanup(func() {
		if v := f.Violations(); len(v) > 0 {
			t.Errorf("the fake refused what Discord would: %v", v)
		}
	})
}
