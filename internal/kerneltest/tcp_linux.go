package kerneltest

import (
	"errors"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// CongestionControlAvailable reports whether the kernel lists TCP
// congestion control cc as available (a struct_ops tcp_congestion_ops a
// test registered, say).
func CongestionControlAvailable(tb testing.TB, cc string) bool {
	tb.Helper()
	b, err := os.ReadFile("/proc/sys/net/ipv4/tcp_available_congestion_control")
	if err != nil {
		tb.Fatal(err)
	}
	return slices.Contains(strings.Fields(string(b)), cc)
}

// TCPExchange sends 1 MiB over a loopback TCP connection whose client uses
// congestion control cc, so that cc's callbacks run.
func TCPExchange(cc string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	done := make(chan error, 1)
	go func() {
		s, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		defer s.Close()
		_, err = io.Copy(io.Discard, s)
		done <- err
	}()
	d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		if err := rc.Control(func(fd uintptr) {
			serr = unix.SetsockoptString(int(fd), unix.IPPROTO_TCP, unix.TCP_CONGESTION, cc)
		}); err != nil {
			return err
		}
		return serr
	}}
	conn, err := d.Dial("tcp", ln.Addr().String())
	if err != nil {
		return err
	}
	_, werr := conn.Write(make([]byte, 1<<20))
	return errors.Join(werr, conn.Close(), <-done)
}
