package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// helloSource is the reference program of BenchmarkCLIStart: a Go hello world, built and started
// the same way as landwatch.
const helloSource = `package main

import "fmt"

func main() { fmt.Println("你好") }
`

// goBuild builds the package in dir (or the main package of the module at dir) into out with the
// go command of the test's environment.
func goBuild(b *testing.B, dir, pkg, out string) {
	b.Helper()
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = dir
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build %s: %v\n%s", pkg, err, msg)
	}
}

// startOnce starts the program with args, waits for it, and returns its wall time and its CPU time
// (user + system, as the kernel accounted it to the child).
func startOnce(b *testing.B, prog string, args ...string) (wall, cpu time.Duration) {
	b.Helper()
	cmd := exec.Command(prog, args...)
	start := time.Now()
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("%s %v: %v\n%s", prog, args, err, msg)
	}
	wall = time.Since(start)
	return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// BenchmarkCLIStart times a start of the landwatch binary (help, and `sql "SELECT 1"` on a new
// warehouse) as a process, and reports it as a multiple of a Go hello world started the same way
// in the same process, alternately: x-ref for wall time, cpu-x-ref for the children's CPU time.
func BenchmarkCLIStart(b *testing.B) {
	dir := b.TempDir()
	lwBin := filepath.Join(dir, "landwatch")
	goBuild(b, ".", ".", lwBin)
	helloDir := filepath.Join(dir, "hello")
	if err := os.MkdirAll(helloDir, 0o700); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(helloDir, "go.mod"), []byte("module hello\n\ngo 1.22\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(helloDir, "main.go"), []byte(helloSource), 0o600); err != nil {
		b.Fatal(err)
	}
	helloBin := filepath.Join(dir, "hello-bin")
	goBuild(b, helloDir, ".", helloBin)
	db := filepath.Join(dir, "w.duckdb")
	startOnce(b, lwBin, "--db", db, "init")

	// The reference, the hello world, is started after each start measured (with the timer
	// stopped), so that both see the same load of a shared machine.
	run := func(name, prog string, args ...string) {
		b.Run(name, func(b *testing.B) {
			startOnce(b, prog, args...)
			startOnce(b, helloBin)
			var wall, cpu, refWall, refCPU time.Duration
			for b.Loop() {
				w, c := startOnce(b, prog, args...)
				b.StopTimer()
				rw, rc := startOnce(b, helloBin)
				b.StartTimer()
				wall, cpu, refWall, refCPU = wall+w, cpu+c, refWall+rw, refCPU+rc
			}
			n := float64(b.N)
			b.ReportMetric(float64(cpu.Nanoseconds())/n/1e6, "cpu-ms/op")
			b.ReportMetric(float64(refWall.Nanoseconds())/n/1e6, "ref-ms/op")
			b.ReportMetric(float64(refCPU.Nanoseconds())/n/1e6, "ref-cpu-ms/op")
			b.ReportMetric(float64(wall)/float64(refWall), "x-ref")
			b.ReportMetric(float64(cpu)/float64(refCPU), "cpu-x-ref")
		})
	}
	run("reference", helloBin)
	run("help", lwBin, "help")
	run("sql-SELECT-1", lwBin, "--db", db, "sql", "SELECT 1")
}
