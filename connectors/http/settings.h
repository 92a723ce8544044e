/* The [fetch] settings of the HTTP fetcher: concurrency, politeness, time and size limits,
 * the SSRF guard and TLS, declared in one table (rpt_fetch_opts). */
#ifndef REPORTD_CONNECTORS_HTTP_SETTINGS_H
#define REPORTD_CONNECTORS_HTTP_SETTINGS_H

#include "common/opts.h"

typedef struct rpt_fetch_settings {
    long long concurrency;
    long long per_host_concurrency;
    long long per_host_delay_ms;
    long long connect_timeout_s;
    long long timeout_s;
    long long low_speed_bytes;
    long long low_speed_time_s;
    long long max_body_bytes;
    long long max_retries;
    long long retry_base_ms;
    long long max_pages;
    int allow_private_networks;
    int respect_robots;
    char *ca_file;
    char *user_agent;
    char *proxy; /* NULL or "": no proxy (the environment's http_proxy etc. are ignored) */
} rpt_fetch_settings;

extern const rpt_opt rpt_fetch_opts[];

#endif
