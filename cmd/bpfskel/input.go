package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// defaultMaxInput is the largest input gen, types and inspect read unless
// -max-input says otherwise: far above any real BPF object (the kernel's
// own BTF is a few MiB), far below what would exhaust memory.
const defaultMaxInput = 256 << 20

// stdinPath is the argument that names standard input (types, inspect).
const stdinPath = "-"

// inputReader reads the inputs of one command: regular files (or standard
// input, given as "-", where the command allows it), each at most max
// bytes, checked before reading and while reading.
type inputReader struct {
	max   int64
	stdin io.Reader // nil: "-" is not accepted
}

// register adds the -max-input flag to fs.
func (r *inputReader) register(fs *flag.FlagSet) {
	r.max = defaultMaxInput
	fs.Var((*sizeFlag)(&r.max), "max-input", "refuse inputs larger than `SIZE` bytes (suffix KiB, MiB or GiB allowed)")
}

// errInputTooLarge is wrapped by the error for an input over the limit.
var errInputTooLarge = errors.New("input too large")

// read returns the contents of the input named path. Anything but a
// regular file (a device, a FIFO, a directory, a socket) is refused before
// it is opened for reading, and so is a file larger than r.max; a file
// that grows while it is read is cut off at r.max+1 bytes and refused.
// Memory use is the file's size (plus one read buffer for files, like
// those of sysfs or procfs, whose size stat does not know).
func (r *inputReader) read(path string) ([]byte, error) {
	if path == stdinPath {
		if r.stdin == nil {
			return nil, fmt.Errorf("%s: standard input is not accepted here: name a file", path)
		}
		return r.readBounded("standard input", r.stdin, 0)
	}
	// Stat first: opening a FIFO would block, and reading a device may
	// never end.
	fi, err := os.Stat(path)
	if err != nil {
		return nil, pathError(path, err)
	}
	if err := r.check(path, fi); err != nil {
		return nil, err
	}
	// O_NONBLOCK: should path have become a FIFO since the Stat, the open
	// does not block and the Fstat below refuses it.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, pathError(path, err)
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, pathError(path, err)
	}
	if err := r.check(path, fi); err != nil {
		return nil, err
	}
	return r.readBounded(path, f, fi.Size())
}

// pathError is err as "path: reason", whichever call (stat, open) failed.
func pathError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("%s: %w", path, err)
}

// check refuses what read must not read: anything but a regular file, or
// one larger than the limit.
func (r *inputReader) check(path string, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file (%s)", path, fileKind(fi.Mode()))
	}
	if fi.Size() > r.max {
		return fmt.Errorf("%s: %s: %w: the limit is %s (-max-input)", path, formatSize(fi.Size()), errInputTooLarge, formatSize(r.max))
	}
	return nil
}

// readBounded reads src to its end, at most r.max bytes: one byte more is
// an error. size is what stat says src holds (0 if unknown): such a file is
// read into one buffer of its size. Past that (standard input, a sysfs file
// whose stat says 0, a file that grew) it reads 1 MiB chunks and joins them
// once, so memory stays within twice what was read, never a multiple of
// the limit.
func (r *inputReader) readBounded(name string, src io.Reader, size int64) ([]byte, error) {
	const chunk = 1 << 20
	lr := io.LimitReader(src, r.max+1)
	var (
		parts [][]byte
		total int64
	)
	// +1: a file of the size stat gave ends within the first buffer.
	for n := min(max(size, 0), r.max) + 1; ; n = chunk {
		buf := make([]byte, n)
		m, err := io.ReadFull(lr, buf)
		parts = append(parts, buf[:m])
		total += int64(m)
		if total > r.max {
			return nil, fmt.Errorf("%s: more than %s: %w (-max-input)", name, formatSize(r.max), errInputTooLarge)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, pathError(name, err)
		}
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return bytes.Join(parts, nil), nil
}

// fileKind names the kind of file mode is, for errors.
func fileKind(mode fs.FileMode) string {
	switch {
	case mode.IsDir():
		return "a directory"
	case mode&fs.ModeCharDevice != 0:
		return "a character device"
	case mode&fs.ModeDevice != 0:
		return "a block device"
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "mode " + mode.String()
}

// sizeFlag is a byte count flag: a decimal number with an optional KiB,
// MiB or GiB suffix.
type sizeFlag int64

func (s *sizeFlag) String() string { return formatSize(int64(*s)) }

func (s *sizeFlag) Set(v string) error {
	n, err := parseSize(v)
	if err != nil {
		return err
	}
	*s = sizeFlag(n)
	return nil
}

var sizeUnits = []struct {
	suffix string
	shift  uint
}{{"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"bytes", 0}, {"B", 0}, {"", 0}}

// parseSize parses a size such as 1024, 64KiB, 256MiB, 256 MiB or 1GiB.
func parseSize(v string) (int64, error) {
	for _, u := range sizeUnits {
		num, ok := strings.CutSuffix(v, u.suffix)
		if !ok {
			continue
		}
		if u.suffix != "" {
			num = strings.TrimSuffix(num, " ") // "256 MiB", as formatSize writes it
		}
		n, err := strconv.ParseInt(num, 10, 64)
		if err != nil || n <= 0 || n > (1<<62)>>u.shift {
			break
		}
		return n << u.shift, nil
	}
	return 0, fmt.Errorf("want a positive number of bytes, such as 1048576, 512KiB, 256MiB or 1GiB")
}

// formatSize writes n in the largest unit that divides it.
func formatSize(n int64) string {
	for _, u := range sizeUnits[:3] {
		if n >= 1<<u.shift && n%(1<<u.shift) == 0 {
			return strconv.FormatInt(n>>u.shift, 10) + " " + u.suffix
		}
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
