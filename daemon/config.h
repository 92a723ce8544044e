/* The daemon's configuration: one JSON file (comments allowed), one declared table per
 * section, REPORTD_<SECTION>_<KEY> environment overrides, secrets read from files. */
#ifndef REPORTD_DAEMON_CONFIG_H
#define REPORTD_DAEMON_CONFIG_H

#include "common/buf.h"
#include "common/json.h"
#include "common/opts.h"

typedef struct rpt_kafka_settings {
    char *bootstrap_servers;
    char *topic_raw;
    char *topic_parsed;
    char *topic_dlq;
    char *group_transform;
    char *group_load;
    long long session_timeout_ms;
    rpt_kvlist librdkafka; /* passed through to librdkafka verbatim */
    /* property -> file: each secret property (sasl.password, ssl.key.password, ...) is read
     * from its file at load time and added to `librdkafka`; masked in dumps. */
    rpt_kvlist librdkafka_secret_files;
} rpt_kafka_settings;

typedef struct rpt_postgres_settings {
    char *conninfo;
    char *password_file; /* secret read from this file when set */
    char *password;      /* filled from password_file; never logged */
} rpt_postgres_settings;

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
} rpt_fetch_settings;

typedef struct rpt_load_settings {
    long long batch_size;
    long long batch_latency_ms;
} rpt_load_settings;

typedef struct rpt_http_settings {
    char *listen;
} rpt_http_settings;

typedef struct rpt_log_settings {
    char *level;
    char *format;
} rpt_log_settings;

typedef struct rpt_runtime_settings {
    long long shutdown_grace_s;
    char *state_dir;
    long long probe_interval_s; /* how often Postgres and Kafka reachability is checked */
    long long probe_timeout_s;
} rpt_runtime_settings;

typedef struct rpt_config {
    char *path;
    rpt_kafka_settings kafka;
    rpt_postgres_settings postgres;
    rpt_fetch_settings fetch;
    rpt_load_settings load;
    rpt_http_settings http;
    rpt_log_settings log;
    rpt_runtime_settings runtime;
    rpt_jnode *root;          /* the parsed file, kept for the sources array */
    const rpt_jnode *sources; /* array node inside root, or NULL */
} rpt_config;

/* One section of the config file: its name, its settings table and where it lives. */
typedef struct rpt_config_section {
    const char *name;
    const rpt_opt *opts;
    size_t offset; /* offsetof(rpt_config, section) */
    const char *doc;
} rpt_config_section;

extern const rpt_config_section rpt_config_sections[];

/* Fills `cfg` with every default (no file). Returns 0 or -1. */
int rpt_config_defaults(rpt_config *cfg, rpt_buf *err);
/* Loads `path` (or only defaults and environment when path is NULL), validates it, applies
 * environment overrides and reads secret files. On error returns -1 with "FILE:LINE: ..." in
 * err and leaves cfg freed. The caller frees a loaded config with rpt_config_free(). */
int rpt_config_load(rpt_config *cfg, const char *path, rpt_buf *err);
void rpt_config_free(rpt_config *cfg);
/* Writes the effective config as JSON with secrets masked. */
void rpt_config_dump(const rpt_config *cfg, yajl_gen g);
/* Builds the libpq conninfo including the password from password_file (caller frees). */
char *rpt_config_pg_conninfo(const rpt_config *cfg);

/* Reads a whole file into a NUL-terminated buffer (caller frees). Refuses files larger
 * than max_bytes. Returns NULL with errno set. */
char *rpt_read_file(const char *path, size_t max_bytes, size_t *len_out);

/* True when a librdkafka property holds a secret (masked in dumps, never logged). */
int rpt_config_kafka_key_is_secret(const char *key);
/* Path of the config file named by the environment (REPORTD_CONFIG), or NULL. */
const char *rpt_config_path_from_env(void);

#endif
