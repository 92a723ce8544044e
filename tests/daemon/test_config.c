/* Config checking as operators meet it: deploy/reportd.conf.example documents every key of
 * every section with its true default; `reportd check-config` reports FILE:LINE: key and
 * exits 2 on bad input, applies REPORTD_* overrides, reads secret files and never prints a
 * secret. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pipeline/config.h"
#include "common/fs.h"
#include "test.h"

static char g_dir[64];

static char *dump_json(const rpt_config *cfg)
{
    yajl_gen g = rpt_jg_new();
    rpt_config_dump(cfg, g);
    const unsigned char *out;
    size_t len;
    yajl_gen_get_buf(g, &out, &len);
    char *s = strndup((const char *)out, len);
    yajl_gen_free(g);
    return s;
}

static char *path_in(const char *name)
{
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", g_dir, name);
    return buf[k];
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    if (!f) return;
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
}

/* Runs `reportd ARGS` with the shell; stdout+stderr into out. Returns the exit status. */
static int run_reportd(const char *env, const char *args, rpt_buf *out)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s '%s' %s 2>&1", env ? env : "", t_env("REPORTD_BIN"), args);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    rpt_buf_reset(out);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        rpt_buf_append(out, chunk, n);
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_example_documents_every_key(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/deploy/reportd.conf.example", t_env("REPORTD_SOURCE_DIR"));
    rpt_config ex, def;
    rpt_buf err = RPT_BUF_INIT;
    int rc = rpt_config_load(&ex, path, &err);
    if (rc) fprintf(stderr, "%s\n", err.data);
    REQUIRE(rc == 0);
    REQUIRE(rpt_config_defaults(&def, &err) == 0);
    /* every value written in the example is the real default */
    char *a = dump_json(&ex), *b = dump_json(&def);
    CHECK_STR(a, b);
    free(a);
    free(b);
    size_t len = 0;
    char *text = rpt_read_file(path, 1 << 20, &len);
    REQUIRE(text);
    /* every key of every table appears in its own section: as a member, or (keys without a
     * default) on a comment line between the section's start and the next section */
    for (const rpt_config_section *s = rpt_config_sections; s->name; s++) {
        const rpt_jnode *sec = rpt_json_get(ex.root, s->name);
        if (!sec) fprintf(stderr, "section %s missing from the example\n", s->name);
        CHECK(sec && sec->type == RPT_JOBJECT);
        if (!sec) continue;
        int first = sec->line, last = 1 << 30;
        for (size_t i = 0; i < ex.root->n; i++)
            if (ex.root->items[i]->line > first && ex.root->items[i]->line < last)
                last = ex.root->items[i]->line;
        for (const rpt_opt *o = s->opts; o->key; o++) {
            if (rpt_json_get(sec, o->key)) continue;
            char needle[128];
            snprintf(needle, sizeof needle, "\"%s\":", o->key);
            int found = 0, line = 1;
            for (const char *p = text; *p; p++) {
                if (*p == '\n') line++;
                if (line >= first && line < last && strncmp(p, needle, strlen(needle)) == 0) {
                    const char *bol = p;
                    while (bol > text && bol[-1] != '\n')
                        bol--;
                    while (*bol == ' ')
                        bol++;
                    if (strncmp(bol, "//", 2) == 0) found = 1;
                }
            }
            if (!found)
                fprintf(stderr, "key %s.%s is not documented in the example\n", s->name, o->key);
            CHECK(found);
            CHECK(o->def == NULL); /* keys with a default must be set, not commented */
        }
    }
    free(text);
    rpt_config_clear(&ex);
    rpt_config_clear(&def);
    rpt_buf_clear(&err);
}

