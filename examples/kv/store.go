package main

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/bpfskel/bpfskel/runtime"
)

// The sizes kv.bpf.c was compiled with.
const (
	keySize   = 32
	valueSize = 64
	nBuckets  = 1024
	maxChain  = 16 // kv_get follows at most this many entries per bucket
)

var (
	errKeySize   = fmt.Errorf("key longer than %d bytes", keySize)
	errValueSize = fmt.Errorf("value longer than %d bytes", valueSize)
	errChain     = fmt.Errorf("bucket already holds %d entries, the most kv_get follows", maxChain)
)

// Store is the key/value store that kv_get answers from: a chained hash
// table in the arena (the arena global kv), whose entries Go allocates in
// arena memory that BPF's own allocator never hands out.
//
// Store is not safe for concurrent use by several goroutines; BPF may read
// it at any time. A new entry is filled before the bucket pointer that
// publishes it is stored (atomically), so BPF never sees half an entry.
// Deleted entries are kept on a free list and reused, so a reader racing
// with Delete may see a reused entry's new contents: acceptable for a cache.
type Store struct {
	arena *runtime.Arena
	table *Table
	free  []*Entry
}

// NewStore takes over the table in the arena globals of a loaded kv object.
func NewStore(obj *Kv) *Store {
	t := &obj.ArenaGlobals.Kv
	t.NBuckets = nBuckets
	return &Store{arena: obj.Arena, table: t}
}

// hashKey hashes the whole zero-padded key as four little-endian 64-bit
// words, as kv_get does.
func hashKey(key *[keySize]byte) uint64 {
	var h uint64
	for i := 0; i < keySize; i += 8 {
		h = (h ^ binary.LittleEndian.Uint64(key[i:])) * 0x9E3779B97F4A7C15
		h ^= h >> 32
	}
	return h
}

func makeKey(key string) (k [keySize]byte, err error) {
	if len(key) > keySize {
		return k, errKeySize
	}
	copy(k[:], key)
	return k, nil
}

// find returns the entry of key and the link that points to it.
func (s *Store) find(k *[keySize]byte, h uint64) (e *Entry, link *runtime.Ptr[Entry]) {
	link = &s.table.Buckets[h%nBuckets]
	for e = link.Load().Get(s.arena); e != nil; e = link.Load().Get(s.arena) {
		if e.Hash == h && e.Key == *k {
			return e, link
		}
		link = &e.Next
	}
	return nil, link
}

// Put stores value under key, replacing any earlier value.
func (s *Store) Put(key string, value []byte) error {
	k, err := makeKey(key)
	if err != nil {
		return err
	}
	if len(value) > valueSize {
		return errValueSize
	}
	h := hashKey(&k)
	if e, _ := s.find(&k, h); e != nil {
		e.Value = [valueSize]byte{}
		copy(e.Value[:], value)
		return nil
	}
	head := &s.table.Buckets[h%nBuckets]
	if s.chainLen(head) >= maxChain {
		return errChain
	}
	e, err := s.alloc()
	if err != nil {
		return err
	}
	*e = Entry{Hash: h, Key: k, Next: head.Load()}
	copy(e.Value[:], value)
	head.Store(runtime.PtrTo(s.arena, e))
	s.table.Count++
	return nil
}

// Get returns the value stored under key.
func (s *Store) Get(key string) ([]byte, bool) {
	k, err := makeKey(key)
	if err != nil {
		return nil, false
	}
	e, _ := s.find(&k, hashKey(&k))
	if e == nil {
		return nil, false
	}
	v := e.Value
	return v[:], true
}

// Delete removes key and reports whether it was there.
func (s *Store) Delete(key string) bool {
	k, err := makeKey(key)
	if err != nil {
		return false
	}
	e, link := s.find(&k, hashKey(&k))
	if e == nil {
		return false
	}
	link.Store(e.Next.Load())
	s.table.Count--
	s.free = append(s.free, e)
	return true
}

// Len returns the number of keys in the store.
func (s *Store) Len() int { return int(s.table.Count) }

func (s *Store) chainLen(head *runtime.Ptr[Entry]) int {
	n := 0
	for e := head.Load().Get(s.arena); e != nil; e = e.Next.Load().Get(s.arena) {
		n++
	}
	return n
}

func (s *Store) alloc() (*Entry, error) {
	if n := len(s.free); n > 0 {
		e := s.free[n-1]
		s.free = s.free[:n-1]
		return e, nil
	}
	e, err := runtime.New[Entry](s.arena)
	if err != nil {
		return nil, errors.Join(errors.New("allocate an entry in the arena"), err)
	}
	return e, nil
}
