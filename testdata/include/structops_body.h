/*
 * The body of the struct_ops test objects (structops_cc, structops_legacy):
 * a BPF TCP congestion control whose callbacks count how often the kernel
 * calls them. Each object includes it and declares its own struct_ops map
 * in the section form it tests, with CC_OPS(...) filling in the callbacks.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct sock;

/* The members of the kernel's struct tcp_congestion_ops this object sets,
 * matched by name at load. */
struct tcp_congestion_ops {
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	__u32 (*undo_cwnd)(struct sock *sk);
	char name[16];
	__u32 flags;
	void (*init)(struct sock *sk);
	void (*release)(struct sock *sk);
};

__u64 inits;
__u64 releases;
__u64 calls;

SEC("struct_ops")
__u32 BPF_PROG(skel_ssthresh, struct sock *sk)
{
	__sync_fetch_and_add(&calls, 1);
	return 10;
}

SEC("struct_ops")
void BPF_PROG(skel_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	__sync_fetch_and_add(&calls, 1);
}

SEC("struct_ops")
__u32 BPF_PROG(skel_undo_cwnd, struct sock *sk)
{
	__sync_fetch_and_add(&calls, 1);
	return 10;
}

SEC("struct_ops")
void BPF_PROG(skel_init, struct sock *sk)
{
	__sync_fetch_and_add(&inits, 1);
}

SEC("struct_ops")
void BPF_PROG(skel_release, struct sock *sk)
{
	__sync_fetch_and_add(&releases, 1);
}

#define CC_OPS(cc_name)                                 \
	.ssthresh = (void *)skel_ssthresh,              \
	.cong_avoid = (void *)skel_cong_avoid,          \
	.undo_cwnd = (void *)skel_undo_cwnd,            \
	.init = (void *)skel_init,                      \
	.release = (void *)skel_release,                \
	.name = cc_name

char LICENSE[] SEC("license") = "GPL";
