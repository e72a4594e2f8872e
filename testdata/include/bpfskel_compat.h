/* What newer libbpf headers provide and Debian 12's libbpf 1.1.2 lacks. */
#pragma once

/* bpf_ksym_exists(sym): whether the weak __ksym sym (variable or kfunc)
 * exists in the running kernel. */
#ifndef bpf_ksym_exists
#define bpf_ksym_exists(sym) ({                                              \
	_Static_assert(!__builtin_constant_p(!!sym), #sym " must be __weak"); \
	!!sym;                                                                \
})
#endif
