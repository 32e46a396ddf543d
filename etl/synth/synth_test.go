package synth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"landwatch/campaign"
	"landwatch/etl/synth"
)

// tinyDir is the committed fixture; regenerate it with
// `go run ./cmd/landwatch gen --scale tiny --seed 7 --out testdata/tiny`.
const tinyDir = "../../testdata/tiny"

func generate(t *testing.T, scale string, seed int64) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), synth.Options{Out: dir, Scale: scale, Seed: seed}); err != nil {
		t.Fatalf("generate %s: %v", scale, err)
	}
	return dir
}

// files maps every file under dir (slash paths) to its bytes.
func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameFiles(t *testing.T, a, b string) {
	t.Helper()
	fa, fb := files(t, a), files(t, b)
	for name, data := range fa {
		other, ok := fb[name]
		if !ok {
			t.Errorf("%s only in %s", name, a)
		} else if !bytes.Equal(data, other) {
			t.Errorf("%s differs between %s and %s", name, a, b)
		}
	}
	for name := range fb {
		if _, ok := fa[name]; !ok {
			t.Errorf("%s only in %s", name, b)
		}
	}
}

func TestTinyIsDeterministic(t *testing.T) {
	a := generate(t, "tiny", 7)
	b := generate(t, "tiny", 7)
	sameFiles(t, a, b)
	if len(files(t, a)) < 50 {
		t.Fatalf("only %d files generated", len(files(t, a)))
	}
}

func TestCommittedTinyIsCurrent(t *testing.T) {
	if _, err := os.Stat(tinyDir); err != nil {
		t.Fatalf("testdata/tiny missing: %v", err)
	}
	sameFiles(t, generate(t, "tiny", 7), tinyDir)
}

func TestSeedsDiffer(t *testing.T) {
	a, b := files(t, generate(t, "tiny", 7)), files(t, generate(t, "tiny", 8))
	if bytes.Equal(a["power/用电数据-20230306至0312.csv"], b["power/用电数据-20230306至0312.csv"]) {
		t.Error("seeds 7 and 8 give the same readings")
	}
}

func TestTruthMatchesFiles(t *testing.T) {
	checkTruth(t, tinyDir, campaign.Default())
}

func TestTruthMatchesFilesOtherSeed(t *testing.T) {
	checkTruth(t, generate(t, "tiny", 12345), campaign.Default())
}

func TestUnknownScale(t *testing.T) {
	if _, err := synth.Generate(context.Background(), synth.Options{Out: t.TempDir(), Scale: "huge"}); err == nil {
		t.Fatal("scale huge accepted")
	}
}

// recorder collects what checkTruth reports; Fatalf stops it.
type recorder struct{ msgs []string }

type stop struct{}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	panic(stop{})
}

func (r *recorder) run(fn func()) {
	defer func() {
		if x := recover(); x != nil {
			if _, ok := x.(stop); !ok {
				panic(x)
			}
		}
	}()
	fn()
}

