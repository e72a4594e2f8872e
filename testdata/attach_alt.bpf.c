/*
 * attach_alt: attach choices. tp_btf and raw_tp programs of one
 * tracepoint (alternatives: Attach takes the best loaded one), a program
 * whose section starts with "?" (not loaded unless enabled), kprobe and
 * ksyscall programs (no kprobes on the test kernel: their attach fails),
 * and an fentry program of the kprobe's function (the test kernel refuses
 * to load fentry programs: Load keeps the kprobe one instead).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 tgid;
__u64 btf_hits, raw_hits, optional_hits;

static __always_inline int mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == tgid;
}

SEC("tp_btf/sys_enter")
int on_enter_btf(void *ctx)
{
	if (mine())
		__sync_fetch_and_add(&btf_hits, 1);
	return 0;
}

SEC("raw_tp/sys_enter")
int on_enter_raw(void *ctx)
{
	if (mine())
		__sync_fetch_and_add(&raw_hits, 1);
	return 0;
}

SEC("?raw_tp/sys_exit")
int on_exit_optional(void *ctx)
{
	if (mine())
		__sync_fetch_and_add(&optional_hits, 1);
	return 0;
}

SEC("fentry/do_nanosleep")
int on_fentry(void *ctx)
{
	return 0;
}

SEC("kprobe/do_nanosleep")
int on_kprobe(void *ctx)
{
	return 0;
}

SEC("ksyscall/nanosleep")
int on_ksyscall(void *ctx)
{
	return 0;
}

char _license[] SEC("license") = "GPL";
