#include <string.h>

#include "daemon/command.h"

const rpt_command *const rpt_commands[] = {
    &rpt_cmd_run,     &rpt_cmd_fetch,      &rpt_cmd_extract,    &rpt_cmd_replay,
    &rpt_cmd_migrate, &rpt_cmd_check_config, &rpt_cmd_dev_broker, &rpt_cmd_dev_portal,
    NULL};

int rpt_command_wants_help(const rpt_command *cmd, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) break;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(cmd->usage, stdout);
            return 1;
        }
    }
    return 0;
}
