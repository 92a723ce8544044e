/* Tesseract parallelises with OpenMP, whose threads spin while they wait: on a shared machine,
 * and next to the other roles' threads, OCR ran 3.5 times slower in wall-clock time (and used
 * twice the CPU) than with one thread. libgomp reads OMP_THREAD_LIMIT once, when it is loaded,
 * before main(). OCR normally runs in a decoder child (`reportd decode-task`, a new program
 * that reads the variable from the environment it inherits), so the process only puts the
 * limit in its environment; only a process that OCRs in itself (transform.isolate false)
 * executes itself again, so that its own libgomp reads it. Setting OMP_THREAD_LIMIT yourself
 * (to more threads) is respected. */
#ifndef REPORTD_DAEMON_OPENMP_H
#define REPORTD_DAEMON_OPENMP_H

/* At the start of main(): sets OMP_THREAD_LIMIT=1 in the environment unless it is set, and
 * remembers argv for rpt_openmp_for_inprocess_ocr(). */
void rpt_openmp_init(char **argv);

/* For a process about to decode PDFs in itself, before it starts threads: when this process
 * was started without OMP_THREAD_LIMIT, executes it again with the same arguments (the
 * environment now has the limit). Returns when there is nothing to do or exec failed. */
void rpt_openmp_for_inprocess_ocr(void);

#endif
