/* The load role: reports.parsed (and reports.dlq) into PostgreSQL, exactly once per
 * message (connectors/kafka_load.h). */
#include "connectors/kafka_load.h"
#include "daemon/role.h"

int rpt_role_load(rpt_role_ctl *ctl)
{
    rpt_loader_params p = {.ctl = ctl};
    return rpt_loader_run(&p);
}
