// Package forward is about who holds the warehouse: DuckDB lets one process write a warehouse file,
// so while `landwatch serve` holds it, other landwatch commands of the same user connect to the
// Unix socket <db>.sock and the server runs them in-process on the warehouse it holds, streaming
// their output back. The command line side (Forward) and the server side (Listen) are both here,
// so the command line reaches it without importing the web portal.
package forward

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// The socket is mode 0600 and every connection is checked with SO_PEERCRED: only the server's own
// user may send commands.
//
// Wire format: the client sends one JSON line {"argv": [...], "cwd": "..."}; the server answers with
// frames of 1 type byte ('o' stdout, 'e' stderr, 'x' exit code) + 4-byte big-endian length + payload.
// The client closing the connection cancels the command.

// SocketPath is the forwarding socket of the warehouse at db.
func SocketPath(db string) string { return db + ".sock" }

// Exec runs one forwarded command line and returns its exit code.
type Exec func(ctx context.Context, argv []string, stdout, stderr io.Writer) int

type fwdRequest struct {
	Argv []string `json:"argv"`
	Cwd  string   `json:"cwd"`
}

// ErrNoServer means no server answers on the warehouse's socket.
var ErrNoServer = errors.New("没有服务在这个数据仓库上运行")

// Forward sends argv to the server that owns the warehouse at dbPath. handled is false when no
// server listens (err says why); otherwise exitCode is the command's exit code.
func Forward(ctx context.Context, dbPath string, argv []string, stdout, stderr io.Writer) (handled bool, exitCode int, err error) {
	sock := SocketPath(dbPath)
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", sock)
	if err != nil {
		return false, 0, fmt.Errorf("%w（套接字 %s 无法连接）", ErrNoServer, sock)
	}
	defer conn.Close()
	cwd, _ := os.Getwd()
	req, _ := json.Marshal(fwdRequest{Argv: absPaths(argv, cwd), Cwd: cwd})
	if _, err := conn.Write(append(req, '\n')); err != nil {
		return false, 0, fmt.Errorf("无法把命令交给服务（%s）：%w", sock, err)
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
			conn.Close()
		case <-done:
		}
	}()
	r := bufio.NewReader(conn)
	for {
		var hdr [5]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			if ctx.Err() != nil {
				return true, 130, ctx.Err()
			}
			return true, 1, fmt.Errorf("命令执行完以前服务断开了连接：%w", err)
		}
		n := binary.BigEndian.Uint32(hdr[1:])
		if n > 64<<20 {
			return true, 1, errors.New("服务的回复格式有误")
		}
		buf := make([]byte, n)
		if _, err := io.ReadFull(r, buf); err != nil {
			return true, 1, fmt.Errorf("读取服务的回复：%w", err)
		}
		switch hdr[0] {
		case 'o':
			stdout.Write(buf)
		case 'e':
			stderr.Write(buf)
		case 'x':
			code, err := strconv.Atoi(string(buf))
			if err != nil {
				return true, 1, errors.New("服务回复的退出码格式有误")
			}
			return true, code, nil
		}
	}
}

var looksLikeFile = regexp.MustCompile(`^[^\s=]+\.[A-Za-z0-9]{1,8}$`)

// absPaths makes relative file arguments absolute, since the server runs in its own directory: an
// argument (or a --flag=value's value) that names an existing path, or that looks like a file name
// whose folder exists (an output such as briefing.pdf).
func absPaths(argv []string, cwd string) []string {
	out := make([]string, len(argv))
	fix := func(s string) string {
		if s == "" || filepath.IsAbs(s) || strings.HasPrefix(s, "-") {
			return s
		}
		if _, err := os.Stat(s); err == nil {
			return filepath.Join(cwd, s)
		}
		if looksLikeFile.MatchString(s) {
			if st, err := os.Stat(filepath.Dir(s)); err == nil && st.IsDir() {
				return filepath.Join(cwd, s)
			}
		}
		return s
	}
	folder := func(s string) string { // an output folder: absolute even before it exists
		if s == "" || filepath.IsAbs(s) {
			return s
		}
		return filepath.Join(cwd, s)
	}
	for i, a := range argv {
		if strings.HasPrefix(a, "-") {
			if k, v, ok := strings.Cut(a, "="); ok {
				if folderFlags[k] {
					out[i] = k + "=" + folder(v)
				} else {
					out[i] = k + "=" + fix(v)
				}
				continue
			}
			out[i] = a
			continue
		}
		if i > 0 && folderFlags[argv[i-1]] {
			out[i] = folder(a)
			continue
		}
		out[i] = fix(a)
	}
	return out
}

