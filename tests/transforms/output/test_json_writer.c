/* rpt_document_write_json() must write exactly the bytes rpt_document_to_json() writes with
 * yajl: every byte value in strings, integers at the limits, and doubles whose shortest
 * round-trip form needs 15, 16 or 17 digits or an exponent. */
#include <float.h>
#include <limits.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/json.h"
#include "test.h"
#include "transforms/document.h"
#include "transforms/json_writer.h"

/* The reference: what rpt_jg_number writes (the %.15g/16g/17g round-trip loop). */
static void reference_number(double v, char *out)
{
    out[0] = '\0';
    if (!isfinite(v)) return;
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, 40, "%.*g", prec, v);
        if (strtod(out, NULL) == v) break;
    }
}

/* Both writers over doc; returns 1 when the bytes agree (prints the first difference). */
static int same_output(const rpt_document *doc, int with_text)
{
    yajl_gen g = rpt_jg_new();
    rpt_document_to_json(doc, with_text, g);
    const unsigned char *ref;
    size_t ref_len;
    yajl_gen_get_buf(g, &ref, &ref_len);
    rpt_buf out = RPT_BUF_INIT;
    int ok = rpt_document_write_json(doc, with_text, &out) == 0 && out.len == ref_len &&
             memcmp(out.data, ref, ref_len) == 0;
    if (!ok) {
        size_t i = 0;
        while (i < ref_len && i < out.len && out.data[i] == (char)ref[i])
            i++;
        fprintf(stderr, "outputs differ at byte %zu: yajl \"%.40s\" / writer \"%.40s\"\n", i,
                (const char *)ref + i, out.data ? out.data + i : "");
    }
    rpt_buf_clear(&out);
    yajl_gen_free(g);
    return ok;
}

static void test_every_byte_in_strings(void)
{
    char all[256];
    for (int i = 0; i < 255; i++)
        all[i] = (char)(i + 1);
    all[255] = '\0';
    char text[300];
    for (int i = 0; i < 256; i++)
        text[i] = (char)i; /* NUL included: text has a length */
    memcpy(text + 256, "\xe4\xb8\x87\xe5\x85\x83\"\\/\x7f", 10);
    rpt_section sec = {.ord = 0,
                      .start = 3,
                      .end = 9,
                      .marker = all,
                      .depth = 1,
                      .title = "",
                      .part = RPT_PART_PLAN,
                      .path = "a\tb\nc\r\"d\"\\/",
                      .parent = -1};
    rpt_indicator ind = {.start = 1,
                        .end = 2,
                        .raw = all,
                        .value = 486437.5,
                        .unit = NULL,
                        .qualifier = RPT_QUAL_AT_LEAST,
                        .metric = "\x01\x1f",
                        .kind = RPT_KIND_TARGET,
                        .category = NULL,
                        .section = 0,
                        .sentence = all + 100};
    rpt_document doc = {.source = all,
                       .doc_id = "0123456789abcdef",
                       .title = all + 7,
                       .region = "\xe5\x8d\x97\xe5\xb2\xb3\xe5\x8c\xba",
                       .year = 2024,
                       .format = "text",
                       .charset = "UTF-8",
                       .text = text,
                       .text_len = sizeof text - 30,
                       .text_chars = 270,
                       .replaced_chars = 3,
                       .sections = &sec,
                       .n_sections = 1,
                       .indicators = &ind,
                       .n_indicators = 1};
    CHECK(same_output(&doc, 0));
    CHECK(same_output(&doc, 1));
    rpt_document empty = {0};
    CHECK(same_output(&empty, 0));
    CHECK(same_output(&empty, 1));
}

/* One byte to escape at every position of strings of every length around the block sizes
 * of the writer (8 and 16 bytes), so that each path of the escaping loop meets one. */
