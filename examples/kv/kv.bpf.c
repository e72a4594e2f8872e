//go:build ignore

/*
 * kv: a key/value store that Go owns and that lives in a BPF arena.
 *
 * Go builds a chained hash table in the arena (table kv, entries allocated
 * with the runtime's arena allocator). The XDP program kv_get parses a UDP
 * request carrying a key, looks the key up in the arena table and, on a hit,
 * rewrites the packet in place into a reply that carries the value and sends
 * it back out of the same interface (XDP_TX) without going to user space. A
 * miss, or anything that is not a request, passes the packet on.
 *
 * kv_get_hashmap answers the same requests from a BPF hash map, so the two
 * designs can be compared in a benchmark.
 */
#include "bpfskel_arena.h"
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>

#define KV_PORT 11211
#define KEY_SIZE 32
#define VALUE_SIZE 64
#define N_BUCKETS 1024
#define MAX_CHAIN 16

#define OP_GET 1
#define STATUS_HIT 1

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1024); /* pages: 4 MiB */
} arena SEC(".maps");

/* One key/value pair; entries of a bucket are chained through next. */
struct entry {
	struct entry __arena *next;
	__u64 hash;
	__u8 key[KEY_SIZE];
	__u8 value[VALUE_SIZE];
};

/* The table Go fills. n_buckets must be N_BUCKETS (checked by kv_get). */
struct table {
	__u32 n_buckets;
	__u32 count;
	struct entry __arena *buckets[N_BUCKETS];
};

/*
 * The request and reply payload that follows the UDP header. Multi-byte
 * fields are little-endian. A request has op OP_GET and a zero-padded key;
 * a reply (hit) has status STATUS_HIT and the value.
 */
struct request {
	__u8 magic[4]; /* "KV01" */
	__u8 op;
	__u8 status;
	__u16 value_len;
	__u8 key[KEY_SIZE];
	__u8 value[VALUE_SIZE];
};

struct table __arena_global kv;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1 << 17);
	__type(key, __u8[KEY_SIZE]);
	__type(value, __u8[VALUE_SIZE]);
} kv_hash SEC(".maps");

/* Counters read from Go through the skeleton's BSS view. */
__u64 hits;
__u64 misses;

/* Requests must arrive on this port; Go may change it before loading. */
const volatile __u16 port = KV_PORT;

/*
 * Keys are compared and hashed as four 64-bit words (little-endian); Go
 * computes the same hash.
 */
#define KEY_WORDS (KEY_SIZE / 8)

static __always_inline __u64 hash_key(const __u64 *key)
{
	__u64 h = 0;

#pragma unroll
	for (int i = 0; i < KEY_WORDS; i++) {
		h = (h ^ key[i]) * 0x9E3779B97F4A7C15ULL;
		h ^= h >> 32;
	}
	return h;
}

static __always_inline struct request *parse(struct xdp_md *ctx, struct ethhdr **ethp,
					     struct iphdr **ipp, struct udphdr **udpp)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct udphdr *udp;
	struct request *req;

	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return NULL;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || ip->ihl != 5 || ip->protocol != IPPROTO_UDP)
		return NULL;
	udp = (void *)(ip + 1);
	if ((void *)(udp + 1) > end || udp->dest != bpf_htons(port))
		return NULL;
	req = (void *)(udp + 1);
	if ((void *)(req + 1) > end)
		return NULL;
	if (req->magic[0] != 'K' || req->magic[1] != 'V' || req->magic[2] != '0' ||
	    req->magic[3] != '1' || req->op != OP_GET)
		return NULL;
	*ethp = eth;
	*ipp = ip;
	*udpp = udp;
	return req;
}

/* Turn the request into its reply: swap addresses and ports, mark it a hit. */
static __always_inline int reply(struct ethhdr *eth, struct iphdr *ip, struct udphdr *udp,
				 struct request *req)
{
	unsigned char mac[ETH_ALEN];
	__be32 addr;
	__be16 p;

	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	/* Swapping the addresses leaves the IP header checksum valid. */
	addr = ip->daddr;
	ip->daddr = ip->saddr;
	ip->saddr = addr;
	p = udp->dest;
	udp->dest = udp->source;
	udp->source = p;
	udp->check = 0; /* no UDP checksum: allowed for IPv4 */
	req->status = STATUS_HIT;
	req->value_len = VALUE_SIZE;
	return XDP_TX;
}

SEC("xdp")
int kv_get(struct xdp_md *ctx)
{
	struct ethhdr *eth;
	struct iphdr *ip;
	struct udphdr *udp;
	struct request *req = parse(ctx, &eth, &ip, &udp);
	struct entry __arena *e;
	__u64 h;

	if (!req || kv.n_buckets != N_BUCKETS)
		return XDP_PASS;
	h = hash_key((const __u64 *)req->key);
	e = kv.buckets[h & (N_BUCKETS - 1)];
	for (int i = 0; i < MAX_CHAIN && e; i++, e = e->next) {
		__u64 __arena *ek = (__u64 __arena *)e->key;
		__u64 __arena *ev = (__u64 __arena *)e->value;
		__u64 *rk = (__u64 *)req->key;
		__u64 *rv = (__u64 *)req->value;

		if (e->hash != h || ek[0] != rk[0] || ek[1] != rk[1] || ek[2] != rk[2] ||
		    ek[3] != rk[3])
			continue;
#pragma unroll
		for (int j = 0; j < VALUE_SIZE / 8; j++)
			rv[j] = ev[j];
		__sync_fetch_and_add(&hits, 1);
		return reply(eth, ip, udp, req);
	}
	__sync_fetch_and_add(&misses, 1);
	return XDP_PASS;
}

SEC("xdp")
int kv_get_hashmap(struct xdp_md *ctx)
{
	struct ethhdr *eth;
	struct iphdr *ip;
	struct udphdr *udp;
	struct request *req = parse(ctx, &eth, &ip, &udp);
	__u8 key[KEY_SIZE];
	__u8 *value;

	if (!req)
		return XDP_PASS;
	__builtin_memcpy(key, req->key, KEY_SIZE);
	value = bpf_map_lookup_elem(&kv_hash, key);
	if (!value) {
		__sync_fetch_and_add(&misses, 1);
		return XDP_PASS;
	}
	__builtin_memcpy(req->value, value, VALUE_SIZE);
	__sync_fetch_and_add(&hits, 1);
	return reply(eth, ip, udp, req);
}

char _license[] SEC("license") = "GPL";
