//go:build ignore

/*
 * heap: the arena as the BPF program's own heap.
 *
 * The arena is created with BPF_F_NO_USER_CONV, so pointers that BPF stores
 * in it are 32-bit offsets rather than user addresses, and with
 * BPF_F_SEGV_ON_FAULT, so a user-space access to a page BPF never allocated
 * raises SIGSEGV instead of silently mapping a zero page. A small
 * size-class allocator with free lists runs entirely in BPF; append and trim
 * use it to keep a log of variable-length records that Go reads.
 */
#include "bpfskel_arena.h"

#define N_CLASSES 8 /* 16 .. 2048 bytes */
#define MIN_SHIFT 4
#define MAX_RECORD 1024
#define MAX_BATCH 256

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE | BPF_F_NO_USER_CONV | BPF_F_SEGV_ON_FAULT);
	__uint(max_entries, 1024); /* pages: 4 MiB */
} arena SEC(".maps");

/* A freed block, threaded on its size class's free list. */
struct free_block {
	struct free_block __arena *next;
};

/* The allocator's state. */
struct heap {
	struct free_block __arena *free[N_CLASSES];
	void __arena *page;  /* page being carved */
	__u32 page_used;     /* bytes of page already handed out */
	__u32 pad;
	__u64 pages;         /* pages taken from the kernel */
	__u64 allocs, frees; /* blocks handed out and returned */
};

/* One log record: len bytes of data follow the header. */
struct record {
	struct record __arena *next;
	__u64 seq;
	__u32 len;
	__u32 size_class;
	__u8 data[];
};

struct log {
	struct record __arena *first;
	struct record __arena *last;
	__u64 count;
	__u64 next_seq;
};

struct heap __arena_global heap;
struct log __arena_global events;

/* What append and trim take through the test-run context. */
struct op {
	__u32 count; /* records to append or trim */
	__u32 len;   /* data bytes per appended record */
};

/*
 * bpf_arena_alloc_pages returns a full user address. This heap stores only
 * 32-bit pointers, the low half of the user address, as the verifier's
 * cast-to-user does in a BPF_F_NO_USER_CONV arena: BPF's loads and stores
 * through arena pointers use only the low 32 bits anyway.
 */
static __always_inline void __arena *to32(void __arena *p)
{
	return (void __arena *)(unsigned long)(__u32)(unsigned long)p;
}

static __always_inline int size_class(__u32 size)
{
	for (int c = 0; c < N_CLASSES; c++)
		if (size <= (1U << (c + MIN_SHIFT)))
			return c;
	return -1;
}

static __always_inline void __arena *heap_alloc(int c)
{
	struct free_block __arena *b;
	__u32 size;

	if (c < 0 || c >= N_CLASSES)
		return NULL;
	size = 1U << (c + MIN_SHIFT);
	b = heap.free[c];
	if (b) {
		heap.free[c] = b->next;
		heap.allocs++;
		return b;
	}
	if (!heap.page || heap.page_used + size > ARENA_PAGE_SIZE) {
		heap.page = to32(bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0));
		if (!heap.page)
			return NULL;
		heap.page_used = 0;
		heap.pages++;
	}
	b = heap.page + heap.page_used;
	heap.page_used += size;
	heap.allocs++;
	return b;
}

static __always_inline void heap_free(void __arena *p, int c)
{
	struct free_block __arena *b = p;

	if (c < 0 || c >= N_CLASSES)
		return;
	b->next = heap.free[c];
	heap.free[c] = b;
	heap.frees++;
}

/* What one append_one call needs; bpf_loop passes it along. */
struct append_ctx {
	__u32 len;
	int size_class;
	int ret;
};

/* Append one record. Run from bpf_loop, which the verifier checks once
 * rather than once per record. */
static long append_one(__u32 i, struct append_ctx *c)
{
	struct record __arena *r = heap_alloc(c->size_class);
	__u32 len = c->len;

	if (!r) {
		c->ret = -2;
		return 1;
	}
	r->next = NULL;
	r->seq = events.next_seq++;
	r->len = len;
	r->size_class = c->size_class;
	for (__u32 j = 0; j < len && j < MAX_RECORD; j++)
		r->data[j] = (__u8)(r->seq + j);
	if (events.last)
		events.last->next = r;
	else
		events.first = r;
	events.last = r;
	events.count++;
	return 0;
}

SEC("syscall")
int append(struct op *op)
{
	struct append_ctx c = { .len = op->len };
	__u32 count = op->count;

	if (c.len > MAX_RECORD || count > MAX_BATCH)
		return -1;
	c.size_class = size_class(sizeof(struct record) + c.len);
	bpf_loop(count, append_one, &c, 0);
	return c.ret;
}

SEC("syscall")
int trim(struct op *op)
{
	for (__u32 i = 0; i < op->count && i < MAX_BATCH; i++) {
		struct record __arena *r = events.first;

		if (!r)
			break;
		events.first = r->next;
		if (!events.first)
			events.last = NULL;
		events.count--;
		heap_free(r, r->size_class);
	}
	return 0;
}

char _license[] SEC("license") = "GPL";
