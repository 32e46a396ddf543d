package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
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
	cmd := startServer(t, db)

	stdout, stderr, code := lw(t, "--db", db, "user", "add", "--name", "office1", "--role", "office")
	if code != 0 || !strings.Contains(stdout, "密码（只显示这一次）") {
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
	if code != 1 || !strings.Contains(stderr, "请先停止服务") {
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

// TestForwardedCommandsKeepTheirFlags: 200 forwarded commands at once, each with its own format
// and query, each answered in its own format with its own rows — flag values live per invocation.
func TestForwardedCommandsKeepTheirFlags(t *testing.T) {
	db := initDB(t)
	startServer(t, db)
	formats := []string{"csv", "json", "table"}
	var wg sync.WaitGroup
	errs := make(chan string, 200)
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			format := formats[i%len(formats)]
			q := fmt.Sprintf("SELECT %d AS n, '%s' AS f", i, format)
			stdout, stderr, code := lw(t, "--db", db, "sql", "--format", format, q)
			var ok bool
			switch format {
			case "csv":
				ok = stdout == fmt.Sprintf("n,f\n%d,csv\n", i)
			case "json":
				var rows []map[string]any
				ok = json.Unmarshal([]byte(stdout), &rows) == nil && len(rows) == 1 &&
					fmt.Sprint(rows[0]["n"]) == fmt.Sprint(i) && rows[0]["f"] == "json"
			case "table":
				ok = strings.Contains(stdout, "---") && strings.Contains(stdout, fmt.Sprintf("%d ", i)) &&
					strings.Contains(stdout, "table") && !strings.HasPrefix(stdout, "[") && !strings.HasPrefix(stdout, "n,f")
			}
			if code != 0 || !ok {
				errs <- fmt.Sprintf("call %d (%s): exit %d, got %q %q", i, format, code, stdout, stderr)
			}
		}()
	}
	wg.Wait()
	close(errs)
	n := 0
	for e := range errs {
		if n < 5 {
			t.Error(e)
		}
		n++
	}
	if n > 0 {
		t.Errorf("%d of 200 forwarded calls answered wrongly", n)
	}
}

// startServer runs `landwatch serve` on db in a child process (TestServeChild) until the test ends
// and returns once it listens; it is stopped with kill, as an operator's kill -9 would.
func startServer(t *testing.T, db string) *exec.Cmd {
	t.Helper()
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
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.Contains(line, "landwatch 门户已启动：http://127.0.0.1:") {
		t.Fatalf("server did not start: %q %v", line, err)
	}
	return cmd
}
