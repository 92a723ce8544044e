/* The decoder program of the transform stage: PDF and legacy Word documents are decoded by a
 * child process that executes the running program again as `PROGRAM decode-task TASK`
 * (common/sandbox.h), so that a crash, a runaway or a hostile file never touches the stage's
 * own process, and the child starts with none of the stage's threads, locks or memory.
 * Every program that runs the transform with isolation (reportd, and tests that run the
 * stage in their own process) starts its main() with rpt_decoder_serve_if_asked(). */
#ifndef REPORTD_PIPELINE_DECODER_H
#define REPORTD_PIPELINE_DECODER_H

#define RPT_DECODER_COMMAND "decode-task"
#define RPT_DECODER_PROGRAM "/proc/self/exe"

/* When argv is a decoder invocation (argv[1] is RPT_DECODER_COMMAND, argv[2] the task),
 * serves that task (input on stdin, result on the sandbox's result descriptor) and ends the
 * process; otherwise returns at once. */
void rpt_decoder_serve_if_asked(int argc, char **argv);

#endif
