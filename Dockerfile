# Build: cgo is needed for SQLite (github.com/mattn/go-sqlite3).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/nocbot ./cmd/nocbot

# Run: a small image, a non-root user, the profiles embedded in the binary.
FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin nocbot \
	&& mkdir -p /data && chown nocbot /data
COPY --from=build /out/nocbot /usr/local/bin/nocbot
# bookworm-slim has no CA certificates; the Bot API and Discord are https.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
USER nocbot
ENV NOCBOT_DB=/data/nocbot.db NOCBOT_HTTP_ADDR=:8080
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s CMD ["nocbot", "health"]
ENTRYPOINT ["nocbot"]
CMD ["serve"]
