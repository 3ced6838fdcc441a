package bot

import (
	"strings"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

// Command is a slash command every platform offers, with its description
// in both languages, for adapters to register (Telegram's command menu,
// Discord's slash commands), and the line /help gives it.
type Command struct {
	Name        string // without the slash
	Description knowledge.Text
	Arg         string         // name of its argument, "" for none
	ArgHelp     knowledge.Text // description of the argument
	// Usage is how /help writes a call that takes an argument ("/noc
	// CODE"); empty: "/" and the name.
	Usage knowledge.Text
	// Help is what /help says the command does, shorter than Description
	// beside the example questions; empty: /help does not list it.
	Help knowledge.Text
	// FreeText says the argument is the rest of the line, words and all
	// (/match's description), not one word.
	FreeText bool
}

// Commands lists the commands of the core.
func Commands() []Command {
	return []Command{
		{Name: "start", Description: knowledge.Text{EN: "Start: what this bot does", ZH: "开始：机器人能做什么"}},
		{Name: "help", Description: knowledge.Text{EN: "What you can ask", ZH: "可以问什么"}},
		{Name: "noc", Description: knowledge.Text{EN: "Choose an occupation by NOC code", ZH: "按 NOC 代码选择职业"}, Arg: "code", ArgHelp: knowledge.Text{EN: "NOC code, e.g. 1252", ZH: "NOC 代码，例如 1252"},
			Usage: knowledge.Text{EN: "/noc CODE", ZH: "/noc 代码"}, Help: knowledge.Text{EN: "choose an occupation", ZH: "选择职业"}},
		{Name: "duties", Description: knowledge.Text{EN: "Main duties", ZH: "主要职责"},
			Help: knowledge.Text{EN: "main duties", ZH: "主要职责"}},
		{Name: "education", Description: knowledge.Text{EN: "Education and certification", ZH: "学历和证书要求"},
			Help: knowledge.Text{EN: "employment requirements", ZH: "任职要求"}},
		{Name: "advance", Description: knowledge.Text{EN: "Promotion and career path", ZH: "晋升与职业发展"},
			Help: knowledge.Text{EN: "advancement", ZH: "晋升发展"}},
		{Name: "titles", Description: knowledge.Text{EN: "Job titles", ZH: "职称头衔"},
			Help: knowledge.Text{EN: "job titles", ZH: "职称头衔"}},
		{Name: "related", Description: knowledge.Text{EN: "Related occupations classified elsewhere", ZH: "其他分类的相关职业"},
			Help: knowledge.Text{EN: "occupations classified elsewhere", ZH: "其他分类的相关职业"}},
		{Name: "source", Description: knowledge.Text{EN: "Where the information comes from", ZH: "信息来源"},
			Help: knowledge.Text{EN: "where the information comes from", ZH: "信息来源"}},
		{Name: "match", Description: knowledge.Text{EN: "Which NOC fits my job? Describe your duties", ZH: "我的工作属于哪个 NOC？描述你的职责"}, Arg: "duties",
			ArgHelp:  knowledge.Text{EN: "Your main duties, in your own words", ZH: "你的主要职责，用自己的话描述"},
			Usage:    knowledge.Text{EN: "/match YOUR DUTIES", ZH: "/match 你的职责"},
			Help:     knowledge.Text{EN: "the NOC groups whose duties match yours", ZH: "找出职责与你相符的 NOC 职业组"},
			FreeText: true},
		{Name: "lang", Description: knowledge.Text{EN: "Reply language: en, zh or zh-hant (Traditional)", ZH: "回复语言：en、zh 或 zh-hant（繁体）"}, Arg: "language",
			ArgHelp: knowledge.Text{EN: "en, zh or zh-hant", ZH: "en、zh 或 zh-hant"},
			Usage:   knowledge.Text{EN: "/lang en, /lang zh or /lang zh-hant", ZH: "/lang en、/lang zh 或 /lang zh-hant"}, Help: knowledge.Text{EN: "reply language", ZH: "回复语言"}},
	}
}

// helpLines are /help's list of commands, one line a command:
// "/duties — main duties".
func helpLines(lang knowledge.Lang) []string {
	var lines []string
	for _, c := range Commands() {
		if c.Help.In(lang) == "" {
			continue
		}
		usage := c.Usage.In(lang)
		if usage == "" {
			usage = "/" + c.Name
		}
		lines = append(lines, usage+" — "+c.Help.In(lang))
	}
	return lines
}

// commandIntent maps the section commands to the intents they answer.
func commandIntent(name string) (intents.Intent, bool) {
	switch name {
	case "duties":
		return intents.Duties, true
	case "education", "requirements":
		return intents.Requirements, true
	case "advance", "advancement", "promotion":
		return intents.Advancement, true
	case "titles":
		return intents.Titles, true
	case "related":
		return intents.Related, true
	case "source":
		return intents.Source, true
	case "about", "overview", "description":
		return intents.Description, true
	}
	return "", false
}

// command is a typed "/name args".
type command struct {
	Name string // lower case, without the slash and "@botname"
	Args []string
	// Code is the first argument read as a NOC code, for the commands
	// that take one ("/noc １２５２").
	Code string
	// Rest is everything after the name, line breaks kept: the argument
	// of a FreeText command.
	Rest string
}

// parseCommand reads "/name args". "/name@botname" is accepted as groups
// send it; a slash alone asks for help.
func parseCommand(text string) command {
	fields := strings.Fields(strings.TrimPrefix(text, "/"))
	if len(fields) == 0 {
		return command{Name: "help"}
	}
	name := strings.ToLower(fields[0])
	if at := strings.IndexByte(name, '@'); at >= 0 {
		name = name[:at]
	}
	return command{Name: name, Args: fields[1:], Rest: commandRest(text)}
}

// takesCode reports whether a command's argument is a NOC code: the
// section commands ("/duties 1253") and /noc.
func takesCode(name string) bool {
	_, section := commandIntent(name)
	return section || name == "noc"
}
