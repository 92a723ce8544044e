/* The transform role: reports.raw through the extractor into reports.parsed, with input it
 * cannot process sent to reports.dlq (connectors/kafka_transform.h). */
#include "connectors/kafka_transform.h"
#include "daemon/role.h"

int rpt_role_transform(rpt_role_ctl *ctl)
{
    rpt_transform_params p = {.ctl = ctl};
    return rpt_transform_run(&p);
}
