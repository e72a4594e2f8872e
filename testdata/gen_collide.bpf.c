/* gen_collide: two maps whose Go names collide (RingBuf), an error for gen. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} ring_buf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} ring__buf SEC(".maps");

SEC("syscall")
int touch(void *ctx)
{
	__u32 k = 0;

	return bpf_map_lookup_elem(&ring_buf, &k) != bpf_map_lookup_elem(&ring__buf, &k);
}

char _license[] SEC("license") = "GPL";
