/* Declarations for BPF arena programs in bpfskel's testdata and examples. */
#pragma once

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#ifndef __arena
#define __arena __attribute__((address_space(1)))
#endif
/* Globals in the arena: clang >= 19 puts them in section .addr_space.1. */
#define __arena_global __attribute__((address_space(1)))
/* A global function's pointer argument that points into the arena. */
#define __arg_arena __attribute__((btf_decl_tag("arg:arena")))

/* Debian 12's kernel headers predate the arena (map type 33, kernel 6.9). */
#define BPF_MAP_TYPE_ARENA 33

#define ARENA_PAGE_SIZE 4096
#define NUMA_NO_NODE (-1)

#ifndef BPF_F_NO_USER_CONV
#define BPF_F_NO_USER_CONV (1U << 18)
#endif
#ifndef BPF_F_SEGV_ON_FAULT
#define BPF_F_SEGV_ON_FAULT (1U << 17)
#endif

void __arena *bpf_arena_alloc_pages(void *map, void __arena *addr, __u32 page_cnt,
				    int node_id, __u64 flags) __ksym __weak;
void bpf_arena_free_pages(void *map, void __arena *ptr, __u32 page_cnt) __ksym __weak;

/* map_extra and other 64-bit map attributes (older bpf_helpers.h lack it). */
#ifndef __ulong
#define __ulong(name, val) enum { ___bpf_concat(__unique_value, __COUNTER__) = val } name
#endif
