package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bpfskel/bpfskel/gen"
)

// writeFiles writes files all or nothing. It first stages every file whose
// contents change in a temporary file in the file's directory, and only
// when all are staged renames them into place; on an error it removes
// every temporary file, having changed nothing. (Only a rename failing
// after others succeeded, which the checks before staging make unlikely,
// leaves some files new.) A file already on disk with the same contents
// is left alone, time stamp included.
func writeFiles(files []gen.File) (err error) {
	type staged struct{ tmp, path string }
	var todo []staged
	defer func() {
		if err != nil {
			for _, s := range todo {
				os.Remove(s.tmp)
			}
		}
	}()
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f.Path] {
			continue // the same path twice: GenerateMany made sure the data agree
		}
		seen[f.Path] = true
		if fi, err := os.Stat(f.Path); err == nil && !fi.Mode().IsRegular() {
			return fmt.Errorf("write %s: not a regular file", f.Path)
		}
		if old, err := os.ReadFile(f.Path); err == nil && bytes.Equal(old, f.Data) {
			continue
		}
		tmp, err := stageFile(f)
		if err != nil {
			return err
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

// stageFile writes f's data to a new temporary file next to f.Path and
// returns its name.
func stageFile(f gen.File) (string, error) {
	dir, base := filepath.Split(f.Path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", f.Path, err)
	}
	_, err = tmp.Write(f.Data)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("write %s: %w", f.Path, err)
	}
	return tmp.Name(), nil
}

// reportErrors returns err for main to print when it is one error. Several
// (errors joined by errors.Join, one per failed skeleton or object) are
// printed here, one line each with its own "bpfskel: " prefix, and exit
// status 1 is returned.
func reportErrors(stderr io.Writer, err error) error {
	errs := flattenErrors(err)
	if len(errs) == 1 && !strings.Contains(errs[0].Error(), "\n") {
		return errs[0]
	}
	for _, e := range errs {
		fmt.Fprintln(stderr, "bpfskel:", strings.ReplaceAll(e.Error(), "\n", "; "))
	}
	return exitError{code: 1}
}

// flattenErrors returns the errors that errors.Join joined into err
// (recursively), or err alone.
func flattenErrors(err error) []error {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var errs []error
	for _, e := range j.Unwrap() {
		errs = append(errs, flattenErrors(e)...)
	}
	return errs
}

// firstErrors returns the first error of each job, given errs and the job
// each belongs to, in job order, joined.
func firstErrors(nJobs int, errs []error, job func(i int) int) error {
	first := make([]error, nJobs)
	for i, err := range errs {
		if j := job(i); err != nil && first[j] == nil {
			first[j] = err
		}
	}
	return errors.Join(first...)
}
