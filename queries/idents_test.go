package queries

import (
	"io/fs"
	"reflect"
	"regexp"
	"testing"
)

// identifiers finds what the regular expression finds, in every SQL file of the package and in
// strings made to trip it (digits before letters, non-ASCII text, underscores, an identifier at
// either end).
func TestIdentifiers(t *testing.T) {
	t.Parallel()
	re := regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
	texts := []string{"", "1", "a", "_", "9abc x_1 __a9b 12_3 é日本a2 'x' -- y\nz", "a.b(c,d)+e1-2f", "户号meter_id，int_power_meter_days", "z9"}
	err := fs.WalkDir(sqlFS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := sqlFS.ReadFile(path)
		texts = append(texts, string(b), stripComments(string(b)))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) < 100 {
		t.Fatalf("only %d texts", len(texts))
	}
	for _, s := range texts {
		if got, want := identifiers(s), re.FindAllString(s, -1); !reflect.DeepEqual(got, want) {
			t.Errorf("%.60q: got %d identifiers, want %d", s, len(got), len(want))
		}
	}
}