static void test_check_config_errors(void)
{
    rpt_buf out = RPT_BUF_INIT;
    const char *bad = path_in("bad.conf");
    write_file(bad, "{\n  // comment\n  \"fetch\": {\n    \"concurrency\": 5000\n  }\n}\n", 0644);
    char args[512];
    snprintf(args, sizeof args, "check-config %s", bad);
    CHECK_INT(run_reportd(NULL, args, &out), 2);
    char want[300];
    snprintf(want, sizeof want, "%s:4: fetch.concurrency:", bad);
    CHECK(out.data && strstr(out.data, want));

    write_file(bad, "{\"http\": {\"listen\": \"127.0.0.1:9464\", \"port\": 1}}", 0644);
    CHECK_INT(run_reportd(NULL, args, &out), 2);
    CHECK(out.data && strstr(out.data, ":1: http: unknown key \"port\""));

    write_file(bad,
               "{\"sources\": [{\"name\": \"a\", \"kind\": \"dir\"},\n {\"name\": \"a\", \"kind\": "
               "\"feed\"}]}",
               0644);
    CHECK_INT(run_reportd(NULL, args, &out), 2);
    CHECK(out.data && strstr(out.data, ":2: sources[1].name: \"a\" is already used"));

    /* source keys are checked by their kind's table */
    write_file(bad,
               "{\"sources\": [\n{\"name\": \"a\", \"kind\": \"feed\",\n \"url\": \"http://x/\", "
               "\"itmes\": 1}]}",
               0644);
    CHECK_INT(run_reportd(NULL, args, &out), 2);
    CHECK(out.data && strstr(out.data, ":3: sources[0].itmes: unknown key"));

    write_file(bad, "{\"kafka\": {\"topic.raw\": 5", 0644);
    CHECK_INT(run_reportd(NULL, args, &out), 2);
    CHECK(out.data && strstr(out.data, bad));

    CHECK_INT(run_reportd(NULL, "check-config /nonexistent/reportd.conf", &out), 2);
    CHECK(out.data && strstr(out.data, "/nonexistent/reportd.conf: cannot read config"));

    /* a bad environment override is an error too, naming the variable */
    CHECK_INT(run_reportd("REPORTD_LOAD_BATCH_SIZE=0", "check-config", &out), 2);
    CHECK(out.data && strstr(out.data, "REPORTD_LOAD_BATCH_SIZE"));
    rpt_buf_clear(&out);
}

