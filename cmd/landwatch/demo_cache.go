package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// The demo's synthetic county is the same for the same generator, scale and seed, so it is written
// once into the user's cache folder (os.UserCacheDir()/landwatch/synth/<program>-<scale>-<seed>,
// where <program> is the SHA-256 of this executable: a new build is a new generator) and later demos
// link (or copy) it into their data folder instead of generating it again. The files are the
// owner's only, like everything landwatch writes; nothing writes into them after generation.

// demoCacheDir is the cache folder of the county of scale and seed, or "" when there is no user
// cache folder or the executable cannot be read.
func demoCacheDir(scale string, seed int64) string {
	base, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	prog := programHash()
	if prog == "" {
		return ""
	}
	return filepath.Join(base, "landwatch", "synth", fmt.Sprintf("%s-%s-%d", prog, scale, seed))
}

// programHash is the first 16 hex digits of the SHA-256 of this program's file, read once (the
// demo asks for its county's and its warehouse's cache folders); "" when it cannot be read.
var programHash = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
})

// demoData puts the synthetic county of scale and seed into data: from the cache when it holds it,
// else generated (`landwatch gen`) and then kept in the cache.
func (a *app) demoData(ctx context.Context, data, scale string, seed int64) error {
	cache := demoCacheDir(scale, seed)
	if cache != "" {
		if _, err := os.Stat(filepath.Join(cache, "manifest.json")); err == nil {
			if err := linkTree(cache, data); err == nil {
				fmt.Fprintf(a.stdout, "合成县数据取自缓存 %s\n", cache)
				return nil
			}
			os.RemoveAll(data) // a damaged cache: generate anew
		}
	}
	if err := a.runCommand(ctx, "gen", "--out", data, "--scale", scale, "--seed", fmt.Sprint(seed)); err != nil {
		return err
	}
	if cache == "" {
		return nil
	}
	// into a folder of its own first, renamed when complete: a cache folder is whole or absent
	tmp := cache + ".part"
	os.RemoveAll(tmp)
	if err := os.MkdirAll(filepath.Dir(cache), 0o700); err != nil {
		return nil // no cache: nothing lost
	}
	if err := linkTree(data, tmp); err != nil {
		os.RemoveAll(tmp)
		return nil
	}
	if err := os.Rename(tmp, cache); err != nil {
		os.RemoveAll(tmp)
		return nil
	}
	pruneDemoCache(cache)
	return nil
}

// pruneDemoCache removes the counties of the same scale and seed that other programs cached, and
// their warehouses: a new build makes them unreachable, and each holds the county's readings.
func pruneDemoCache(cache string) {
	dir, name := filepath.Split(cache)
	_, tail, ok := strings.Cut(name, "-") // <program>-<scale>-<seed>
	if !ok {
		return
	}
	others, _ := filepath.Glob(filepath.Join(dir, "*-"+tail))
	more, _ := filepath.Glob(filepath.Join(dir, "*-"+tail+".warehouse"))
	for _, o := range append(others, more...) {
		p := filepath.Base(o)
		if p == name || p == name+".warehouse" || len(p) < 18 || p[16] != '-' || (p[17:] != tail && p[17:] != tail+".warehouse") {
			continue
		}
		if _, err := hex.DecodeString(p[:16]); err == nil {
			os.RemoveAll(o)
		}
	}
}

// linkTree makes dst a copy of the tree src: hard links where the file system allows, else copies.
func linkTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o700)
		case !d.Type().IsRegular():
			return errors.New(path + "：不是普通文件")
		}
		if err := os.Link(path, to); err == nil {
			return nil
		}
		return copyFile(path, to)
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// The warehouse right after `init` and `load manifest` of a cached county is the same for the same
// program too (the program holds the migrations and the loaders), so it is kept beside the county
// (<county folder>.warehouse/), with the readings' meter-days the load computed
// (warehouse/meterdays.go): the warehouse file, its key file and audit head (the load's audit
// entries are signed with that key, so the three go together), the list of the load's warnings,
// and what init and load printed. A later demo copies them instead of loading again; the batches'
// arrival stamps (loaded_at) are then those of the first demo. The copy is the owner's only, like
// the warehouse itself (warehouse.Open refuses one that others may read).

