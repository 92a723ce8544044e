#include "pipeline/config.h"

#include "common/fs.h"
#include "common/log.h"
#include "common/sandbox.h"
#include "transforms/extract.h"

#include <errno.h>
#include <pthread.h>
#include <unistd.h>
#include <libpq-fe.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_CONFIG_BYTES (4u << 20)




static const rpt_opt load_opts[] = {
    {"batch_size", RPT_OPT_INT, "500", 1, 100000, offsetof(rpt_load_settings, batch_size), 0,
     "documents per loader transaction"},
    {"batch_latency_ms", RPT_OPT_INT, "200", 1, 600000, offsetof(rpt_load_settings, batch_latency_ms),
     0, "longest wait before a partial batch is written"},
    {"max_batch_bytes", RPT_OPT_INT, "16777216", 1024, 1073741824.0,
     offsetof(rpt_load_settings, max_batch_bytes), 0,
     "bytes of consumed messages per loader transaction: a batch is written once the sum of "
     "its message sizes reaches this, even with fewer than batch_size documents"},
    {"stall_s", RPT_OPT_INT, "60", 1, 86400, offsetof(rpt_load_settings, stall_s), 0,
     "seconds a batch may keep failing before the loader stops heart-beating"},
    RPT_OPT_END};

static const rpt_opt http_opts[] = {
    {"listen", RPT_OPT_STRING, "127.0.0.1:9464", 0, 0, offsetof(rpt_http_settings, listen), 0,
     "address of /metrics, /healthz and /readyz (empty string: off)"},
    RPT_OPT_END};

static const rpt_opt log_opts[] = {
    {"level", RPT_OPT_STRING, "info", 0, 0, offsetof(rpt_log_settings, level), 0,
     "debug | info | warn | error"},
    {"format", RPT_OPT_STRING, "logfmt", 0, 0, offsetof(rpt_log_settings, format), 0,
     "logfmt | json"},
    RPT_OPT_END};

static const rpt_opt runtime_opts[] = {
    {"shutdown_grace_s", RPT_OPT_INT, "30", 1, 3600, offsetof(rpt_runtime_settings, shutdown_grace_s),
     0, "time allowed to drain on SIGTERM"},
    {"state_dir", RPT_OPT_STRING, "/var/lib/reportd", 0, 0, offsetof(rpt_runtime_settings, state_dir),
     0, "working directory for state files"},
    {"probe_interval_s", RPT_OPT_INT, "5", 1, 3600, offsetof(rpt_runtime_settings, probe_interval_s),
     0, "how often /readyz and systemd readiness re-check that Postgres and Kafka are reachable"},
    {"probe_timeout_s", RPT_OPT_INT, "3", 1, 600, offsetof(rpt_runtime_settings, probe_timeout_s), 0,
     "time allowed to each reachability check"},
    RPT_OPT_END};

