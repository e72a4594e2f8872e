//go:build ignore

/*
 * counter: the BPF object that examples/bazel turns into a Go skeleton at
 * build time. A syscall program adds step to a total that lives in a BPF
 * arena, where Go reads it directly, and counts its runs in .bss.
 */
#include "bpfskel_arena.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1); /* pages */
} arena SEC(".maps");

/* What each run adds to total; set it in the spec before loading. */
volatile const __u64 step = 1;

/* The running total, in the arena. */
__u64 __arena_global total;

/* How many times bump ran. */
__u64 runs;

SEC("syscall")
int bump(void *ctx)
{
	total += step;
	runs++;
	return 0;
}

char _license[] SEC("license") = "GPL";
