/* The arena list library of testdata/link: lib.bpf.c defines it, the
 * programs a.bpf.c and b.bpf.c use it; bpfskel link makes one object. */
#pragma once

#include "bpfskel_arena.h"

struct node {
	struct node __arena *next;
	__u64 value;
};

struct list {
	struct node __arena *head;
	__u64 len;
	__u64 sum;
};

/* The library's helpers: weak, so that a program may replace them. */
int list_push(struct list __arena *l __arg_arena, __u64 value);
__u64 list_transform(__u64 value);

/* Nodes the library allocated, for all programs (an arena global). */
extern __u64 __arena_global lib_nodes;

struct push_args {
	__u32 n;
};
