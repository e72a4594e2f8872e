// Package atomicfile writes files so that readers see either the old
// contents or the complete new contents, never a partial file, and so that
// a write never lands on a file it must not touch.
//
// Output paths are checked before anything is written: a path that is a
// symbolic link, a directory or anything but a regular file is refused
// (writing never follows a link to wherever it points), and so is a path
// that names one of the caller's inputs. A file that is replaced is
// replaced by rename, so other hard links to it keep the old contents.
package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// File is a file to write: its path and its complete contents.
type File struct {
	Path string
	Data []byte
}

// check returns an error when path must not be written: it is a symbolic
// link, a directory or any other non-regular file. A path that does not
// exist may be written.
func check(path string) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("write %s: %w", path, err)
	case fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("write %s: is a symbolic link: refusing to write through it (name its target, or remove it)", path)
	case fi.IsDir():
		return fmt.Errorf("write %s: is a directory, want a file name", path)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("write %s: not a regular file", path)
	}
	return nil
}

// WriteFile writes data to a temporary file in the directory of path and
// renames it over path. On error nothing is left behind.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return WriteFiles([]File{{Path: path, Data: data}}, perm, nil)
}

// AliasError reports an output that is one of the files the writer was told
// to keep: the same name, or the same file (device and inode) under another
// name.
type AliasError struct {
	Output, Input string
}

func (e *AliasError) Error() string {
	if e.Output == e.Input {
		return fmt.Sprintf("write %s: it is also an input: refusing to overwrite it", e.Output)
	}
	return fmt.Sprintf("write %s: it is the input %s (same file): refusing to overwrite it", e.Output, e.Input)
}

// WriteFiles writes files all or nothing, each with permissions perm. It
// first checks every path (no symbolic link, directory or other
// non-regular file) and stages every file whose contents change in a
// temporary file in its directory, and only
// when all are staged renames them into place; on an error it removes
// every temporary file, having changed nothing. (Only a rename failing
// after others succeeded, which the checks before staging make unlikely,
// leaves some files new.) A file already on disk with the same contents is
// left alone, time stamp included.
//
// A file to write that is the same file as one of keep (the inputs of the
// run), by name or as a hard link, is refused with an [*AliasError] before
// anything is written.
// Paths listed twice in files are written once: the caller makes sure
// their data agree.
func WriteFiles(files []File, perm os.FileMode, keep []string) (err error) {
	type staged struct{ tmp, path string }
	var todo []staged
	defer func() {
		if err != nil {
			for _, s := range todo {
				os.Remove(s.tmp)
			}
		}
	}()
	var kept []fs.FileInfo
	var keptName []string
	for _, k := range keep {
		if fi, err := os.Stat(k); err == nil {
			kept = append(kept, fi)
			keptName = append(keptName, k)
		}
	}
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f.Path] {
			continue
		}
		seen[f.Path] = true
		if err := check(f.Path); err != nil {
			return err
		}
		if unchanged(f.Path, f.Data) {
			continue
		}
		if fi, err := os.Stat(f.Path); err == nil {
			for i, k := range kept {
				if os.SameFile(fi, k) {
					return &AliasError{Output: f.Path, Input: keptName[i]}
				}
			}
		}
		tmp, err := stage(f.Path, f.Data, perm)
		if err != nil {
			return fmt.Errorf("write %s: %w", f.Path, err)
		}
		todo = append(todo, staged{tmp, f.Path})
	}
	for len(todo) > 0 {
		if err := os.Rename(todo[0].tmp, todo[0].path); err != nil {
			return fmt.Errorf("write %s: %w", todo[0].path, err)
		}
		todo = todo[1:]
	}
	return nil
}

// unchanged reports whether the regular file path holds exactly data. It
// reads at most len(data)+1 bytes, and nothing when the sizes differ.
func unchanged(path string, data []byte) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return false
	}
	old, err := io.ReadAll(io.LimitReader(f, int64(len(data))+1))
	return err == nil && bytes.Equal(old, data)
}

// stage writes data to a new temporary file next to path and returns its
// name.
func stage(path string, data []byte, perm os.FileMode) (string, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return "", err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(perm)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}
