// Package oserr writes the errors of the operating system in Chinese: a file or folder that could
// not be made, opened, written or renamed, and an address that could not be listened on. Go's
// errors carry English ("mkdir /a/b: no such file or directory", "listen tcp :8080: bind: address
// already in use"); the command line (cmd/landwatch/main.go) and the portal's pages
// (portal/view/words.go ChineseOnly) show Text's words instead, naming the path.
package oserr

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strings"
	"syscall"
)

// reasons are the common errno values in Chinese.
var reasons = []struct {
	errno syscall.Errno
	words string
}{
	{syscall.ENOENT, "不存在"},
	{syscall.EACCES, "没有权限"},
	{syscall.EPERM, "没有权限"},
	{syscall.EEXIST, "已存在"},
	{syscall.ENOTDIR, "路径中有一级是文件，不是目录"},
	{syscall.EISDIR, "是一个目录，不是文件"},
	{syscall.ENOSPC, "磁盘空间已满"},
	{syscall.EDQUOT, "超出磁盘配额"},
	{syscall.EROFS, "所在磁盘只读，不能写入"},
	{syscall.EMFILE, "本程序打开的文件过多"},
	{syscall.ENFILE, "系统打开的文件过多"},
	{syscall.ENAMETOOLONG, "文件名过长"},
	{syscall.EBUSY, "正被占用"},
	{syscall.ETXTBSY, "正被占用"},
	{syscall.ENOTEMPTY, "目录不是空的"},
	{syscall.EXDEV, "不能跨磁盘移动"},
	{syscall.EIO, "磁盘读写出错"},
	{syscall.ELOOP, "符号链接层数过多"},
	{syscall.EINVAL, "参数无效"},
	{syscall.EADDRINUSE, "地址已被占用（可能已有服务在运行）"},
	{syscall.EADDRNOTAVAIL, "本机没有这个地址"},
	{syscall.ECONNREFUSED, "连接被拒绝（对方没有在运行）"},
	{syscall.ECONNRESET, "连接被对方断开"},
	{syscall.ETIMEDOUT, "连接超时"},
	{syscall.ENETUNREACH, "网络不通"},
	{syscall.EHOSTUNREACH, "网络不通"},
}

// ops are the operations of fs.PathError, os.LinkError and net.OpError in Chinese.
var ops = map[string]string{
	"open": "打开", "mkdir": "创建目录", "mkdirall": "创建目录", "remove": "删除", "unlinkat": "删除",
	"rename": "重命名", "link": "链接", "symlink": "链接", "stat": "读取", "lstat": "读取",
	"read": "读取", "write": "写入", "close": "关闭", "sync": "写入磁盘", "seek": "读取",
	"chmod": "修改权限", "chown": "修改所有者", "chtimes": "修改时间", "truncate": "截断",
	"readdir": "读取目录", "readdirent": "读取目录", "fdopendir": "读取目录", "openat": "打开",
	"createtemp": "创建临时文件", "mkdirtemp": "创建临时目录", "chdir": "进入目录", "getwd": "读取当前目录",
	"listen": "监听", "dial": "连接", "accept": "接受连接",
}

// Reason is the Chinese for the errno err wraps, or for a network address error; "" when err has
// none of the common ones.
func Reason(err error) string {
	var no syscall.Errno
	if errors.As(err, &no) {
		for _, r := range reasons {
			if r.errno == no {
				return r.words
			}
		}
		return fmt.Sprintf("系统错误（错误号 %d）", int(no))
	}
	var ae *net.AddrError
	if errors.As(err, &ae) {
		return "地址“" + ae.Addr + "”无效，应写作 主机:端口（如 127.0.0.1:8080）"
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		return "找不到主机“" + de.Name + "”"
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "不存在"
	case errors.Is(err, fs.ErrPermission):
		return "没有权限"
	case errors.Is(err, fs.ErrExist):
		return "已存在"
	case errors.Is(err, os.ErrDeadlineExceeded):
		return "超时"
	}
	return ""
}

// op is an operation in Chinese, "访问" for one not listed.
func op(name string) string {
	if w, ok := ops[strings.ToLower(name)]; ok {
		return w
	}
	return "访问"
}

// words is one OS error in Chinese, or "" when err is not one Text translates.
func words(err error) string {
	var (
		pe *fs.PathError
		le *os.LinkError
		oe *net.OpError
		se *os.SyscallError
	)
	switch {
	case errors.As(err, &le):
		r := Reason(le.Err)
		if r == "" {
			return ""
		}
		if le.Op == "rename" {
			return fmt.Sprintf("将 %s 重命名为 %s：%s", le.Old, le.New, r)
		}
		return fmt.Sprintf("%s %s 到 %s：%s", op(le.Op), le.Old, le.New, r)
	case errors.As(err, &pe):
		r := Reason(pe.Err)
		if r == "" {
			return ""
		}
		if pe.Op == "mkdir" && errors.Is(pe.Err, fs.ErrNotExist) {
			r = "上级目录不存在"
		}
		return fmt.Sprintf("%s %s：%s", op(pe.Op), pe.Path, r)
	case errors.As(err, &oe):
		r := Reason(oe.Err)
		if r == "" {
			return ""
		}
		addr := ""
		if oe.Addr != nil {
			addr = " " + oe.Addr.String()
		} else if oe.Source != nil {
			addr = " " + oe.Source.String()
		}
		if addr == "" {
			return r // the address was not one: the wrapper names it
		}
		return fmt.Sprintf("%s%s：%s", op(oe.Op), addr, r)
	case errors.As(err, &se):
		return Reason(se.Err)
	}
	return Reason(err)
}

// Text is err's message with every OS error in it written in Chinese: the wrappers' own words
// kept, the English text of each fs.PathError, os.LinkError, net.OpError, os.SyscallError or bare
// errno replaced by its Chinese naming the path ("导出到 X：mkdir X/a: not a directory" becomes
// "导出到 X：创建目录 X/a：路径中有一级是文件，不是目录"), and so are DuckDB's reports of them on its
// files (duckdb.go) and those that reached it as text (Words). An error with none of them reads as
// before.
func Text(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	for _, e := range osErrors(err, nil) {
		en := e.Error()
		if zh := words(e); zh != "" && en != "" {
			msg = strings.ReplaceAll(msg, en, zh)
		}
	}
	return Words(msg)
}

// osErrors are the outermost OS errors in err's tree (errors.Join and %w with several errors
// included), each once.
func osErrors(err error, out []error) []error {
	switch err.(type) {
	case *fs.PathError, *os.LinkError, *net.OpError, *os.SyscallError, syscall.Errno, *net.AddrError, *net.DNSError:
		return append(out, err)
	}
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if e != nil {
				out = osErrors(e, out)
			}
		}
	case interface{ Unwrap() error }:
		if e := u.Unwrap(); e != nil {
			out = osErrors(e, out)
		}
	}
	return out
}
