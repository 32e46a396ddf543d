package synth

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

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
//	chain/回头看复查-第NN周.xlsx    re-inspections in the first look-back week: 整改不实 for a rectified
//	                             problem in two townships, 整改到位 for one, 复发 for a rectified
//	                             violation site of a third township (a recurrence)
//
// A separate random stream names the people, so the rest of the county never shifts.

type regRow struct {
	township, village, post, person, typ, grid string
}

type register struct {
	recv kit.Date
	rows []regRow
}

type duty struct {
	item, class, unit, person, req string
	deadline                       kit.Date
}

type recheck struct {
	item, inspector, result, note string
	day                           kit.Date
	// where a 复发 is: the item's township, village and point
	township, village, cat string
	hasXY                  bool
	pt                     kit.Point
}

// chainPlan is what planChain decided.
type chainPlan struct {
	registers    []*register
	noCadre      [2]string // the village without a 包村干部
	duties       []duty
	dutiesRecv   kit.Date
	rechecks     []recheck
	rechecksRecv kit.Date
}

var dutyRequirements = []string{"立即停止违法行为，拆除违法建筑，恢复土地原状", "封堵井口，清运矿渣，恢复植被",
	"依法立案查处，没收违法所得", "清运固体废物，复垦复绿"}

// planChain plans the register, the 责任分解表 and the re-inspections, after everything else.
func (w *world) planChain() {
	r := kit.NewRNG(w.seed, 5)
	person := func() string { return r.Pick(surnames) + r.Pick(given) }
	supervised := w.supervisedVillages()
	c := &chainPlan{}
	if len(w.towns) > 1 && len(w.towns[1].villages) > 0 {
		c.noCadre = [2]string{w.towns[1].name, w.towns[1].villages[0].name}
	}
	v1 := &register{recv: kit.MkDate(w.cfg.Start())}
	for i, t := range w.cfg.Townships {
		head := map[string]string{"镇": "镇长", "乡": "乡长"}[t.Kind]
		v1.rows = append(v1.rows, regRow{township: t.Name, post: head, person: person(), typ: "第一责任人"},
			regRow{township: t.Name, post: "副" + head, person: person(), typ: "分管领导"})
		for j, v := range t.Villages {
			key := [2]string{t.Name, v}
			v1.rows = append(v1.rows, regRow{township: t.Name, village: v, post: "党支部书记", person: person(), typ: "直接责任人"})
			if key != c.noCadre {
				for _, n := range w.villageCadres(t.Name, v) {
					v1.rows = append(v1.rows, regRow{township: t.Name, village: v, post: "包村干部", person: n, typ: "包村干部"})
				}
			}
			if (i+j)%3 == 0 || supervised[key] {
				v1.rows = append(v1.rows, regRow{township: t.Name, village: v, post: "网格员", person: person(), typ: "监管网格员",
					grid: fmt.Sprintf("第%d网格", j+1)})
			}
		}
	}
	v2 := &register{recv: w.tl.accStart + 4}
	idx := map[string]int{}
	for i, t := range w.cfg.Townships {
		idx[t.Name] = i
	}
	for _, row := range v1.rows {
		if row.typ == "第一责任人" && idx[row.township]%2 == 0 {
			row.person = person()
		}
		v2.rows = append(v2.rows, row)
	}
	c.registers = []*register{v1, v2}

	// the 责任分解表: the ledger as the joint verification closed
	c.dutiesRecv = w.tl.verifEnd
	items := slices.Clone(w.evaluate(w.tl.verifEnd).ledger)
	slices.SortFunc(items, func(a, b *ledgerItem) int { return strings.Compare(a.id, b.id) })
	cats := w.itemCategories()
	shared := map[string]int{} // items so far of each category, to alternate between its units
	for k, it := range items {
		class := "一般"
		if it.kind == "violation" {
			class = "重点"
		}
		cat := cats[it.id]
		units := w.unitsFor(cat)
		short := units[shared[cat]%len(units)]
		shared[cat]++
		unit, _ := w.cfg.Unit(short)
		d := duty{item: it.id, class: class, unit: unit.Name, person: w.dutyPerson(short), req: dutyRequirements[k%len(dutyRequirements)]}
		switch k % 4 {
		case 1:
			d.deadline = w.tl.rectEnd - 7
		case 3:
			d.deadline = w.tl.rectEnd + 10
		}
		c.duties = append(c.duties, d)
	}

	// re-inspections in the first look-back week
	c.rechecksRecv = w.tl.lookStart + 6
	e := w.evaluate(w.tl.accEnd)
	first := func(t *town, kind string, ok func(*ledgerItem) bool) *ledgerItem {
		var best *ledgerItem
		for _, it := range e.ledger {
			if it.township == t.name && it.kind == kind && it.status == "已整改" && ok(it) && (best == nil || it.id < best.id) {
				best = it
			}
		}
		return best
	}
	any := func(*ledgerItem) bool { return true }
	for _, k := range []int{0, 2} {
		if k < len(w.towns) {
			if it := first(w.towns[k], "problem", any); it != nil {
				c.rechecks = append(c.rechecks, recheck{item: it.id, day: w.tl.lookStart + 4, inspector: person(), result: "整改不实",
					note: "现场未恢复原状，整改不实"})
			}
		}
	}
	if len(w.towns) > 4 {
		if it := first(w.towns[4], "problem", any); it != nil {
			c.rechecks = append(c.rechecks, recheck{item: it.id, day: w.tl.lookStart + 4, inspector: person(), result: "整改到位", note: "已恢复"})
		}
	}
	if len(w.towns) > 1 {
		byID := map[string]*violation{}
		for _, v := range e.violations {
			byID[v.primary().id] = v
		}
		site := func(it *ledgerItem) bool {
			v := byID[it.id]
			return v != nil && v.recurrenceOf == "" && v.primary().hasXY && slices.Contains([]string{"卫片", "案件", "线索"}, v.primary().channel)
		}
		if it := first(w.towns[1], "violation", site); it != nil {
			pv := byID[it.id].primary()
			c.rechecks = append(c.rechecks, recheck{item: it.id, day: w.tl.lookStart + 5, inspector: person(), result: "复发",
				note: "原址又见挖掘痕迹", township: pv.township, village: pv.village, cat: pv.cat, hasXY: true, pt: pv.pt})
		}
	}
	w.chain = c
}

