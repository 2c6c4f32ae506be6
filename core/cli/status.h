/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The live one-line status of `ig run` on stderr (internal): only when stderr
 * is a terminal. Erased before any record or log line is written, redrawn on
 * the next tick.
 */
#ifndef IG_CORE_CLI_STATUS_H
#define IG_CORE_CLI_STATUS_H

struct ig_run;

void ig_status__start(struct ig_run *run);
void ig_status__tick(struct ig_run *run);
void ig_status__clear(void);

#endif /* IG_CORE_CLI_STATUS_H */
