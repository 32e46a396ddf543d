package bench

import (
	"flag"
	"io"

	"landwatch/internal/cliflag"
)

// chineseFlags makes fs write its mistakes and its listing in Chinese on out (internal/cliflag),
// as every flag set of the command line does.
func chineseFlags(fs *flag.FlagSet, out io.Writer) { cliflag.Chinese(fs, out) }
