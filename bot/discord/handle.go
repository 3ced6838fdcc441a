package discord

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/nocbot/nocbot/bot"
)

// noMentions lets a message ping nobody: no @everyone, @here, user or role,
// and no ping of the author of the message replied to. Every message the
// bot sends carries it.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// onInteraction handles slash commands and button presses.
func (b *Bot) onInteraction(_ *discordgo.Session, ev *discordgo.InteractionCreate) {
	now := time.Now()
	if ev == nil || ev.Interaction == nil {
		return
	}
	i := ev.Interaction
	if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		b.onAutocomplete(i, createdAt(i.ID, now), now)
		return
	}
	msg, ephemeral, ok := interactionMessage(i)
	if !ok {
		return
	}
	created := createdAt(i.ID, now)
	if age := now.Sub(created); age >= answerWindow {
		// Replayed after a reconnect, too late: Discord refuses any answer
		// now, and the user has seen "the application did not respond".
		b.log.Warn("interaction arrived after Discord's 3 seconds: not answered", "age", age.Round(time.Millisecond))
		b.events.SendFailed(platform, errors.New("interaction expired before it arrived"))
		return
	}
	b.spawn(msg, func(ctx context.Context, replies <-chan bot.Reply) {
		b.answerInteraction(ctx, i, replies, ephemeral, created)
	})
}

// answerWindow is the time Discord gives an interaction's first answer,
// from the interaction's creation.
const answerWindow = 3 * time.Second

// createdAt is when Discord created the interaction, which its snowflake
// id holds: the answer's 3 seconds run from then, not from when it
// reached nocbot (later, when it is replayed after a reconnect). A time
// after now (clocks a little apart) or an unreadable id gives now.
func createdAt(id string, now time.Time) time.Time {
	t, err := discordgo.SnowflakeTimestamp(id)
	if err != nil || t.After(now) {
		return now
	}
	return t
}

// interactionMessage is what an interaction says to the core, and whether
// its answer is for the user's eyes only.
func interactionMessage(i *discordgo.Interaction) (msg bot.Message, ephemeral, ok bool) {
	user := i.User
	if i.Member != nil && i.Member.User != nil {
		user = i.Member.User
	}
	if user == nil || i.ID == "" || i.Token == "" {
		return msg, false, false
	}
	msg = bot.Message{Platform: platform, Chat: i.ChannelID, User: user.ID, UserLang: string(i.Locale), ID: i.ID}
	if msg.Chat == "" {
		msg.Chat = "user:" + user.ID
	}
	switch d := i.Data.(type) {
	case discordgo.ApplicationCommandInteractionData:
		if i.Type != discordgo.InteractionApplicationCommand ||
			(d.CommandType != 0 && d.CommandType != discordgo.ChatApplicationCommand) {
			return msg, false, false
		}
		msg.Text = commandText(d)
		return msg, ephemeralCommand(d.Name), true
	case discordgo.MessageComponentInteractionData:
		if i.Type != discordgo.InteractionMessageComponent || d.ComponentType != discordgo.ButtonComponent || d.CustomID == "" {
			return msg, false, false
		}
		msg.Button = d.CustomID
		// A button on an ephemeral answer is answered the same way.
		ephemeral = i.Message != nil && i.Message.Flags&discordgo.MessageFlagsEphemeral != 0
		return msg, ephemeral, true
	}
	return msg, false, false
}

// answerInteraction answers within Discord's 3 seconds: with the reply if
// the handler has it before DeferAfter (counted from the interaction's
// creation), else with a deferral that is then edited into the reply.
// Parts after the first are follow-ups; the buttons go on the last one.
// Button presses are answered the same way, with a new message.
func (b *Bot) answerInteraction(ctx context.Context, i *discordgo.Interaction, replies <-chan bot.Reply, ephemeral bool, created time.Time) {
	rest := b.rest.get()
	var reply bot.Reply
	deferred := false
	timer := time.NewTimer(time.Until(created.Add(b.cfg.DeferAfter)))
	select {
	case reply = <-replies:
		timer.Stop()
	case <-timer.C:
		deferred = true
		resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Flags: flags(ephemeral)}}
		if err := b.call(ctx, func(o []discordgo.RequestOption) error { return rest.InteractionRespond(i, resp, o...) }); err != nil {
			b.sendFailed(err, "defer interaction", 1)
			return
		}
		select {
		case reply = <-replies:
		case <-ctx.Done():
			b.sendFailed(ctx.Err(), "interaction reply", 1)
			return
		}
	}
	if reply.Failed && !deferred {
		ephemeral = true // an apology is for the user only
	}
	out := render(reply)
	for k, part := range out.parts {
		comps := []discordgo.MessageComponent{}
		if k == len(out.parts)-1 && out.components != nil {
			comps = out.components
		}
		var call func(o []discordgo.RequestOption) error
		switch {
		case k == 0 && !deferred:
			resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: part, Components: comps, Flags: flags(ephemeral), AllowedMentions: noMentions()}}
			call = func(o []discordgo.RequestOption) error { return rest.InteractionRespond(i, resp, o...) }
		case k == 0:
			edit := &discordgo.WebhookEdit{Content: &part, Components: &comps, AllowedMentions: noMentions()}
			call = func(o []discordgo.RequestOption) error {
				_, err := rest.InteractionResponseEdit(i, edit, o...)
				return err
			}
		default:
			params := &discordgo.WebhookParams{Content: part, Components: comps, Flags: flags(ephemeral), AllowedMentions: noMentions()}
			call = func(o []discordgo.RequestOption) error {
				_, err := rest.FollowupMessageCreate(i, true, params, o...)
				return err
			}
		}
		if err := b.call(ctx, call); err != nil {
			b.sendFailed(err, "interaction reply", len(out.parts)-k)
			return
		}
		b.events.Sent(platform, reply.Lang)
	}
	b.log.Debug("discord interaction answered", "deferred", deferred, "parts", len(out.parts), "took", time.Since(created))
}

