/* reportd-decoder: decodes one PDF or legacy Word document for reportd, which executes it
 * per document under CPU, memory and wall-clock limits (common/sandbox.h):
 *   reportd-decoder decode-task pdf|doc    input on stdin, result record on descriptor 3
 * It is not meant to be run by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/sandbox.h"
#include "decoders/decoders.h"

/* Tesseract parallelises with OpenMP, whose threads spin while they wait (on a shared machine
 * OCR ran 3.5 times slower in wall-clock time than with one thread). libgomp reads
 * OMP_THREAD_LIMIT when it is loaded, before main(): reportd puts it in the environment it
 * hands down; started without it, the program sets it and executes itself again, once.
 * Setting OMP_THREAD_LIMIT yourself (to more threads) is respected. */
static void limit_openmp_threads(char **argv)
{
    if (getenv("OMP_THREAD_LIMIT")) return;
    if (setenv("OMP_THREAD_LIMIT", "1", 0) != 0) return;
    execv("/proc/self/exe", argv);
    /* no /proc: go on with the default thread count */
}

int main(int argc, char **argv)
{
    limit_openmp_threads(argv);
    rpt_sandbox_serve_if_asked(argc, argv, rpt_decoders_run); /* never returns when asked */
    fprintf(stderr, "usage: %s " RPT_SANDBOX_COMMAND " pdf|doc  (run by reportd, one document "
                    "on stdin, the result on descriptor 3)\n",
            argc > 0 ? argv[0] : "reportd-decoder");
    return 2;
}
