#include <string.h>

#include "daemon/command.h"

const rd_command *const rd_commands[] = {
    &rd_cmd_run,     &rd_cmd_fetch,      &rd_cmd_extract,    &rd_cmd_replay,
    &rd_cmd_migrate, &rd_cmd_check_config, &rd_cmd_dev_broker, &rd_cmd_dev_portal,
    NULL};

int rd_command_wants_help(const rd_command *cmd, int argc, char **argv)
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
