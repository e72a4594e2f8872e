/* Arena globals without an arena map to hold them. */
#include "bpfskel_arena.h"

__u64 __arena_global counter = 1;

SEC("syscall")
int bump(void *ctx)
{
	counter++;
	return 0;
}

char _license[] SEC("license") = "GPL";
