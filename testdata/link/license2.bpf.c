/* The same license as license1.bpf.c, under libbpf-tools' name. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("syscall")
int lic_two(void *ctx)
{
	return 1 + (bpf_get_current_task() != 0);
}

char LICENSE[] SEC("license") = "GPL";
__u32 _version SEC("version") = 1;
