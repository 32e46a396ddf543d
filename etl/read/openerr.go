package read

import (
	"errors"
	"fmt"
	"io/fs"

	"landwatch/internal/oserr"
)

// OpenReason is why a file could not be opened, in Chinese: missing and not readable in the words
// of a file being read, any other error of the operating system on the path (a folder, a path
// through a file, a disk error …) in internal/oserr's; "" for an error that is not one of opening.
func OpenReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "文件不存在"
	case errors.Is(err, fs.ErrPermission):
		return "没有读取权限"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return oserr.Reason(pe.Err)
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
