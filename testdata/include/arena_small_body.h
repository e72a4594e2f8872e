/*
 * The program shared by the small-arena variants (arena_small1, arena_small2,
 * arena_small15): each defines the map named arena with its size, then
 * includes this file. Go allocates values in the arena and links them; BPF
 * sums them. Only basic types, so that the three skeletons can share one Go
 * package.
 */
#pragma once

/* Go's values: go_vals points at go_n of them in the arena. */
__u64 __arena *__arena_global go_vals;
__u64 __arena_global go_n;

/* What sum found. */
__u64 sum;

SEC("syscall")
int sum_vals(void *ctx)
{
	__u64 __arena *v = go_vals;
	__u64 s = 0;
	__u64 i;

	for (i = 0; i < go_n && i < 4096; i++)
		s += v[i];
	sum = s;
	return 0;
}

char _license[] SEC("license") = "GPL";
