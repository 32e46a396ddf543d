// Package rss reads this process's resident memory from /proc/self/status (Linux): the resident
// set now (VmRSS) and its peak (VmHWM), and resets the peak mark (/proc/self/clear_refs). Every
// reader fails with an error when the figure cannot be read; none answers 0 instead.
package rss

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"
)

const statusFile = "/proc/self/status"

// Current is the process's resident set size in bytes (VmRSS).
func Current() (int64, error) { return read("VmRSS") }

// Peak is the highest resident set size in bytes since the process started or since the last
// ResetPeak (VmHWM).
func Peak() (int64, error) { return read("VmHWM") }

// ResetPeak sets the peak mark (VmHWM) to the current resident set size.
func ResetPeak() error {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return fmt.Errorf("无法重置本进程的内存峰值标记（/proc/self/clear_refs）：%w", err)
	}
	return nil
}

func read(field string) (int64, error) {
	data, err := os.ReadFile(statusFile)
	if err != nil {
		return 0, fmt.Errorf("读不到本进程的内存用量：%w", err)
	}
	return parse(data, field)
}

// parse finds the line "field:   1234 kB" in the text of /proc/self/status and returns its bytes.
// A missing line, a value that is not a whole number of kB or a value of 0 (no running process
// has no resident memory) is an error.
func parse(status []byte, field string) (int64, error) {
	for line := range bytes.Lines(status) {
		rest, ok := bytes.CutPrefix(line, []byte(field+":"))
		if !ok {
			continue
		}
		num, ok := bytes.CutSuffix(bytes.TrimSpace(rest), []byte("kB"))
		if !ok {
			return 0, fmt.Errorf("%s 中 %s 的值“%s”不以 kB 为单位", statusFile, field, bytes.TrimSpace(rest))
		}
		kb, err := strconv.ParseInt(string(bytes.TrimSpace(num)), 10, 64)
		if err != nil || kb <= 0 {
			return 0, fmt.Errorf("%s 中 %s 的值“%s”不是正整数", statusFile, field, bytes.TrimSpace(rest))
		}
		return kb << 10, nil
	}
	return 0, fmt.Errorf("%s 中没有 %s 一行，读不到本进程的内存用量", statusFile, field)
}

// CPU is the processor time (user and system) this process has used; 0 when it cannot be read.
func CPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