static const rpt_opt transform_opts[] = {
    {"ocr", RPT_OPT_BOOL, "true", 0, 0, offsetof(rpt_transform_settings, ocr), 0,
     "recognise the text of PDF pages without a text layer (scans) with Tesseract"},
    {"ocr_max_pages", RPT_OPT_INT, "30", 1, 2000, offsetof(rpt_transform_settings, ocr_max_pages),
     0, "pages OCR'd per document at most; later scanned pages are skipped"},
    {"ocr_max_seconds", RPT_OPT_DOUBLE, "120", 1, 3600,
     offsetof(rpt_transform_settings, ocr_max_seconds), 0,
     "OCR time per document at most; pages past it are skipped"},
    {"ocr_dpi", RPT_OPT_INT, "300", 100, 600, offsetof(rpt_transform_settings, ocr_dpi), 0,
     "resolution pages are rendered at for OCR"},
    {"decoder", RPT_OPT_STRING, "", 0, 0, offsetof(rpt_transform_settings, decoder), 0,
     "the decoder program that reads PDF (with OCR) and .doc files, one child process per "
     "document; empty: reportd-decoder beside the reportd executable, else in "
     "../libexec/reportd/ from it (where the package installs it)"},
    {"isolate", RPT_OPT_BOOL, "true", 0, 0, offsetof(rpt_transform_settings, isolate), 0,
     "hold the decoder child to the limits below; a crash, limit or timeout rejects the "
     "document (false: no limits)"},
    {"isolate_cpu_s", RPT_OPT_DOUBLE, "150", 1, 3600, offsetof(rpt_transform_settings, isolate_cpu_s),
     0, "CPU seconds of the decoding child"},
    {"isolate_memory_mb", RPT_OPT_INT, "2048", 64, 65536,
     offsetof(rpt_transform_settings, isolate_memory_mb), 0,
     "memory (address space) the decoding child may map beyond its loaded program, MiB"},
    {"isolate_wall_s", RPT_OPT_DOUBLE, "180", 1, 7200, offsetof(rpt_transform_settings, isolate_wall_s),
     0, "wall-clock seconds of the decoding child (raised to ocr_max_seconds + 30)"},
    {"heavy_workers", RPT_OPT_INT, "1", 0, 16, offsetof(rpt_transform_settings, heavy_workers), 0,
     "threads that decode PDF and .doc documents (each in its child process) beside the main "
     "loop, so that a long OCR does not hold back the HTML documents behind it; 0: decode "
     "them in line"},
    {"max_sections", RPT_OPT_INT, "20000", 1, 10000000,
     offsetof(rpt_transform_settings, max_sections), 0,
     "a document with more sections is rejected (reports.dlq) instead of produced"},
    {"max_indicators", RPT_OPT_INT, "100000", 1, 10000000,
     offsetof(rpt_transform_settings, max_indicators), 0,
     "a document with more indicators is rejected (reports.dlq) instead of produced"},
    RPT_OPT_END};

const rpt_config_section rpt_config_sections[] = {
    {"kafka", rpt_kafka_opts, offsetof(rpt_config, kafka), "Kafka brokers and topics"},
    {"postgres", rpt_postgres_opts, offsetof(rpt_config, postgres), "PostgreSQL connection"},
    {"fetch", rpt_fetch_opts, offsetof(rpt_config, fetch), "HTTP fetching"},
    {"load", load_opts, offsetof(rpt_config, load), "loader batching"},
    {"http", http_opts, offsetof(rpt_config, http), "metrics and health endpoint"},
    {"log", log_opts, offsetof(rpt_config, log), "logging"},
    {"runtime", runtime_opts, offsetof(rpt_config, runtime), "process runtime"},
    {"transform", transform_opts, offsetof(rpt_config, transform),
     "decoding of PDF (with OCR) and legacy Word documents, bounds per document"},
    {NULL, NULL, 0, NULL}};

static char decoder_beside_exe[4200];

static void find_decoder(void)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    const char *dir = ".";
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            dir = exe;
        }
    }
    /* the build tree has it beside reportd; an install, in PREFIX/libexec/reportd */
    snprintf(decoder_beside_exe, sizeof decoder_beside_exe, "%s/reportd-decoder", dir);
    if (access(decoder_beside_exe, X_OK) == 0) return;
    snprintf(decoder_beside_exe, sizeof decoder_beside_exe, "%s/../libexec/reportd/reportd-decoder",
             dir);
}

/* The decoder program for the running executable (static storage): reportd-decoder in its
 * directory, else in ../libexec/reportd/ from there. */
static const char *default_decoder(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, find_decoder);
    return decoder_beside_exe;
}

