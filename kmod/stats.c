// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - flow counters (struct vsw_flow_stats): reading the packet and byte
 * counts of rules and flow cache entries, one copy or the sum of the
 * per-CPU ones. The data path adds with vsw_flow_stats_add() (vsw_dp.h).
 */

#include "vsw_dp.h"

void vsw_flow_stats_fetch(const struct vsw_flow_stats *s, u64 *packets,
			  u64 *bytes)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		*packets = u64_stats_read(&s->packets);
		*bytes = u64_stats_read(&s->bytes);
	} while (u64_stats_fetch_retry(&s->syncp, start));
}

void vsw_flow_stats_read(struct vsw_flow_stats __percpu *stats,
			 u64 *packets, u64 *bytes)
{
	int cpu;

	*packets = 0;
	*bytes = 0;
	for_each_possible_cpu(cpu) {
		u64 p, b;

		vsw_flow_stats_fetch(per_cpu_ptr(stats, cpu), &p, &b);
		*packets += p;
		*bytes += b;
	}
}
