#include "pipeline/commit_marks.h"

#include <stdlib.h>
#include <string.h>

static rpt_commit_part *find(const rpt_commit_marks *cm, const char *topic, int partition)
{
    for (size_t i = 0; i < cm->n; i++)
        if (cm->parts[i].partition == partition && strcmp(cm->parts[i].topic, topic) == 0)
            return &cm->parts[i];
    return NULL;
}

/* The partition's entry, added when new. NULL on ENOMEM. */
static rpt_commit_part *find_or_add(rpt_commit_marks *cm, const char *topic, int partition)
{
    rpt_commit_part *p = find(cm, topic, partition);
    if (p) return p;
    if (cm->n == cm->cap) {
        size_t cap = cm->cap ? cm->cap * 2 : 8;
        rpt_commit_part *parts = realloc(cm->parts, cap * sizeof *parts);
        if (!parts) return NULL;
        cm->parts = parts;
        cm->cap = cap;
    }
    p = &cm->parts[cm->n];
    memset(p, 0, sizeof *p);
    p->topic = strdup(topic);
    if (!p->topic) return NULL;
    p->partition = partition;
    p->next = -1;
    p->stored = -1;
    cm->n++;
    return p;
}

int rpt_commit_marks_consumed(rpt_commit_marks *cm, const char *topic, int partition,
                              long long offset)
{
    rpt_commit_part *p = find_or_add(cm, topic, partition);
    if (!p) return -1;
    p->next = offset + 1;
    return 0;
}

int rpt_commit_marks_hold(rpt_commit_marks *cm, const char *topic, int partition,
                          long long offset)
{
    rpt_commit_part *p = find_or_add(cm, topic, partition);
    if (!p) return -1;
    if (p->n_held == p->cap_held) {
        size_t cap = p->cap_held ? p->cap_held * 2 : 8;
        long long *h = realloc(p->held, cap * sizeof *h);
        if (!h) return -1;
        p->held = h;
        p->cap_held = cap;
    }
    p->held[p->n_held++] = offset;
    return 0;
}

void rpt_commit_marks_release(rpt_commit_marks *cm, const char *topic, int partition,
                              long long offset)
{
    rpt_commit_part *p = find(cm, topic, partition);
    if (!p) return;
    for (size_t i = 0; i < p->n_held; i++)
        if (p->held[i] == offset) {
            p->held[i] = p->held[--p->n_held];
            return;
        }
}

void rpt_commit_marks_rewind(rpt_commit_marks *cm, const char *topic, int partition,
                             long long offset)
{
    rpt_commit_part *p = find(cm, topic, partition);
    if (!p) return;
    p->next = offset;
    for (size_t i = 0; i < p->n_held;)
        if (p->held[i] >= offset)
            p->held[i] = p->held[--p->n_held];
        else
            i++;
}

long long rpt_commit_marks_lowest_held(const rpt_commit_marks *cm, const char *topic,
                                       int partition)
{
    const rpt_commit_part *p = find(cm, topic, partition);
    long long low = -1;
    for (size_t i = 0; p && i < p->n_held; i++)
        if (low < 0 || p->held[i] < low) low = p->held[i];
    return low;
}

rd_kafka_topic_partition_list_t *rpt_commit_marks_take(rpt_commit_marks *cm)
{
    rd_kafka_topic_partition_list_t *l = NULL;
    for (size_t i = 0; i < cm->n; i++) {
        rpt_commit_part *p = &cm->parts[i];
        long long at = p->next;
        long long low = rpt_commit_marks_lowest_held(cm, p->topic, p->partition);
        if (low >= 0 && (at < 0 || low < at)) at = low;
        if (at < 0 || at == p->stored) continue;
        if (!l) l = rd_kafka_topic_partition_list_new((int)cm->n);
        rd_kafka_topic_partition_list_add(l, p->topic, p->partition)->offset = at;
        p->stored = at;
    }
    return l;
}

void rpt_commit_marks_clear(rpt_commit_marks *cm)
{
    for (size_t i = 0; i < cm->n; i++) {
        free(cm->parts[i].topic);
        free(cm->parts[i].held);
    }
    free(cm->parts);
    memset(cm, 0, sizeof *cm);
}
