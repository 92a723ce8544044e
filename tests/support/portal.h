/* Starts and stops a `reportd-dev portal` for a test. */
#ifndef REPORTD_TESTS_CONNECTORS_PORTAL_H
#define REPORTD_TESTS_CONNECTORS_PORTAL_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct t_portal {
    pid_t pid;
    char base[128];
} t_portal;

/* Runs REPORTD_DEV_BIN portal --dir DIR [--log LOG] --per-page PER and reads its base URL.
 * Returns 0 or -1. */
static inline int t_portal_start(t_portal *p, const char *dir, const char *log, int per_page)
{
    const char *bin = getenv("REPORTD_DEV_BIN");
    if (!bin) return -1;
    int fds[2];
    if (pipe(fds)) return -1;
    char per[16];
    snprintf(per, sizeof per, "%d", per_page);
    p->pid = fork();
    if (p->pid < 0) return -1;
    if (p->pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        if (log)
            execl(bin, bin, "portal", "--dir", dir, "--per-page", per, "--log", log,
                  (char *)NULL);
        else
            execl(bin, bin, "portal", "--dir", dir, "--per-page", per, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    if (!f || !fgets(p->base, sizeof p->base, f)) {
        if (f) fclose(f);
        return -1;
    }
    fclose(f);
    p->base[strcspn(p->base, "\r\n")] = '\0';
    return 0;
}

static inline void t_portal_stop(t_portal *p)
{
    if (p->pid > 0) {
        kill(p->pid, SIGTERM);
        waitpid(p->pid, NULL, 0);
        p->pid = 0;
    }
}

/* Writes text to dir/name. */
static inline int t_write_file(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f);
}

#endif
