/* The transform role: reports.raw through the extractor into reports.parsed, with input it
 * cannot process sent to reports.dlq (connectors/kafka_transform.h). */
#include "connectors/kafka_transform.h"
#include "daemon/role.h"

int rd_role_transform(rd_role_ctl *ctl)
{
    rd_transform_params p = {.ctl = ctl};
    return rd_transform_run(&p);
}
