/*
 * Type recovery: the pattern of a BPF-built arena list. BTF sees only what
 * globals reach: struct root is complete, struct node (reached only through
 * a pointer member) is a forward declaration, and struct item (used only by
 * local variables) is absent. The DWARF has all three complete.
 *
 * Running build (a syscall program) makes root point at a list of 8 items,
 * newest first: item i has n.key = i, n.val = i * i, payload = i << 32, and
 * root->count = 8, so a test can walk it from user space and check every
 * element.
 */
#include "bpfskel_arena.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 16);
} arena SEC(".maps");

struct node {
	struct node __arena *next;
	__u32 key;
	__u32 val;
};

struct item {
	struct node n;
	__u64 payload;
};

struct root {
	struct node __arena *first;
	__u64 count;
};

struct root __arena *root;

SEC("syscall")
int build(void *ctx)
{
	struct root __arena *r;
	__u32 i;

	r = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);
	if (!r)
		return 1;
	for (i = 0; i < 8; i++) {
		struct item __arena *it;

		it = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);
		if (!it)
			return 2;
		it->n.key = i;
		it->n.val = i * i;
		it->payload = (__u64)i << 32;
		it->n.next = r->first;
		r->first = &it->n;
		r->count++;
	}
	root = r;
	return 0;
}

char _license[] SEC("license") = "GPL";
