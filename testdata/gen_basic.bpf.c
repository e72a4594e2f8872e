/*
 * gen_basic: maps with struct keys and values, every kind of global data
 * section, and programs attached three ways. bpfskel gen's end-to-end tests
 * drive it through a generated skeleton.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct flow_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto; /* 3 bytes of tail padding follow */
};

struct flow_stats {
	__u64 packets;
	__u64 bytes;
};

enum mode {
	MODE_ADD = 0,
	MODE_MUL = 1,
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct flow_stats);
} per_cpu SEC(".maps");

/* .rodata: set through the skeleton's spec before loading. */
volatile const __u32 factor = 1;
volatile const enum mode op_mode = MODE_ADD;

/* .data */
__u64 seed = 42;
char tag[8] = "basic";

/* .bss */
__u64 input;
__u64 result;
__u32 target_tgid;
__u64 target_nr;
__u64 syscalls;

/* A custom data section. */
__u32 extra_limit SEC(".data.extra") = 5;

/* A static variable: only emitted when statics are asked for. */
static __u64 private_calls;

/* compute: result = input op factor, chosen by .rodata. */
SEC("syscall")
int compute(void *ctx)
{
	private_calls++;
	if (op_mode == MODE_MUL)
		result = input * factor;
	else
		result = input + factor + seed - 42;
	return 0;
}

/*
 * on_sys_enter counts the system calls number target_nr of one process
 * (target_tgid). A raw tracepoint needs no tracefs to attach.
 */
SEC("raw_tp/sys_enter")
int on_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u32 slot = 0;
	struct flow_stats *s;
	__u64 *h;

	if (tgid != target_tgid || ctx->args[1] != target_nr)
		return 0;
	__sync_fetch_and_add(&syscalls, 1);
	h = bpf_map_lookup_elem(&hits, &slot);
	if (h)
		__sync_fetch_and_add(h, 1);
	s = bpf_map_lookup_elem(&per_cpu, &slot);
	if (s) {
		s->packets++;
		s->bytes += ctx->args[1];
	}
	return 0;
}

/* pass needs an interface: the user attaches it. */
SEC("xdp")
int pass(struct xdp_md *ctx)
{
	struct flow_key k = {.proto = 17};
	struct flow_stats *s = bpf_map_lookup_elem(&flows, &k);

	if (s)
		__sync_fetch_and_add(&s->packets, 1);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
