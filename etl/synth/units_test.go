package synth_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"landwatch/campaign"
	"landwatch/etl/synth"
)

// unitsWithoutFiles are the configured units whose work no input file records: 司法 gives legal
// advice, 纪检监察's transfers and outcomes are entered on the console (`landwatch accountability`),
// 融媒体 publishes the statistics snapshot on the portal.
var unitsWithoutFiles = []string{"司法", "纪检监察", "融媒体"}

// TestEveryUnitHasWork reads the committed tiny county's files and finds the work of every configured
// unit where its channel records it: the 责任分解表's 责任单位, the units' own stage files, the
// acceptances' 验收单位, the cases exports' price determination and transfer dates (the units of
// those stages), the finance bureau's receipts, the power company's meters, readings and field
// checks and its confirmed cut-offs on the console, the units' clues on the console. Every unit but
// those whose work no file holds has some; and within the 常态化 period the enforcement chain's
// units and the finance bureau have work of the period.
func TestEveryUnitHasWork(t *testing.T) {
	cfg := campaign.Default()
	var man synth.Manifest
	raw, err := os.ReadFile(filepath.Join(tinyDir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &man); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Periods) == 0 {
		t.Fatal("the default campaign has no 常态化 period")
	}
	p := cfg.Periods[0]
	pStart, pEnd := p.Start.String(), p.End.String()
	inPeriod := func(d string) bool { return d >= pStart && d <= pEnd }
	work := map[string]bool{}   // unit short name → has work
	period := map[string]bool{} // … dated in the period
	short := func(name string) string {
		if u, ok := cfg.Unit(name); ok {
			return u.ShortName
		}
		t.Errorf("unit %q is not configured", name)
		return name
	}
	note := func(unit, on string) {
		work[unit] = true
		if inPeriod(on) {
			period[unit] = true
		}
	}
	for _, f := range man.Files {
		path := filepath.Join(tinyDir, filepath.FromSlash(f.Path))
		recv := f.ReceivedOn[:10]
		switch f.Kind {
		case "duties":
			for _, r := range byHeader(readXLSX(t, path)) {
				note(short(r["责任单位"]), recv)
			}
		case "case-stages":
			for _, r := range byHeader(readCSV(t, path)) {
				note(short(r["单位"]), r["日期"])
			}
		case "acceptances":
			for _, r := range byHeader(readXLSX(t, path)) {
				note(short(r["验收单位"]), r["验收日期"])
			}
		case "cases":
			for _, r := range byHeader(readXLSX(t, path)) {
				for col, stage := range map[string]string{"价格认定完成日期": campaign.StagePriceDone, "移送公安日期": campaign.StagePoliceAccepted} {
					if r[col] != "" {
						note(cfg.StageUnit(stage), r[col])
					}
				}
			}
		case "collections":
			for _, r := range byHeader(readCSV(t, path)) {
				note("财政", r["缴款日期"])
			}
		case "meters", "power", "power-checks":
			note("供电公司", recv)
		}
	}
	var con synth.Console
	raw, err = os.ReadFile(filepath.Join(tinyDir, synth.ConsolePath))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &con); err != nil {
		t.Fatal(err)
	}
	for _, c := range con.Cutoffs {
		if c.Kind == "done" {
			note(short(c.By), c.On)
		}
	}
	for _, c := range con.DeptClues {
		note(short(c.Unit), c.FoundOn)
	}
	for _, u := range cfg.Units {
		switch {
		case slices.Contains(unitsWithoutFiles, u.ShortName):
			if work[u.ShortName] {
				t.Errorf("%s has work in the files: take it off unitsWithoutFiles", u.ShortName)
			}
		case !work[u.ShortName]:
			t.Errorf("%s (%s) has no work in the synthetic county", u.ShortName, u.Duty)
		}
	}
	for _, code := range []string{campaign.StageFiled, campaign.StagePriceDone, campaign.StagePoliceFiled, campaign.StageProsecAccepted, campaign.StageJudged} {
		if u := cfg.StageUnit(code); !period[u] {
			t.Errorf("%s has no work dated in %s", u, p.Name)
		}
	}
	if !period["财政"] {
		t.Errorf("财政 records no collection in %s", p.Name)
	}
	var none []string
	for _, u := range cfg.Units {
		if !work[u.ShortName] {
			none = append(none, u.ShortName)
		}
	}
	t.Logf("units without work in the files: %s", strings.Join(none, "、"))
}
