//go:build linux

package runtime_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/runtime"
)

const unprivEnv = "BPFSKEL_RUNTIME_UNPRIV_CHILD"

// TestMain runs the unprivileged child of TestMissingPrivilege when asked
// to, and the tests otherwise.
func TestMain(m *testing.M) {
	if path := os.Getenv(unprivEnv); path != "" {
		unprivilegedChild(path)
		return
	}
	os.Exit(m.Run())
}

// unprivilegedChild loads an object and prints the outcome.
func unprivilegedChild(path string) {
	obj, err := os.ReadFile(path)
	if err != nil {
		fmt.Println("RESULT", err)
		return
	}
	s, err := runtime.LoadSpec(obj)
	if err != nil {
		fmt.Println("RESULT", err)
		return
	}
	c, err := s.Load(nil)
	if err == nil {
		c.Close()
		fmt.Println("RESULT loaded")
		return
	}
	fmt.Printf("RESULT permission=%v: %v\n", errors.Is(err, runtime.ErrPermission), err)
}

// TestMissingPrivilege loads an object as an unprivileged user and checks
// the error says privileges are missing.
func TestMissingPrivilege(t *testing.T) {
	kerneltest.RequireRoot(t)
	// A directory the unprivileged user can enter (t.TempDir's is not).
	dir, err := os.MkdirTemp("", "bpfskel-unpriv-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "runtime.test")
	copyFile(t, self, bin, 0o755)
	obj := filepath.Join(dir, "arena_list.bpf.o")
	copyFile(t, filepath.Join("..", "testdata", "arena_list.bpf.o"), obj, 0o644)

	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), unprivEnv+"="+obj)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	i := strings.Index(string(out), "RESULT ")
	if i < 0 {
		t.Fatalf("child printed no result:\n%s", out)
	}
	res := strings.SplitN(string(out[i:]), "\n", 2)[0]
	if !strings.HasPrefix(res, "RESULT permission=true") {
		t.Fatalf("unprivileged load: %s", res)
	}
	t.Log(res)
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
