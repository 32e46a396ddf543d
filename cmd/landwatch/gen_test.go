package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"landwatch/campaign"
)

func TestGen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tiny")
	out, errs, code := lw(t, "gen", "--out", dir, "--scale", "tiny", "--seed", "7")
	if code != 0 {
		t.Fatalf("gen: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"生成完成", "用电户档案：", "用电数据：", "排查报表：", "truth.json"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	var m struct {
		Seed  int64
		Scale string
		Files []struct{ Kind, Path string }
	}
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m.Seed != 7 || m.Scale != "tiny" || len(m.Files) < 50 {
		t.Fatalf("manifest: seed %d scale %s, %d files", m.Seed, m.Scale, len(m.Files))
	}
	// Load order: meters first, the restoration ledgers (naming problems and records) and the
	// collections (naming cases, checked against what their stages decided) last.
	if m.Files[0].Kind != "meters" || m.Files[len(m.Files)-1].Kind != "collections" {
		t.Errorf("manifest order: first %s, last %s", m.Files[0].Kind, m.Files[len(m.Files)-1].Kind)
	}
	for _, f := range m.Files {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f.Path))); err != nil {
			t.Errorf("manifest names %s: %v", f.Path, err)
		}
	}
}

func TestGenRefusals(t *testing.T) {
	if _, errs, code := lw(t, "gen"); code != 2 || !strings.Contains(errs, "--out") {
		t.Errorf("gen without --out: exit %d, %s", code, errs)
	}
	if _, errs, code := lw(t, "gen", "--out", t.TempDir(), "--scale", "huge"); code != 1 || !strings.Contains(errs, "huge") {
		t.Errorf("gen --scale huge: exit %d, %s", code, errs)
	}
}

// TestGenOtherCounty generates for another configuration: its townships, not the default's.
func TestGenOtherCounty(t *testing.T) {
	def := string(campaign.DefaultTOML())
	i := strings.Index(def, "[[township]]")
	towns := strings.Split(def[i:], "[[township]]")[1:3] // the first two townships only
	other := def[:i] + "[[township]]" + strings.Replace(towns[0], `name = "沁河镇"`, `name = "新城镇"`, 1) + "[[township]]" + towns[1]
	dir := t.TempDir()
	cfg := filepath.Join(dir, "other.toml")
	writeFile(t, cfg, other)
	out := filepath.Join(dir, "out")
	if stdout, errs, code := lw(t, "gen", "--out", out, "--scale", "tiny", "--config", cfg); code != 0 {
		t.Fatalf("gen --config: exit %d\n%s\n%s", code, stdout, errs)
	}
	truth, err := os.ReadFile(filepath.Join(out, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(truth), "新城镇") || strings.Contains(string(truth), "沁河镇") || strings.Contains(string(truth), "韩洪乡") {
		t.Error("truth.json does not follow the other configuration's townships")
	}
	if _, errs, code := lw(t, "gen", "--out", out, "--config", filepath.Join(dir, "missing.toml")); code != 1 || !strings.Contains(errs, "missing.toml") {
		t.Errorf("missing config: exit %d %s", code, errs)
	}
}
