/*
 * gen_arena: BPF builds a linked list in the arena; Go walks it through the
 * skeleton. The element types are the pattern BTF leaves incomplete: node is
 * reached only through pointers, item is used only as a local.
 */
#include "bpfskel_arena.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 16); /* pages */
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

typedef struct root {
	struct node __arena *first;
	__u64 count;
} root_t;

/* A pointer global in .bss of an object with an arena: an arena pointer. */
root_t __arena *list;

/* Arena globals: placed by the runtime, read by Go through ArenaGlobals. */
__u64 __arena_global built = 0;
__u32 __arena_global want = 4;
struct root __arena_global head;

/* build allocates want items and links them, newest first. */
SEC("syscall")
int build(void *ctx)
{
	__u32 i, n = want;

	if (n > 64)
		n = 64;
	for (i = 0; i < n; i++) {
		struct item __arena *it;

		it = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);
		if (!it)
			return 1;
		it->n.key = i;
		it->n.val = i * i;
		it->payload = 1000 + i;
		it->n.next = head.first;
		head.first = &it->n;
		head.count++;
	}
	list = &head;
	built = head.count;
	return 0;
}

char _license[] SEC("license") = "GPL";
