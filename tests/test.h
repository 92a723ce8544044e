/* A minimal test framework: CHECK() records a failure and goes on; TEST_MAIN() runs the
 * listed test functions and exits 1 when any check failed (77 when a test asked to skip). */
#ifndef REPORTD_TESTS_TEST_H
#define REPORTD_TESTS_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_failures = 0;
static int t_checks = 0;

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

typedef struct {
    const char *name;
    void (*fn)(void);
} t_case;

/* Runs the cases in order, printing one ok/FAIL line each. */
static inline void t_run_cases(const t_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int before = t_failures;
        cases[i].fn();
        fprintf(stderr, "%s %s\n", t_failures == before ? "ok  " : "FAIL", cases[i].name);
    }
}

#define TEST_MAIN(...)                                                                             \
    int main(void)                                                                                 \
    {                                                                                              \
        const t_case cases[] = {__VA_ARGS__};                                                      \
        t_run_cases(cases, sizeof cases / sizeof *cases);                                          \
        fprintf(stderr, "%d checks, %d failed\n", t_checks, t_failures);                           \
        return t_failures ? 1 : (t_checks ? 0 : 1);                                                \
    }

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

#endif