// copyDir copies the fixture so that a test can damage it.
func copyDir(t *testing.T, from string) string {
	dir := t.TempDir()
	for name, data := range files(t, from) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// The independent check must notice a wrong truth.json and files that contradict it.
func TestCheckCatchesDamage(t *testing.T) {
	cases := []struct {
		name   string
		damage func(t *testing.T, dir string)
	}{
		{"scorecard figure", func(t *testing.T, dir string) {
			edit(t, filepath.Join(dir, "truth.json"), `"missed": 2,`, `"missed": 3,`)
		}},
		{"detected_by", func(t *testing.T, dir string) {
			edit(t, filepath.Join(dir, "truth.json"), `"detection_status": "missed"`, `"detection_status": "detected"`)
		}},
		{"power alert day", func(t *testing.T, dir string) {
			edit(t, filepath.Join(dir, "truth.json"), `"last_day": "2023-03`, `"last_day": "2023-02`)
		}},
		{"corrected form ignored", func(t *testing.T, dir string) {
			// Drop the corrected re-submission from the manifest: the first version then counts.
			p := filepath.Join(dir, "manifest.json")
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			var keep []any
			for _, f := range m["files"].([]any) {
				if !strings.Contains(f.(map[string]any)["path"].(string), "（更正）") {
					keep = append(keep, f)
				}
			}
			if len(keep) == len(m["files"].([]any)) {
				t.Fatal("no corrected form in the manifest")
			}
			m["files"] = keep
			data, _ = json.Marshal(m)
			os.WriteFile(p, data, 0o644)
		}},
		{"late township list on time", func(t *testing.T, dir string) {
			setReceived(t, dir, "late_form", "2023-03-14")
		}},
		{"late correction in time", func(t *testing.T, dir string) {
			setReceived(t, dir, "correction_late", "2023-03-14")
		}},
		{"late ledger update on time", func(t *testing.T, dir string) {
			setReceived(t, dir, "late_rectification", "2023-04-14")
		}},
		{"awaiting acceptance", func(t *testing.T, dir string) {
			edit(t, filepath.Join(dir, "truth.json"), `"awaiting_acceptance": 1,`, `"awaiting_acceptance": 0,`)
		}},
		{"acceptances ignored", func(t *testing.T, dir string) {
			// Drop the acceptance records: the 重点 items they accepted then await acceptance.
			p := filepath.Join(dir, "manifest.json")
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			var keep []any
			for _, f := range m["files"].([]any) {
				if f.(map[string]any)["kind"] != "acceptances" {
					keep = append(keep, f)
				}
			}
			if len(keep) == len(m["files"].([]any)) {
				t.Fatal("no acceptance file in the manifest")
			}
			m["files"] = keep
			data, _ = json.Marshal(m)
			os.WriteFile(p, data, 0o644)
		}},
		{"recurrence merged", func(t *testing.T, dir string) {
			edit(t, filepath.Join(dir, "truth.json"), `"recurrence_of": "`, `"recurrence_of": null, "x": "`)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := copyDir(t, tinyDir)
			c.damage(t, dir)
			var r recorder
			r.run(func() { checkTruth(&r, dir, campaign.Default()) })
			if len(r.msgs) == 0 {
				t.Fatal("the check passed on damaged data")
			}
		})
	}
}

func edit(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s has no %q", path, old)
	}
	os.WriteFile(path, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644)
}

// Another timetable in the configuration moves the whole scenario: the truth still holds.
func TestShiftedTimetable(t *testing.T) {
	cfg := campaign.Default()
	shift := func(d toml.LocalDate) toml.LocalDate {
		x := campaign.Day(d).AddDate(0, 0, 21)
		return toml.LocalDate{Year: x.Year(), Month: int(x.Month()), Day: x.Day()}
	}
	for i := range cfg.Phases {
		cfg.Phases[i].Start, cfg.Phases[i].End = shift(cfg.Phases[i].Start), shift(cfg.Phases[i].End)
	}
	cfg.Campaign.DataFrom = shift(cfg.Campaign.DataFrom)
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), synth.Options{Out: dir, Scale: "tiny", Seed: 3, Config: cfg}); err != nil {
		t.Fatal(err)
	}
	var tr struct {
		AsOf []string `json:"as_of"`
	}
	data, _ := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err := json.Unmarshal(data, &tr); err != nil {
		t.Fatal(err)
	}
	if want := []string{"2023-04-09", "2023-05-07", "2023-05-21"}; fmt.Sprint(tr.AsOf) != fmt.Sprint(want) {
		t.Errorf("as_of %v, want %v", tr.AsOf, want)
	}
	checkTruth(t, dir, cfg)
}

// setReceived changes the received_on of the file of the planted case kind, in the manifest only.
func setReceived(t *testing.T, dir, kind, on string) {
	t.Helper()
	var tr struct {
		Arrivals []struct{ Kind, File string }
	}
	data, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &tr); err != nil {
		t.Fatal(err)
	}
	file := ""
	for _, a := range tr.Arrivals {
		if a.Kind == kind {
			file = a.File
		}
	}
	p := filepath.Join(dir, "manifest.json")
	data, err = os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range m["files"].([]any) {
		if f := f.(map[string]any); f["path"] == file {
			f["received_on"], found = on, true
		}
	}
	if !found {
		t.Fatalf("no file of planted %s (%q) in the manifest", kind, file)
	}
	data, _ = json.Marshal(m)
	os.WriteFile(p, data, 0o644)
}
