/*
 * Type recovery, nested and typedef'd variants of the arena pattern:
 * - a hash table (arena global, complete in BTF) whose buckets are reached
 *   only through a pointer (BTF forward declaration) and whose elements,
 *   named by a typedef, are reached only from the buckets (absent);
 * - an element type with nested struct definitions used only as a local;
 * - a tree reached through a pointer, pointing at itself;
 * - a union reached only through a pointer (BTF union forward declaration);
 * - a pointer to pointers, a struct declared but never defined, a struct
 *   defined inside a function, and two different local structs of one name.
 */
#include "bpfskel_arena.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 64);
} arena SEC(".maps");

typedef struct elem elem_t;

struct elem {
	elem_t __arena *next;
	__u64 key;
	__u64 value;
};

struct bucket {
	elem_t __arena *head;
	__u32 len;
	__u32 flags;
};

struct table {
	struct bucket __arena *buckets;
	__u32 n_buckets;
	__u32 n_elems;
};

struct table __arena_global tbl;

struct opaque;

struct entry {
	struct key {
		__u32 a, b;
	} k;
	struct val {
		__u64 x;
		union {
			__u32 w[2];
			__u64 q;
		};
	} v;
	struct entry __arena *chain;
	struct opaque __arena *op;
};

struct tnode {
	struct tnode __arena *child[2];
	struct tnode __arena *parent;
	__u64 key;
};

struct tnode __arena *tree_root;

union payload {
	__u64 n;
	char s[8];
};

struct msg {
	union payload __arena *p;
	__u32 len;
};

struct msg __arena *msgs;

elem_t __arena *__arena *slots;

struct opaque __arena *opaque_ptr;

static __always_inline void __arena *alloc(__u32 pages)
{
	return bpf_arena_alloc_pages(&arena, NULL, pages, NUMA_NO_NODE, 0);
}

SEC("syscall")
int build(void *ctx)
{
	struct bucket __arena *b;
	struct entry __arena *en;
	struct scoped {
		__u16 tag;
		__u64 stamp;
	};
	struct dup {
		__u32 a;
	};
	struct scoped __arena *sc;
	struct dup __arena *d;
	elem_t __arena *e;
	__u32 i;

	b = alloc(1);
	en = alloc(1);
	sc = alloc(1);
	d = alloc(1);
	if (!b || !en || !sc || !d)
		return 1;
	/*
	 * Unrolled, clang-19 stores through the arena pointer the kfunc returned
	 * without an addr_space_cast, which the verifier rejects.
	 */
#pragma clang loop unroll(disable)
	for (i = 0; i < 4; i++) {
		e = alloc(1);
		if (!e)
			return 2;
		e->key = i;
		e->value = i * 10;
		e->next = b->head;
		b->head = e;
		b->len++;
	}
	en->k.a = 1;
	en->v.w[1] = 2;
	en->chain = en;
	sc->tag = 3;
	sc->stamp = 4;
	d->a = 5;
	tbl.buckets = b;
	tbl.n_buckets = 1;
	tbl.n_elems = b->len;
	return 0;
}

SEC("syscall")
int other(void *ctx)
{
	struct dup {
		__u64 a;
		__u64 b;
	};
	struct dup __arena *d;

	d = alloc(1);
	if (!d)
		return 1;
	d->a = 1;
	d->b = 2;
	return 0;
}

char _license[] SEC("license") = "GPL";
