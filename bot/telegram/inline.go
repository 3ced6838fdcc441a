package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/knowledge"
)

// Finder suggests the occupations a user may mean by what they are
// typing (bot.Finder does), from memory.
type Finder interface {
	Find(query string, lang knowledge.Lang) []bot.Suggestion
}

// Inline mode ("@nocbot weld" in any chat, once BotFather's /setinline
// has turned it on): Telegram's limits and nocbot's settings.
const (
	maxInlineResults = 50 // results per answer
	maxInlineOffset  = 64 // bytes of next_offset
	maxResultTitle   = 100
	maxResultDesc    = 200
	// inlineCacheTime is how long Telegram may serve an answer again to
	// anyone typing the same query. is_personal is off, as the results
	// depend on the query alone, except when the user's language setting
	// chose them (Latin letters typed by a Chinese-speaking user): those
	// are cached for that user only, or the next English speaker typing
	// "weld" would get Chinese titles.
	inlineCacheTime = 300
	// inlineTimeout bounds answering one inline query: Telegram forgets a
	// query unanswered for about ten seconds.
	inlineTimeout = 10 * time.Second
	// searchPayload is the start payload of the "open the bot" button a
	// query that finds nothing gets.
	searchPayload = "search"
)

// answerInline answers an inline query with the occupations it names,
// apart from every chat's queue: it is answered from memory, and a late
// answer is worth nothing. A query nocbot cannot answer (Telegram has
// already forgotten it) is logged, never retried for long.
func (b *Bot) answerInline(q *tgbotapi.InlineQuery) {
	ctx, cancel := context.WithTimeout(b.workContext(), inlineTimeout)
	b.bg.Add(1)
	go func() {
		defer b.bg.Done()
		defer cancel()
		start := time.Now()
		params, n := inlineAnswer(b.cfg.Finder, b.Username(), q)
		err := b.request(ctx, 0, false, func(api *tgbotapi.BotAPI) error {
			_, err := api.MakeRequest("answerInlineQuery", params)
			return err
		})
		var apiErr *tgbotapi.Error
		switch {
		case err == nil:
			b.log.Debug("inline query answered", "results", n, "took", time.Since(start))
		case errors.As(err, &apiErr) && apiErr.Code == http.StatusBadRequest:
			b.log.Debug("answer inline query", "err", err) // too old, or a second answer
		default:
			b.log.Warn("answer inline query", "err", err)
		}
	}()
}

// inlineResult is one article result (InlineQueryResultArticle), with
// the card it posts.
type inlineResult struct {
	Type        string             `json:"type"`
	ID          string             `json:"id"`
	Title       string             `json:"title"`
	Description string             `json:"description,omitempty"`
	Content     inlineMessageInput `json:"input_message_content"`
}

type inlineMessageInput struct {
	Text                  string `json:"message_text"`
	ParseMode             string `json:"parse_mode"`
	DisableWebPagePreview bool   `json:"disable_web_page_preview"`
}

// resultsButton is the button above the results (InlineQueryResultsButton)
// that opens a private chat with the bot; v5.5.1 of the library predates
// it.
type resultsButton struct {
	Text           string `json:"text"`
	StartParameter string `json:"start_parameter"`
}

// inlineAnswer is the answerInlineQuery request for q: a page of up to 50
// article results in the query's language, next_offset for the page
// after, and when nothing matches the button that opens the bot. An
// offset nocbot did not give (forged, stale) gets an empty last page. It
// returns the number of results too.
func inlineAnswer(finder Finder, username string, q *tgbotapi.InlineQuery) (tgbotapi.Params, int) {
	var userLang string
	if q.From != nil {
		userLang = q.From.LanguageCode
	}
	lang := bot.SearchLang(q.Query, userLang)
	var found []bot.Suggestion
	offset, ok := parseOffset(q.Offset)
	if ok && finder != nil {
		found = finder.Find(q.Query, lang)
	}
	page := found[min(offset, len(found)):min(offset+maxInlineResults, len(found))]
	results := make([]inlineResult, 0, len(page))
	for _, s := range page {
		results = append(results, article(s, username))
	}
	personal := lang != bot.SearchLang(q.Query, "")
	params := tgbotapi.Params{"inline_query_id": q.ID, "cache_time": strconv.Itoa(inlineCacheTime), "is_personal": strconv.FormatBool(personal)}
	raw, _ := json.Marshal(results) // plain structs: never fails
	params["results"] = string(raw)
	if next := offset + len(page); ok && next < len(found) {
		params["next_offset"] = strconv.Itoa(next)
	}
	if len(found) == 0 && ok && offset == 0 && username != "" {
		raw, _ := json.Marshal(resultsButton{Text: openBotLabel(lang), StartParameter: searchPayload})
		params["button"] = string(raw)
	}
	return params, len(results)
}

func openBotLabel(lang knowledge.Lang) string {
	if lang == knowledge.ZH {
		return "没有找到：打开 nocbot 提问"
	}
	return "Nothing found: ask nocbot in a private chat"
}

// parseOffset reads an offset inlineAnswer gave: digits, within the
// suggestions a query can have.
func parseOffset(s string) (int, bool) {
	if s == "" {
		return 0, true
	}
	if len(s) > 4 || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > bot.MaxSuggestions {
		return 0, false
	}
	return n, true
}

// article is the result for one occupation: its name, code and TEER and
// lead statement in the list, and the card it posts, which links back to
// the profile in a private chat with the bot.
func article(s bot.Suggestion, username string) inlineResult {
	desc := "NOC " + s.Code
	if s.HasTEER {
		desc += " · TEER " + strconv.Itoa(s.TEER)
	}
	desc += " — " + s.Lead
	card := bot.Card(s, deepLink(username, bot.StartPayload(s.Code, "")))
	text := renderHTML(card)
	if parts := bot.Split(text, MaxMessage, bot.UTF16Len); len(parts) > 0 {
		text = parts[0]
	}
	return inlineResult{Type: "article", ID: string(s.Lang) + "-" + s.Code, Title: bot.Clip(s.Title, maxResultTitle),
		Description: bot.Clip(desc, maxResultDesc),
		Content:     inlineMessageInput{Text: text, ParseMode: tgbotapi.ModeHTML, DisableWebPagePreview: true}}
}

// deepLink is the link that opens a private chat with the bot on payload;
// "" before the bot knows its name.
func deepLink(username, payload string) string {
	if username == "" {
		return ""
	}
	return "https://t.me/" + username + "?start=" + payload
}
