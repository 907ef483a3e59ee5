package procx

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestAliveAndProgramNameThisProcess(t *testing.T) {
	if !Alive(os.Getpid()) {
		t.Fatal("Alive(own pid) = false")
	}
	name, err := Program(os.Getpid())
	if err != nil {
		t.Fatalf("Program(own pid): %v", err)
	}
	if !strings.HasPrefix(name, "procx.test") {
		t.Fatalf("Program(own pid) = %q, want the test binary's name", name)
	}
	if Alive(0) || Alive(-1) {
		t.Fatal("Alive accepts a pid <= 0")
	}
}

// A child that exited but was not reaped yet is not alive: it runs no code.
func TestAliveFalseForExitedChild(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	tree, err := StartTree(cmd)
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	tree.waitLeader()
	if Alive(cmd.Process.Pid) {
		t.Fatalf("pid %d reported alive after it exited", cmd.Process.Pid)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
}
