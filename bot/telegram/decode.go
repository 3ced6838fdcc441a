package telegram

import (
	"encoding/json"
	"errors"
	"fmt"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// decodeUpdates reads a getUpdates result one update at a time, so that
// one update nocbot cannot read (a field of a type it does not expect)
// costs that update, never the batch: the rest are answered and the
// offset moves past it. bad holds the ids of the unreadable ones that
// have an id, with why.
func decodeUpdates(result json.RawMessage) (good []tgbotapi.Update, bad []badUpdate, err error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(result, &raws); err != nil {
		return nil, nil, fmt.Errorf("read updates: %w", describeJSON(err))
	}
	for _, raw := range raws {
		u, err := decodeUpdate(raw)
		if err != nil {
			bad = append(bad, badUpdate{id: rawUpdateID(raw), err: err})
			continue
		}
		good = append(good, u)
	}
	return good, bad, nil
}

// badUpdate is an update that could not be read: its id (0 when even
// that is unreadable) and why.
type badUpdate struct {
	id  int
	err error
}

func decodeUpdate(raw []byte) (tgbotapi.Update, error) {
	var u tgbotapi.Update
	if err := json.Unmarshal(raw, &u); err != nil {
		return u, describeJSON(err)
	}
	if u.UpdateID <= 0 {
		return u, errors.New("no update_id")
	}
	return u, nil
}

// rawUpdateID is an unreadable update's id, when that much can be read.
func rawUpdateID(raw []byte) int {
	var head struct {
		UpdateID int `json:"update_id"`
	}
	if json.Unmarshal(raw, &head) != nil || head.UpdateID <= 0 {
		return 0
	}
	return head.UpdateID
}

// describeJSON says what is wrong with an update without quoting it: the
// field and the types, never the user's text.
func describeJSON(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		return fmt.Errorf("field %s: a JSON %s where nocbot reads %s", typeErr.Field, typeErr.Value, typeErr.Type)
	case errors.As(err, &syntaxErr):
		return fmt.Errorf("malformed JSON at byte %d", syntaxErr.Offset)
	}
	return errors.New("unreadable JSON")
}
