/* reportd.conf(5), written from the settings tables the config loader itself uses
 * (rpt_config_sections, the source keys and every source kind's table), so the manual
 * lists exactly the keys `reportd check-config` accepts, with their defaults and bounds. */
#ifndef REPORTD_PIPELINE_CONFIG_MAN_H
#define REPORTD_PIPELINE_CONFIG_MAN_H

#include <stdio.h>

#include "common/opts.h"

/* Writes the manual page in man(7) format. Returns 0, or -1 when a key has no doc string
 * (the page is written anyway, with the key flagged, so the gap is visible). */
int rpt_config_write_man(FILE *out);

/* Calls fn for every documented key: section ("kafka", "sources", "sources.html_index"),
 * and its table entry. For tests that check the page covers every key. */
void rpt_config_each_key(void (*fn)(const char *section, const rpt_opt *opt, void *arg), void *arg);

#endif
