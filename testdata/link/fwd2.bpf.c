/* See fwd1.bpf.c. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct leaf;

struct mid {
	struct leaf *l;
	int m;
};

struct ring_b;

struct ring_a {
	struct ring_b *b;
	int x;
};

struct mid gy = { .m = 2 };
struct ring_a ry = { .x = 3 };

SEC("syscall")
int prog_y(void *ctx)
{
	return gy.m + ry.x;
}
