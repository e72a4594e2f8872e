/*
 * events: ring buffer, perf event array, queue, stack and bloom filter
 * maps for the typed event readers and map helpers. A syscall program
 * writes a batch of events to the ring buffer, an XDP program one event
 * to the perf event array per run, and another XDP program moves a
 * job from the queue to the stack and its id into the bloom filter.
 * Every field of an event is a function of its sequence number, so the
 * reader can check them all.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct ev_point {
	__u16 x;
	__u16 y;
};

struct event {
	__u32 seq;
	__u8 kind;
	union {
		__u64 u64;
		__u32 u32[2];
		__u8 bytes[8];
	} val;
	struct ev_point pts[3][2];
	char comm[16];
	__s64 neg;
};

struct job {
	__u32 id;
	__u16 weight;
	__u8 tag[6];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 16);
	__type(value, struct job);
} jobs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 16);
	__type(value, struct job);
} done SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 64);
	__type(value, __u32);
} seen SEC(".maps");

struct emit_args {
	__u32 first;
	__u32 count;
};

__u32 emitted;
__u32 dropped;
__u32 perf_seq;

static __always_inline void fill(struct event *e, __u32 seq)
{
	e->seq = seq;
	e->kind = seq % 7;
	e->val.u32[0] = seq * 3;
	e->val.u32[1] = ~seq;
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 2; j++) {
			e->pts[i][j].x = seq + i * 2 + j;
			e->pts[i][j].y = seq ^ (i * 2 + j);
		}
	for (int k = 0; k < 16; k++)
		e->comm[k] = 'a' + (seq + k) % 26;
	e->neg = -(__s64)seq * 1000;
}

static long emit_one(__u64 i, void *ctx)
{
	struct emit_args *a = ctx;
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		dropped++;
		return 0;
	}
	fill(e, a->first + i);
	bpf_ringbuf_submit(e, 0);
	emitted++;
	return 0;
}

SEC("syscall")
int emit(struct emit_args *args)
{
	struct emit_args a = *args;

	bpf_loop(a.count, emit_one, &a, 0);
	return 0;
}

SEC("xdp")
int perf_emit(struct xdp_md *ctx)
{
	struct event e = {};

	fill(&e, perf_seq++);
	bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return XDP_PASS;
}

/* XDP, not syscall: sleepable programs cannot use queues, stacks and bloom filters. */
SEC("xdp")
int move_job(struct xdp_md *ctx)
{
	struct job j;

	if (bpf_map_pop_elem(&jobs, &j))
		return XDP_DROP;
	j.id += 1000;
	bpf_map_push_elem(&done, &j, 0);
	bpf_map_push_elem(&seen, &j.id, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
