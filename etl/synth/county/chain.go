package county

import (
	"fmt"
	"slices"
	"strings"

	"landwatch/etl/synth/kit"
)

// What is planned here is written and described in etl/synth/chain/chain.go.

type regRow struct {
	Township, Village, Post, Person, Typ, Grid string
}

type register struct {
	Recv kit.Date
	Rows []regRow
}

type duty struct {
	Item, Class, Unit, Person, Req string
	Deadline                       kit.Date
	// Period is the row's 期别 ("" for the campaign's items) and Recv the day its file arrived
	// (periodduty.go); every 期别 has one file, in force from its arrival on.
	Period string
	Recv   kit.Date
}

type recheck struct {
	Item, Inspector, Result, Note string
	Day                           kit.Date
	// where a 复发 is: the item's township, village and point
	township, village, cat string
	hasXY                  bool
	pt                     kit.Point
}

// chainPlan is what planChain decided.
type chainPlan struct {
	Registers    []*register
	NoCadre      [2]string // the village without a 包村干部
	Duties       []duty
	DutiesRecv   kit.Date
	Rechecks     []recheck
	RechecksRecv kit.Date
}

var dutyRequirements = []string{"立即停止违法行为，拆除违法建筑，恢复土地原状", "封堵井口，清运矿渣，恢复植被",
	"依法立案查处，没收违法所得", "清运固体废物，复垦复绿"}

// planChain plans the register, the 责任分解表 and the re-inspections, after everything else.
func (w *World) planChain() {
	r := kit.NewRNG(w.Seed, 5)
	person := func() string { return r.Pick(Surnames) + r.Pick(Given) }
	supervised := w.supervisedVillages()
	c := &chainPlan{}
	if len(w.Towns) > 1 && len(w.Towns[1].Villages) > 0 {
		c.NoCadre = [2]string{w.Towns[1].Name, w.Towns[1].Villages[0].Name}
	}
	v1 := &register{Recv: kit.MkDate(w.Cfg.Start())}
	for i, t := range w.Cfg.Townships {
		head := map[string]string{"镇": "镇长", "乡": "乡长"}[t.Kind]
		v1.Rows = append(v1.Rows, regRow{Township: t.Name, Post: head, Person: person(), Typ: "第一责任人"},
			regRow{Township: t.Name, Post: "副" + head, Person: person(), Typ: "分管领导"})
		for j, v := range t.Villages {
			key := [2]string{t.Name, v}
			v1.Rows = append(v1.Rows, regRow{Township: t.Name, Village: v, Post: "党支部书记", Person: person(), Typ: "直接责任人"})
			if key != c.NoCadre {
				for _, n := range w.villageCadres(t.Name, v) {
					v1.Rows = append(v1.Rows, regRow{Township: t.Name, Village: v, Post: "包村干部", Person: n, Typ: "包村干部"})
				}
			}
			if (i+j)%3 == 0 || supervised[key] {
				v1.Rows = append(v1.Rows, regRow{Township: t.Name, Village: v, Post: "网格员", Person: person(), Typ: "监管网格员",
					Grid: fmt.Sprintf("第%d网格", j+1)})
			}
		}
	}
	v2 := &register{Recv: w.Timeline.accStart + 4}
	idx := map[string]int{}
	for i, t := range w.Cfg.Townships {
		idx[t.Name] = i
	}
	for _, row := range v1.Rows {
		if row.Typ == "第一责任人" && idx[row.Township]%2 == 0 {
			row.Person = person()
		}
		v2.Rows = append(v2.Rows, row)
	}
	c.Registers = []*register{v1, v2}

	// the 责任分解表: the ledger as the joint verification closed
	c.DutiesRecv = w.Timeline.verifEnd
	items := slices.Clone(w.Evaluate(w.Timeline.verifEnd).Ledger)
	slices.SortFunc(items, func(a, b *ledgerItem) int { return strings.Compare(a.ID, b.ID) })
	cats := w.itemCategories()
	shared := map[string]int{} // items so far of each category, to alternate between its units
	for k, it := range items {
		d := w.dutyOf(it, k, cats[it.ID], shared)
		d.Recv = c.DutiesRecv
		switch k % 4 {
		case 1:
			d.Deadline = w.Timeline.rectEnd - 7
		case 3:
			d.Deadline = w.Timeline.rectEnd + 10
		}
		c.Duties = append(c.Duties, d)
	}

	// re-inspections in the first look-back week
	c.RechecksRecv = w.Timeline.LookStart + 6
	e := w.Evaluate(w.Timeline.accEnd)
	first := func(t *Town, kind string, ok func(*ledgerItem) bool) *ledgerItem {
		var best *ledgerItem
		for _, it := range e.Ledger {
			if it.Township == t.Name && it.Kind == kind && it.Status == "已整改" && ok(it) && (best == nil || it.ID < best.ID) {
				best = it
			}
		}
		return best
	}
	any := func(*ledgerItem) bool { return true }
	for _, k := range []int{0, 2} {
		if k < len(w.Towns) {
			if it := first(w.Towns[k], "problem", any); it != nil {
				c.Rechecks = append(c.Rechecks, recheck{Item: it.ID, Day: w.Timeline.LookStart + 4, Inspector: person(), Result: "整改不实",
					Note: "现场未恢复原状，整改不实"})
			}
		}
	}
	if len(w.Towns) > 4 {
		if it := first(w.Towns[4], "problem", any); it != nil {
			c.Rechecks = append(c.Rechecks, recheck{Item: it.ID, Day: w.Timeline.LookStart + 4, Inspector: person(), Result: "整改到位", Note: "已恢复"})
		}
	}
	if len(w.Towns) > 1 {
		byID := map[string]*Violation{}
		for _, v := range e.Violations {
			byID[v.Primary().ID] = v
		}
		site := func(it *ledgerItem) bool {
			v := byID[it.ID]
			return v != nil && v.RecurrenceOf == "" && v.Primary().HasXY && slices.Contains([]string{"卫片", "案件", "线索"}, v.Primary().Channel)
		}
		if it := first(w.Towns[1], "violation", site); it != nil {
			pv := byID[it.ID].Primary()
			c.Rechecks = append(c.Rechecks, recheck{Item: it.ID, Day: w.Timeline.LookStart + 5, Inspector: person(), Result: "复发",
				Note: "原址又见挖掘痕迹", township: pv.Township, village: pv.Village, cat: pv.Cat, hasXY: true, pt: pv.Pt})
		}
	}
	w.Chain = c
}

