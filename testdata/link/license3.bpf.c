/* Another license than license1.bpf.c's: the two do not link. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("syscall")
int lic_three(void *ctx)
{
	return 3;
}

char _license[] SEC("license") = "Dual BSD/GPL";