// folderFlags name output folders (notify --out, demo --dir).
var folderFlags = map[string]bool{"--out": true, "-out": true, "--dir": true, "-dir": true}

// Forwarder is the listening side.
type Forwarder struct {
	ln     net.Listener
	path   string
	cancel context.CancelFunc
	once   sync.Once
	wg     sync.WaitGroup
}

// Listen opens the socket next to the warehouse and serves forwarded commands with exec until ctx
// ends or Close is called.
func Listen(ctx context.Context, dbPath string, exec Exec, log *slog.Logger) (*Forwarder, error) {
	sock := SocketPath(dbPath)
	if len(sock) > 104 {
		return nil, fmt.Errorf("套接字路径 %s 太长（最多 104 字节）：请把数据仓库移到路径较短的目录", sock)
	}
	if _, err := os.Stat(sock); err == nil {
		if c, err := net.Dial("unix", sock); err == nil {
			c.Close()
			return nil, fmt.Errorf("已有另一个 landwatch 服务在 %s 上监听", sock)
		}
		os.Remove(sock) // left by a server that was killed
	}
	old := syscall.Umask(0o177)
	ln, err := net.Listen("unix", sock)
	syscall.Umask(old)
	if err != nil {
		return nil, fmt.Errorf("无法在 %s 上监听：%w", sock, err)
	}
	if err := os.Chmod(sock, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	f := &Forwarder{ln: ln, path: sock, cancel: cancel}
	f.wg.Add(2)
	go func() {
		defer f.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			f.wg.Add(1)
			go func() {
				defer f.wg.Done()
				serveForward(ctx, c.(*net.UnixConn), exec, log)
			}()
		}
	}()
	go func() { // ctx ending (or Close) stops the listener
		defer f.wg.Done()
		<-ctx.Done()
		f.stop()
	}()
	return f, nil
}

func (f *Forwarder) stop() {
	f.once.Do(func() {
		f.ln.Close()
		os.Remove(f.path)
	})
}

// Close stops listening, removes the socket, cancels the commands still running and waits until
// every goroutine of the forwarder has returned.
func (f *Forwarder) Close() error {
	f.cancel()
	f.stop()
	f.wg.Wait()
	return nil
}

// peerUID is the user id of the process at the other end.
func peerUID(c *net.UnixConn) (int, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return -1, err
	}
	var cred *syscall.Ucred
	var cerr error
	if err := raw.Control(func(fd uintptr) {
		cred, cerr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil {
		return -1, err
	}
	if cerr != nil {
		return -1, cerr
	}
	return int(cred.Uid), nil
}

type frameWriter struct {
	mu  *sync.Mutex
	c   net.Conn
	typ byte
}

func (w frameWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var hdr [5]byte
	hdr[0] = w.typ
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(p)))
	if _, err := w.c.Write(hdr[:]); err != nil {
		return 0, err
	}
	return w.c.Write(p)
}

func serveForward(ctx context.Context, c *net.UnixConn, exec Exec, log *slog.Logger) {
	defer c.Close()
	var mu sync.Mutex
	stderr := frameWriter{&mu, c, 'e'}
	exit := func(code int) { frameWriter{&mu, c, 'x'}.Write([]byte(strconv.Itoa(code))) }
	if uid, err := peerUID(c); err != nil || uid != os.Getuid() {
		fmt.Fprintf(stderr, "landwatch：拒绝执行：只有运行服务的用户可以向它发送命令\n")
		exit(1)
		return
	}
	line, err := bufio.NewReader(io.LimitReader(c, 1<<20)).ReadBytes('\n')
	if err != nil {
		return
	}
	var req fwdRequest
	if err := json.Unmarshal(line, &req); err != nil || len(req.Argv) == 0 {
		fmt.Fprintf(stderr, "landwatch：转交的命令格式有误\n")
		exit(2)
		return
	}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { // the client hanging up cancels the command
		var b [1]byte
		c.Read(b[:])
		cancel()
	}()
	log.Info("转交的命令", "命令", strings.Join(redactArgv(req.Argv), " "))
	code := exec(cctx, req.Argv, frameWriter{&mu, c, 'o'}, stderr)
	exit(code)
}

// redactArgv shortens long arguments (SQL text) for the server log; the command name and flags
// are enough to follow what ran.
func redactArgv(argv []string) []string {
	out := make([]string, 0, len(argv))
	for _, a := range argv {
		if len(a) > 80 {
			a = a[:77] + "…"
		}
		out = append(out, a)
	}
	return out
}
