/* Which offset of each consumed partition may be committed when some messages are still
 * being worked on elsewhere (the transform stage's pool for slow documents): the commit of a
 * partition never passes its lowest offset in flight, so a crash or a stop re-delivers every
 * message whose result was not yet produced. */
#ifndef REPORTD_PIPELINE_COMMIT_MARKS_H
#define REPORTD_PIPELINE_COMMIT_MARKS_H

#include <librdkafka/rdkafka.h>
#include <stddef.h>

typedef struct rpt_commit_part {
    char *topic;
    int partition;
    long long next;      /* offset after the last message consumed */
    long long stored;    /* what was last handed out for committing; -1: nothing */
    long long *held;     /* offsets in flight, unordered */
    size_t n_held, cap_held;
} rpt_commit_part;

typedef struct rpt_commit_marks {
    rpt_commit_part *parts;
    size_t n, cap;
} rpt_commit_marks;

#define RPT_COMMIT_MARKS_INIT {NULL, 0, 0}

/* A message at offset was consumed: the partition's next offset becomes offset + 1, lower
 * than before too (a seek back or a re-assignment re-delivers from there). 0, or -1 ENOMEM. */
int rpt_commit_marks_consumed(rpt_commit_marks *cm, const char *topic, int partition,
                              long long offset);
/* The message at offset is in flight: commits of its partition stop below it until it is
 * released. 0, or -1 ENOMEM. */
int rpt_commit_marks_hold(rpt_commit_marks *cm, const char *topic, int partition,
                          long long offset);
/* Its result was produced (or it will be consumed again): the hold is dropped. */
void rpt_commit_marks_release(rpt_commit_marks *cm, const char *topic, int partition,
                              long long offset);
/* The partition was sought back to offset (its messages from there on will be consumed
 * again): next becomes offset and the holds at or past it are dropped. */
void rpt_commit_marks_rewind(rpt_commit_marks *cm, const char *topic, int partition,
                             long long offset);
/* Lowest offset held on the partition, or -1 when none. */
long long rpt_commit_marks_lowest_held(const rpt_commit_marks *cm, const char *topic,
                                       int partition);
/* The offsets to commit: for each partition whose committable offset (its lowest held, else
 * its next) changed since the last call. NULL when none changed; the caller destroys it. */
rd_kafka_topic_partition_list_t *rpt_commit_marks_take(rpt_commit_marks *cm);
void rpt_commit_marks_clear(rpt_commit_marks *cm);

#endif