// registerAt is the register known at the end of d (nil before the first arrived).
func (c *chainPlan) registerAt(d kit.Date) *register {
	var out *register
	for _, r := range c.registers {
		if r.recv <= d {
			out = r
		}
	}
	return out
}

// dutyDeadline is the item's 整改时限 in the 责任分解表 known at the end of d, or 0: the row naming
// the item itself, else the row naming the smallest of its other ids (a violation's members).
func (c *chainPlan) dutyDeadline(id string, others []string, d kit.Date) kit.Date {
	if c == nil || c.dutiesRecv == 0 || c.dutiesRecv > d {
		return 0
	}
	var best *duty
	for i, x := range c.duties {
		switch {
		case x.item == id:
			return x.deadline
		case slices.Contains(others, x.item) && (best == nil || x.item < best.item):
			best = &c.duties[i]
		}
	}
	if best != nil {
		return best.deadline
	}
	return 0
}

// reopened is the latest 整改不实 re-inspection naming any of the item's ids, known and dated by the
// end of d, or 0.
func (c *chainPlan) reopened(ids []string, d kit.Date) kit.Date {
	if c == nil || c.rechecksRecv > d {
		return 0
	}
	var best kit.Date
	for _, x := range c.rechecks {
		if slices.Contains(ids, x.item) && x.result == "整改不实" && x.day <= d && x.day > best {
			best = x.day
		}
	}
	return best
}

// recurrences are the 复查 records of the re-inspections that found 复发, known and dated by d.
func (c *chainPlan) recurrences(d kit.Date) []*member {
	if c == nil || c.rechecksRecv > d {
		return nil
	}
	var out []*member
	for _, x := range c.rechecks {
		if x.result == "复发" && x.day <= d {
			out = append(out, &member{channel: "复查", order: channelOrder["复查"], id: x.item + "-复发-" + x.day.Compact(),
				township: x.township, village: x.village, hasXY: x.hasXY, pt: x.pt, first: x.day, cat: x.cat, ref: x.item})
		}
	}
	return out
}

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

