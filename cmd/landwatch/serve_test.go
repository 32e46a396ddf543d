package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
)

const serveChildEnv = "LANDWATCH_SERVE_TEST_CHILD"

// TestServeChild is the server process of TestForwardWhileServing; it is skipped otherwise.
func TestServeChild(t *testing.T) {
	db := os.Getenv(serveChildEnv)
	if db == "" {
		t.Skip("runs only as the child of TestForwardWhileServing")
	}
	os.Exit(run(context.Background(), []string{"--db", db, "serve", "--addr", "127.0.0.1:0", "--pow-bits", "0"}, os.Stdout, os.Stderr))
}

// TestForwardWhileServing: while `serve` holds the warehouse in another process, user add, sql and
// audit verify are forwarded to it; writes through sql and commands that cannot be forwarded are
// refused with a message saying what to do.
func TestForwardWhileServing(t *testing.T) {
	db := initDB(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeChild$")
	cmd.Env = append(os.Environ(), serveChildEnv+"="+db)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.Contains(line, "landwatch serving http://127.0.0.1:") {
		t.Fatalf("server did not start: %q %v", line, err)
	}

	stdout, stderr, code := lw(t, "--db", db, "user", "add", "--name", "office1", "--role", "office")
	if code != 0 || !strings.Contains(stdout, "password (shown once)") {
		t.Fatalf("forwarded user add: %d %q %q", code, stdout, stderr)
	}
	stdout, stderr, code = lw(t, "--db", db, "sql", "--format", "csv", "SELECT username, role FROM users")
	if code != 0 || stdout != "username,role\noffice1,office\n" {
		t.Fatalf("forwarded sql: %d %q %q", code, stdout, stderr)
	}
	_, stderr, code = lw(t, "--db", db, "sql", "DELETE FROM users")
	if code != 1 || !strings.Contains(stderr, "只读查询") {
		t.Fatalf("forwarded write: %d %q", code, stderr)
	}
	stdout, _, code = lw(t, "--db", db, "audit", "verify")
	if code != 0 || !strings.Contains(stdout, "链完整") {
		t.Fatalf("forwarded audit verify: %d %q", code, stdout)
	}
	_, stderr, code = lw(t, "--db", db, "init")
	if code != 1 || !strings.Contains(stderr, "stop the server first") {
		t.Fatalf("init while serving: %d %q", code, stderr)
	}
	cmd.Process.Kill()
	cmd.Wait()
	// the server is gone (killed, its socket left behind): the CLI opens the warehouse itself
	stdout, stderr, code = lw(t, "--db", db, "sql", "--format", "csv", "SELECT count(*) AS n FROM users")
	if code != 0 || stdout != "n\n1\n" {
		t.Fatalf("after the server: %d %q %q", code, stdout, stderr)
	}
}
