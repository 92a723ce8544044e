# reportd container image. Build stage: compiles and runs the test suite (integration tests
# start their own PostgreSQL and dev-broker inside the stage) and builds the Debian package;
# runtime stage: that package installed with apt, which pulls in exactly the shared libraries
# it depends on and creates the reportd system user.
#   docker build -t reportd .            (or: buildah bud --isolation chroot -t reportd .)
#   docker run --rm reportd --version
#   docker run -v reportd-state:/var/lib/reportd -e REPORTD_POSTGRES_CONNINFO=... reportd run
# deploy/compose.yaml runs the whole stack; deploy/container-check.sh builds and checks the
# image without a Docker engine.

FROM debian:bookworm-slim AS build
ARG REPORTD_SKIP_TESTS=0
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config ca-certificates file \
      librdkafka-dev libpq-dev libcurl4-openssl-dev libyajl-dev libxml2-dev libpcre2-dev \
      libmicrohttpd-dev libsystemd-dev libzip-dev libssl-dev zlib1g-dev \
      libpoppler-glib-dev poppler-data libcairo2-dev libtesseract-dev tesseract-ocr-chi-sim \
      postgresql postgresql-client kcat procps curl python3 util-linux \
      python3-reportlab python3-pil fonts-wqy-zenhei libreoffice-writer-nogui \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/reportd
COPY . .
RUN cmake -S . -B /tmp/build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
 && cmake --build /tmp/build -j"$(nproc)"
# The whole suite; tests needing material outside the repository skip themselves.
RUN if [ "$REPORTD_SKIP_TESTS" = 1 ]; then echo "tests skipped"; else \
      ctest --test-dir /tmp/build --output-on-failure -j2 --timeout 900; fi
# The same package operators install on a Debian server (cmake/package.cmake).
RUN cd /tmp/build && cpack -G DEB -B /out && rm -rf /out/_CPack_Packages

FROM debian:bookworm-slim AS runtime
COPY --from=build /out/reportd_*.deb /tmp/
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      /tmp/reportd_*.deb ca-certificates curl poppler-data tesseract-ocr-chi-sim \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /tmp/reportd_*.deb
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
