// Package events is the skeleton of testdata/events.bpf.o and its kernel
// tests: typed reads of ring buffer and perf event array records, and
// typed queue, stack and bloom filter maps.
package events
