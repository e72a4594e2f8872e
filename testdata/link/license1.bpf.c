/* license1, license2 and license3 each define the program license (and
 * license1 and license2 the kernel version), as every C file of a libbpf
 * program may: linking keeps one license section when they agree and
 * fails when they do not (license3). The programs call a GPL-only helper,
 * so they load only with the license kept. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("syscall")
int lic_one(void *ctx)
{
	return bpf_get_current_task() != 0;
}

char _license[] SEC("license") = "GPL";
__u32 _version SEC("version") = 1;
