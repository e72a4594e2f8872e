/* Data sections next to the arena: .data, .rodata, .bss, a custom
 * .data.custom, and arena globals, all seen live from Go. */
#include "bpfskel_arena.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 8);
} arena SEC(".maps");

__u64 data_value = 11;
const volatile __u64 rodata_value = 22;
__u64 bss_value;
__u64 custom_value SEC(".data.custom") = 33;
__u64 __arena_global arena_value = 44;
__u64 __arena_global arena_sum;

SEC("syscall")
int mix(void *ctx)
{
	__u64 __arena *p = &arena_value;

	bss_value = data_value + rodata_value + custom_value + *p;
	arena_sum = bss_value;
	data_value++;
	custom_value++;
	return 0;
}

char _license[] SEC("license") = "GPL";
