/*
 * A minimal vmlinux.h-style header for bpfskel's per-architecture tests:
 * the integer types bpf_helpers.h needs and struct pt_regs of the
 * architecture named by __TARGET_ARCH_<arch> (bpfskel gen -target GOARCH
 * defines it), every record CO-RE relocatable like vmlinux.h's. Only the
 * registers the tests read are named; the layouts follow the kernel's.
 */
#pragma once

typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;

enum bpf_map_type {
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_RINGBUF = 27,
};

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

#if defined(__TARGET_ARCH_x86)
struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	unsigned long ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
};
#define ARCH_PARM1(r) BPF_CORE_READ(r, di)
#define ARCH_IP(r) BPF_CORE_READ(r, ip)
#elif defined(__TARGET_ARCH_arm64)
struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
};
struct pt_regs {
	union {
		struct user_pt_regs user_regs;
		struct {
			__u64 regs[31];
			__u64 sp;
			__u64 pc;
			__u64 pstate;
		};
	};
	__u64 orig_x0;
	__s32 syscallno;
	__u32 unused2;
	__u64 sdei_ttbr1;
	__u64 pmr_save;
	__u64 stackframe[2];
	__u64 lockdep_hardirqs;
	__u64 exit_rcu;
};
#define ARCH_PARM1(r) BPF_CORE_READ(r, regs[0])
#define ARCH_IP(r) BPF_CORE_READ(r, pc)
#elif defined(__TARGET_ARCH_s390)
typedef struct {
	unsigned long mask;
	unsigned long addr;
} psw_t;
struct pt_regs {
	unsigned long args[1];
	psw_t psw;
	unsigned long gprs[16];
	unsigned long orig_gpr2;
	__u32 int_code;
	__u32 int_parm;
	unsigned long int_parm_long;
	unsigned long flags;
	unsigned long cr1;
	unsigned long last_break;
};
#define ARCH_PARM1(r) BPF_CORE_READ(r, gprs[2])
#define ARCH_IP(r) BPF_CORE_READ(r, psw.addr)
#else
#error "arch_vmlinux.h knows x86, arm64 and s390: compile with -D__TARGET_ARCH_<arch> (bpfskel gen -target amd64,arm64,s390x)"
#endif

#pragma clang attribute pop
