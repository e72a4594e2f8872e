/* The library: the arena, a bump allocator and weak list helpers. It alone
 * defines the license (the programs may define the same one too). */
#include "link_list.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 64);
} arena SEC(".maps");

__u64 __arena_global lib_nodes;
static char __arena *__arena_global lib_chunk;
static __u64 __arena_global lib_left;

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
__u32 lib_kernel_version;

static struct node __arena *alloc_node(void)
{
	struct node __arena *n;

	if (lib_left < sizeof(*n)) {
		lib_chunk = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);
		if (!lib_chunk)
			return NULL;
		lib_left = ARENA_PAGE_SIZE;
	}
	n = (struct node __arena *)lib_chunk;
	lib_chunk += sizeof(*n);
	lib_left -= sizeof(*n);
	return n;
}

__weak __u64 list_transform(__u64 value)
{
	return value;
}

__weak int list_push(struct list __arena *l __arg_arena, __u64 value)
{
	struct node __arena *n;

	if (!l)
		return -1;
	n = alloc_node();
	if (!n)
		return -1;
	n->value = list_transform(value);
	n->next = l->head;
	l->head = n;
	l->len++;
	l->sum += n->value;
	lib_nodes++;
	lib_kernel_version = LINUX_KERNEL_VERSION;
	return 0;
}

char _license[] SEC("license") = "GPL";
