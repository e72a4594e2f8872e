/* gen_badsec: a program in a section no loader knows, an error for gen. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("no_such_kind/target")
int orphan(void *ctx)
{
	return 0;
}

char _license[] SEC("license") = "GPL";
