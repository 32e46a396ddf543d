// Package view holds what the portal's pages show that needs no server: tables under Chinese
// headings with their values in words and the decision column first (table.go), the list pages'
// query, filters and page links (list.go), xlsx downloads (xlsx.go), who acted in words
// (people.go), and the words of the audit log and of error messages (words.go). The handlers and
// templates stay in portal.
package view

import (
	"cmp"
	"slices"

	"landwatch/campaign"
	"landwatch/queries/read"
)

// Table is a query result for a generic page.
type Table struct {
	Cols   []string
	Labels []string
	Rows   [][]string
	AsOf   string
	// FrozenAt is when the shown date was frozen (its rows are the stored snapshot); "" if not.
	FrozenAt string
	// Total is the number of rows the filters select; Rows holds one page of them when paged.
	Total int
}

// ColLabels are the Chinese headings of the marts' columns (queries/README.md defines them);
// every column a page or export shows has one (TestMartHeadings).
var ColLabels = map[string]string{"patch_id": "图斑编号", "imaged_on": "成像日期", "change_type": "变化类型", "licence_id": "许可证号",
	"licence_status": "比对矿业权", "verdict": "核查结论", "holder": "矿权人", "as_of": "截至日期", "township": "乡镇", "village": "村", "violations_due": "应发现",
	"detected": "已发现", "missed": "应排漏排", "missed_detection_rate": "漏排率", "ledger_due": "已到期事项",
	"rectified_on_time": "按期整改", "rectification_rate": "按期整改率", "overdue_open": "整改不到位",
	"rectification_false": "整改不实", "area_mu": "面积（亩）",
	"new_after_rectification": "属地新增", "patrol_weeks": "应巡查周数", "patrol_weeks_done": "已巡查周数",
	"patrol_compliance": "巡查到位率", "level": "追责等级", "reasons": "原因", "violation_id": "点位编号",
	"category": "类别", "first_seen": "首次发现", "sources": "来源渠道", "source_refs": "来源编号", "lon": "经度",
	"lat": "纬度", "detected_by": "发现它的问题", "detection_status": "排查状态", "match_reason": "对应方式",
	"item_id": "编号", "kind": "类型", "deadline": "整改期限", "status_as_of": "整改状态", "rectified_on": "完成日期",
	"on_time": "按期", "overdue": "逾期", "late_problem": "迟报的问题", "recurrence_of": "复发自",
	"frozen_at": "锁定时间", "kind_name": "数据类别", "last_received_at": "最近送达", "last_file": "最近送达的文件",
	"files": "文件数", "meter_id": "户号", "account": "户名", "customer_type": "用电类别",
	"last_reading_on": "最后读数日", "days_silent": "中断天数", "closed_mine": "关闭矿井",
	"reason": "问题", "item_date": "事项日期", "names_on": "名册日期", "first_responsible": "第一责任人",
	"leader_in_charge": "分管领导", "direct_responsible": "直接责任人", "village_cadre": "包村干部", "unit": "责任单位",
	"status": "状态", "transferred_on": "移交日期", "outcome": "处理结果", "outcome_on": "处理日期", "document_no": "文号",
	"channel": "渠道", "record_id": "记录编号", "seen_on": "日期", "detail": "内容", "origin": "来源文件",
	"reported_on": "上报日期", "reopened_on": "重新打开日期",
	"awaiting_acceptance": "待验收", "acceptance_due": "验收期限", "accepted_on": "验收日期", "overdue_reason": "整改不到位原因"}

// Columns whose values are shares (0..1), shown as percentages; and columns whose codes the label
// table translates (campaign.Label), by the label table's column.
var (
	RateCols  = []string{"missed_detection_rate", "rectification_rate", "patrol_compliance"}
	labelCols = map[string][]string{"level": {"level"}, "detection_status": {"detection_status"}, "rule": {"rule"},
		"kind": {"kind", "input"}, "match_reason": {"match_reason"}, "role": {"role"},
		"on_time": {"bool"}, "overdue": {"bool"}, "closed_mine": {"bool"}, "backdated": {"bool"},
		"licence_status": {"licence_status"}}
)

// CellWord is what a reader sees for value v of column col: codes in Chinese (campaign.Label),
// shares as percentages, a category code as the category's name from the configuration. A value
// already in words is left as it is.
func CellWord(cfg *campaign.Config, col, v string) string {
	switch {
	case v == "":
		return ""
	case slices.Contains(RateCols, col):
		return campaign.Percent(v)
	case col == "category":
		if cat, ok := cfg.Category(v); ok {
			return cat.Name
		}
		return v
	}
	for _, lc := range labelCols[col] {
		if w := campaign.Label(lc, v); w != v {
			return w
		}
	}
	return v
}

// Words puts a table's values in Chinese (its headings are ColLabels, portal's martColumns).
func Words(cfg *campaign.Config, t *Table) {
	if t == nil {
		return
	}
	for i, r := range t.Rows {
		for j, v := range r {
			t.Rows[i][j] = CellWord(cfg, t.Cols[j], v)
		}
	}
}

// Labelled is the page table of rt, under the Chinese headings of its columns (ColLabels).
func Labelled(rt *read.Table) *Table {
	if rt == nil {
		return nil
	}
	t := &Table{Cols: rt.Cols, Rows: rt.Rows, AsOf: rt.AsOf, FrozenAt: rt.FrozenAt, Total: rt.Total}
	for _, c := range t.Cols {
		t.Labels = append(t.Labels, cmp.Or(ColLabels[c], c))
	}
	return t
}

// Work tables, phone first (portal/README.md, "Work tables"). A list a person works through shows
// first the column they decide on (等级, 状态) and then the row's id; on a wide screen these two stay
// in view while the rest scrolls (CSS: table.cards, the first two columns sticky), and on a narrow
// one every row becomes a card whose cells carry their headings (data-label; static/cards.js
// fills them in for a table whose template did not). The row's actions are buttons in the row
// with its id filled in.

// LeadCols are, for each mart shown as a list, the decision column and the id column, in that
// order: they come first on the page (exports keep the mart's order).
var LeadCols = map[string][]string{
	"mart_township_scorecard": {"level", "township"},
	"mart_ledger":             {"status_as_of", "item_id"},
	"mart_violations":         {"detection_status", "violation_id"},
	"mart_accountability":     {"status", "item_id"},
	"mart_imagery_triage":     {"licence_status", "patch_id"},
	"mart_power_gaps":         {"closed_mine", "meter_id"},
	"mart_data_freshness":     {"kind_name", "last_received_at"},
}

// Lead moves the named columns, those the table has, to its front in the order given.
func (t *Table) Lead(cols []string) {
	if t == nil {
		return
	}
	var order []int
	for _, c := range cols {
		if i := slices.Index(t.Cols, c); i >= 0 {
			order = append(order, i)
		}
	}
	for i := range t.Cols {
		if !slices.Contains(order, i) {
			order = append(order, i)
		}
	}
	pick := func(s []string) []string {
		out := make([]string, len(order))
		for k, i := range order {
			if i < len(s) {
				out[k] = s[i]
			}
		}
		return out
	}
	t.Cols, t.Labels = pick(t.Cols), pick(t.Labels)
	for r := range t.Rows {
		t.Rows[r] = pick(t.Rows[r])
	}
}

// ColIndex is where column col stands in t; -1 when it has none.
func (t *Table) ColIndex(col string) int {
	if t == nil {
		return -1
	}
	return slices.Index(t.Cols, col)
}
