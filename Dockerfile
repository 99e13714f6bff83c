# Multi-stage build: compile in the Rust image, run in a slim Debian as a non-root user.
# The seed record and its source are compiled into the binary; no query macros need a live
# database (SQLX_OFFLINE is set in case any are added with their .sqlx/ data).

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
ENV SQLX_OFFLINE=true
COPY Cargo.toml Cargo.lock ./
COPY .cargo ./.cargo
COPY src ./src
COPY migrations ./migrations
COPY data ./data
COPY web ./web
COPY bench/ceiling ./bench/ceiling
RUN cargo build --release --locked -p trade-agreement-api && strip target/release/trade-agreement-api

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 api \
    && useradd --system --uid 10001 --gid api --home-dir /data --shell /usr/sbin/nologin api \
    && mkdir -p /data && chown api:api /data
COPY --from=build /src/target/release/trade-agreement-api /usr/local/bin/trade-agreement-api
USER api:api
WORKDIR /data
ENV TRADE_API_BIND=0.0.0.0:8080 \
    TRADE_API_DATABASE_URL=sqlite:///data/trade-agreement.db \
    TRADE_API_LOG_FORMAT=json
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["trade-agreement-api"]
