/* reportd.conf(5) is written from the settings tables: every key of every section, of every
 * source and of every source kind has a doc string and its own entry in the page, with its
 * default and bounds. A key added without a doc string fails here (and the build step that
 * writes the page fails too). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/config_man.h"
#include "test.h"

typedef struct {
    const char *page;
    int keys, undocumented, missing;
} walk;

/* The key as the page writes it: '-' as \- */
static void roff_key(char *out, size_t size, const char *key)
{
    size_t n = 0;
    for (const char *p = key; *p && n + 3 < size; p++) {
        if (*p == '-') out[n++] = '\\';
        out[n++] = *p;
    }
    out[n] = '\0';
}

static void check_key(const char *section, const rpt_opt *o, void *arg)
{
    walk *w = arg;
    w->keys++;
    if (!o->doc || !*o->doc) {
        fprintf(stderr, "undocumented key %s.%s\n", section, o->key);
        w->undocumented++;
    }
    char key[128], entry[160];
    roff_key(key, sizeof key, o->key);
    snprintf(entry, sizeof entry, ".TP\n.B %s\n", key);
    /* searched from the heading of its own section (the same key can be in several) */
    char heading[96];
    if (!strcmp(section, "sources"))
        snprintf(heading, sizeof heading, ".SS Keys of every source\n");
    else if (!strncmp(section, "sources.", 8))
        snprintf(heading, sizeof heading, ".SS kind %s ", section + 8);
    else
        snprintf(heading, sizeof heading, ".SS %s ", section);
    const char *from = strstr(w->page, heading);
    const char *next = from ? strstr(from + 1, ".SS ") : NULL;
    const char *at = from ? strstr(from, entry) : NULL;
    if (at && next && at > next) at = NULL;
    if (!at) {
        fprintf(stderr, "no entry for %s.%s in the page\n", section, o->key);
        w->missing++;
        return;
    }
    /* its default and bounds are on the next line */
    const char *line = at + strlen(entry);
    const char *end = strchr(line, '\n');
    if (o->def && o->type == RPT_OPT_INT && !(o->min == 0 && o->max == 0)) {
        char bounds[96];
        snprintf(bounds, sizeof bounds, "to %.15g", o->max);
        if (!strstr(line, "default") || !memmem(line, (size_t)(end - line), bounds, strlen(bounds))) {
            fprintf(stderr, "%s.%s: default or bounds missing: %.*s\n", section, o->key,
                    (int)(end - line), line);
            w->missing++;
        }
    }
}

static void test_every_key_documented(void)
{
    char *page = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&page, &len);
    REQUIRE(f != NULL);
    int rc = rpt_config_write_man(f);
    fclose(f);
    CHECK(rc == 0);
    CHECK(strstr(page, ".TH REPORTD.CONF 5") != NULL);
    CHECK(strstr(page, "UNDOCUMENTED") == NULL);
    walk w = {.page = page};
    rpt_config_each_key(check_key, &w);
    CHECK(w.keys > 40);
    CHECK(w.undocumented == 0);
    CHECK(w.missing == 0);
    /* sections and kinds have their headings */
    CHECK(strstr(page, ".SS kafka") && strstr(page, ".SS runtime") && strstr(page, ".SS kind html_index") &&
          strstr(page, ".SS kind dir"));
    CHECK(strstr(page, "REPORTD_KAFKA_BOOTSTRAP_SERVERS") != NULL);
    free(page);
}

TEST_MAIN(T(test_every_key_documented))
