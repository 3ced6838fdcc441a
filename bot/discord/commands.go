package discord

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/knowledge"
)

// askCommand is the Discord-only command for a free-text question: a
// slash command cannot take the rest of a line the way a chat command can.
var askCommand = bot.Command{
	Name:        "ask",
	Description: knowledge.Text{EN: "Ask a question about an occupation", ZH: "询问关于职业的问题"},
	Arg:         "question",
	ArgHelp:     knowledge.Text{EN: "Your question, in English or Chinese", ZH: "你的问题，中文或英文"},
}

// skipped reports the core commands that mean nothing on Discord.
func skipped(command string) bool { return command == "start" }

// ephemeralCommand reports the commands answered so that only the user who asked
// sees the answer: help and settings are of no interest to the rest of a
// channel.
func ephemeralCommand(command string) bool { return command == "help" || command == "lang" }

// slashCommands are the application commands the bot registers: /ask and
// the core's commands, names in ASCII (Discord wants lowercase names; the
// core's are), descriptions in English with a zh-CN localisation on every
// command, option and choice.
func slashCommands() []*discordgo.ApplicationCommand {
	cmds := []*discordgo.ApplicationCommand{slashCommand(askCommand, true)}
	for _, c := range bot.Commands() {
		if skipped(c.Name) {
			continue
		}
		if c.Arg == "" && bot.TakesOccupation(c.Name) {
			// A section command takes an occupation too ("/duties 72106"),
			// found while typing.
			c.Arg, c.ArgHelp = occupationOption, occupationHelp
		}
		cmds = append(cmds, slashCommand(c, false))
	}
	return cmds
}

// The option of the section commands that names an occupation.
const occupationOption = "occupation"

var occupationHelp = knowledge.Text{EN: "Occupation: type a job title or NOC code and choose", ZH: "职业：输入职位名称或 NOC 代码后选择"}

// autocompleted reports whether an option is searched while typing: one
// naming an occupation, and /ask's question.
func autocompleted(command, option string) bool {
	return command == askCommand.Name || (bot.TakesOccupation(command) && (option == occupationOption || option == "code"))
}

func slashCommand(c bot.Command, required bool) *discordgo.ApplicationCommand {
	cmd := &discordgo.ApplicationCommand{
		Type:                     discordgo.ChatApplicationCommand,
		Name:                     c.Name,
		Description:              description(c.Description.EN),
		DescriptionLocalizations: &map[discordgo.Locale]string{discordgo.ChineseCN: description(c.Description.ZH)},
		Options:                  []*discordgo.ApplicationCommandOption{},
	}
	if c.Arg == "" {
		return cmd
	}
	opt := &discordgo.ApplicationCommandOption{
		Type:                     discordgo.ApplicationCommandOptionString,
		Name:                     c.Arg,
		Description:              description(c.ArgHelp.EN),
		DescriptionLocalizations: map[discordgo.Locale]string{discordgo.ChineseCN: description(c.ArgHelp.ZH)},
		// Without an argument the core offers buttons (/noc: the
		// occupations, /lang: the languages), so only /ask and a command
		// whose argument is free text (/match) need one.
		Required:     required || c.FreeText,
		Autocomplete: autocompleted(c.Name, c.Arg),
	}
	if c.Name == "lang" {
		opt.Choices = []*discordgo.ApplicationCommandOptionChoice{
			{Name: "English", Value: "en", NameLocalizations: map[discordgo.Locale]string{discordgo.ChineseCN: "英文"}},
			{Name: "中文", Value: "zh", NameLocalizations: map[discordgo.Locale]string{discordgo.ChineseCN: "中文"}},
		}
	}
	cmd.Options = append(cmd.Options, opt)
	return cmd
}

// freeText reports whether a core command takes the rest of the line as
// its argument (/match's description).
func freeText(name string) bool {
	for _, c := range bot.Commands() {
		if c.Name == name {
			return c.FreeText
		}
	}
	return false
}

// description fits a description to Discord's 1-100 characters.
func description(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "-"
	}
	if utf8.RuneCountInString(s) <= 100 {
		return s
	}
	return string([]rune(s)[:99]) + "…"
}

// commandText is what a slash command says to the core: the question of
// /ask, else the command as the user would type it ("/noc 1252").
func commandText(data discordgo.ApplicationCommandInteractionData) string {
	var arg string
	for _, o := range data.Options {
		if o == nil || o.Type != discordgo.ApplicationCommandOptionString {
			continue
		}
		if s, ok := o.Value.(string); ok {
			arg = strings.TrimSpace(s)
			break
		}
	}
	if data.Name == askCommand.Name {
		return arg
	}
	if arg != "" && freeText(data.Name) {
		return "/" + data.Name + " " + arg
	}
	if arg != "" && !strings.ContainsFunc(arg, unicode.IsLetter) {
		// One word: the core reads the first argument only, and a stray
		// space must not turn "/noc 12 52" into a different question.
		return "/" + data.Name + " " + strings.Join(strings.Fields(arg), "")
	}
	if arg != "" {
		return "/" + data.Name + " " + strings.Join(strings.Fields(arg), " ") // a title: "/duties registered nurse"
	}
	return "/" + data.Name
}
