#include "connectors/postgres/rows.h"

#include <stdlib.h>
#include <string.h>

void rpt_parsed_message_clear(rpt_parsed_message *m)
{
    free(m->arena);
    free(m->sections);
    free(m->indicators);
    memset(m, 0, sizeof *m);
}
