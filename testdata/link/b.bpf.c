/* Program B: its own list, and a strong list_transform that replaces the
 * library's weak one for every program of the linked object. It also
 * declares the library's arena map, weakly, to allocate from it, and
 * reads the current task with CO-RE (its relocations must move with B's
 * code, which the link places after A's in section syscall). */
#include "link_list.h"
#include <bpf/bpf_core_read.h>

struct task_struct {
	int tgid;
} __attribute__((preserve_access_index));

__u32 b_tgid;

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 64);
} arena SEC(".maps") __weak;

struct list __arena_global list_b;
static __u64 calls; /* A has a static of the same name */
__u64 __arena *__arena_global b_page;

__u64 list_transform(__u64 value)
{
	return value * 10;
}

static long push_one_b(__u32 i, void *ctx)
{
	return list_push(&list_b, i) ? 1 : 0;
}

SEC("syscall")
int push_b(struct push_args *args)
{
	bpf_loop(args->n, push_one_b, NULL, 0);
	calls += 2;
	b_tgid = BPF_CORE_READ((struct task_struct *)bpf_get_current_task(), tgid);
	if (!b_page)
		b_page = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);
	if (b_page)
		*b_page = lib_nodes;
	return 0;
}

SEC("syscall")
int count_b(void *ctx)
{
	return calls;
}
