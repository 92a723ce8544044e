/* reportd-dev: developer servers that are not part of the production binary or image. The
 * dev-broker (librdkafka's mock cluster on a real TCP port) and the dev-portal (a folder of
 * reports served as a county portal would, with misbehaving routes for failure tests) run
 * the quick start, the tests and the benchmarks. */
#ifndef REPORTD_DEVTOOLS_DEVTOOLS_H
#define REPORTD_DEVTOOLS_DEVTOOLS_H

#include "daemon/command.h"

extern const rpt_command rpt_devcmd_broker;
extern const rpt_command rpt_devcmd_portal;

#endif
