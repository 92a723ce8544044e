#include "daemon/command.h"

const rpt_command *const rpt_commands[] = {
    &rpt_cmd_run,     &rpt_cmd_fetch,      &rpt_cmd_extract,    &rpt_cmd_replay,
    &rpt_cmd_migrate, &rpt_cmd_check_config,
    NULL};
