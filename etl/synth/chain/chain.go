// Package chain writes the files of the synthetic county's two chains (etl/synth) and states their
// truth: the accountability chain's registers, duties and rechecks (chain.go), the acceptances
// (acceptance.go), and the enforcement chain's stage entries of 公安, 自然资源, 检察院 and 法院
// (stages.go), all planned in etl/synth/county.
package chain

import (
	"path/filepath"
	"slices"
	"strings"

	"landwatch/etl/synth/county"
	"landwatch/etl/synth/kit"
)

// The accountability chain of the synthetic county (queries/README.md "Who answers"):
//
//	chain/责任人名册-{day}.xlsx    the responsibility register: every configured township (第一责任人,
//	                             分管领导) and village (直接责任人, its one or two 包村干部 — who sign its
//	                             forms —, a 监管网格员 where a site is under supervision and in every
//	                             third village; duty.go), except one village used by the forms that has
//	                             no 包村干部 (a warning); a second version received at the start of the
//	                             fourth week of accountability names a new 第一责任人 in every other township
//	chain/责任分解表.xlsx          every ledger item known at the end of the joint verification, with its
//	                             class, unit (one whose duty covers the item's category: duty.go),
//	                             person and requirement; every fourth item from the second
//	                             has 整改时限 a week before the end of rectification, every fourth from
//	                             the fourth ten days after it (the others keep the default deadline)
//	chain/回头看复查-{days}.xlsx    re-inspections in the first look-back week: 整改不实 for a rectified
//	                             problem in two townships, 整改到位 for one, 复发 for a rectified
//	                             violation site of a third township (a recurrence)
//
// A separate random stream names the people, so the rest of the county never shifts.

// AccountabilityTruth is one row of mart_accountability (names from the register on names_on).
type AccountabilityTruth struct {
	ItemID            string `json:"item_id"`
	Reason            string `json:"reason"`
	Township          string `json:"township"`
	Village           string `json:"village"`
	NamesOn           string `json:"names_on"`
	FirstResponsible  string `json:"first_responsible"`
	LeaderInCharge    string `json:"leader_in_charge"`
	DirectResponsible string `json:"direct_responsible"`
	VillageCadre      string `json:"village_cadre"`
}

// Accountability lists the accountability list of evaluation e.
func (w *World) Accountability(e *county.Evaluation) []AccountabilityTruth {
	d := e.AsOf
	var out []AccountabilityTruth
	add := func(id, reason, township, village string, on kit.Date) {
		a := AccountabilityTruth{ItemID: id, Reason: reason, Township: township, Village: village}
		firstReg := w.Chain.Registers[0].Recv
		if firstReg <= d {
			on = min(max(on, firstReg), d)
			a.NamesOn = on.String()
			reg := w.Chain.RegisterAt(on)
			names := func(typ string, village bool) string {
				var ns []string
				for _, r := range reg.Rows {
					if r.Township == township && r.Typ == typ && (!village || r.Village == a.Village) && !slices.Contains(ns, r.Person) {
						ns = append(ns, r.Person)
					}
				}
				slices.Sort(ns)
				return strings.Join(ns, "、")
			}
			a.FirstResponsible, a.LeaderInCharge = names("第一责任人", false), names("分管领导", false)
			a.DirectResponsible, a.VillageCadre = names("直接责任人", true), names("包村干部", true)
		}
		out = append(out, a)
	}
	deadline := kit.MkDate(w.Cfg.DetectionDeadline())
	for _, v := range e.Violations {
		pv := v.Primary()
		switch v.Status {
		case "missed":
			add(pv.ID, "应排漏排", pv.Township, pv.Village, deadline)
		case "new_after_rectification":
			add(pv.ID, "属地新增", pv.Township, pv.Village, pv.First)
		}
	}
	for _, it := range e.Ledger {
		if it.Overdue(d) {
			add(it.ID, "整改不到位", it.Township, it.Village, it.Deadline)
		}
		if it.Reopened != 0 {
			add(it.ID, "整改不实", it.Township, it.Village, it.Deadline)
		}
	}
	slices.SortFunc(out, func(a, b AccountabilityTruth) int {
		if c := strings.Compare(a.ItemID, b.ItemID); c != 0 {
			return c
		}
		return strings.Compare(a.Reason, b.Reason)
	})
	return out
}

// WriteRegisters writes the register versions.
func (w *World) WriteRegisters(out string) ([]kit.File, error) {
	var files []kit.File
	for _, reg := range w.Chain.Registers {
		rel := "chain/责任人名册-" + reg.Recv.Compact() + ".xlsx"
		rows := make([][]any, len(reg.Rows))
		for i, r := range reg.Rows {
			rows[i] = []any{r.Township, r.Village, r.Post, r.Person, r.Typ, r.Grid}
		}
		if err := kit.WriteTable(filepath.Join(out, filepath.FromSlash(rel)), "责任人名册", []string{"乡镇", "村", "职务", "姓名", "责任类型", "网格"}, rows); err != nil {
			return nil, err
		}
		files = append(files, kit.File{Path: rel, Rows: int64(len(rows)), ReceivedOn: reg.Recv.String()})
	}
	return files, nil
}

// WriteDuties writes the campaign's 责任分解表 (a 常态化 period's has a file of its own:
// etl/synth/periodwork.go).
func (w *World) WriteDuties(out string) ([]kit.File, error) {
	rel := "chain/责任分解表.xlsx"
	var rows [][]any
	for _, d := range w.Chain.Duties {
		if d.Period == "" {
			rows = append(rows, []any{d.Item, d.Class, d.Unit, d.Person, d.Req, d.Deadline.String()})
		}
	}
	if err := kit.WriteTable(filepath.Join(out, filepath.FromSlash(rel)), "责任分解表", []string{"问题编号", "类别", "责任单位", "责任人", "整改要求", "整改时限"}, rows); err != nil {
		return nil, err
	}
	return []kit.File{{Path: rel, Rows: int64(len(rows)), ReceivedOn: w.Chain.DutiesRecv.String()}}, nil
}

// WriteRechecks writes the re-inspections of the first look-back week.
func (w *World) WriteRechecks(out string) ([]kit.File, error) {
	if len(w.Chain.Rechecks) == 0 {
		return nil, nil
	}
	rel := "chain/回头看复查-" + (w.Chain.RechecksRecv - 6).Span(w.Chain.RechecksRecv) + ".xlsx"
	rows := make([][]any, len(w.Chain.Rechecks))
	for i, x := range w.Chain.Rechecks {
		rows[i] = []any{x.Item, x.Day.String(), x.Inspector, x.Result, x.Note}
	}
	if err := kit.WriteTable(filepath.Join(out, filepath.FromSlash(rel)), "回头看复查", []string{"问题编号", "复查日期", "复查人", "复查结果", "说明"}, rows); err != nil {
		return nil, err
	}
	return []kit.File{{Path: rel, Rows: int64(len(rows)), ReceivedOn: w.Chain.RechecksRecv.String()}}, nil
}

// World is the planned county with the methods that write the chains' files and state their truth.
type World struct{ *county.World }
