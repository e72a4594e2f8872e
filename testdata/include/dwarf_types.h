/*
 * Types for the DWARF type recovery tests: every layout feature BTF can
 * describe. dwarf_layout_btf.bpf.c pulls them all into BTF through globals;
 * dwarf_layout.bpf.c reaches them only through an arena pointer, so BTF
 * forward-declares or omits them and only DWARF has them complete.
 */
#pragma once

#include <linux/types.h>
#include <stdbool.h>

enum e_u8 { U8_A = 1, U8_B = 255 } __attribute__((packed));
enum e_s8 { S8_NEG = -1, S8_POS = 100 } __attribute__((packed));
enum e_u16 { U16_A = 7, U16_MAX = 65535 } __attribute__((packed));
enum e_s32 { S32_MIN = -2147483647 - 1, S32_ONE = 1 };
enum e_u32 { U32_ZERO = 0, U32_BIG = 0xffffffffu };
enum e_u64 { U64_ONE = 1, U64_BIG = 0xfffffffffffffff0ull };
enum e_s64 { S64_NEG = -5000000000ll, S64_POS = 1 };

typedef __u32 my_u32;
typedef my_u32 my_u32_chain;
typedef enum e_s32 es32_t;

struct bits {
	__u32 a : 3;
	__u32 b : 5;
	__u32 : 0;
	__u32 c : 20;
	__u64 d : 40;
	__s8 e : 3;
	bool f : 1;
	enum e_u8 g : 4;
	__s32 h : 32;
	__u16 after;
};

struct anon {
	__u32 kind;
	union {
		__u64 u;
		__s64 s;
		struct {
			__u32 lo;
			__u32 hi;
		};
		__u8 bytes[8];
	};
	struct {
		__u16 x, y;
	} point;
	union {
		__u8 b;
		__u32 w;
	} __attribute__((aligned(8)));
};

union u_all {
	__u8 b;
	__u64 q;
	struct bits bf;
	char s[13];
};

struct packed_s {
	__u8 a;
	__u64 b;
	__u16 c;
} __attribute__((packed));

struct packed_member {
	__u8 a;
	__u32 b __attribute__((packed));
	__u8 c;
	struct packed_s inner;
};

struct over {
	__u32 x;
} __attribute__((aligned(64)));

struct aligned_s {
	__u8 a;
	__u64 b __attribute__((aligned(16)));
	__u8 c;
	struct over o;
};

struct flex {
	__u32 n;
	__u64 data[];
};

struct zero_len {
	__u16 n;
	__u32 data[0];
};

struct tree {
	struct tree *kids[2];
	struct tree *parent;
	__u64 grid[3][4][5];
	struct tree *ptrs[2][3];
};

struct funcs {
	int (*fn)(int, void *);
	int (*vfn)(int, ...);
	void (*nothing)(void);
	struct tree *(*find)(struct tree *, __u64 key);
};

struct tags {
	int __attribute__((btf_type_tag("user"))) *up;
	int __attribute__((btf_type_tag("a"))) __attribute__((btf_type_tag("b"))) *ab;
	__u32 tagged __attribute__((btf_decl_tag("my_tag")));
} __attribute__((btf_decl_tag("struct_tag")));

struct quals {
	const volatile __u32 cv;
	const char *str;
	int *restrict rp;
	volatile __u64 *vp;
};

struct ints {
	char c;
	signed char sc;
	unsigned char uc;
	short s;
	unsigned short us;
	int i;
	unsigned int ui;
	long l;
	unsigned long ul;
	long long ll;
	unsigned long long ull;
	bool bo;
	float f;
	double d;
	__int128 i128;
	unsigned __int128 u128;
	my_u32_chain chained;
};

struct enums {
	enum e_u8 u8;
	enum e_s8 s8;
	enum e_u16 u16;
	es32_t s32;
	enum e_u32 u32;
	enum e_u64 u64;
	enum e_s64 s64;
};

typedef struct layout_all {
	struct bits bits;
	struct anon anon;
	union u_all u;
	struct packed_s packed;
	struct packed_member pm;
	struct aligned_s aligned;
	struct tree tree;
	struct funcs funcs;
	struct tags tags;
	struct quals quals;
	struct ints ints;
	struct enums enums;
	struct zero_len zl;
	struct flex flex;
} layout_all_t;