// accountability lists the accountability list of evaluation e.
func (w *world) accountability(e *evaluation) []AccountabilityTruth {
	d := e.asOf
	var out []AccountabilityTruth
	add := func(id, reason, township, village string, on kit.Date) {
		a := AccountabilityTruth{ItemID: id, Reason: reason, Township: township, Village: village}
		firstReg := w.chain.registers[0].recv
		if firstReg <= d {
			on = min(max(on, firstReg), d)
			a.NamesOn = on.String()
			reg := w.chain.registerAt(on)
			names := func(typ string, village bool) string {
				var ns []string
				for _, r := range reg.rows {
					if r.township == township && r.typ == typ && (!village || r.village == a.Village) && !slices.Contains(ns, r.person) {
						ns = append(ns, r.person)
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
	deadline := kit.MkDate(w.cfg.DetectionDeadline())
	for _, v := range e.violations {
		pv := v.primary()
		switch v.status {
		case "missed":
			add(pv.id, "应排漏排", pv.township, pv.village, deadline)
		case "new_after_rectification":
			add(pv.id, "属地新增", pv.township, pv.village, pv.first)
		}
	}
	for _, it := range e.ledger {
		if it.overdue(d) {
			add(it.id, "整改不到位", it.township, it.village, it.deadline)
		}
		if it.reopened != 0 {
			add(it.id, "整改不实", it.township, it.village, it.deadline)
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

// writeRegisters writes the register versions.
func (w *world) writeRegisters(out string) ([]File, error) {
	var files []File
	for _, reg := range w.chain.registers {
		rel := "chain/责任人名册-" + reg.recv.Compact() + ".xlsx"
		rows := make([][]any, len(reg.rows))
		for i, r := range reg.rows {
			rows[i] = []any{r.township, r.village, r.post, r.person, r.typ, r.grid}
		}
		if err := kit.WriteTable(filepath.Join(out, filepath.FromSlash(rel)), "责任人名册", []string{"乡镇", "村", "职务", "姓名", "责任类型", "网格"}, rows); err != nil {
			return nil, err
		}
		files = append(files, File{Path: rel, Rows: int64(len(rows)), ReceivedOn: reg.recv.String()})
	}
	return files, nil
}

// writeDuties writes the 责任分解表.
func (w *world) writeDuties(out string) ([]File, error) {
	rel := "chain/责任分解表.xlsx"
	rows := make([][]any, len(w.chain.duties))
	for i, d := range w.chain.duties {
		rows[i] = []any{d.item, d.class, d.unit, d.person, d.req, d.deadline.String()}
	}
	if err := kit.WriteTable(filepath.Join(out, filepath.FromSlash(rel)), "责任分解表", []string{"问题编号", "类别", "责任单位", "责任人", "整改要求", "整改时限"}, rows); err != nil {
		return nil, err
	}
	return []File{{Path: rel, Rows: int64(len(rows)), ReceivedOn: w.chain.dutiesRecv.String()}}, nil
}

// writeRechecks writes the re-inspections of the first look-back week.
func (w *world) writeRechecks(out string) ([]File, error) {
	if len(w.chain.rechecks) == 0 {
		return nil, nil
	}
	rel := fmt.Sprintf("chain/回头看复查-第%02d周.xlsx", w.chain.rechecksRecv.ISOWeek())
	rows := make([][]any, len(w.chain.rechecks))
	for i, x := range w.chain.rechecks {
		rows[i] = []any{x.item, x.day.String(), x.inspector, x.result, x.note}
	}
	if err := kit.WriteTable(filepath.Join(out, filepath.FromSlash(rel)), "回头看复查", []string{"问题编号", "复查日期", "复查人", "复查结果", "说明"}, rows); err != nil {
		return nil, err
	}
	return []File{{Path: rel, Rows: int64(len(rows)), ReceivedOn: w.chain.rechecksRecv.String()}}, nil
}
