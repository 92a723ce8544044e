#include "connectors/http/settings.h"

#include <stddef.h>

const rpt_opt rpt_fetch_opts[] = {
    {"concurrency", RPT_OPT_INT, "32", 1, 1024, offsetof(rpt_fetch_settings, concurrency), 0,
     "requests in flight across all hosts"},
    {"per_host_concurrency", RPT_OPT_INT, "2", 1, 256,
     offsetof(rpt_fetch_settings, per_host_concurrency), 0, "requests in flight per host"},
    {"per_host_delay_ms", RPT_OPT_INT, "1000", 0, 600000,
     offsetof(rpt_fetch_settings, per_host_delay_ms), 0, "minimum delay between requests to a host"},
    {"connect_timeout_s", RPT_OPT_INT, "10", 1, 600, offsetof(rpt_fetch_settings, connect_timeout_s),
     0, "TCP/TLS connect timeout"},
    {"timeout_s", RPT_OPT_INT, "60", 1, 3600, offsetof(rpt_fetch_settings, timeout_s), 0,
     "total time for one request"},
    {"low_speed_bytes", RPT_OPT_INT, "512", 1, 1 << 30, offsetof(rpt_fetch_settings, low_speed_bytes),
     0, "abort a transfer slower than this many bytes/s ..."},
    {"low_speed_time_s", RPT_OPT_INT, "15", 1, 3600, offsetof(rpt_fetch_settings, low_speed_time_s),
     0, "... for this many seconds"},
    {"max_body_bytes", RPT_OPT_INT, "20971520", 1024, 1073741824.0,
     offsetof(rpt_fetch_settings, max_body_bytes), 0, "largest body accepted (enforced while streaming)"},
    {"max_retries", RPT_OPT_INT, "3", 0, 20, offsetof(rpt_fetch_settings, max_retries), 0,
     "retries on timeouts, resets, 5xx, 408 and 429"},
    {"retry_base_ms", RPT_OPT_INT, "500", 1, 600000, offsetof(rpt_fetch_settings, retry_base_ms), 0,
     "first backoff delay; doubles per retry, with jitter"},
    {"max_pages", RPT_OPT_INT, "20", 1, 10000, offsetof(rpt_fetch_settings, max_pages), 0,
     "listing pages followed per source and pass"},
    {"allow_private_networks", RPT_OPT_BOOL, "false", 0, 0,
     offsetof(rpt_fetch_settings, allow_private_networks), 0,
     "allow loopback, private and link-local addresses (SSRF guard off)"},
    {"respect_robots", RPT_OPT_BOOL, "true", 0, 0, offsetof(rpt_fetch_settings, respect_robots), 0,
     "obey robots.txt"},
    {"ca_file", RPT_OPT_STRING, NULL, 0, 0, offsetof(rpt_fetch_settings, ca_file), 0,
     "extra CA bundle for TLS verification"},
    {"user_agent", RPT_OPT_STRING, NULL, 0, 0, offsetof(rpt_fetch_settings, user_agent), 0,
     "User-Agent (default: reportd/VERSION)"},
    {"proxy", RPT_OPT_STRING, NULL, 0, 0, offsetof(rpt_fetch_settings, proxy), RPT_OPT_SECRET,
     "HTTP proxy URL (default: none; http_proxy/https_proxy/ALL_PROXY/NO_PROXY from the "
     "environment are never used); the SSRF guard then checks each target's resolved address"},
    RPT_OPT_END};

