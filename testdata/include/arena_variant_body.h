/*
 * The programs shared by the arena flag variants (arena_4g, arena_fixed,
 * arena_nouserconv, arena_segv): each variant defines the map named arena
 * with its own flags, size or map_extra, then includes this file.
 */
#pragma once

struct elem {
	struct elem __arena *next;
	__u64 value;
};

struct elem __arena *__arena_global bpf_head;
struct elem __arena *__arena_global go_head;
__u64 __arena_global go_sum;
__u64 __arena_global marker = 0x1234;
__u64 __arena_global seen_marker;
/* Offset of the page build_list allocated last. */
__u64 __arena_global last_page;

struct build_args {
	__u32 n;
};

/* Prepends n (at most 100) elements with values 1..n, each on its own page
 * region, to bpf_head. */
SEC("syscall")
int build_list(struct build_args *args)
{
	struct elem __arena *e;
	__u32 i;

	seen_marker = marker;
	e = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);
	if (!e)
		return 1;
	last_page = (__u64)e;
	for (i = 0; i < args->n && i < 100; i++) {
		e[i].value = i + 1;
		e[i].next = bpf_head;
		bpf_head = &e[i];
	}
	return 0;
}

SEC("syscall")
int sum_go_list(void *ctx)
{
	struct elem __arena *e = go_head;
	__u64 sum = 0;
	int i;

	for (i = 0; i < 1000 && e; i++) {
		sum += e->value;
		e = e->next;
	}
	go_sum = sum;
	return 0;
}

char _license[] SEC("license") = "GPL";
