/* Plain text: UTF-8 (fast path, no iconv) or GB18030. Offsets must refer to the file's own
 * text, so the only rewrites are one code point for one: full-width ASCII digits and
 * letters become ASCII, invalid sequences and NUL become U+FFFD, and a lone CR (old Mac
 * line end) becomes LF. CRLF is kept as it is (the CR stays in the text, so a consumer
 * reading lines treats "\r\n" as one line end); a BOM is dropped and not counted. */
#include <stdlib.h>
#include <string.h>

#include "transforms/decode.h"

int rpt_decode_text(const rpt_extract_input *in, rpt_document *doc, rpt_buf *err)
{
    rpt_charset_choice cs;
    rpt_buf text = RPT_BUF_INIT;
    size_t chars = 0;
    long replaced = 0;
    if (rpt_charset_decode_input(in->data, in->len, in->content_type, 0, RPT_NORM_CR_TO_LF, &cs,
                                &text, &replaced, &chars, err))
        goto fail;
    if (rpt_buf_reserve(&text, 0)) goto oom;
    doc->charset = strdup(cs.name);
    doc->format = strdup("text");
    if (!doc->charset || !doc->format) goto oom;
    doc->text_len = text.len;
    doc->text = rpt_buf_steal(&text);
    doc->text_chars = chars;
    doc->replaced_chars = replaced;
    return 0;
oom:
    rpt_buf_puts(err, "out of memory");
fail:
    rpt_buf_clear(&text);
    return -1;
}
