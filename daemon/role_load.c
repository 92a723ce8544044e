/* The load role: reports.parsed (and reports.dlq) into PostgreSQL, exactly once per
 * message (connectors/kafka_load.h). */
#include "connectors/kafka_load.h"
#include "daemon/role.h"

int rd_role_load(rd_role_ctl *ctl)
{
    rd_loader_params p = {.ctl = ctl};
    return rd_loader_run(&p);
}
