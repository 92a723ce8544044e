/* pipeline/commit_marks.h: the offset committed for a partition never passes a message still
 * in flight, follows a seek back, and is handed out only when it changed. */
#include "pipeline/commit_marks.h"
#include "test.h"

/* The offset for (topic, partition) in l, or -2 when l does not hold it. */
static long long offset_in(const rd_kafka_topic_partition_list_t *l, const char *topic, int part)
{
    if (!l) return -2;
    for (int i = 0; i < l->cnt; i++)
        if (l->elems[i].partition == part && !strcmp(l->elems[i].topic, topic))
            return l->elems[i].offset;
    return -2;
}

static long long take_one(rpt_commit_marks *cm, const char *topic, int part)
{
    rd_kafka_topic_partition_list_t *l = rpt_commit_marks_take(cm);
    long long o = offset_in(l, topic, part);
    if (l) rd_kafka_topic_partition_list_destroy(l);
    return o;
}

static void test_hold_caps_commit(void)
{
    rpt_commit_marks cm = RPT_COMMIT_MARKS_INIT;
    for (long long o = 0; o < 10; o++)
        CHECK_INT(rpt_commit_marks_consumed(&cm, "raw", 0, o), 0);
    CHECK_INT(rpt_commit_marks_hold(&cm, "raw", 0, 4), 0);
    CHECK_INT(rpt_commit_marks_hold(&cm, "raw", 0, 7), 0);
    CHECK_INT((int)take_one(&cm, "raw", 0), 4);
    CHECK_INT((int)take_one(&cm, "raw", 0), -2); /* unchanged: not handed out again */
    rpt_commit_marks_release(&cm, "raw", 0, 4);
    CHECK_INT((int)rpt_commit_marks_lowest_held(&cm, "raw", 0), 7);
    CHECK_INT((int)take_one(&cm, "raw", 0), 7);
    rpt_commit_marks_release(&cm, "raw", 0, 7);
    CHECK_INT((int)take_one(&cm, "raw", 0), 10);
    CHECK_INT((int)rpt_commit_marks_lowest_held(&cm, "raw", 0), -1);
    rpt_commit_marks_clear(&cm);
}

static void test_partitions_apart(void)
{
    rpt_commit_marks cm = RPT_COMMIT_MARKS_INIT;
    rpt_commit_marks_consumed(&cm, "raw", 0, 3);
    rpt_commit_marks_consumed(&cm, "raw", 1, 8);
    rpt_commit_marks_hold(&cm, "raw", 1, 8);
    rd_kafka_topic_partition_list_t *l = rpt_commit_marks_take(&cm);
    CHECK_INT((int)offset_in(l, "raw", 0), 4);
    CHECK_INT((int)offset_in(l, "raw", 1), 8);
    if (l) rd_kafka_topic_partition_list_destroy(l);
    rpt_commit_marks_release(&cm, "raw", 0, 8); /* another partition's offset: no effect */
    CHECK_INT((int)rpt_commit_marks_lowest_held(&cm, "raw", 1), 8);
    rpt_commit_marks_clear(&cm);
}

/* A seek back to 5 re-delivers 5..: holds from there are dropped and the commit stays at 5
 * until the messages come again. */
static void test_rewind(void)
{
    rpt_commit_marks cm = RPT_COMMIT_MARKS_INIT;
    for (long long o = 0; o < 10; o++)
        rpt_commit_marks_consumed(&cm, "raw", 0, o);
    rpt_commit_marks_hold(&cm, "raw", 0, 2);
    rpt_commit_marks_hold(&cm, "raw", 0, 6);
    rpt_commit_marks_rewind(&cm, "raw", 0, 5);
    CHECK_INT((int)rpt_commit_marks_lowest_held(&cm, "raw", 0), 2);
    rpt_commit_marks_release(&cm, "raw", 0, 2);
    CHECK_INT((int)take_one(&cm, "raw", 0), 5);
    rpt_commit_marks_consumed(&cm, "raw", 0, 5);
    CHECK_INT((int)take_one(&cm, "raw", 0), 6);
    rpt_commit_marks_clear(&cm);
}

TEST_MAIN(T(test_hold_caps_commit), T(test_partitions_apart), T(test_rewind))
