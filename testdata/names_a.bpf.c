/*
 * names_a: types whose Go names must not depend on what else the object
 * holds. names_b.bpf.c is this file plus an unrelated map, type, global
 * and program; gen's naming-stability test wants every Go name of this
 * object unchanged in that one.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Two structs whose Go names collide (TwoWords). */
struct two_words {
	__u32 c;
};
struct two__words {
	__u64 d;
};

#ifdef NAMES_EXTRA
/* Sorts before every other map: reached first. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct { __u64 extra_a; __u16 extra_b; struct two__words w; });
} aaa_extra SEC(".maps");

struct aaa_unrelated {
	__u32 u;
	union {
		__u32 ua;
		__u16 ub;
	};
};

struct aaa_unrelated aaa_global;
#endif

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct { __u32 count; __u32 flags; });
} counters SEC(".maps");

typedef struct {
	__u32 a;
	__u32 b;
} pair_t;

struct holder {
	pair_t pair;
	struct {
		__u16 x;
		__u16 y;
	} point;
	union {
		__u32 as_u32;
		__u8 as_bytes[4];
	};
	enum { COLOR_RED, COLOR_BLUE } color;
};

struct holder holders[2];
__u64 total;
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct two_words);
} pairs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct two__words);
} zpairs SEC(".maps");

SEC("syscall")
int names_run(void *ctx)
{
	__u32 key = 0;
	void *v = bpf_map_lookup_elem(&counters, &key);

	if (bpf_map_lookup_elem(&pairs, &key) && bpf_map_lookup_elem(&zpairs, &key))
		total++;
	if (v)
		total += holders[0].pair.a + holders[1].point.x;
	return 0;
}

#ifdef NAMES_EXTRA
SEC("syscall")
int aaa_run(void *ctx)
{
	__u32 key = 0;
	void *v = bpf_map_lookup_elem(&aaa_extra, &key);

	if (v)
		aaa_global.u++;
	return 0;
}
#endif

char LICENSE[] SEC("license") = "GPL";
