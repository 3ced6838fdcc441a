package discord

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/knowledge"
)

// Finder suggests the occupations a user may mean by what they are
// typing (bot.Finder does), from memory: autocomplete cannot wait.
type Finder interface {
	Find(query string, lang knowledge.Lang) []bot.Suggestion
	Named(text string, lang knowledge.Lang) []bot.Suggestion
}

// Discord's limits on an autocomplete answer.
const (
	maxChoices    = 25
	maxChoiceName = 100 // characters of a choice's name
	maxChoiceVal  = 100 // characters of a string choice's value
)

// onAutocomplete answers an autocomplete interaction (type 4) with up to
// 25 occupations for what the user has typed so far (callback type 8).
// Discord gives it 3 seconds from the interaction's creation and no
// deferral, so the choices come from memory, outside the conversation's
// queue; one that arrives too late is not answered at all.
func (b *Bot) onAutocomplete(i *discordgo.Interaction, created, now time.Time) {
	if age := now.Sub(created); age >= answerWindow {
		b.log.Warn("autocomplete arrived after Discord's 3 seconds: not answered", "age", age.Round(time.Millisecond))
		return
	}
	data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
	if !ok || i.ID == "" || i.Token == "" {
		return
	}
	b.mu.Lock()
	if b.stopping {
		b.mu.Unlock()
		return
	}
	b.wg.Add(1)
	b.mu.Unlock()
	go func() {
		defer b.wg.Done()
		ctx, cancel := context.WithDeadline(b.work, created.Add(answerWindow))
		defer cancel()
		resp := &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: b.choices(data, string(i.Locale))}}
		err := b.rest.get().InteractionRespond(i, resp, discordgo.WithContext(ctx))
		if err != nil {
			b.log.Warn("autocomplete not answered", "err", b.redactor.Error(err), "expired", errors.Is(err, context.DeadlineExceeded))
			return
		}
		b.log.Debug("discord autocomplete answered", "choices", len(resp.Data.Choices), "took", time.Since(created))
	}()
}

// choices are the suggestions for the focused option of a command: the
// occupations its text names, localised to the user's Discord locale (or
// the script typed), each a choice whose value is the code; for /ask, the
// question itself pinned to each occupation it may name.
func (b *Bot) choices(data discordgo.ApplicationCommandInteractionData, locale string) []*discordgo.ApplicationCommandOptionChoice {
	out := []*discordgo.ApplicationCommandOptionChoice{}
	var focused *discordgo.ApplicationCommandInteractionDataOption
	for _, o := range data.Options {
		if o != nil && o.Focused {
			focused = o
		}
	}
	if focused == nil || b.cfg.Finder == nil || !autocompleted(data.Name, focused.Name) {
		return out
	}
	typed, _ := focused.Value.(string)
	typed = strings.Join(strings.Fields(strings.ToValidUTF8(typed, "")), " ")
	lang := bot.SearchLang(typed, locale)
	var found []bot.Suggestion
	if data.Name == askCommand.Name {
		found = b.cfg.Finder.Named(typed, lang) // a question, not a name being typed
	} else {
		found = b.cfg.Finder.Find(typed, lang)
	}
	for _, s := range found[:min(len(found), maxChoices)] {
		c := &discordgo.ApplicationCommandOptionChoice{Name: s.Label(maxChoiceName), Value: s.Code}
		if data.Name == askCommand.Name {
			// The question as typed, made about this occupation; a
			// question too long for a choice is sent as typed instead.
			q := typed + " (NOC " + s.Code + ")"
			if utf8.RuneCountInString(q) > maxChoiceVal {
				continue
			}
			c.Name = bot.Clip(q+" — "+s.Title, maxChoiceName)
			c.Value = q
		}
		out = append(out, c)
	}
	return out
}
