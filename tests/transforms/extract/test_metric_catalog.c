/* The metric catalog exists once, as data: transforms/rules/metric_keys.h. The migration
 * deploy/sql/003_bi_metrics.sql loads the same rows into reports.metrics; this test builds
 * those rows from the table and checks that the migration holds exactly them (between its
 * "BEGIN metric catalog" and "END metric catalog" lines). `test_metric_catalog --print`
 * prints the rows to paste after a change of the table. Also checks the table itself: keys
 * unique, unit classes and directions known, wordings short enough for the matcher. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "transforms/rules/metric_keys.h"

#define N_DEFS (sizeof RPT_METRIC_DEFS / sizeof *RPT_METRIC_DEFS)

static void sql_str(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; s && *s; s++) {
        if (*s == '\'') fputc('\'', f);
        fputc(*s, f);
    }
    fputc('\'', f);
}

/* The VALUES rows of the INSERT into reports.metrics, one per line. */
static void print_rows(FILE *f)
{
    for (size_t i = 0; i < N_DEFS; i++) {
        const rpt_metric_def *m = &RPT_METRIC_DEFS[i];
        fputs("    (", f);
        sql_str(f, m->key);
        fputs(", ", f);
        sql_str(f, m->name);
        fputs(", ", f);
        sql_str(f, m->unit_class);
        fputs(", ", f);
        sql_str(f, m->direction < 0 ? "lower_is_better" : "higher_is_better");
        fputs(", ", f);
        sql_str(f, m->category);
        fputs(", ", f);
        sql_str(f, m->description);
        fputs(", ", f);
        sql_str(f, m->wordings);
        fputs(i + 1 < N_DEFS ? "),\n" : ");\n", f);
    }
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) n = 0;
    if (s) s[n] = '\0';
    fclose(f);
    return s;
}

static void test_table(void)
{
    for (size_t i = 0; i < N_DEFS; i++) {
        const rpt_metric_def *m = &RPT_METRIC_DEFS[i];
        CHECK(m->key && m->name && m->wordings && m->description && m->category);
        CHECK(!strcmp(m->unit_class, "amount") || !strcmp(m->unit_class, "percent") ||
              !strcmp(m->unit_class, "count") || !strcmp(m->unit_class, "count_or_area"));
        CHECK(m->direction == 1 || m->direction == -1);
        CHECK(!m->growth || !strcmp(m->unit_class, "percent"));
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(m->key, RPT_METRIC_DEFS[j].key) != 0);
        for (const char *p = m->wordings; *p;) {
            const char *e = strchr(p, '|');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            CHECK(len >= 2 && len <= 255);
            p = e ? e + 1 : p + len;
        }
    }
    /* the two ceilings of the catalog */
    for (size_t i = 0; i < N_DEFS; i++)
        if (RPT_METRIC_DEFS[i].direction < 0)
            CHECK(!strcmp(RPT_METRIC_DEFS[i].key, "jobs.unemployment_rate") ||
                  !strcmp(RPT_METRIC_DEFS[i].key, "prices.cpi_growth"));
}

static void test_migration_agrees(void)
{
    const char *src = getenv("REPORTD_SOURCE_DIR");
    REQUIRE(src != NULL);
    char path[4096];
    snprintf(path, sizeof path, "%s/deploy/sql/003_bi_metrics.sql", src);
    char *sql = slurp(path);
    REQUIRE(sql != NULL);
    const char *begin = strstr(sql, "-- BEGIN metric catalog\n");
    const char *end = strstr(sql, "-- END metric catalog");
    REQUIRE(begin && end && end > begin);
    begin = strchr(begin, '\n') + 1;
    /* skip the INSERT line */
    begin = strchr(begin, '\n') + 1;
    char *rows = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&rows, &len);
    print_rows(m);
    fclose(m);
    size_t have = (size_t)(end - begin);
    CHECK(have == len && !memcmp(begin, rows, len));
    if (have != len || memcmp(begin, rows, len))
        fprintf(stderr, "003_bi_metrics.sql does not hold the catalog of "
                        "transforms/rules/metric_keys.h: regenerate with test_metric_catalog "
                        "--print\n");
    free(rows);
    free(sql);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--print")) {
        print_rows(stdout);
        return 0;
    }
    const t_case cases[] = {T(test_table), T(test_migration_agrees)};
    return t_main(argc, argv, NULL, NULL, cases, sizeof cases / sizeof *cases);
}
