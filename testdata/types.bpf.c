/* Every kind of C type that btf2go translates, put into BTF through map
 * values and globals, with two programs for the value round trip test
 * (btf2go/internal/typestest): fill writes known values into every field of
 * vals[0]; check verifies the values Go wrote into vals[1] and returns 0, or
 * the source line of the first mismatch. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

typedef unsigned long long u64_t;            /* typedef of an integer */
typedef struct { int x; int y; } point_t;    /* typedef names an anonymous struct */
struct named { int a; };
typedef struct named named_t;                /* another name for struct named */
typedef struct dup { int d; } dup;           /* typedef with the struct's own name */

enum color { RED, GREEN = 5, BLUE = -1 };                 /* signed, 4 bytes */
enum big64 { BIG_A = 0x100000000ULL, BIG_B = 0xffffffffffffffffULL }; /* enum64 */
enum small : unsigned char { SMALL_A = 1, SMALL_B = 200 }; /* 1 byte */
enum alias { ALIAS_X = 1, ALIAS_Y = 1, ALIAS_Z = 2 };       /* duplicate values */

struct bits {
	unsigned int a : 3;
	int b : 5;                      /* signed */
	unsigned int : 0;               /* zero-width: next unit */
	unsigned long long c : 40;
	enum color col : 4;             /* enum bitfield, signed */
	_Bool flag : 1;
	int : 3;                        /* unnamed padding bits */
	unsigned char tail;
};

struct __attribute__((packed)) packed {
	char c;
	unsigned int u;                 /* at byte 1 */
	unsigned long long q;           /* at byte 5 */
	unsigned short s;               /* at byte 13 */
};

union u {
	unsigned int i;
	float f;
	unsigned char bytes[8];
	struct { unsigned short lo, hi; };   /* anonymous, reached as u.lo */
	unsigned long long q;
};

struct anon {
	int x;
	union { int ai; unsigned int au; };  /* anonymous union member */
	struct { short s1; short s2; };      /* anonymous struct member */
	struct { int inner_a : 4; int inner_b : 4; } named_anon;
};

struct overaligned {
	char c;
	int x __attribute__((aligned(16)));
	long long y __attribute__((aligned(64)));
};

struct flex0 {
	unsigned int n;
	unsigned int items[0];          /* zero-length trailing array */
};

struct flex {
	unsigned long long n;
	unsigned char data[];           /* flexible array member */
};

struct i128 {
	char c;
	__int128 s;
	unsigned __int128 u;
};

struct keywords {                     /* Go keywords and name collisions */
	int type;
	int func;
	int range;
	int set_flag;
	unsigned int flag : 1;          /* accessor Flag, setter SetFlag collides */
};

struct values {
	struct bits bits;
	struct packed packed;
	union u u;
	struct anon anon;
	enum color color;
	enum big64 big;
	enum small small;
	__int128 s128;
	unsigned __int128 u128;
	u64_t typed;
	point_t pt;
	named_t named;
	dup dup;
	char name[4][3];
	_Bool b;
	double d;
	float f;
	signed char sc;
	short sh;
	unsigned short ush;
	long long ll;
	struct overaligned over;
	struct flex0 fz;
	unsigned int fz_storage[2];     /* the trailing elements of fz */
	struct keywords kw;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct values);
} vals SEC(".maps");

/* Globals: .bss, .data, .rodata. */
struct i128 g_i128;
struct flex *g_flex_ptr;
enum alias g_alias = ALIAS_Z;
const volatile struct { int ro_a; long ro_b; } g_rodata = { 1, 2 };
static int g_static __attribute__((used));
union u g_union;

