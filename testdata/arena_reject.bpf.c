/* An object the verifier rejects, after its maps and arena exist and another
 * program loaded: for error reporting and leak tests. */
#include "bpfskel_arena.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 16);
} arena SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} other SEC(".maps");

__u64 __arena *__arena_global slot;
__u64 __arena_global value = 3;
__u64 data_value = 1;

SEC("syscall")
int a_good(void *ctx)
{
	__u64 __arena *p = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);

	if (p)
		*p = value + data_value;
	slot = p;
	return 0;
}

struct args {
	__u64 addr;
};

SEC("syscall")
int b_bad(struct args *args)
{
	__u64 __arena *p = slot;

	if (p)
		*p = 1;
	/* Dereferencing a number: the verifier rejects this. */
	return *(int *)(long)args->addr;
}

char _license[] SEC("license") = "GPL";
