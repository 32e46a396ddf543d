package warehouse

import "syscall"

// privateFiles makes every file this process creates from now on readable by its owner only
// (umask 077): DuckDB creates the write-ahead log, and recreates it after each checkpoint, with
// the process's umask, so a chmod after opening is not enough. The warehouse holds tips; nothing
// landwatch writes is meant for other users of the machine.
func privateFiles() {
	syscall.Umask(0o077)
}
