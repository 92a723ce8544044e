#include "daemon/openmp.h"

#include <stdlib.h>
#include <unistd.h>

static char **start_argv;
static int set_here; /* OMP_THREAD_LIMIT was not in the environment at start */

void rpt_openmp_init(char **argv)
{
    start_argv = argv;
    if (getenv("OMP_THREAD_LIMIT")) return;
    set_here = setenv("OMP_THREAD_LIMIT", "1", 0) == 0;
}

void rpt_openmp_for_inprocess_ocr(void)
{
    if (!set_here || !start_argv) return;
    set_here = 0;
    execv("/proc/self/exe", start_argv);
    /* no /proc: go on with libgomp's default thread count */
}
