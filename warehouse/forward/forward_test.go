package forward

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestForward(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.duckdb")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if handled, _, err := Forward(ctx, db, []string{"sql", "SELECT 1"}, io.Discard, io.Discard); handled || err == nil {
		t.Fatal("forwarded with no server")
	}
	os.WriteFile(filepath.Join(dir, "in.csv"), []byte("a\n"), 0o600)
	var got []string
	f, err := Listen(ctx, db, func(ctx context.Context, argv []string, stdout, stderr io.Writer) int {
		got = argv
		fmt.Fprint(stdout, "out:"+strings.Join(argv, ","))
		fmt.Fprint(stderr, "err")
		return 3
	}, testLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := os.Stat(SocketPath(db))
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("socket mode %v", st.Mode().Perm())
	}
	wd, _ := os.Getwd()
	os.Chdir(dir)
	defer os.Chdir(wd)
	var out, errb strings.Builder
	handled, code, err := Forward(ctx, db, []string{"load", "inspection", "in.csv"}, &out, &errb)
	if !handled || err != nil || code != 3 || errb.String() != "err" {
		t.Fatalf("forward: %v %d %v %q", handled, code, err, errb.String())
	}
	if got[2] != filepath.Join(dir, "in.csv") {
		t.Fatalf("relative file not made absolute: %v", got)
	}
	if _, err := Listen(ctx, db, nil, testLogger()); err == nil {
		t.Fatal("second server on the same socket")
	}
}

// TestAbsPathsOutputFolder: an output folder (--out, --dir) is made absolute even before it exists,
// so the server writes it where the user stood; other unknown words stay as they are.
func TestAbsPathsOutputFolder(t *testing.T) {
	cwd := "/home/office"
	got := absPaths([]string{"notify", "--day", "2023-05-07", "--out", "通知", "--dir=demo2", "--as-of", "2023-05-07"}, cwd)
	want := []string{"notify", "--day", "2023-05-07", "--out", "/home/office/通知", "--dir=/home/office/demo2", "--as-of", "2023-05-07"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("absPaths = %q, want %q", got, want)
	}
}
