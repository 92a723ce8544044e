/* Fetch settings for fetcher tests: the defaults, no string options, SSRF guard and robots.txt
 * off for the loopback servers, no politeness delay, fast bounded retries. */
#ifndef REPORTD_TESTS_CONNECTORS_FETCH_SETTINGS_H
#define REPORTD_TESTS_CONNECTORS_FETCH_SETTINGS_H

#include "pipeline/config.h"

static inline rpt_fetch_settings t_fetch_settings(void)
{
    rpt_config cfg;
    rpt_buf err = RPT_BUF_INIT;
    rpt_config_defaults(&cfg, &err);
    rpt_fetch_settings s = cfg.fetch;
    s.ca_file = s.user_agent = NULL; /* the only strings; unset by default */
    rpt_config_clear(&cfg);
    rpt_buf_clear(&err);
    s.allow_private_networks = 1;
    s.respect_robots = 0;
    s.per_host_delay_ms = 0;
    s.retry_base_ms = 20;
    s.max_retries = 2;
    s.timeout_s = 20;
    return s;
}

#endif
