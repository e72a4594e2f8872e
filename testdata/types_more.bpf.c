/* More type kinds for btf2go's golden and layout tests, in globals only:
 * arena pointers marked with btf_type_tag("arena"), forward declarations,
 * function typedefs, packed structs whose natural alignment would give Go
 * tail padding, flexible arrays, static variables and name collisions. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define __arena_tag __attribute__((btf_type_tag("arena")))

struct node {
	struct node __arena_tag *next;          /* runtime.Ptr[Node] */
	void __arena_tag *payload;              /* runtime.Ptr[byte] */
	struct opaque __arena_tag *hidden;      /* forward declaration: opaque */
	int __arena_tag * __arena_tag *pp;      /* arena pointer to arena pointer */
	struct node *plain;                     /* not an arena pointer: uint64 */
	int (*fn)(int);                         /* function pointer: uint64 */
	unsigned long long key;
};

typedef int handler_t(int);                 /* a function type */
typedef handler_t *handler_ptr_t;

struct __attribute__((packed)) packed9 {    /* size 9: Go must not align a */
	unsigned long long a;
	unsigned char b;
};

struct holds_packed9 {
	unsigned char c;
	struct packed9 p;                       /* at byte 1 */
	struct packed9 arr[2];                  /* at byte 10 */
};

struct flex {
	unsigned long long n;
	unsigned char data[];                   /* flexible array member */
};

struct empty {};

struct ends_empty {
	int x;
	struct empty e;                         /* zero size, at the end */
};

/* Collisions: struct, enum and typedef named clash; an enum constant that
 * spells a struct's Go name; two C names with one Go name. */
struct clash { int c; };
enum Clash { CLASH_A, KW = 3 };   /* same Go name as struct clash */
typedef long clash;
struct kw { int x; };
struct two__words { int a; };
struct two_words { int b; };

enum neg64 { NEG_MIN = -9223372036854775807LL - 1, NEG_ONE = -1, NEG_BIG = 0x100000000LL };

union aligned_u {                           /* union alignment from a member */
	unsigned char b[12];
	unsigned int w;
};

struct node g_head;
handler_ptr_t g_handler;
struct holds_packed9 g_holds;
struct flex g_flex;
struct ends_empty g_ends;
struct clash g_clash_s;
enum Clash g_clash_e;
clash g_clash_t;
struct kw g_kw;
struct two__words g_tw1;
struct two_words g_tw2;
enum neg64 g_neg;
union aligned_u g_au;
enum { ANON_A = 7 } g_anon_enum;
static int g_static_counter __attribute__((used)) = 3;
double g_double = 1.5;

char LICENSE[] SEC("license") = "GPL";
