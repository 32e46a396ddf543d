package etl

import (
	"fmt"
	"strings"
	"time"

	"landwatch/campaign"
	"landwatch/etl/read"
)

// KindExplosives is the police's register of civil explosives flows (民用爆炸物品流向): per flow the
// licensed blasting unit that bought it (购买单位) and the licence it blasts under (许可证号), the kind
// (品种: 炸药, 雷管 or 导爆索) and quantity in the kind's unit (炸药 千克 — 公斤 and 吨 are converted —,
// 雷管 发 or 枚, 导爆索 米), the day it was drawn (领用日期), where it was used (作业地点, naming a
// township of the county and perhaps a village of it) with its point (经度, 纬度, required), and what
// came back to the store (退库数量, at most 数量). A later file's row for a flow is its newer version
// from the file's arrival on. queries/marts/mart_explosives_flows.sql checks each flow.
const KindExplosives Kind = "explosives"

// explosiveUnits maps each kind's accepted units to the factor into its own unit.
var explosiveUnits = map[string]map[string]float64{
	"炸药":  {"千克": 1, "公斤": 1, "吨": 1000},
	"雷管":  {"发": 1, "枚": 1},
	"导爆索": {"米": 1},
}

func explosiveKindNames() []string {
	var out []string
	for _, k := range campaign.ExplosiveKinds {
		out = append(out, k.Name)
	}
	return out
}

func explosiveUnit(kind string) string {
	for _, k := range campaign.ExplosiveKinds {
		if k.Name == kind {
			return k.Unit
		}
	}
	return ""
}

func convExplosives(l *loader, g *read.Grid, h *read.Header, recs []*read.Record) (*out, error) {
	o := &out{table: "raw_explosives", cols: []string{"source_row", "flow_id", "buyer", "licence_id", "item", "quantity", "unit",
		"drawn_on", "site", "township", "village", "lon", "lat", "returned", "extra"},
		idTable: "raw_explosives", idField: "flow_id", idCol: "流向编号", versions: true}
	for _, r := range recs {
		id := l.required(r, "flow_id", "流向编号")
		buyer := l.required(r, "buyer", "购买单位")
		licence := l.required(r, "licence_id", "许可证号")
		item := l.oneOf(r, "item", "品种", true, explosiveKindNames()...)
		qty := l.number(r, "quantity", "数量", true)
		if r.Get("quantity") == "" {
			l.p.Add(r.Row, "数量", "", "不能为空")
		} else if q, ok := qty.(float64); ok && q <= 0 {
			l.p.Add(r.Row, "数量", r.Get("quantity"), "应大于 0")
			qty = nil
		}
		var unit any
		factor := 1.0
		if k, ok := item.(string); ok {
			u := strings.TrimSpace(r.Get("unit"))
			switch f, known := explosiveUnits[k][u]; {
			case u == "":
				l.p.Add(r.Row, "单位", "", "不能为空")
			case !known:
				l.p.Add(r.Row, "单位", u, fmt.Sprintf("不是%s的计量单位（应为%s）", k, explosiveUnit(k)))
			default:
				unit, factor = explosiveUnit(k), f
			}
		}
		ret := l.number(r, "returned", "退库数量", true)
		if ret == nil && r.Get("returned") == "" {
			ret = 0.0
		}
		if q, ok := qty.(float64); ok {
			qty = q * factor
			if x, ok := ret.(float64); ok {
				ret = x * factor
				if x > q {
					l.p.Add(r.Row, "退库数量", r.Get("returned"), fmt.Sprintf("大于数量 %s", r.Get("quantity")))
				}
			}
		}
		drawn := l.date(r, "drawn_on", "领用日期", true)
		site := l.required(r, "site", "作业地点")
		var town, village any
		if s, ok := site.(string); ok {
			town, village = l.sitePlace(r.Row, s)
		}
		lon, lat := l.coords(r)
		if r.Get("lon") == "" && r.Get("lat") == "" {
			l.p.Add(r.Row, "经度", "", "不能为空（流向须有作业地点的经纬度）")
		}
		o.rows = append(o.rows, []any{r.Row, id, buyer, licence, item, qty, unit, drawn, site, town, village, lon, lat, ret, extraJSON(r)})
		o.ids, o.idRows = append(o.ids, r.Get("flow_id")), append(o.idRows, r.Row)
	}
	return o, nil
}

// sitePlace finds the township a 作业地点 names (the full name or the name without 镇/乡, the longest
// that occurs) and the village of that township it names, if any (the longest); a site naming no
// township of the county is refused.
func (l *loader) sitePlace(row int, site string) (town, village any) {
	best, bestLen := "", 0
	for _, t := range l.cfg.Townships {
		for _, n := range []string{t.Name, strings.TrimRight(t.Name, "镇乡")} {
			if len([]rune(n)) >= 2 && strings.Contains(site, n) && len(n) > bestLen {
				best, bestLen = t.Name, len(n)
			}
		}
	}
	if best == "" {
		l.p.Add(row, "作业地点", site, "没有写明本县的乡镇（应如“郭道镇某村某处”）")
		return nil, nil
	}
	v, vLen := "", 0
	for name := range l.villages[best] {
		if strings.Contains(site, name) && len(name) > vLen {
			v, vLen = name, len(name)
		}
	}
	if v == "" {
		return best, nil
	}
	return best, v
}

// parseEventTime reads a camera event's time: a date (as ParseDate reads it) and a time of day
// HH:MM or HH:MM:SS, separated by a space or T.
func parseEventTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(read.NormalizeText(s))
	if v, ok := ParseNumber(s); ok && v > 20000 && v < 80000 { // an Excel date-time serial
		secs := int64(v*86400 + 0.5)
		return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).Add(time.Duration(secs) * time.Second), true
	}
	i := strings.LastIndexAny(s, " T")
	if i < 0 {
		return time.Time{}, false
	}
	d, ok := ParseDate(strings.TrimSpace(s[:i]), 0)
	if !ok {
		return time.Time{}, false
	}
	for _, layout := range []string{"15:04:05", "15:04"} {
		if t, err := time.Parse(layout, strings.TrimSpace(s[i+1:])); err == nil {
			return d.Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute + time.Duration(t.Second())*time.Second), true
		}
	}
	return time.Time{}, false
}