static void test_check_config_effective_and_masked(void)
{
    rpt_buf out = RPT_BUF_INIT;
    const char *pw = path_in("pgpassword"), *kpw = path_in("kafka-password"),
               *conf = path_in("good.conf");
    write_file(pw, "pg-Secret-1\n", 0600);
    write_file(kpw, "kafka-Secret-2\n", 0600);
    char text[1024];
    snprintf(
        text, sizeof text,
        "{\"postgres\": {\"conninfo\": \"host=db user=r password=inline-Secret-3\","
        " \"password_file\": \"%s\"},\n"
        " \"kafka\": {\"librdkafka\": {\"security.protocol\": \"SASL_SSL\","
        " \"sasl.username\": \"u\"}, \"librdkafka_secret_files\": {\"sasl.password\": \"%s\"}},\n"
        " \"sources\": [{\"name\": \"n\", \"kind\": \"json_api\","
        " \"url\": \"http://bot:api-Secret-4@x/api?page={page}\", \"items\": \"data.list\","
        " \"item_url\": \"url\"}]}\n",
        pw, kpw);
    write_file(conf, text, 0644);
    char args[512];
    snprintf(args, sizeof args, "check-config %s", conf);
    CHECK_INT(run_reportd("REPORTD_FETCH_CONCURRENCY=7 REPORTD_LOG_LEVEL=debug", args, &out), 0);
    REQUIRE(out.data);
    CHECK(strstr(out.data, "\"concurrency\": 7"));
    CHECK(strstr(out.data, "\"level\": \"debug\""));
    CHECK(strstr(out.data, "\"security.protocol\": \"SASL_SSL\""));
    CHECK(strstr(out.data, "\"sasl.password\": \"***\""));
    CHECK(strstr(out.data, "password=***"));
    CHECK(strstr(out.data, "\"url\": \"http://bot:***@x/api?page={page}\""));
    CHECK(strstr(out.data, "Secret") == NULL); /* no secret in any form */

    /* the secrets did reach the config */
    rpt_config cfg;
    rpt_buf err = RPT_BUF_INIT;
    REQUIRE(rpt_config_load(&cfg, conf, &err) == 0);
    CHECK_STR(cfg.postgres.password, "pg-Secret-1");
    int found = 0;
    for (size_t i = 0; i < cfg.kafka.librdkafka.n; i++)
        if (!strcmp(cfg.kafka.librdkafka.keys[i], "sasl.password"))
            found = !strcmp(cfg.kafka.librdkafka.vals[i], "kafka-Secret-2");
    CHECK(found);
    char *conninfo = rpt_config_pg_conninfo(&cfg);
    CHECK(conninfo && strstr(conninfo, "password='pg-Secret-1'"));
    free(conninfo);
    rpt_config_clear(&cfg);

    /* a secret file for a property that is not a secret would print it: refused */
    snprintf(text, sizeof text,
             "{\"kafka\": {\"librdkafka_secret_files\": {\"client.id\": \"%s\"}}}", kpw);
    write_file(conf, text, 0644);
    CHECK(rpt_config_load(&cfg, conf, &err) == -1);
    CHECK(err.data && strstr(err.data, "not a secret property"));
    rpt_buf_reset(&err);
    /* an unreadable secret file is an error naming the key */
    snprintf(text, sizeof text, "{\"postgres\": {\"password_file\": \"%s/missing\"}}", g_dir);
    write_file(conf, text, 0644);
    CHECK(rpt_config_load(&cfg, conf, &err) == -1);
    CHECK(err.data && strstr(err.data, "postgres.password_file: cannot read"));
    rpt_buf_clear(&err);
    rpt_buf_clear(&out);
}

/* `reportd run` refuses bad arguments and configs before starting anything (exit 2), and an
 * endpoint address already in use is a runtime failure (exit 1), not a hang. */
static void test_run_refuses_bad_input(void)
{
    rpt_buf out = RPT_BUF_INIT;
    CHECK_INT(run_reportd(NULL, "run --role fetch,parse", &out), 2);
    CHECK(out.data && strstr(out.data, "unknown role \"parse\""));
    CHECK_INT(run_reportd(NULL, "run --instance 3/2", &out), 2);
    CHECK(out.data && strstr(out.data, "--instance"));
    CHECK_INT(run_reportd(NULL, "run extra-argument", &out), 2);
    const char *bad = path_in("run-bad.conf");
    write_file(bad, "{\"runtime\": {\n \"shutdown_grace_s\": 0}}", 0644);
    char args[512];
    snprintf(args, sizeof args, "run --config %s", bad);
    CHECK_INT(run_reportd(NULL, args, &out), 2);
    char want[300];
    snprintf(want, sizeof want, "%s:2: runtime.shutdown_grace_s:", bad);
    CHECK(out.data && strstr(out.data, want));

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    REQUIRE(bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && listen(fd, 1) == 0);
    REQUIRE(getsockname(fd, (struct sockaddr *)&a, &len) == 0);
    char env[128];
    snprintf(env, sizeof env, "REPORTD_HTTP_LISTEN=127.0.0.1:%d", ntohs(a.sin_port));
    CHECK_INT(run_reportd(env, "run --role transform", &out), 1);
    CHECK(out.data && strstr(out.data, "cannot start the HTTP endpoint"));
    close(fd);
    rpt_buf_clear(&out);
}

static void setup(void)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/reportd-config-XXXXXX");
    CHECK(mkdtemp(g_dir) != NULL);
}

static void cleanup(void)
{
    CHECK(t_remove_dir(g_dir) == 0);
}

TEST_MAIN(T(setup), T(test_example_documents_every_key), T(test_check_config_errors),
          T(test_check_config_effective_and_masked), T(test_run_refuses_bad_input), T(cleanup))
