/* Two arena maps: the runtime supports one per object. */
#include "bpfskel_arena.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4);
} arena1 SEC(".maps"), arena2 SEC(".maps");

__u64 __arena_global counter;

SEC("syscall")
int bump(void *ctx)
{
	counter++;
	return 0;
}

char _license[] SEC("license") = "GPL";
