/* Decoding stage: placeholder accepting UTF-8 plain text only. */
#include <stdlib.h>
#include <string.h>

#include "transforms/extract.h"

int rd_decode(const rd_extract_input *in, rd_document *doc, rd_buf *err)
{
    (void)err;
    doc->text = malloc(in->len + 1);
    if (!doc->text) return -1;
    memcpy(doc->text, in->data, in->len);
    doc->text[in->len] = '\0';
    doc->text_len = in->len;
    size_t chars = 0;
    for (size_t i = 0; i < in->len; i++)
        if ((in->data[i] & 0xC0) != 0x80) chars++;
    doc->text_chars = chars;
    doc->format = strdup("text");
    doc->charset = strdup("UTF-8");
    return 0;
}