func flags(ephemeral bool) discordgo.MessageFlags {
	if ephemeral {
		return discordgo.MessageFlagsEphemeral
	}
	return 0
}

// onMessage handles direct messages and mentions.
func (b *Bot) onMessage(_ *discordgo.Session, ev *discordgo.MessageCreate) {
	if ev == nil || ev.Message == nil {
		return
	}
	m := ev.Message
	me := b.botUserID()
	if m.Author == nil || m.Author.Bot || m.Author.System || m.Author.ID == me || m.WebhookID != "" {
		return
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return
	}
	text, ok := addressed(m, me, b.cfg.MessageContent)
	if !ok {
		return
	}
	msg := bot.Message{Platform: platform, Chat: m.ChannelID, User: m.Author.ID, Text: text, ID: m.ID}
	b.spawn(msg, func(ctx context.Context, replies <-chan bot.Reply) { b.answerMessage(ctx, m, replies) })
}

// addressed reports whether a message is for the bot, and its text without
// the mention: every direct message; in a server, a message that mentions
// the bot, or (with the Message Content intent, without which its content
// is empty) a reply to one of the bot's messages.
func addressed(m *discordgo.Message, me string, messageContent bool) (string, bool) {
	text := stripMention(m.Content, me)
	if m.GuildID == "" {
		return text, true
	}
	if me == "" {
		return "", false
	}
	for _, u := range m.Mentions {
		if u != nil && u.ID == me {
			return text, true
		}
	}
	if strings.Contains(m.Content, "<@"+me+">") || strings.Contains(m.Content, "<@!"+me+">") {
		return text, true // the mention is in the text though not in Mentions
	}
	if messageContent && m.ReferencedMessage != nil && m.ReferencedMessage.Author != nil && m.ReferencedMessage.Author.ID == me {
		return text, true
	}
	return "", false
}

// stripMention removes the bot's mentions (<@id>, <@!id>) from text.
func stripMention(text, me string) string {
	if me != "" {
		text = strings.ReplaceAll(text, "<@"+me+">", " ")
		text = strings.ReplaceAll(text, "<@!"+me+">", " ")
	}
	return strings.Join(strings.Fields(text), " ")
}

// answerMessage replies to a message in its channel: the first part as a
// reply to it, the buttons on the last part. If the handler is slow the
// channel shows the bot typing meanwhile.
func (b *Bot) answerMessage(ctx context.Context, m *discordgo.Message, replies <-chan bot.Reply) {
	var reply bot.Reply
	timer := time.NewTimer(b.cfg.DeferAfter)
	select {
	case reply = <-replies:
		timer.Stop()
	case <-timer.C:
		if err := b.call(ctx, func(o []discordgo.RequestOption) error { return b.session.ChannelTyping(m.ChannelID, o...) }); err != nil {
			b.log.Debug("discord typing", "err", b.redactor.Error(err))
		}
		select {
		case reply = <-replies:
		case <-ctx.Done():
			b.sendFailed(ctx.Err(), "message reply", 1)
			return
		}
	}
	out := render(reply)
	no := false
	for k, part := range out.parts {
		send := &discordgo.MessageSend{Content: part, Components: []discordgo.MessageComponent{}, AllowedMentions: noMentions()}
		if k == len(out.parts)-1 && out.components != nil {
			send.Components = out.components
		}
		if k == 0 {
			send.Reference = &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID, FailIfNotExists: &no}
		}
		err := b.call(ctx, func(o []discordgo.RequestOption) error {
			_, err := b.session.ChannelMessageSendComplex(m.ChannelID, send, o...)
			return err
		})
		if err != nil {
			b.sendFailed(err, "message reply", len(out.parts)-k)
			return
		}
		b.events.Sent(platform, reply.Lang)
	}
	b.log.Debug("discord message answered", "parts", len(out.parts))
}

// call makes one REST call with SendTimeout; discordgo waits out rate
// limits and retries 429s and 502s within it.
func (b *Bot) call(ctx context.Context, f func([]discordgo.RequestOption) error) error {
	ctx, cancel := context.WithTimeout(ctx, b.cfg.SendTimeout)
	defer cancel()
	return f([]discordgo.RequestOption{discordgo.WithContext(ctx)})
}

// sendFailed logs a reply (or the rest of one: lost messages) given up on
// and reports each lost message.
func (b *Bot) sendFailed(err error, what string, lost int) {
	err = b.redactor.Error(err)
	var re *discordgo.RESTError
	hint := ""
	if errors.As(err, &re) && re.Message != nil {
		switch re.Message.Code {
		case discordgo.ErrCodeUnknownInteraction:
			hint = "interaction expired: Discord allows 3 s for the first response"
		case discordgo.ErrCodeInteractionHasAlreadyBeenAcknowledged:
			hint = "interaction answered twice"
		case discordgo.ErrCodeMissingAccess, discordgo.ErrCodeMissingPermissions:
			hint = "the bot may not post in this channel"
		}
	}
	b.log.Error("discord send failed", "what", what, "lost_messages", lost, "err", err, "hint", hint)
	for range lost {
		b.events.SendFailed(platform, err)
	}
}
