package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/nocbot/nocbot/bot"
)

// SecretHeader carries the webhook secret on every delivery.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// maxUpdateBytes bounds a webhook delivery.
const maxUpdateBytes = 1 << 20

// runWebhook registers the webhook with its secret and waits. v5.5.1's
// WebhookConfig has no secret_token, so the request is made with
// MakeRequest; ListenForWebhook is not used (it registers on
// http.DefaultServeMux).
func (b *Bot) runWebhook(ctx context.Context) error {
	allowed, _ := json.Marshal(allowedUpdates())
	params := tgbotapi.Params{"url": b.cfg.WebhookURL, "secret_token": b.cfg.WebhookSecret, "allowed_updates": string(allowed)}
	api := *b.api
	api.Client = ctxClient{c: b.cfg.HTTPClient, ctx: ctx}
	bo := bot.NewBackoff(b.cfg.RetryBase, 0)
	for {
		_, err := api.MakeRequest("setWebhook", params)
		if err == nil {
			b.contact(nil)
			b.log.Info("webhook set")
			break
		}
		if ctx.Err() != nil {
			return nil
		}
		err = b.redactor.Error(err)
		b.contact(err)
		wait := bo.Next(retryAfter(err))
		b.log.Warn("set webhook", "err", err, "retry_in", wait.Round(time.Millisecond))
		if !bot.Sleep(ctx, wait) {
			return nil
		}
	}
	<-ctx.Done()
	return nil
}

// Routes implements bot.Router: in webhook mode, the webhook's delivery
// endpoint, POST /telegram/webhook; none when polling.
func (b *Bot) Routes() map[string]http.Handler {
	if b.cfg.WebhookURL == "" {
		return nil
	}
	return map[string]http.Handler{"POST " + WebhookPath: b.WebhookHandler()}
}

// WebhookPath is where the webhook delivers, on serve's HTTP listener.
const WebhookPath = "/telegram/webhook"

// WebhookHandler receives webhook deliveries; mount it on the server's own
// mux. A request without the right secret (compared in constant time) is
// refused with 401 before its body is read. An update delivered again (a
// Telegram retry) is answered once. The handler answers 200 once the
// update is answered or stored as pending, 503 while the bot is not
// running (Telegram delivers again later).
func (b *Bot) WebhookHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get(SecretHeader)
		if b.cfg.WebhookSecret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(b.cfg.WebhookSecret)) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		b.hooks.RLock()
		defer b.hooks.RUnlock()
		if !b.life.Serving() {
			w.Header().Set("Retry-After", "5")
			http.Error(w, "not running", http.StatusServiceUnavailable)
			return
		}
		var raw json.RawMessage
		if err := json.NewDecoder(io.LimitReader(r.Body, maxUpdateBytes)).Decode(&raw); err != nil {
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		u, err := decodeUpdate(raw)
		switch {
		case err != nil && rawUpdateID(raw) == 0:
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		case err != nil:
			// An update of Telegram's that nocbot cannot read: refusing it
			// would have Telegram deliver it again and again.
			b.skip(badUpdate{id: rawUpdateID(raw), err: err})
		default:
			b.take(u)
		}
		if err := b.ledger.commit(r.Context()); err != nil {
			b.log.Error("store delivery state", "err", err)
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}
