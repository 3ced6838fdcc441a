package telegram

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/nocbot/nocbot/bot"
)

// pendingVersion is the layout of the pending rows this nocbot writes.
// Version 0 (no "v") is the layout before rows had a version: inbound's
// own JSON, with bot.Message under its Go field names.
const pendingVersion = 1

// pendingRow is a pending update as stored: a type of its own with fixed
// JSON names, so that renaming a field of inbound or bot.Message never
// breaks the rows an older nocbot left to answer. A change of layout
// takes a new version, and decodePending keeps reading the old ones.
type pendingRow struct {
	Version  int            `json:"v"`
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
	return json.Marshal(pendingRow{Version: pendingVersion, ID: in.ID, Chat: in.Chat, Group: in.Group, ReplyTo: in.ReplyTo,
		Callback: in.Callback, Msg: pendingMessage{Platform: m.Platform, Chat: m.Chat, User: m.User, Text: m.Text,
			UserLang: m.UserLang, Button: m.Button}})
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
			pendingRow
			Msg pendingMessageV0 `json:"msg"`
		}
		if err := json.Unmarshal(data, &old); err != nil {
			return inbound{}, err
		}
		row, row.Msg = old.pendingRow, pendingMessage(old.Msg)
	case v == pendingVersion:
		if err := json.Unmarshal(data, &row); err != nil {
			return inbound{}, err
		}
	case v > pendingVersion:
		return inbound{}, fmt.Errorf("version %d, this nocbot reads up to %d: %w", v, pendingVersion, errNewerPending)
	default:
		return inbound{}, fmt.Errorf("version %d", v)
	}
	m := row.Msg
	return inbound{ID: row.ID, Chat: row.Chat, Group: row.Group, ReplyTo: row.ReplyTo, Callback: row.Callback,
		Msg: bot.Message{Platform: m.Platform, Chat: m.Chat, User: m.User, Text: m.Text, UserLang: m.UserLang, Button: m.Button}}, nil
}
