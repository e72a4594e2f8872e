/*
 * locked: data sections the kernel cannot map into user space, because
 * they hold a bpf_spin_lock (.bss) or a bpf_timer (.data.timer), next to
 * one it can (.data). The runtime loads them unmapped; skeletons read and
 * write them through their maps.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bpf_spin_lock lock;
__u64 locked_count;

struct bpf_timer timer SEC(".data.timer");
__u64 timer_armed SEC(".data.timer");

__u64 plain_count = 1;

SEC("syscall")
int bump(void *ctx)
{
	bpf_spin_lock(&lock);
	locked_count++;
	bpf_spin_unlock(&lock);
	plain_count++;
	return 0;
}

char _license[] SEC("license") = "GPL";