SEC("syscall")
int fill(void *ctx)
{
	__u32 k = 0;
	struct values *v = bpf_map_lookup_elem(&vals, &k);
	if (!v)
		return 1;
	v->bits.a = 5;
	v->bits.b = -7;
	v->bits.c = 0xabcdef1234ULL;
	v->bits.col = BLUE;
	v->bits.flag = 1;
	v->bits.tail = 0x7e;
	v->packed.c = 'p';
	v->packed.u = 0xdeadbeef;
	v->packed.q = 0x0102030405060708ULL;
	v->packed.s = 0x1234;
	v->u.lo = 0x1111;
	v->u.hi = 0x2222;
	v->anon.x = -3;
	v->anon.ai = -4;
	v->anon.s1 = 11;
	v->anon.s2 = -12;
	v->anon.named_anon.inner_a = -2;
	v->anon.named_anon.inner_b = 6;
	v->color = GREEN;
	v->big = BIG_B;
	v->small = SMALL_B;
	v->s128 = -((__int128)1 << 100);
	v->u128 = ((unsigned __int128)0x0123456789abcdefULL << 64) | 0xfedcba9876543210ULL;
	v->typed = 0xfeedfacecafebeefULL;
	v->pt.x = 100;
	v->pt.y = -100;
	v->named.a = 42;
	v->dup.d = 43;
	v->name[0][0] = 'a';
	v->name[3][2] = 'z';
	v->b = 1;
	v->d = 2.5;
	v->f = -1.25f;
	v->sc = -128;
	v->sh = -32768;
	v->ush = 65535;
	v->ll = -1234567890123LL;
	v->over.c = 'o';
	v->over.x = 77;
	v->over.y = -77;
	v->fz.n = 2;
	v->fz.items[0] = 1000;
	v->fz.items[1] = 2000;
	v->kw.type = 1;
	v->kw.func = 2;
	v->kw.range = 3;
	v->kw.set_flag = 4;
	v->kw.flag = 1;
	return 0;
}

#define CHECK(cond) do { if (!(cond)) return __LINE__; } while (0)

SEC("syscall")
int check(void *ctx)
{
	__u32 k = 1;
	struct values *v = bpf_map_lookup_elem(&vals, &k);
	if (!v)
		return 1;
	CHECK(v->bits.a == 6);
	CHECK(v->bits.b == -16);
	CHECK(v->bits.c == 0xffffffffffULL);
	CHECK(v->bits.col == GREEN);
	CHECK(v->bits.flag == 1);
	CHECK(v->bits.tail == 0x81);
	CHECK(v->packed.c == 'q');
	CHECK(v->packed.u == 0xcafef00d);
	CHECK(v->packed.q == 0x1122334455667788ULL);
	CHECK(v->packed.s == 0xbeef);
	CHECK(v->u.q == 0x0807060504030201ULL);
	CHECK(v->anon.x == 9);
	CHECK(v->anon.au == 0x80000000U);
	CHECK(v->anon.s1 == -1);
	CHECK(v->anon.s2 == 2);
	CHECK(v->anon.named_anon.inner_a == 7);
	CHECK(v->anon.named_anon.inner_b == -8);
	CHECK(v->color == BLUE);
	CHECK(v->big == BIG_A);
	CHECK(v->small == SMALL_A);
	CHECK(v->s128 == -1);
	CHECK(v->u128 == (((unsigned __int128)1 << 127) | 5));
	CHECK(v->typed == 7);
	CHECK(v->pt.x == -5 && v->pt.y == 5);
	CHECK(v->named.a == -42);
	CHECK(v->dup.d == -43);
	CHECK(v->name[1][1] == 'm');
	CHECK(v->b == 1);
	CHECK(*(__u64 *)&v->d == 0xbfe0000000000000ULL); /* -0.5 */
	CHECK(*(__u32 *)&v->f == 0x40400000U);          /* 3.0 */
	CHECK(v->sc == 127);
	CHECK(v->sh == 32767);
	CHECK(v->ush == 1);
	CHECK(v->ll == 1LL << 62);
	CHECK(v->over.c == 'x' && v->over.x == -1 && v->over.y == 1);
	CHECK(v->fz.n == 2 && v->fz.items[0] == 5 && v->fz.items[1] == 6);
	CHECK(v->kw.type == 10 && v->kw.func == 20 && v->kw.range == 30 && v->kw.set_flag == 40);
	CHECK(v->kw.flag == 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
