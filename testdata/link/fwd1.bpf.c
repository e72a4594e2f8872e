/* fwd1, fwd2 and fwd3 complete and declare structs differently. Here all
 * are complete; fwd2.bpf.c completes mid but only declares leaf, and
 * completes ring_a but only declares ring_b; fwd3.bpf.c only declares mid
 * (its extern take has a pointer to the declaration) and ring_a, and
 * completes ring_b. Linked, each struct is one type and no declaration
 * is left: the two mids are one type once fwd2's leaf resolves to
 * fwd1's, and the rings only if the declarations of both resolve at
 * once. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct leaf {
	int v;
};

struct mid {
	struct leaf *l;
	int m;
};

struct ring_b;

struct ring_a {
	struct ring_b *b;
	int x;
};

struct ring_b {
	struct ring_a *a;
	int y;
};

struct leaf gl;         /* complete leaf, ring_a and ring_b in this */
struct ring_a ra;       /* object's BTF: clang only declares a struct */
struct ring_b rb = { .y = 1 }; /* it reaches through a member pointer */

__hidden int take(struct mid *p)
{
	return p ? p->m : 0;
}

SEC("syscall")
int prog_x(void *ctx)
{
	return gl.v + ra.x + rb.y;
}

char _license[] SEC("license") = "GPL";
