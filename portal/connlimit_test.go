package portal

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestConnectionLimit: with every connection the server keeps open taken by idle clients, one more
// is not answered (neither served nor turned away with fasthttp's English busy text) until an idle
// one closes; then it is served as usual.
func TestConnectionLimit(t *testing.T) {
	e := newEnv(t, Options{MaxConnections: 2})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.srv.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	addr := ln.Addr().String()
	get := func(c net.Conn) {
		t.Helper()
		if _, err := c.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
			t.Fatal(err)
		}
	}
	// two clients hold the two connections (each served once, then kept alive, idle)
	var idle []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		get(c)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("idle client's first request: %v %v", resp, err)
		}
		resp.Body.Close()
		idle = append(idle, c)
	}
	third, err := net.Dial("tcp", addr) // completes in the system's queue
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	get(third)
	r := bufio.NewReader(third)
	third.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	if line, err := r.ReadString('\n'); err == nil {
		t.Fatalf("the third connection was answered while two were open: %q", line)
	} else if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
		t.Fatalf("the third connection: %v", err)
	}
	idle[0].Close()
	third.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("the third connection once one closed: %v", err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	bufio.NewReader(resp.Body).WriteTo(&b)
	if resp.StatusCode != 200 || strings.Contains(b.String(), "Concurrency") {
		t.Fatalf("the third connection: %d %.200s", resp.StatusCode, b.String())
	}
}