// demoWarehouseFiles are the warehouse's files kept, as suffixes of its path.
var demoWarehouseFiles = []string{"", ".secret", ".audit", ".warnings.txt"}

// demoWarehouseLog is the file of the cached warehouse that holds what init and load printed.
const demoWarehouseLog = "导入记录.txt"

// demoWarehouseCache is the folder of the cached warehouse of the county of scale and seed, or "".
func demoWarehouseCache(scale string, seed int64) string {
	c := demoCacheDir(scale, seed)
	if c == "" {
		return ""
	}
	return c + ".warehouse"
}

// demoWarehouseFromCache copies the cached warehouse to db and returns what init and load printed
// when it was made; ok is false (and nothing is left at db) when there is none or it is damaged.
func demoWarehouseFromCache(cache, db string) (printed []byte, ok bool) {
	if cache == "" {
		return nil, false
	}
	printed, err := os.ReadFile(filepath.Join(cache, demoWarehouseLog))
	if err != nil {
		return nil, false
	}
	base := filepath.Base(db)
	for _, suffix := range demoWarehouseFiles {
		if err := copyFile(filepath.Join(cache, base+suffix), db+suffix); err != nil {
			for _, s := range demoWarehouseFiles {
				os.Remove(db + s)
			}
			return nil, false
		}
	}
	return printed, true
}

// demoWarehouseToCache keeps the warehouse at db (closed: no write-ahead log) and what init and load
// printed in cache; a cache that cannot be written is no error (the next demo loads again).
func demoWarehouseToCache(cache, db string, printed []byte) {
	if cache == "" {
		return
	}
	if _, err := os.Stat(db + ".wal"); err == nil {
		return // not checkpointed: the file alone is not the warehouse
	}
	tmp := cache + ".part"
	os.RemoveAll(tmp)
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return
	}
	base := filepath.Base(db)
	for _, suffix := range demoWarehouseFiles {
		if err := copyFile(db+suffix, filepath.Join(tmp, base+suffix)); err != nil {
			os.RemoveAll(tmp)
			return
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, demoWarehouseLog), printed, 0o600); err != nil {
		os.RemoveAll(tmp)
		return
	}
	os.RemoveAll(cache)
	if err := os.Rename(tmp, cache); err != nil {
		os.RemoveAll(tmp)
	}
}

// demoLoad is the demo's init and load steps: the warehouse from the cache when it holds it, else
// built and then kept there.
type demoLoad struct {
	cache     string
	fromCache bool
	printed   bytes.Buffer // what init and load printed, for the cache
}

func (l *demoLoad) init(ctx context.Context, a *app, data string) error {
	if printed, ok := demoWarehouseFromCache(l.cache, a.dbFlag); ok {
		l.fromCache = true
		fmt.Fprintf(a.stdout, "数据仓库取自缓存 %s；首次演示建立和导入时的记录：\n", l.cache)
		a.stdout.Write(printed)
		return nil
	}
	return l.tee(a, func() error {
		return a.runCommand(ctx, "init", "--boundaries", filepath.Join(data, "boundaries", "乡镇边界.geojson"))
	})
}

func (l *demoLoad) load(ctx context.Context, a *app, data string) error {
	if l.fromCache {
		fmt.Fprintln(a.stdout, "已随数据仓库取自缓存")
		return nil
	}
	if err := l.tee(a, func() error { return a.runCommand(ctx, "load", "manifest", data) }); err != nil {
		return err
	}
	demoWarehouseToCache(l.cache, a.dbFlag, l.printed.Bytes())
	return nil
}

// tee runs fn with what it prints also kept in l.printed.
func (l *demoLoad) tee(a *app, fn func() error) error {
	out := a.stdout
	a.stdout = io.MultiWriter(out, &l.printed)
	defer func() { a.stdout = out }()
	return fn()
}
