package discord
import ("testing";"time";"strings";"github.com/nocbot/nocbot/bot")
func TestDbg(t *testing.T){
	for _, n := range []int{1000, 2000, 4000} {
		s := strings.Repeat("https://x.org/a ", n)
		st := time.Now()
		bot.Split(strings.ReplaceAll(s, " ", ""), 2000, bot.RuneLen)
		t.Log(n, "urls, one line:", time.Since(st))
	}
}
