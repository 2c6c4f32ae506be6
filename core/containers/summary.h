/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The end of a run's word on the containers it was asked for (internal):
 * names given with -c that no container had, selected containers not
 * recorded from their first instruction and why, containers that ended
 * before ig could name them.
 */
#ifndef IG_CORE_CONTAINERS_SUMMARY_H
#define IG_CORE_CONTAINERS_SUMMARY_H

#include "table.h"

/* Say it on stderr. Only when -c gave names. Returns 1 when a name given
 * matched no container during the run (one error line: "no container named
 * x1 was seen; ig saw: a, b, c"), else 0. */
int ig_containers__summary(struct ig_containers *cs);

#endif /* IG_CORE_CONTAINERS_SUMMARY_H */
