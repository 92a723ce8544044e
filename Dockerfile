# reportd container image. Build stage: compiles and runs the test suite (integration tests
# start their own PostgreSQL and dev-broker inside the stage); runtime stage: the binary,
# its SQL migrations and gazetteer, and only the shared libraries it links.
#   docker build -t reportd .            (or: buildah bud --isolation chroot -t reportd .)
#   docker run --rm reportd --version
#   docker run -v reportd-state:/var/lib/reportd -e REPORTD_POSTGRES_CONNINFO=... reportd run
# deploy/compose.yaml runs the whole stack; deploy/container-check.sh builds and checks the
# image without a Docker engine.

FROM debian:bookworm-slim AS build
ARG REPORTD_SKIP_TESTS=0
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config ca-certificates \
      librdkafka-dev libpq-dev libcurl4-openssl-dev libyajl-dev libxml2-dev libpcre2-dev \
      libmicrohttpd-dev libsystemd-dev libzip-dev libssl-dev \
      postgresql postgresql-client kcat procps curl python3 util-linux \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/reportd
COPY . .
RUN cmake -S . -B /tmp/build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
 && cmake --build /tmp/build -j"$(nproc)"
# The whole suite; tests needing material outside the repository skip themselves.
RUN if [ "$REPORTD_SKIP_TESTS" = 1 ]; then echo "tests skipped"; else \
      ctest --test-dir /tmp/build --output-on-failure -j2 --timeout 900; fi
RUN DESTDIR=/out cmake --install /tmp/build \
 && install -D -m 0644 deploy/reportd.conf.example /out/etc/reportd/reportd.conf

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      librdkafka1 libpq5 libcurl4 libyajl2 libxml2 libpcre2-8-0 libmicrohttpd12 libsystemd0 \
      libzip4 libssl3 ca-certificates curl \
 && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/reportd --shell /usr/sbin/nologin reportd \
 && install -d -o reportd -g reportd -m 0750 /var/lib/reportd
COPY --from=build /out/ /
# Inside a container the endpoint must be reachable from outside for scraping; everything
# else comes from the config file or REPORTD_<SECTION>_<KEY> variables.
ENV REPORTD_CONFIG=/etc/reportd/reportd.conf \
    REPORTD_HTTP_LISTEN=0.0.0.0:9464 \
    REPORTD_RUNTIME_STATE_DIR=/var/lib/reportd
USER reportd
WORKDIR /var/lib/reportd
VOLUME ["/etc/reportd", "/var/lib/reportd"]
EXPOSE 9464
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD curl -fsS http://127.0.0.1:9464/healthz >/dev/null || exit 1
ENTRYPOINT ["reportd"]
CMD ["run"]