rpt_extract_isolate rpt_transform_isolation(const rpt_transform_settings *s, rpt_ocr_options *ocr,
                                            rpt_sandbox_limits *lim)
{
    ocr->enabled = s->ocr;
    ocr->max_pages = (int)s->ocr_max_pages;
    ocr->max_seconds = s->ocr_max_seconds;
    ocr->dpi = (int)s->ocr_dpi;
    memset(lim, 0, sizeof *lim);
    if (s->isolate) {
        lim->cpu_s = s->isolate_cpu_s;
        lim->memory_bytes = (size_t)s->isolate_memory_mb << 20;
        lim->wall_s = s->isolate_wall_s;
        if (s->ocr && lim->wall_s < s->ocr_max_seconds + 30) lim->wall_s = s->ocr_max_seconds + 30;
    }
    lim->program = s->decoder && *s->decoder ? s->decoder : default_decoder();
    return rpt_sandbox_isolate;
}

#define SECTION_PTR(cfg, s) ((void *)((char *)(cfg) + (s)->offset))


int rpt_config_defaults(rpt_config *cfg, rpt_buf *err)
{
    memset(cfg, 0, sizeof *cfg);
    for (const rpt_config_section *s = rpt_config_sections; s->name; s++)
        if (rpt_opts_defaults(s->opts, SECTION_PTR(cfg, s), err)) return -1;
    return 0;
}


const char *rpt_config_path_from_env(void)
{
    const char *p = getenv("REPORTD_CONFIG");
    return p && *p ? p : NULL;
}

/* Reads the first line of a secret file into *out (caller frees). `what` names the key for
 * messages. Warns (never logging the secret) when other users may read the file. */
static int read_secret(const char *what, const char *path, char **out, rpt_buf *err)
{
    size_t len = 0;
    char *s = rpt_read_file(path, 65536, &len);
    if (!s) {
        rpt_buf_printf(err, "%s: cannot read %s: %s", what, path, strerror(errno));
        return -1;
    }
    s[strcspn(s, "\r\n")] = '\0';
    struct stat st;
    if (stat(path, &st) == 0 && (st.st_mode & S_IROTH))
        rpt_log_warn("config", "secret file is world-readable", "key=%s file=%s", what, path);
    *out = s;
    return 0;
}

/* Moves each kafka.librdkafka_secret_files entry into kafka.librdkafka (replacing a property
 * of the same name). Only properties recognised as secrets are accepted, so they stay masked. */
static int read_kafka_secrets(rpt_kafka_settings *ks, rpt_buf *err)
{
    rpt_kvlist *files = &ks->librdkafka_secret_files;
    for (size_t i = 0; i < files->n; i++) {
        const char *key = files->keys[i];
        if (!rpt_kafka_key_is_secret(key)) {
            rpt_buf_printf(err,
                          "kafka.librdkafka_secret_files: \"%s\" is not a secret property "
                          "(expected sasl.*, *password* or *secret*)",
                          key);
            return -1;
        }
        char what[160];
        snprintf(what, sizeof what, "kafka.librdkafka_secret_files.%s", key);
        char *secret = NULL;
        if (read_secret(what, files->vals[i], &secret, err)) return -1;
        rpt_kvlist *kv = &ks->librdkafka;
        size_t j = 0;
        while (j < kv->n && strcmp(kv->keys[j], key)) j++;
        int rc = 0;
        if (j < kv->n) {
            char *copy = strdup(secret);
            if (copy) {
                memset(kv->vals[j], 0, strlen(kv->vals[j]));
                free(kv->vals[j]);
                kv->vals[j] = copy;
            } else {
                rc = -1;
            }
        } else {
            rc = rpt_kvlist_add(kv, key, secret);
        }
        memset(secret, 0, strlen(secret));
        free(secret);
        if (rc) {
            rpt_buf_puts(err, "kafka.librdkafka_secret_files: out of memory");
            return -1;
        }
    }
    return 0;
}

/* Checks the shape the runtime relies on: each source is an object with a unique, non-empty
 * string "name" and a string "kind". Kind-specific keys are checked by the fetch role. */
