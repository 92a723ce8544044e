/* A minimal test framework: CHECK() records a failure and goes on; TEST_MAIN() runs the
 * listed test functions and exits 1 when any check failed or a test function ran no check
 * at all (it proves nothing), 77 when a test function skipped (T_SKIP) and none failed.
 * TEST_MAIN_WITH() adds a set-up and a tear-down around the cases. Every C test goes
 * through one of the two, so that these rules hold for all of them. */
#ifndef REPORTD_TESTS_TEST_H
#define REPORTD_TESTS_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_failures = 0;
static int t_checks = 0;
static int t_skips = 0;       /* test functions that skipped */
static int t_case_skipped = 0; /* the running test function skipped */

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        t_checks++;                                                                                \
        if (!(cond)) {                                                                             \
            t_failures++;                                                                          \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        t_checks++;                                                                                \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                                   \
            t_failures++;                                                                          \
            fprintf(stderr, "%s:%d: CHECK_STR failed: %s == \"%s\", expected \"%s\"\n", __FILE__,  \
                    __LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");                         \
        }                                                                                          \
    } while (0)

#define CHECK_INT(a, b)                                                                            \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        t_checks++;                                                                                \
        if (a_ != b_) {                                                                            \
            t_failures++;                                                                          \
            fprintf(stderr, "%s:%d: CHECK_INT failed: %s == %lld, expected %lld\n", __FILE__,      \
                    __LINE__, #a, a_, b_);                                                         \
        }                                                                                          \
    } while (0)

#define CHECK_NUM(a, b)                                                                            \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        t_checks++;                                                                                \
        if (!(fabs(a_ - b_) <= 1e-9 * fmax(1.0, fmax(fabs(a_), fabs(b_))))) {                      \
            t_failures++;                                                                          \
            fprintf(stderr, "%s:%d: CHECK_NUM failed: %s == %.17g, expected %.17g\n", __FILE__,    \
                    __LINE__, #a, a_, b_);                                                         \
        }                                                                                          \
    } while (0)

/* Aborts the current test function when a precondition does not hold. */
#define REQUIRE(cond)                                                                              \
    do {                                                                                           \
        t_checks++;                                                                                \
        if (!(cond)) {                                                                             \
            t_failures++;                                                                          \
            fprintf(stderr, "%s:%d: REQUIRE failed: %s\n", __FILE__, __LINE__, #cond);             \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* Skips the rest of the running test function, with a reason (printf format): the program
 * then exits 77 (skipped) unless a check failed. */
#define T_SKIP(...)                                                                                \
    do {                                                                                           \
        fprintf(stderr, "skip: ");                                                                 \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fprintf(stderr, "\n");                                                                     \
        t_case_skipped = 1;                                                                        \
        return;                                                                                    \
    } while (0)

typedef struct {
    const char *name;
    void (*fn)(void);
} t_case;

/* Whether case name was asked for on the command line (every case when none was). */
static inline int t_selected(const char *name, int argc, char **argv)
{
    if (argc <= 1) return 1;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], name) == 0) return 1;
    return 0;
}

/* Runs the cases in order (those named in argv[1..] when any), printing one ok/FAIL/skip
 * line each. A case that neither checked anything nor skipped fails. */
static inline void t_run_cases(const t_case *cases, size_t n, int argc, char **argv)
{
    for (size_t i = 0; i < n; i++) {
        if (!t_selected(cases[i].name, argc, argv)) continue;
        int failures = t_failures, checks = t_checks;
        t_case_skipped = 0;
        cases[i].fn();
        if (t_case_skipped) {
            t_skips++;
        } else if (t_checks == checks) {
            t_failures++;
            fprintf(stderr, "%s: no check ran\n", cases[i].name);
        }
        fprintf(stderr, "%s %s\n",
                t_failures != failures ? "FAIL"
                : t_case_skipped       ? "skip"
                                       : "ok  ",
                cases[i].name);
    }
}

/* The whole test program: setup (when not NULL) returns 0 to go on, 77 to skip, anything
 * else to fail; the cases run; teardown (when not NULL) runs after them. Returns the exit
 * status: 1 when a check failed or nothing was checked, 77 when a case skipped, else 0. */
static inline int t_main(int argc, char **argv, int (*setup)(void), void (*teardown)(void),
                         const t_case *cases, size_t n)
{
    if (setup) {
        int rc = setup();
        if (rc) {
            fprintf(stderr, rc == 77 ? "skip: set-up\n" : "FAIL: set-up\n");
            return rc == 77 ? 77 : 1;
        }
    }
    t_run_cases(cases, n, argc, argv);
    if (teardown) teardown();
    fprintf(stderr, "%d checks, %d failed, %d skipped\n", t_checks, t_failures, t_skips);
    if (t_failures) return 1;
    if (t_skips) return 77;
    return t_checks ? 0 : 1;
}

#define TEST_MAIN_WITH(setup, teardown, ...)                                                       \
    int main(int argc, char **argv)                                                                \
    {                                                                                              \
        const t_case cases[] = {__VA_ARGS__};                                                      \
        return t_main(argc, argv, setup, teardown, cases, sizeof cases / sizeof *cases);           \
    }

#define TEST_MAIN(...) TEST_MAIN_WITH(NULL, NULL, __VA_ARGS__)

#define T(fn) {#fn, fn}

/* Environment variable or skip (exit 77) with a reason. */
static inline const char *t_env_or_skip(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        fprintf(stderr, "skip: %s is not set\n", name);
        exit(77);
    }
    return v;
}

/* Environment variable that must be set (the harness sets it): fail otherwise. */
static inline const char *t_env(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        fprintf(stderr, "FAIL: %s is not set (run under tests/harness/with-services)\n", name);
        exit(1);
    }
    return v;
}

/* Removes a test's scratch folder and everything in it (rm -rf, the path quoted); says so
 * on stderr when that fails. Returns 0 or -1. */
static inline int t_remove_dir(const char *dir)
{
    char cmd[1200];
    if (snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir) >= (int)sizeof cmd || system(cmd) != 0) {
        fprintf(stderr, "cannot remove %s\n", dir);
        return -1;
    }
    return 0;
}

#endif
