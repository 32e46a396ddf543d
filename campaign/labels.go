package campaign

import "strconv"

// Labels are the Chinese words for the codes the models and the portal use (levels, statuses,
// rules, kinds, channels, roles, input kinds): one table for pages, exports, PDFs and the CLI, so
// no raw code reaches a reader. Label returns the word for a code of a column, or the code itself
// when there is none (a name, an id).
var labels = map[string]map[string]string{
	"level": {"red": "红", "yellow": "黄", "green": "绿"},
	"detection_status": {"detected": "已排查发现", "missed": "应排漏排", "not_due": "未到排查期限",
		"new_after_rectification": "整改后属地新增"},
	"rule": {"night_over_day": "夜间用电异常", "surge": "用电量激增", "closed_mine": "关闭矿井用电",
		"supply_after_cutoff": "终止供电后仍用电"},
	"stage": {"filed": "立案", "penalty": "处罚决定", "price_requested": "价格认定申请", "price_done": "价格认定完成",
		"police_accepted": "公安受案", "police_filed": "立案侦查", "police_referred": "移送审查起诉", "prosec_accepted": "检察院受理",
		"indicted": "提起公诉", "not_indicted": "不起诉", "court_accepted": "法院受理", "judged": "判决"},
	"kind": {"problem": "排查问题", "violation": "违法点位"},
	"input": {"inspection": "排查报表", "rectification": "整改台账", "patrol": "巡查记录", "cases": "案件台账",
		"clues": "其他线索", "imagery": "卫片图斑", "meters": "用电户档案", "power": "用电数据", "power-checks": "用电核查",
		"responsibilities": "责任人名册", "duties": "责任分解表", "rechecks": "回头看复查", "power-alerts": "外部计算的用电预警",
		"case-stages": "案件环节"},
	"role": {"office": "领导小组办公室", "township": "乡镇", "department": "成员单位", "finance": "财政局",
		"leader": "领导", "media": "融媒体中心", "discipline": "纪检监察"},
	"bool": {"true": "是", "false": "否"},
}

// Label is the Chinese word for code in column (level, detection_status, rule, kind, input, role,
// bool); code itself when the table has none.
func Label(column, code string) string {
	if w, ok := labels[column][code]; ok {
		return w
	}
	return code
}

// LabelColumns are the columns whose values Label translates.
func LabelColumns() []string {
	return []string{"level", "detection_status", "rule", "kind", "input", "role", "bool"}
}

// BoolLabel is 是 or 否.
func BoolLabel(b bool) string { return Label("bool", strconv.FormatBool(b)) }

// LabelCodes lists the codes of a column, for tests that check no code reaches a page.
func LabelCodes(column string) []string {
	var out []string
	for code := range labels[column] {
		out = append(out, code)
	}
	return out
}
