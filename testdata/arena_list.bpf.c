/* Arena lists both ways, arena globals (global and static), atomics, a
 * global subprogram taking an __arg_arena pointer, and a hash map holding
 * the same values as an arena array for the lookup benchmark. */
#include "bpfskel_arena.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 16384); /* 64 MiB */
} arena SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 100000);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");

struct elem {
	struct elem __arena *next;
	__u64 value;
};

/* Built by BPF, walked by Go. */
struct elem __arena *__arena_global bpf_head;
__u64 __arena_global bpf_count;
/* Built by Go, walked by BPF. */
struct elem __arena *__arena_global go_head;
__u64 __arena_global go_sum;
__u64 __arena_global go_count;
/* Initial values seen by BPF, BPF updates seen by Go. */
__u64 __arena_global init_value = 42;
static __u64 __arena_global static_value = 5;
__u64 __arena_global seen_init;
__u64 __arena_global seen_static;
/* Shared atomic counter. */
__u64 __arena_global counter;

/* BPF's bump allocator state. */
static char __arena *__arena_global chunk;
static __u64 __arena_global chunk_left;

#define CHUNK_PAGES 64

static struct elem __arena *alloc_elem(void)
{
	struct elem __arena *e;

	if (chunk_left < sizeof(*e)) {
		chunk = bpf_arena_alloc_pages(&arena, NULL, CHUNK_PAGES, NUMA_NO_NODE, 0);
		if (!chunk)
			return NULL;
		chunk_left = CHUNK_PAGES * ARENA_PAGE_SIZE;
	}
	e = (struct elem __arena *)chunk;
	chunk += sizeof(*e);
	chunk_left -= sizeof(*e);
	return e;
}

static long build_one(__u64 i, void *ctx)
{
	struct elem __arena *e = alloc_elem();

	if (!e)
		return 1;
	e->value = i;
	e->next = bpf_head;
	bpf_head = e;
	bpf_count++;
	return 0;
}

struct build_args {
	__u32 n;
};

/* Prepends n elements with values 0..n-1 to bpf_head. */
SEC("syscall")
int build_list(struct build_args *args)
{
	bpf_loop(args->n, build_one, NULL, 0);
	return 0;
}

/* A global subprogram: verified on its own, with head typed as an arena
 * pointer by the arg:arena decl tag. */
__noinline __u64 sum_list(struct elem __arena *head __arg_arena, __u64 *count)
{
	__u64 sum = 0, n = 0;
	int i;

	if (!count)
		return 0;
	for (i = 0; i < 1000 && head; i++) {
		sum += head->value;
		n++;
		head = head->next;
	}
	*count = n;
	return sum;
}

SEC("syscall")
int sum_go_list(void *ctx)
{
	__u64 n = 0;

	go_sum = sum_list(go_head, &n);
	go_count = n;
	return 0;
}

SEC("syscall")
int read_globals(void *ctx)
{
	seen_init = init_value;
	seen_static = static_value;
	init_value += 1;
	static_value += 10;
	return 0;
}

struct add_args {
	__u64 delta;
};

SEC("syscall")
int add_counter(struct add_args *args)
{
	__sync_fetch_and_add(&counter, args->delta);
	return 0;
}

char _license[] SEC("license") = "GPL";
