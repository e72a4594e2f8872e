/* A program array initialised in the object (filled after the programs
 * load): a tail call into a program that touches the arena. */
#include "bpfskel_arena.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4);
} arena SEC(".maps");

__u64 __arena_global tail_hits;

SEC("xdp")
int tail(struct xdp_md *ctx)
{
	__u64 __arena *h = &tail_hits;

	__sync_fetch_and_add(h, 1);
	return XDP_PASS;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, sizeof(__u32));
	__array(values, int(struct xdp_md *));
} jump SEC(".maps") = {
	.values = { [1] = (void *)&tail },
};

SEC("xdp")
int entry(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &jump, 1);
	return XDP_DROP;
}

char _license[] SEC("license") = "GPL";
