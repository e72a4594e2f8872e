/*
 * What the many_*.bpf.c objects share, as libbpf-tools programs share
 * their headers: struct event, enum kind, a map named events, a global
 * named runs and a program named run, each object recording its own kind.
 */
#pragma once

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

enum kind {
	KIND_NONE,
	KIND_A,
	KIND_B,
	KIND_C,
};

struct event {
	__u32 id;
	enum kind kind;
	__u64 value;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct event);
} events SEC(".maps");

__u64 runs;

static __always_inline int record(__u32 id, enum kind k, __u64 base)
{
	struct event e = { .id = id, .kind = k, .value = base + ++runs };

	return bpf_map_update_elem(&events, &id, &e, BPF_ANY);
}
