/* The configuration of reportd: one JSON file (comments allowed), one section per component,
 * each declared by the component's own settings table (connectors/<transport>/settings.h)
 * or here; REPORTD_<SECTION>_<KEY> environment overrides; secrets read from files. */
#ifndef REPORTD_PIPELINE_CONFIG_H
#define REPORTD_PIPELINE_CONFIG_H

#include "common/buf.h"
#include "common/json.h"
#include "common/opts.h"
#include "common/sandbox.h"
#include "transforms/extract.h"
#include "connectors/http/settings.h"
#include "connectors/kafka/settings.h"
#include "connectors/postgres/settings.h"




typedef struct rpt_load_settings {
    long long batch_size;
    long long batch_latency_ms;
    long long max_batch_bytes; /* a batch is written once its message bytes reach this */
    long long stall_s; /* a batch failing this long: heartbeat withheld */
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

/* [transform]: how documents of heavy formats (PDF, OCR, legacy Word) are decoded, and the
 * bounds of one document's results. */
typedef struct rpt_transform_settings {
    int ocr;                       /* OCR pages without a text layer */
    long long ocr_max_pages;       /* pages OCR'd per document at most */
    double ocr_max_seconds;        /* OCR time per document at most */
    long long ocr_dpi;             /* rendering resolution for OCR */
    char *decoder;                 /* the decoder program; "": reportd-decoder beside reportd */
    int isolate;                   /* decode PDF and .doc in a child process under limits */
    double isolate_cpu_s;          /* CPU seconds of that child */
    long long isolate_memory_mb;   /* address space of that child */
    double isolate_wall_s;         /* wall-clock seconds of that child (at least OCR time + 30) */
    long long heavy_workers;       /* threads decoding PDF/.doc beside the main loop; 0: in line */
    long long max_sections;        /* a document with more sections is rejected */
    long long max_indicators;      /* a document with more indicators is rejected */
} rpt_transform_settings;

typedef struct rpt_config {
    char *path;
    rpt_kafka_settings kafka;
    rpt_postgres_settings postgres;
    rpt_fetch_settings fetch;
    rpt_load_settings load;
    rpt_http_settings http;
    rpt_log_settings log;
    rpt_runtime_settings runtime;
    rpt_transform_settings transform;
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

/* The OCR options, decoder program and child-process limits of the [transform] settings,
 * for rpt_extract_input: fills *ocr and *lim (whose program points into s or into static
 * storage) and returns the isolation hook to set (with isolate_ctx = lim). With
 * transform.isolate off the decoder still runs in a child process, without limits. */
rpt_extract_isolate rpt_transform_isolation(const rpt_transform_settings *s, rpt_ocr_options *ocr,
                                            rpt_sandbox_limits *lim);

/* Fills `cfg` with every default (no file). Returns 0 or -1. */
int rpt_config_defaults(rpt_config *cfg, rpt_buf *err);
/* Loads `path` (or only defaults and environment when path is NULL), validates it, applies
 * environment overrides and reads secret files. On error returns -1 with "FILE:LINE: ..." in
 * err and leaves cfg freed. The caller frees a loaded config with rpt_config_clear(). */
int rpt_config_load(rpt_config *cfg, const char *path, rpt_buf *err);
void rpt_config_clear(rpt_config *cfg);
/* Writes the effective config as JSON with secrets masked. */
void rpt_config_dump(const rpt_config *cfg, yajl_gen g);
/* Builds the libpq conninfo including the password from password_file (caller frees). */
#define rpt_config_pg_conninfo(cfg) rpt_postgres_conninfo(&(cfg)->postgres)


/* Path of the config file named by the environment (REPORTD_CONFIG), or NULL. */
const char *rpt_config_path_from_env(void);

#endif
