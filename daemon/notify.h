/* Service-manager notifications (systemd's sd_notify protocol): readiness, a one-line
 * status, the watchdog keep-alive and the start of a drain. Every call is a no-op returning
 * 0 when the process was not started with NOTIFY_SOCKET (plain shell, containers). */
#ifndef REPORTD_DAEMON_NOTIFY_H
#define REPORTD_DAEMON_NOTIFY_H

/* Each returns >0 when the message was sent, 0 when there is no service manager to tell,
 * <0 (negative errno) when sending failed. `status` may be NULL. */
int rpt_notify_ready(const char *status);
int rpt_notify_status(const char *status);
int rpt_notify_stopping(const char *status);
int rpt_notify_reloading(const char *status);
int rpt_notify_watchdog(void);

/* Watchdog timeout in microseconds that systemd asked for (WatchdogSec=, checked against
 * WATCHDOG_PID), or 0 when no watchdog is enabled for this process. */
unsigned long long rpt_notify_watchdog_usec(void);

#endif