static int validate_sources(const rpt_config *cfg, rpt_buf *err)
{
    const char *file = cfg->path ? cfg->path : "(config)";
    if (!cfg->sources) return 0;
    for (size_t i = 0; i < cfg->sources->n; i++) {
        const rpt_jnode *src = cfg->sources->items[i];
        if (src->type != RPT_JOBJECT) {
            rpt_buf_printf(err, "%s:%d: sources[%zu]: expected an object, got %s", file, src->line,
                          i, rpt_jtype_name(src->type));
            return -1;
        }
        const rpt_jnode *name = rpt_json_get(src, "name");
        if (!name || name->type != RPT_JSTRING || !*name->str) {
            rpt_buf_printf(err, "%s:%d: sources[%zu].name: expected a non-empty string", file,
                          name ? name->line : src->line, i);
            return -1;
        }
        const rpt_jnode *kind = rpt_json_get(src, "kind");
        if (!kind || kind->type != RPT_JSTRING || !*kind->str) {
            rpt_buf_printf(err, "%s:%d: sources[%zu].kind: expected a non-empty string", file,
                          kind ? kind->line : src->line, i);
            return -1;
        }
        for (size_t j = 0; j < i; j++) {
            const char *other = rpt_json_str(cfg->sources->items[j], "name");
            if (other && strcmp(other, name->str) == 0) {
                rpt_buf_printf(err, "%s:%d: sources[%zu].name: \"%s\" is already used by sources[%zu]",
                              file, name->line, i, name->str, j);
                return -1;
            }
        }
    }
    return 0;
}

static int validate(rpt_config *cfg, rpt_buf *err)
{
    rpt_log_level lvl;
    if (rpt_log_level_parse(cfg->log.level, &lvl)) {
        rpt_buf_printf(err, "log.level: expected debug, info, warn or error, got \"%s\"", cfg->log.level);
        return -1;
    }
    if (strcmp(cfg->log.format, "logfmt") && strcmp(cfg->log.format, "json")) {
        rpt_buf_printf(err, "log.format: expected logfmt or json, got \"%s\"", cfg->log.format);
        return -1;
    }
    if (cfg->http.listen && *cfg->http.listen && !strrchr(cfg->http.listen, ':')) {
        rpt_buf_printf(err, "http.listen: expected HOST:PORT, got \"%s\"", cfg->http.listen);
        return -1;
    }
    /* the largest message: a reports.raw message carries a whole fetched body */
    if (rpt_kafka_settings_check(&cfg->kafka, cfg->fetch.max_body_bytes, err)) return -1;
    return validate_sources(cfg, err);
}

int rpt_config_load(rpt_config *cfg, const char *path, rpt_buf *err)
{
    if (rpt_config_defaults(cfg, err)) goto fail;
    if (path) {
        cfg->path = strdup(path);
        size_t len = 0;
        char *text = rpt_read_file(path, MAX_CONFIG_BYTES, &len);
        if (!text) {
            rpt_buf_printf(err, "%s: cannot read config: %s", path, strerror(errno));
            goto fail;
        }
        rpt_buf perr = RPT_BUF_INIT;
        cfg->root = rpt_json_parse(text, len, &perr);
        free(text);
        if (!cfg->root) {
            rpt_buf_printf(err, "%s:%s", path, perr.data ? perr.data : " invalid JSON");
            rpt_buf_clear(&perr);
            goto fail;
        }
        if (cfg->root->type != RPT_JOBJECT) {
            rpt_buf_printf(err, "%s:%d: the config must be a JSON object", path, cfg->root->line);
            goto fail;
        }
        for (size_t i = 0; i < cfg->root->n; i++) {
            const rpt_jnode *sec = cfg->root->items[i];
            if (strcmp(sec->key, "sources") == 0) {
                if (sec->type != RPT_JARRAY) {
                    rpt_buf_printf(err, "%s:%d: sources: expected an array", path, sec->line);
                    goto fail;
                }
                cfg->sources = sec;
                continue;
            }
            const rpt_config_section *s = rpt_config_sections;
            while (s->name && strcmp(s->name, sec->key)) s++;
            if (!s->name) {
                rpt_buf_printf(err, "%s:%d: unknown section \"%s\"", path, sec->line, sec->key);
                goto fail;
            }
            if (rpt_opts_apply(s->opts, SECTION_PTR(cfg, s), sec, path, s->name, err)) goto fail;
        }
    }
    for (const rpt_config_section *s = rpt_config_sections; s->name; s++) {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "REPORTD_%s", s->name);
        for (char *p = prefix; *p; p++) *p = (char)((*p >= 'a' && *p <= 'z') ? *p - 32 : *p);
        if (rpt_opts_apply_env(s->opts, SECTION_PTR(cfg, s), prefix, err)) goto fail;
    }
    if (cfg->postgres.password_file &&
        read_secret("postgres.password_file", cfg->postgres.password_file, &cfg->postgres.password,
                    err))
        goto fail;
    if (read_kafka_secrets(&cfg->kafka, err)) goto fail;
    if (validate(cfg, err)) goto fail;
    return 0;
