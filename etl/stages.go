package etl

import (
	"fmt"
	"math"
	"strings"

	"landwatch/etl/read"
)

// KindCaseStages is a member unit's own file of case stages (案件环节): 案件编号, 环节 (a configured
// stage's name or code), 日期, 单位 (the unit owning the stage), 备注, for 判决 刑期（月） and 罚金,
// for 处罚决定 its 决定文号 and 罚款金额 (the same column as 罚金).
// A unit may file only the stages it owns ([[stage]] in the configuration); every case must be in
// the cases already loaded. README "Enforcement chain" describes the file.
const KindCaseStages Kind = "case-stages"

func convCaseStages(l *loader, g *read.Grid, h *read.Header, recs []*read.Record) (*out, error) {
	o := &out{table: "raw_case_stages", cols: []string{"source_row", "case_id", "stage", "stage_on", "unit", "note", "term_months", "fine_yuan", "doc_no", "extra"}}
	cases, err := l.idSet(`SELECT c.case_id FROM raw_cases c JOIN load_batches b USING (batch_id) WHERE b.replaced_by IS NULL`)
	if err != nil {
		return nil, fmt.Errorf("读取案件：%w", err)
	}
	names := make([]string, len(l.cfg.Stages))
	for i, s := range l.cfg.Stages {
		names[i] = s.Name
	}
	seen := map[string]int{}
	for _, r := range recs {
		id := l.required(r, "case_id", "案件编号")
		if id != nil && !cases[id.(string)] {
			l.p.Add(r.Row, "案件编号", id.(string), "不在已导入的案件台账中")
		}
		var stage, unit any
		st, ok := l.cfg.StageByName(r.Get("stage"))
		switch {
		case r.Get("stage") == "":
			l.p.Add(r.Row, "环节", "", "不能为空")
		case !ok:
			l.p.Add(r.Row, "环节", r.Get("stage"), "不是配置中的环节："+strings.Join(names, "、"))
		default:
			stage = st.Code
		}
		switch u, uok := l.cfg.Unit(r.Get("unit")); {
		case r.Get("unit") == "":
			l.p.Add(r.Row, "单位", "", "不能为空")
		case !uok:
			l.p.Add(r.Row, "单位", r.Get("unit"), "不是成员单位")
		case l.unit != "" && u.ShortName != l.unit:
			l.p.Add(r.Row, "单位", r.Get("unit"), fmt.Sprintf("不是本账号的单位（%s），只能上报本单位负责的环节", l.unit))
		case ok && u.ShortName != l.cfg.StageUnit(st.Code):
			l.p.Add(r.Row, "单位", r.Get("unit"), fmt.Sprintf("环节“%s”由%s填报，不是%s", st.Name, l.cfg.StageUnit(st.Code), u.ShortName))
		default:
			unit = u.ShortName
		}
		if id != nil && stage != nil {
			key := id.(string) + "/" + stage.(string)
			if prev, dup := seen[key]; dup {
				l.p.Add(r.Row, "环节", r.Get("stage"), fmt.Sprintf("同一案件的同一环节重复（第%d行已有）", prev))
			}
			seen[key] = r.Row
		}
		var term, fine any
		if r.Get("term_months") != "" || r.Get("fine_yuan") != "" {
			switch {
			case stage == nil:
			case r.Get("term_months") != "" && stage != "judged":
				l.p.Add(r.Row, "刑期", r.Get("term_months"), "只有“判决”环节可以填写刑期")
			case r.Get("fine_yuan") != "" && stage != "judged" && stage != "penalty":
				l.p.Add(r.Row, "罚金", r.Get("fine_yuan"), "只有“处罚决定”（罚款）和“判决”（罚金）环节可以填写金额")
			}
			if v := l.number(r, "term_months", "刑期", true); v != nil {
				if f := v.(float64); f != math.Trunc(f) || f > 1200 {
					l.p.Add(r.Row, "刑期", r.Get("term_months"), "应为整月数（0–1200）")
				} else {
					term = int64(f)
				}
			}
			fine = l.number(r, "fine_yuan", "罚金", true)
		}
		doc := optional(r, "doc_no")
		if doc != nil && stage != nil && stage != "penalty" {
			l.p.Add(r.Row, "决定文号", r.Get("doc_no"), "只有“处罚决定”环节可以填写决定文号")
		}
		o.rows = append(o.rows, []any{r.Row, id, stage, l.date(r, "stage_on", "日期", true), unit, optional(r, "note"), term, fine, doc, extraJSON(r)})
	}
	return o, nil
}
