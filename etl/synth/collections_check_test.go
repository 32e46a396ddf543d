package synth_test

import (
	"path/filepath"
	"strconv"
)

// fineTruth is truth.json's fines.
type fineTruth struct {
	AsOf             string `json:"as_of"`
	DecidedYuan      int64  `json:"decided_yuan"`
	CollectedYuan    int64  `json:"collected_yuan"`
	OutstandingYuan  int64  `json:"outstanding_yuan"`
	CasesOutstanding int    `json:"cases_outstanding"`
}

// checkFines recomputes 罚没款 as of truth's day from the files alone (queries/README.md "Fines and
// confiscations"): per case 罚款 is the latest 处罚决定 entry's fine known then, else the latest
// cases export's 罚款金额; 没收违法所得 its 没收金额; collected is every receipt that arrived by then.
// No receipt is used twice, none is paid after its file arrived, and none takes a case's kind
// above what is decided.
func checkFines(t tb, ds *dataset, tr *fineTruth) {
	t.Helper()
	if tr == nil {
		t.Errorf("truth.json states no fines")
		return
	}
	asOf := pday(t, tr.AsOf)
	amount := func(s string) int64 {
		if s == "" {
			return 0
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Errorf("amount %q: %v", s, err)
		}
		return int64(v)
	}
	type key struct{ c, k string }
	register := map[key]int64{}
	var regArr, none arrival
	penalty := map[string]int64{}
	penaltyArr := map[string]arrival{}
	for path, kind := range ds.kinds {
		arr := ds.files[path]
		if arr.day.After(asOf) {
			continue
		}
		full := filepath.Join(ds.dir, filepath.FromSlash(path))
		switch kind {
		case "cases":
			if regArr != none && !arr.after(regArr) {
				continue
			}
			regArr = arr
			clear(register)
			for _, r := range byHeader(readXLSX(t, full)) {
				register[key{r["案件编号"], "罚款"}] = amount(r["罚款金额"])
				register[key{r["案件编号"], "没收违法所得"}] = amount(r["没收金额"])
			}
		case "case-stages":
			for _, r := range byHeader(readCSV(t, full)) {
				if r["环节"] != "处罚决定" || r["罚款金额"] == "" {
					continue
				}
				if prev, ok := penaltyArr[r["案件编号"]]; ok && !arr.after(prev) {
					continue
				}
				penalty[r["案件编号"]], penaltyArr[r["案件编号"]] = amount(r["罚款金额"]), arr
			}
		}
	}
	decided := map[key]int64{}
	for k, v := range register {
		decided[k] = v
	}
	for c, v := range penalty {
		decided[key{c, "罚款"}] = v
	}
	collected := map[key]int64{}
	receipts := map[string]string{}
	for path, kind := range ds.kinds {
		arr := ds.files[path]
		if kind != "collections" || arr.day.After(asOf) {
			continue
		}
		for _, r := range byHeader(readCSV(t, filepath.Join(ds.dir, filepath.FromSlash(path)))) {
			if prev, ok := receipts[r["票据号"]]; ok {
				t.Errorf("%s: receipt %s used twice (also in %s)", path, r["票据号"], prev)
			}
			receipts[r["票据号"]] = path
			if pday(t, r["缴款日期"]).After(arr.day) {
				t.Errorf("%s: receipt %s paid after its file arrived", path, r["票据号"])
			}
			collected[key{r["案件编号"], r["类型"]}] += amount(r["金额"])
		}
	}
	var dec, col int64
	owing := map[string]bool{}
	for k, v := range decided {
		dec += v
		if collected[k] < v {
			owing[k.c] = true
		}
	}
	for k, v := range collected {
		col += v
		if v > decided[k] {
			t.Errorf("case %s: %s collected %d above decided %d", k.c, k.k, v, decided[k])
		}
	}
	if dec != tr.DecidedYuan || col != tr.CollectedYuan || dec-col != tr.OutstandingYuan || len(owing) != tr.CasesOutstanding {
		t.Errorf("罚没款 as of %s from the files: decided %d, collected %d, outstanding %d, %d cases owing; truth.json: %+v",
			tr.AsOf, dec, col, dec-col, len(owing), *tr)
	}
	if col == 0 || dec == col {
		t.Errorf("the files collect %d of %d: some fines should be collected and some outstanding", col, dec)
	}
}
