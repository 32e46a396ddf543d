package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
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
	return filepath.Join(base, "landwatch", "synth", fmt.Sprintf("%s-%s-%d", hex.EncodeToString(h.Sum(nil))[:16], scale, seed))
}

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
	}
	return nil
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
