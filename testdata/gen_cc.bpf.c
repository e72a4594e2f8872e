/*
 * gen_cc: a self-contained program (no headers, so it compiles anywhere
 * clang does) for the tests in which bpfskel gen compiles C itself.
 */
#define SEC(name) __attribute__((section(name), used))

struct cc_event {
	unsigned int pid;
	unsigned long long ts;
};

/*
 * Reached only through a pointer member: BTF forward-declares it, DWARF
 * has it.
 */
struct cc_node {
	unsigned int value;
	struct cc_node *next;
};

struct cc_list {
	struct cc_node *first;
};

struct {
	int (*type)[1]; /* BPF_MAP_TYPE_HASH */
	int (*max_entries)[16];
	unsigned int *key;
	struct cc_event *value;
} cc_events SEC(".maps");

struct cc_list cc_list;
volatile unsigned long long cc_count;

SEC("xdp") int cc_prog(void *ctx)
{
	cc_count++;
	return 2; /* XDP_PASS */
}

char LICENSE[] SEC("license") = "GPL";
