#include "daemon/notify.h"

#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>

#include "common/buf.h"
#include "common/log.h"

/* Sends "STATE\nSTATUS=status" in one datagram so systemd sees both at once. */
static int send_state(const char *state, const char *status)
{
    rpt_buf msg = RPT_BUF_INIT;
    if (state) rpt_buf_puts(&msg, state);
    if (status) {
        if (msg.len) rpt_buf_putc(&msg, '\n');
        rpt_buf_puts(&msg, "STATUS=");
        /* STATUS is one line: newlines would start new assignments. */
        for (const char *p = status; *p; p++)
            rpt_buf_putc(&msg, *p == '\n' ? ' ' : *p);
    }
    int rc = msg.data ? sd_notify(0, msg.data) : 0;
    if (rc < 0)
        rpt_log_warn("notify", "sd_notify failed", "state=%s error=\"%s\"", state ? state : "STATUS",
                    strerror(-rc));
    rpt_buf_clear(&msg);
    return rc;
}

int rpt_notify_ready(const char *status)
{
    return send_state("READY=1", status);
}

int rpt_notify_status(const char *status)
{
    return send_state(NULL, status);
}

int rpt_notify_stopping(const char *status)
{
    return send_state("STOPPING=1", status);
}

int rpt_notify_reloading(const char *status)
{
    return send_state("RELOADING=1", status);
}

int rpt_notify_watchdog(void)
{
    return send_state("WATCHDOG=1", NULL);
}

unsigned long long rpt_notify_watchdog_usec(void)
{
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0) return 0;
    return (unsigned long long)usec;
}
