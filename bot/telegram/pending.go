package telegram

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/nocbot/nocbot/bot"
)

// pendingVersion is the layout of the pending rows this nocbot writes.
// Version 0 (no "v") is the layout before rows had a version: inbound's
// own JSON, with bot.Message under its Go field names; version 1 kept the
// whole message, the user's id even where it is the chat's.
const pendingVersion = 2

// pendingRow is a pending update as stored: a type of its own with fixed
// JSON names, so that renaming a field of inbound or bot.Message never
// breaks the rows an older nocbot left to answer. A change of layout
// takes a new version, and decodePending keeps reading the old ones.
//
// It holds what answering needs and nothing more: where to answer (chat,
// the message to reply to in a group, the button press to acknowledge),
// what was asked and in which language, and, in a group, who asked (the
// conversation is theirs). In a private chat the user is the chat.
type pendingRow struct {
	Version  int    `json:"v"`
	ID       int    `json:"id"`
	Chat     int64  `json:"chat"`
	Group    bool   `json:"group,omitempty"`
	ReplyTo  int    `json:"reply_to,omitempty"`
	Callback string `json:"callback,omitempty"`
	User     string `json:"user,omitempty"` // empty: the chat's id
	Text     string `json:"text,omitempty"`
	UserLang string `json:"lang,omitempty"`
	Button   string `json:"button,omitempty"`
}

// pendingRowV1 is the layout of version 1.
type pendingRowV1 struct {
	ID       int            `json:"id"`
	Chat     int64          `json:"chat"`
	Group    bool           `json:"group,omitempty"`
	ReplyTo  int            `json:"reply_to,omitempty"`
	Callback string         `json:"callback,omitempty"`
	Msg      pendingMessage `json:"msg"`
}

type pendingMessage struct {
	Platform string `json:"platform"`
	Chat     string `json:"chat"`
	User     string `json:"user"`
	Text     string `json:"text,omitempty"`
	UserLang string `json:"user_lang,omitempty"`
	Button   string `json:"button,omitempty"`
}

// pendingMessageV0 is bot.Message as version 0 rows hold it.
type pendingMessageV0 struct {
	Platform string `json:"Platform"`
	Chat     string `json:"Chat"`
	User     string `json:"User"`
	Text     string `json:"Text"`
	UserLang string `json:"UserLang"`
	Button   string `json:"Button"`
}

// errNewerPending marks a row written by a newer nocbot: it is left for
// that version rather than misread.
var errNewerPending = errors.New("written by a newer nocbot")

func encodePending(in inbound) ([]byte, error) {
	m := in.Msg
	row := pendingRow{Version: pendingVersion, ID: in.ID, Chat: in.Chat, Group: in.Group, ReplyTo: in.ReplyTo,
		Callback: in.Callback, User: m.User, Text: m.Text, UserLang: m.UserLang, Button: m.Button}
	if row.User == strconv.FormatInt(in.Chat, 10) {
		row.User = ""
	}
	return json.Marshal(row)
}

func decodePending(data []byte) (inbound, error) {
	var head struct {
		Version int `json:"v"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return inbound{}, err
	}
	var row pendingRow
	switch v := head.Version; {
	case v == 0:
		// The outer names were already fixed; only the message's differ.
		var old struct {
			pendingRowV1
			Msg pendingMessageV0 `json:"msg"`
		}
		if err := json.Unmarshal(data, &old); err != nil {
			return inbound{}, err
		}
		old.pendingRowV1.Msg = pendingMessage(old.Msg)
		row = old.pendingRowV1.current()
	case v == 1:
		var old pendingRowV1
		if err := json.Unmarshal(data, &old); err != nil {
			return inbound{}, err
		}
		row = old.current()
	case v == pendingVersion:
		if err := json.Unmarshal(data, &row); err != nil {
			return inbound{}, err
		}
	case v > pendingVersion:
		return inbound{}, fmt.Errorf("version %d, this nocbot reads up to %d: %w", v, pendingVersion, errNewerPending)
	default:
		return inbound{}, fmt.Errorf("version %d", v)
	}
	chat := strconv.FormatInt(row.Chat, 10)
	user := row.User
	if user == "" {
		user = chat
	}
	return inbound{ID: row.ID, Chat: row.Chat, Group: row.Group, ReplyTo: row.ReplyTo, Callback: row.Callback,
		Msg: bot.Message{Platform: platform, Chat: chat, User: user, Text: row.Text, UserLang: row.UserLang,
			Button: row.Button, ID: updateID(row.ID)}}, nil
}

// current is a version 1 row in today's layout.
func (r pendingRowV1) current() pendingRow {
	m := r.Msg
	return pendingRow{ID: r.ID, Chat: r.Chat, Group: r.Group, ReplyTo: r.ReplyTo, Callback: r.Callback,
		User: m.User, Text: m.Text, UserLang: m.UserLang, Button: m.Button}
}
