package accounts

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/alexedwards/argon2id"

	"landwatch/campaign"
)

func TestHOTPVectors(t *testing.T) {
	// RFC 6238 appendix B, SHA-1, 8 digits
	key := []byte("12345678901234567890")
	for _, c := range []struct {
		t    int64
		want string
	}{{59, "94287082"}, {1111111109, "07081804"}, {1234567890, "89005924"}, {2000000000, "69279037"}} {
		if got := hotp(key, uint64(c.t/30), 8); got != c.want {
			t.Errorf("T=%d: %s, want %s", c.t, got, c.want)
		}
	}
}

// TestDummyHashParams: the hash an unknown user is checked against costs what a real password's
// does, and it is a literal (nothing is hashed when the package loads).
func TestDummyHashParams(t *testing.T) {
	p, _, _, err := argon2id.DecodeHash(dummyHash)
	if err != nil {
		t.Fatal(err)
	}
	if p.Memory != passwordParams.Memory || p.Iterations != passwordParams.Iterations || p.Parallelism != passwordParams.Parallelism ||
		p.KeyLength != passwordParams.KeyLength {
		t.Fatalf("dummy hash params %+v, passwords use %+v", p, passwordParams)
	}
}

// TestRoleNamesFromTheLabelTable: every role has its word in the label table (campaign/labels.go
// "role", which dim_labels holds) and RoleNames is that word, not a second list.
func TestRoleNamesFromTheLabelTable(t *testing.T) {
	if len(RoleNames) != len(Roles) {
		t.Fatalf("RoleNames has %d roles, Roles %d", len(RoleNames), len(Roles))
	}
	for _, r := range Roles {
		w := campaign.Label("role", string(r))
		if w == string(r) {
			t.Errorf("role %s has no word in the label table", r)
		}
		if RoleNames[r] != w {
			t.Errorf("RoleNames[%s] = %q, the label table says %q", r, RoleNames[r], w)
		}
	}
}

// TestNoSecondRoleTable: no Go file or template outside the label table writes the roles' words
// again: RoleOffice: "领导小组办公室", or two roles or more each paired with its word (a map
// "office": "领导小组办公室", help text "office 领导小组办公室、township 乡镇"; one pair alone is a
// column's name, like "township": "乡镇").
func TestNoSecondRoleTable(t *testing.T) {
	type pats struct{ constant, pair *regexp.Regexp }
	var ps []pats
	for _, r := range Roles {
		w := regexp.QuoteMeta(campaign.Label("role", string(r)))
		c := regexp.QuoteMeta(string(r))
		ps = append(ps, pats{regexp.MustCompile(`Role\w+\s*:\s*"` + w + `"`), regexp.MustCompile(`"` + c + `"\s*:\s*"` + w + `"|\b` + c + ` ` + w + `[、，,（]`)})
	}
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || strings.HasSuffix(path, "_test.go") || !(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".html")) ||
			filepath.ToSlash(path) == "../../campaign/labels.go" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var pairs []string
		for _, p := range ps {
			if m := p.constant.Find(b); m != nil {
				t.Errorf("%s writes a role's word beside the label table: %s", path, m)
			}
			if m := p.pair.Find(b); m != nil {
				pairs = append(pairs, string(m))
			}
		}
		if len(pairs) > 1 {
			t.Errorf("%s writes the roles' words beside the label table: %s", path, strings.Join(pairs, " "))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
