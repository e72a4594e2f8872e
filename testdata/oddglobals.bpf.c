/*
 * oddglobals: globals Go cannot type as C does. _Atomic variables (clang
 * gives them no BTF type) become byte arrays; .data.odd is 12 bytes with a
 * __u64 in it, so its Go struct is padded to 16 to keep every variable a
 * field.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

_Atomic __u64 atomic_counter;
_Atomic __u32 atomic_small;

__u64 big SEC(".data.odd") = 7;
__u32 small SEC(".data.odd") = 3;

SEC("syscall")
int touch(void *ctx)
{
	atomic_counter += 5;
	atomic_small += 2;
	big += small;
	return 0;
}

char _license[] SEC("license") = "GPL";
