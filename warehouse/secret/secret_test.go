package secret

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadSealOpen: the key file is created once (0600) and read back to the same keys; a sealed
// value opens only for its field and tip, and not with other keys.
func TestLoadSealOpen(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.duckdb")
	if _, err := Load(db, false); err == nil {
		t.Fatal("a missing key file loaded")
	}
	k, err := Load(db, true)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(Path(db)); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	again, err := Load(db, false)
	if err != nil || again.LookupKey("receipt", "1") != k.LookupKey("receipt", "1") {
		t.Fatalf("reloaded keys differ: %v", err)
	}
	sealed, err := k.Seal("tips.place", "T1", "村东废弃井口")
	if err != nil || !strings.HasPrefix(sealed, SealPrefix) || strings.Contains(sealed, "井口") {
		t.Fatalf("sealed %q %v", sealed, err)
	}
	if v, err := k.Open("tips.place", "T1", sealed); err != nil || v != "村东废弃井口" {
		t.Fatalf("open: %q %v", v, err)
	}
	for _, c := range []struct{ field, tip string }{{"tips.contact", "T1"}, {"tips.place", "T2"}} {
		if _, err := k.Open(c.field, c.tip, sealed); !errors.Is(err, ErrUnseal) {
			t.Errorf("opened as %s of %s: %v", c.field, c.tip, err)
		}
	}
	if _, err := Derive([]byte("guessed")).Open("tips.place", "T1", sealed); !errors.Is(err, ErrUnseal) {
		t.Error("opened with guessed keys")
	}
	if err := os.Chmod(Path(db), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(db, false); err == nil {
		t.Error("a key file others may read was loaded")
	}
}
