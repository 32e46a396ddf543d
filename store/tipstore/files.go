package tipstore

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"landwatch/internal/sanitize"
	"landwatch/warehouse/secret"
)

// storedFile is a file written to the evidence folder.
type storedFile struct {
	ID     string
	Kind   string
	MIME   string
	Size   int64
	SHA256 string
}

// storeFiles writes the uploads under random names in dir (0700, outside any web root), synced to
// disk. On error it removes what it wrote.
func storeFiles(dir string, ups []sanitize.File) ([]storedFile, error) {
	if len(ups) == 0 {
		return nil, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("evidence folder: %w", err)
	}
	var out []storedFile
	for _, u := range ups {
		id := secret.RandomHex(16)
		if err := writeSynced(filepath.Join(dir, id), u.Data); err != nil {
			removeFiles(dir, out)
			return nil, fmt.Errorf("store evidence: %w", err)
		}
		sum := sha256.Sum256(u.Data)
		out = append(out, storedFile{ID: id, Kind: u.Kind, MIME: u.MIME, Size: int64(len(u.Data)), SHA256: hex.EncodeToString(sum[:])})
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return out, nil
}

func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

func removeFiles(dir string, fs []storedFile) {
	for _, f := range fs {
		os.Remove(filepath.Join(dir, f.ID))
	}
}