// RegisterAt is the register known at the end of d (nil before the first arrived).
func (c *chainPlan) RegisterAt(d kit.Date) *register {
	var out *register
	for _, r := range c.Registers {
		if r.Recv <= d {
			out = r
		}
	}
	return out
}

// dutyDeadline is the item's 整改时限 in the 责任分解表 known at the end of d, or 0 (dutyRow).
func (c *chainPlan) dutyDeadline(id string, others []string, d kit.Date) kit.Date {
	if x := c.dutyRow(id, others, d); x != nil {
		return x.Deadline
	}
	return 0
}

// dutyRow is the item's row of the 责任分解表 known at the end of d (every 期别's file received by
// then), or nil: the row naming the item itself, else the row naming the smallest of its other ids
// (a violation's members).
func (c *chainPlan) dutyRow(id string, others []string, d kit.Date) *duty {
	if c == nil {
		return nil
	}
	var best *duty
	for i, x := range c.Duties {
		if x.Recv == 0 || x.Recv > d {
			continue
		}
		switch {
		case x.Item == id:
			return &c.Duties[i]
		case slices.Contains(others, x.Item) && (best == nil || x.Item < best.Item):
			best = &c.Duties[i]
		}
	}
	return best
}

// reopened is the latest 整改不实 re-inspection naming any of the item's ids, known and dated by the
// end of d, or 0.
func (c *chainPlan) reopened(ids []string, d kit.Date) kit.Date {
	if c == nil || c.RechecksRecv > d {
		return 0
	}
	var best kit.Date
	for _, x := range c.Rechecks {
		if slices.Contains(ids, x.Item) && x.Result == "整改不实" && x.Day <= d && x.Day > best {
			best = x.Day
		}
	}
	return best
}

// recurrences are the 复查 records of the re-inspections that found 复发, known and dated by d.
func (c *chainPlan) recurrences(d kit.Date) []*Member {
	if c == nil || c.RechecksRecv > d {
		return nil
	}
	var out []*Member
	for _, x := range c.Rechecks {
		if x.Result == "复发" && x.Day <= d {
			out = append(out, &Member{Channel: "复查", order: channelOrder["复查"], ID: x.Item + "-复发-" + x.Day.Compact(),
				Township: x.township, Village: x.village, HasXY: x.hasXY, Pt: x.pt, First: x.Day, Cat: x.cat, ref: x.Item})
		}
	}
	return out
}