static void test_escape_at_every_position(void)
{
    static const char specials[] = {'"', '\\', '\n', '\x01', '\x1f'};
    char s[41];
    int mismatches = 0;
    for (size_t len = 1; len <= 40; len++)
        for (size_t pos = 0; pos < len; pos++)
            for (size_t k = 0; k < sizeof specials; k++) {
                memset(s, 'a', len);
                if (len > 3) memcpy(s + len / 2 - 1, "\xe4\xb8\x87", 3); /* 万 */
                s[pos] = specials[k];
                s[len] = '\0';
                rpt_document doc = {.title = s, .issuer = s + len - 1};
                if (!same_output(&doc, 0)) mismatches++;
            }
    CHECK_INT(mismatches, 0);
}

static void test_integers_at_limits(void)
{
    rpt_section secs[3] = {
        {.ord = INT_MAX, .start = 0, .end = SIZE_MAX / 2, .depth = INT_MIN, .parent = 0},
        {.ord = 1, .start = 9, .end = 10, .depth = 2, .parent = INT_MAX},
        {.ord = -1, .start = 1000000007, .end = 1000000008, .depth = 0, .parent = -5}};
    rpt_document doc = {
        .year = -3, .text_chars = 0, .replaced_chars = LONG_MIN, .sections = secs, .n_sections = 3};
    CHECK(same_output(&doc, 0));
    doc.replaced_chars = LONG_MAX;
    doc.year = INT_MAX;
    CHECK(same_output(&doc, 0));
}

/* xorshift64: reproducible pseudo-random bits */
static uint64_t next_bits(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static double value_of(uint64_t *s, int i)
{
    switch (i % 6) {
    case 0: { /* any bit pattern: NaN, infinities, subnormals included */
        uint64_t b = next_bits(s);
        double d;
        memcpy(&d, &b, sizeof d);
        return d;
    }
    case 1: /* short decimals as reports write them, with magnitudes applied */
        return (double)(next_bits(s) % 100000000) / 100.0 * 10000.0;
    case 2:
        return (double)(next_bits(s) % 1000000) / pow(10, (double)(next_bits(s) % 9));
    case 3: /* around the limits of the fast path */
        return ldexp((double)(next_bits(s) % 1000), (int)(next_bits(s) % 80) - 40);
    case 4:
        return -(double)(next_bits(s) % 10000000000000000ull) / 1000.0;
    default:
        return (double)(int64_t)next_bits(s) / (double)(1 + next_bits(s) % 1000);
    }
}

static void test_doubles_match_round_trip_loop(void)
{
    static const double edge[] = {0.0,
                                  -0.0,
                                  1e-4,
                                  9.9999999999999e-5,
                                  1e15,
                                  999999999999999,
                                  1e15 - 0.5,
                                  0.1,
                                  0.3,
                                  1.0 / 3,
                                  123456789012345.6,
                                  1e308,
                                  DBL_MAX,
                                  DBL_MIN,
                                  5e-324,
                                  486437.5,
                                  15000,
                                  0.0005,
                                  2.5e-5,
                                  9007199254740993.0,
                                  NAN,
                                  INFINITY,
                                  -INFINITY};
    char got[40], want[40];
    int mismatches = 0;
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++) {
        rpt_jw_format_double(edge[i], got);
        reference_number(edge[i], want);
        if (strcmp(got, want)) {
            fprintf(stderr, "%.17g: writer \"%s\", reference \"%s\"\n", edge[i], got, want);
            mismatches++;
        }
    }
    uint64_t s = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < 600000; i++) {
        double v = value_of(&s, i);
        rpt_jw_format_double(v, got);
        reference_number(v, want);
        if (strcmp(got, want) && mismatches++ < 10)
            fprintf(stderr, "%.17g: writer \"%s\", reference \"%s\"\n", v, got, want);
    }
    CHECK_INT(mismatches, 0);
    rpt_indicator inds[2] = {{.value = 0.1 + 0.2, .has_value_high = 1, .value_high = 1e21},
                            {.value = NAN, .has_value_high = 1, .value_high = -0.0}};
    rpt_document doc = {.indicators = inds, .n_indicators = 2};
    CHECK(same_output(&doc, 0));
}

TEST_MAIN(T(test_every_byte_in_strings), T(test_escape_at_every_position),
          T(test_integers_at_limits), T(test_doubles_match_round_trip_loop))
