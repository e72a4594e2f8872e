//go:build ignore

/*
 * structs: data structures that BPF builds in an arena and Go reads.
 *
 * The syscall program build takes keys from Go (through the global args)
 * and inserts each into a chained hash table, a doubly linked list
 * and a binary search tree, all allocated in the arena. remove deletes keys
 * from all three. sum walks all three and reports what it saw, so Go can
 * check that BPF follows structures Go modified.
 */
#include "bpfskel_arena.h"

#define MAX_KEYS 512
#define N_BUCKETS 64
#define MAX_DEPTH 64
#define MAX_WALK 4096

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 256); /* pages: 1 MiB */
} arena SEC(".maps");

/* A hash table entry, chained per bucket. */
struct hnode {
	struct hnode __arena *next;
	__u64 key;
	__u64 value;
};

/* A doubly linked list element. */
struct dnode {
	struct dnode __arena *next;
	struct dnode __arena *prev;
	__u64 key;
};

/* A binary search tree node. */
struct tnode {
	struct tnode __arena *left;
	struct tnode __arena *right;
	__u64 key;
	__u64 value;
};

struct structures {
	struct hnode __arena *buckets[N_BUCKETS];
	struct dnode __arena *head;
	struct dnode __arena *tail;
	struct tnode __arena *root;
	__u64 count;
};

struct structures __arena_global s;

/* What Go passes to build and remove: keys[0:count], written through the
 * skeleton's BSS view before each run. */
struct args {
	__u32 count;
	__u32 pad;
	__u64 keys[MAX_KEYS];
};
struct args args;

/* What sum found, read by Go through the skeleton's BSS view. */
struct totals {
	__u64 hash_count, hash_key_sum, hash_value_sum;
	__u64 list_count, list_key_sum;
	__u64 tree_count, tree_key_sum, tree_value_sum;
};
struct totals totals;

/* A bump allocator over pages obtained from the kernel. Its state lives in
 * the arena: clang-19 loses the address-space casts of arena pointers that
 * round-trip through ordinary globals. */
static void __arena *__arena_global alloc_cur;
static __u32 __arena_global alloc_left;

static __always_inline void __arena *alloc(__u32 size)
{
	void __arena *p;

	size = (size + 7) & ~7U;
	if (alloc_left < size) {
		alloc_cur = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);
		if (!alloc_cur)
			return NULL;
		alloc_left = ARENA_PAGE_SIZE;
	}
	p = alloc_cur;
	alloc_cur += size;
	alloc_left -= size;
	return p;
}

static __always_inline __u32 bucket(__u64 key)
{
	return (key * 11400714819323198485ULL) >> 58; /* 6 bits: N_BUCKETS */
}

/* Insert key into all three structures. Nodes need no zeroing: the
 * allocator carves fresh pages, which the kernel zeroes. */
static __always_inline int insert(__u64 key)
{
	struct hnode __arena *h = alloc(sizeof(*h));
	struct dnode __arena *d = alloc(sizeof(*d));
	struct tnode __arena *t = alloc(sizeof(*t));
	struct tnode __arena *cur, * __arena *link;
	__u32 b = bucket(key);
	int i;

	if (!h || !d || !t)
		return -1;
	h->key = key;
	h->value = key * 10;
	h->next = s.buckets[b];
	s.buckets[b] = h;

	d->key = key;
	d->prev = s.tail;
	if (s.tail)
		s.tail->next = d;
	else
		s.head = d;
	s.tail = d;

	t->key = key;
	t->value = key * 10;
	link = &s.root;
	for (i = 0; i < MAX_DEPTH; i++) {
		cur = *link;
		if (!cur)
			break;
		link = key < cur->key ? &cur->left : &cur->right;
	}
	if (i == MAX_DEPTH)
		return -1;
	*link = t;
	s.count++;
	return 0;
}

/* Each key is handled in a bpf_loop callback, which the verifier checks
 * once rather than once per iteration. */
static long insert_one(__u32 i, int *ret)
{
	if (i >= MAX_KEYS || insert(args.keys[i])) {
		*ret = -2;
		return 1;
	}
	return 0;
}

