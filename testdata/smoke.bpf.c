/* Smallest arena program: a counter global in the arena. */
#include "bpfskel_arena.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4);
} arena SEC(".maps");

__u64 __arena_global counter = 7;

SEC("syscall")
int bump(void *ctx)
{
	counter++;
	return 0;
}

char _license[] SEC("license") = "GPL";