fail:
    rpt_config_clear(cfg);
    return -1;
}

void rpt_config_clear(rpt_config *cfg)
{
    rpt_kvlist *kv = &cfg->kafka.librdkafka;
    for (size_t i = 0; i < kv->n; i++)
        if (kv->keys && kv->keys[i] && kv->vals[i] && rpt_kafka_key_is_secret(kv->keys[i]))
            memset(kv->vals[i], 0, strlen(kv->vals[i]));
    for (const rpt_config_section *s = rpt_config_sections; s->name; s++)
        rpt_opts_clear(s->opts, SECTION_PTR(cfg, s));
    if (cfg->postgres.password) {
        memset(cfg->postgres.password, 0, strlen(cfg->postgres.password));
        free(cfg->postgres.password);
    }
    rpt_json_free(cfg->root);
    free(cfg->path);
    memset(cfg, 0, sizeof *cfg);
}

/* The conninfo with any password replaced by ***, in key=value form (caller frees). A
 * conninfo libpq cannot parse is masked whole. */
static char *masked_conninfo(const char *conninfo)
{
    char *errmsg = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &errmsg);
    if (!opts) {
        PQfreemem(errmsg);
        return strdup("***");
    }
    rpt_buf b = RPT_BUF_INIT;
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (!o->val) continue;
        if (b.len) rpt_buf_putc(&b, ' ');
        rpt_buf_printf(&b, "%s=", o->keyword);
        if (strcmp(o->keyword, "password") == 0 || strcmp(o->keyword, "sslpassword") == 0) {
            rpt_buf_puts(&b, "***");
            continue;
        }
        int quote = !*o->val || strpbrk(o->val, " '\\") != NULL;
        if (quote) rpt_buf_putc(&b, '\'');
        for (const char *p = o->val; *p; p++) {
            if (*p == '\'' || *p == '\\') rpt_buf_putc(&b, '\\');
            rpt_buf_putc(&b, *p);
        }
        if (quote) rpt_buf_putc(&b, '\'');
    }
    PQconninfoFree(opts);
    if (!b.data) return strdup("");
    return rpt_buf_steal(&b);
}

void rpt_config_dump(const rpt_config *cfg, yajl_gen g)
{
    yajl_gen_map_open(g);
    for (const rpt_config_section *s = rpt_config_sections; s->name; s++) {
        rpt_jg_key(g, s->name);
        if (s->offset == offsetof(rpt_config, postgres)) {
            rpt_postgres_settings masked = cfg->postgres;
            char *conninfo = cfg->postgres.conninfo ? masked_conninfo(cfg->postgres.conninfo) : NULL;
            masked.conninfo = conninfo;
            masked.password = NULL;
            rpt_opts_dump(s->opts, &masked, g);
            free(conninfo);
            continue;
        }
        rpt_opts_dump(s->opts, (const char *)cfg + s->offset, g);
    }
    yajl_gen_map_close(g);
}

