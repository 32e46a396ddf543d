package read

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
)

// OpenReason is why a file could not be opened, in Chinese, when the reason is a common one
// (missing, not readable, a folder); "" for any other error.
func OpenReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "文件不存在"
	case errors.Is(err, fs.ErrPermission):
		return "没有读取权限"
	case errors.Is(err, syscall.EISDIR):
		return "是一个目录，不是文件"
	}
	return ""
}

// OpenError is why the file at path could not be read: OpenReason's words when it has them, else
// the error of the OS after the file's name.
func OpenError(path string, err error) error {
	if r := OpenReason(err); r != "" {
		return fmt.Errorf("导入 %s：%s", path, r)
	}
	return fmt.Errorf("导入 %s：%w", path, err)
}