SEC("syscall")
int build(void *ctx)
{
	int ret = 0;

	if (args.count > MAX_KEYS)
		return -1;
	bpf_loop(args.count, insert_one, &ret, 0);
	return ret;
}

static __always_inline void remove_hash(__u64 key)
{
	struct hnode __arena * __arena *link = &s.buckets[bucket(key)];

	for (int i = 0; i < MAX_WALK; i++) {
		struct hnode __arena *h = *link;

		if (!h)
			return;
		if (h->key == key) {
			*link = h->next;
			return;
		}
		link = &h->next;
	}
}

static __always_inline void remove_list(__u64 key)
{
	struct dnode __arena *d = s.head;

	for (int i = 0; i < MAX_WALK && d; i++, d = d->next) {
		if (d->key != key)
			continue;
		if (d->prev)
			d->prev->next = d->next;
		else
			s.head = d->next;
		if (d->next)
			d->next->prev = d->prev;
		else
			s.tail = d->prev;
		return;
	}
}

static __always_inline void remove_tree(__u64 key)
{
	struct tnode __arena * __arena *link = &s.root;
	struct tnode __arena *t = NULL;
	int i;

	for (i = 0; i < MAX_DEPTH; i++) {
		t = *link;
		if (!t || t->key == key)
			break;
		link = key < t->key ? &t->left : &t->right;
	}
	if (!t || t->key != key)
		return;
	if (!t->left) {
		*link = t->right;
	} else if (!t->right) {
		*link = t->left;
	} else {
		/* Replace t by its in-order successor, the leftmost node on its right. */
		struct tnode __arena * __arena *slink = &t->right;
		struct tnode __arena *succ = t->right;

		for (i = 0; i < MAX_DEPTH && succ->left; i++) {
			slink = &succ->left;
			succ = succ->left;
		}
		*slink = succ->right;
		succ->left = t->left;
		succ->right = t->right;
		*link = succ;
	}
}

static long remove_one(__u32 i, void *ctx)
{
	__u64 key;

	if (i >= MAX_KEYS)
		return 1;
	key = args.keys[i];
	remove_hash(key);
	remove_list(key);
	remove_tree(key);
	s.count--;
	return 0;
}

SEC("syscall")
int remove(void *ctx)
{
	if (args.count > MAX_KEYS)
		return -1;
	bpf_loop(args.count, remove_one, NULL, 0);
	return 0;
}

/* The explicit stack of sum's in-order tree walk (too big for the BPF stack). */
static struct tnode __arena *stack[MAX_DEPTH];

/* State of the in-order tree walk, advanced one step per bpf_loop call. */
struct walk {
	struct tnode __arena *t;
	int sp;
};

static long tree_step(__u32 i, struct walk *w)
{
	struct tnode __arena *t = w->t;

	if (t) {
		if (w->sp >= MAX_DEPTH)
			return 1;
		stack[w->sp & (MAX_DEPTH - 1)] = t;
		w->sp++;
		w->t = t->left;
		return 0;
	}
	if (w->sp <= 0)
		return 1;
	w->sp--;
	t = stack[w->sp & (MAX_DEPTH - 1)];
	totals.tree_count++;
	totals.tree_key_sum += t->key;
	totals.tree_value_sum += t->value;
	w->t = t->right;
	return 0;
}

static long hash_bucket(__u32 b, void *ctx)
{
	struct hnode __arena *h = s.buckets[b & (N_BUCKETS - 1)];

	for (int i = 0; i < MAX_WALK && h; i++, h = h->next) {
		totals.hash_count++;
		totals.hash_key_sum += h->key;
		totals.hash_value_sum += h->value;
	}
	return 0;
}

SEC("syscall")
int sum(void *ctx)
{
	struct dnode __arena *d = s.head;
	struct walk w = { .t = s.root };

	__builtin_memset(&totals, 0, sizeof(totals));
	bpf_loop(N_BUCKETS, hash_bucket, NULL, 0);
	for (int i = 0; i < MAX_WALK && d; i++, d = d->next) {
		totals.list_count++;
		totals.list_key_sum += d->key;
	}
	bpf_loop(4 * MAX_WALK, tree_step, &w, 0);
	return 0;
}

char _license[] SEC("license") = "GPL";
