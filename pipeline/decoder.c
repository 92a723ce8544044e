#include "pipeline/decoder.h"

#include <string.h>

#include "common/sandbox.h"
#include "transforms/extract.h"

void rpt_decoder_serve_if_asked(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], RPT_DECODER_COMMAND) == 0)
        rpt_sandbox_serve(argv[2], rpt_extract_task_run);
}
