package read

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
)

// OpenError is why a file could not be read, in Chinese when the reason is a common one (missing,
// not readable, a folder); any other error of the OS is kept after the file's name.
func OpenError(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("导入 %s：文件不存在", path)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("导入 %s：没有读取权限", path)
	case errors.Is(err, syscall.EISDIR):
		return fmt.Errorf("导入 %s：是一个目录，不是文件", path)
	}
	return fmt.Errorf("导入 %s：%w", path, err)
}
