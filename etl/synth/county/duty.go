package county

import (
	"hash/fnv"
	"slices"
	"strings"

	"landwatch/campaign"
	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

// Who does the work in the synthetic county's registers (chain.go):
//
//   - the 责任分解表 names for every item a unit whose duty (the configuration's [[unit]] duty line)
//     covers the item's category (dutyByCategory for the default campaign's units; for another
//     configuration, the units whose duty line holds one of the category's keywords, else the
//     first unit); where two units share a category, items alternate between them;
//   - every village has one or two 包村干部 (villageCadres), and the cadre signing a form line of
//     the village is one of them (cadreOf);
//   - every village with a site under supervision — a violation's record, or a meter of a closed
//     mine or of a configured customer type — has a 监管网格员 (supervisedVillages).
//
// Names come from random streams of their own (keyed by the township and village), so the rest of
// the county never shifts.

// dutyByCategory is the default campaign's units (short names) for each category, as their duty
// lines in campaign/default.toml say: 民爆 and 涉黑涉恶 → 公安; 宅基地 → 自然资源 and 农业农村; 种养殖
// and 大棚房 → 农业农村; 倾倒固废 → 生态环境; 借工程建设 → 交通 and 公路段; 掩护盗采 → 市监 and
// 农业农村; 关闭矿井、露头煤 → 能源 and 自然资源; 无证、越界 → 自然资源 and 应急; 毁坏耕地 → 自然资源.
var dutyByCategory = map[string][]string{
	"M1": {"自然资源", "应急"},
	"M2": {"交通", "公路段"},
	"M3": {"市监", "农业农村"},
	"M4": {"能源", "自然资源"},
	"M5": {"公安"},
	"M6": {"公安"},
	"L1": {"自然资源", "农业农村"},
	"L2": {"农业农村"},
	"L3": {"生态环境"},
	"L4": {"自然资源"},
}

// dutyPeople are the people the plan names for some units; the others get a name of their own.
var dutyPeople = map[string]string{"自然资源": "郭永强", "农业农村": "王银刚", "生态环境": "韩志强", "公安": "申国伟"}

// UnitsFor are the configured units (short names) whose duty covers category cat ("" and unknown
// categories: the first configured unit, the campaign's lead).
func (w *World) UnitsFor(cat string) []string {
	var out []string
	for _, s := range dutyByCategory[cat] {
		if _, ok := w.Cfg.Unit(s); ok {
			out = append(out, s)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, c := range w.Cfg.Categories {
		if c.Code != cat {
			continue
		}
		for _, u := range w.Cfg.Units {
			if slices.ContainsFunc(c.Keywords, func(k string) bool { return strings.Contains(u.Duty, k) }) {
				out = append(out, u.ShortName)
			}
		}
	}
	if len(out) == 0 && len(w.Cfg.Units) > 0 {
		out = []string{w.Cfg.Units[0].ShortName}
	}
	return out
}

// dutyPerson is the person the 责任分解表 names for a unit.
func (w *World) dutyPerson(short string) string {
	if p, ok := dutyPeople[short]; ok {
		return p
	}
	r := kit.NewRNG(w.Seed, OngoingStream+1+uint64(hash32(short)))
	return r.Pick(Surnames) + r.Pick(Given)
}

func hash32(parts ...string) uint32 {
	h := fnv.New32a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum32()
}

// villageCadres are a village's 包村干部: one or two, a pure function of the seed and the names.
func (w *World) villageCadres(town, village string) []string {
	r := kit.NewRNG(w.Seed, OngoingStream+2+uint64(hash32(town, village))<<8)
	out := []string{r.Pick(Surnames) + r.Pick(Given)}
	if r.IntN(2) == 0 {
		for {
			if n := r.Pick(Surnames) + r.Pick(Given); n != out[0] {
				out = append(out, n)
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

// CadreOf is the 包村干部 of the village who signs a line; key (any text of the line) chooses
// between two.
func (w *World) CadreOf(town, village, key string) string {
	if village == "" {
		return key
	}
	cs := w.villageCadres(town, village)
	return cs[int(hash32(key))%len(cs)]
}

// supervisedVillages are the villages (township, village) with a site under supervision: a
// violation record of any channel by the end of the data, or a meter of a closed mine or of a
// configured customer type.
func (w *World) supervisedVillages() map[[2]string]bool {
	out := map[[2]string]bool{}
	for _, v := range w.Evaluate(w.Scale.ReadTo).Violations {
		for _, m := range v.Members {
			if m.Village != "" {
				out[[2]string{m.Township, m.Village}] = true
			}
		}
	}
	for _, m := range w.Meters {
		typed := slices.ContainsFunc(w.Cfg.Power.CustomerTypes, func(c campaign.CustomerType) bool { return c.Name == m.Kind })
		if m.Kind == power.KindClosedMine || typed {
			out[[2]string{m.Township, m.Village}] = true
		}
	}
	return out
}

// itemCategories is the category of every ledger item id known at the end of the data: a problem's
// as its form line gives it (or as its hazard text implies), a violation's of the first of its
// records that has one ("" when none has: a patch seen by imagery alone).
func (w *World) itemCategories() map[string]string {
	out := map[string]string{}
	for _, f := range w.Forms {
		for _, r := range f.Rows {
			if !r.Problem {
				continue
			}
			cat := r.Cat
			if cat == "" {
				cat = catOfHazard(r.Hazard)
			}
			out[f.ProblemID(r)] = cat
		}
	}
	for _, v := range w.Evaluate(w.Scale.ReadTo).Violations {
		cat := ""
		for _, m := range v.Members {
			if m.Cat != "" {
				cat = m.Cat
				break
			}
		}
		out[v.Primary().ID] = cat
	}
	return out
}

// imageryCategory is the category a patch's change and land class after it imply
// (queries/intermediate/int_violation_records.sql): 农村宅基地 L1, 设施农用地 L2, 堆放 L3, 挖损 to 裸地
// L4, 采矿用地 M1; "" otherwise.
func imageryCategory(change, after string) string {
	switch {
	case after == "农村宅基地":
		return "L1"
	case after == "设施农用地":
		return "L2"
	case change == "堆放":
		return "L3"
	case change == "挖损" && after == "裸地":
		return "L4"
	case after == "采矿用地":
		return "M1"
	}
	return ""
}
