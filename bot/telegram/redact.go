package telegram

import (
	"errors"
	"net/url"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// redactedError hides the bot token, which the library puts in request
// URLs and so in network errors (*url.Error).
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redact returns err with the token, as written or URL-escaped, replaced
// by "<redacted>". The API error stays reachable with errors.As (for
// retry_after and codes); wrapped errors whose text holds the token do
// not.
func redact(err error, token string) error {
	if err == nil || token == "" {
		return err
	}
	msg := err.Error()
	clean := msg
	for _, t := range []string{token, url.PathEscape(token), url.QueryEscape(token)} {
		clean = strings.ReplaceAll(clean, t, "<redacted>")
	}
	if clean == msg {
		return err
	}
	var inner error
	var apiErr *tgbotapi.Error
	if errors.As(err, &apiErr) && !strings.Contains(apiErr.Error(), token) {
		inner = apiErr
	}
	return &redactedError{msg: clean, err: inner}
}
