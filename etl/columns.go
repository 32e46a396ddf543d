package etl

import (
	"landwatch/etl/power"
	"landwatch/etl/read"
)

func f(key, zh string, alt ...string) read.Field { return read.Field{Key: key, Zh: zh, Alt: alt} }
func req(key, zh string, alt ...string) read.Field {
	return read.Field{Key: key, Zh: zh, Alt: alt, Required: true}
}

// Column contracts (README "Input formats"). The key doubles as the English alias.
var specs = map[Kind][]read.Field{
	KindInspection: {
		f("seq", "序号", "编号"), req("village", "村", "村名", "行政村", "村庄"), f("address", "排查详细地址", "详细地址", "地址"),
		f("site_condition", "现场情况"), req("hazard", "发现隐患", "隐患", "发现问题"), f("measures", "整改措施"),
		f("cadre_signed", "包村干部签字", "包村干部"), f("head_signed", "村委负责人签字", "村委负责人"), f("remark", "备注"),
		f("township", "乡镇", "乡（镇）", "乡镇名称"), f("problem_id", "问题编号"), f("inspected_on", "排查日期"),
		f("lon", "经度"), f("lat", "纬度"), f("category", "问题类别", "违法类型", "类别"), f("deadline", "整改时限"),
		f("level", "层级"),
	},
	KindRectification: {
		req("problem_id", "问题编号", "item_id", "编号"), req("status", "整改状态", "状态"), f("rectified_on", "完成日期", "整改完成日期"),
		f("verified_by", "验收人"), f("note", "说明", "备注"),
	},
	KindPatrol: {
		req("township", "乡镇"), req("patrolled_on", "巡查日期", "日期"), f("team", "巡查人员"), f("villages", "巡查村", "巡查村庄"),
		f("findings", "发现问题"),
	},
	KindCases: {
		req("case_id", "案件编号"), req("source", "线索来源"), f("source_ref", "来源编号"), req("township", "乡镇"), f("village", "村"),
		f("lon", "经度"), f("lat", "纬度"), f("category", "违法类型", "问题类别"), req("found_on", "发现日期"), f("filed_on", "立案日期"),
		f("price_requested_on", "价格认定申请日期"), f("price_done_on", "价格认定完成日期"), f("to_police_on", "移送公安日期"),
		f("to_procuratorate_on", "移送检察日期"), f("judged_on", "判决日期"), f("fine_yuan", "罚款金额", "罚款金额元"),
		f("confiscated_yuan", "没收金额", "没收金额元"), f("status", "状态", "案件状态"),
		f("value_yuan", "认定价值", "认定价值元", "认定价值（元）", "价格认定金额"),
	},
	KindMeters: {
		req("meter_id", "户号"), f("account", "户名"), req("customer_type", "用电类别"), req("township", "乡镇"), f("village", "村"),
		f("lon", "经度"), f("lat", "纬度"), f("address", "地址"),
	},
	KindPowerChecks: {
		req("meter_id", "户号"), f("alert_id", "预警编号"), req("checked_on", "核查日期"), req("result", "核查结果"),
	},
	KindImagery: {
		req("patch_id", "图斑编号"), f("batch", "批次"), req("imaged_on", "影像日期"), req("township", "乡镇"), f("village", "村"),
		f("change_type", "变化类型"), f("land_before", "前地类"), f("land_after", "后地类"), f("area_mu", "面积亩", "面积"),
		req("verdict", "核查结果"), f("checked_on", "核查日期"), f("wkt", "WKT", "geometry", "几何", "图形"),
	},
	KindLicences: {
		req("licence_id", "许可证号", "采矿许可证号", "证号"), req("holder", "矿权人", "采矿权人", "持证人"), f("mineral", "矿种", "开采矿种"),
		req("valid_from", "有效期起", "有效期自", "有效期开始"), req("valid_to", "有效期止", "有效期至", "有效期结束"),
		f("wkt", "WKT", "geometry", "几何", "图形", "矿区范围"),
	},
	KindClues: {
		req("clue_id", "线索编号"), req("source", "来源"), req("township", "乡镇"), f("village", "村"), f("lon", "经度"), f("lat", "纬度"),
		f("category", "类别", "问题类别", "违法类型"), req("found_on", "发现日期"), req("verdict", "核查结果"),
	},
	KindResponsibilities: {
		req("township", "乡镇", "乡（镇）"), f("village", "村", "行政村"), f("post", "职务"), req("person", "姓名"),
		req("duty_type", "责任类型", "duty"), f("grid", "网格"),
	},
	KindDuties: {
		req("problem_id", "问题编号", "item_id", "编号"), req("class", "类别", "问题类别"), req("unit", "责任单位"),
		f("person", "责任人"), f("requirement", "整改要求"), f("deadline", "整改时限"), f("period", "期别"),
	},
	KindRechecks: {
		req("problem_id", "问题编号", "item_id", "编号"), req("rechecked_on", "复查日期"), f("inspector", "复查人"),
		req("result", "复查结果"), f("note", "说明", "备注"),
	},
	KindCaseStages: {
		req("case_id", "案件编号"), req("stage", "环节", "办案环节"), req("stage_on", "日期", "环节日期"), req("unit", "单位", "填报单位"),
		f("note", "备注", "说明"), f("term_months", "刑期", "刑期月", "刑期（月）"),
		f("fine_yuan", "罚金", "罚金元", "罚金（元）", "罚款金额", "罚款", "罚款元", "罚款（元）"), f("doc_no", "决定文号", "文号"),
	},
	KindRestoration: {
		req("problem_id", "问题编号", "item_id", "编号"), req("party", "责任方"), req("area_mu", "应恢复面积", "应恢复面积亩"),
		f("restored_mu", "已恢复面积", "已恢复面积亩"), req("due_on", "恢复时限"), f("accepted_on", "验收日期"),
		f("cost_yuan", "估算费用", "估算费用元"), f("paid_yuan", "已付费用", "已付费用元"), f("payer", "付款方"),
		f("note", "说明", "治理方案", "备注"),
	},
	KindExplosives: {
		req("flow_id", "流向编号"), req("buyer", "购买单位"), req("licence_id", "许可证号"), req("item", "品种"),
		req("quantity", "数量"), req("unit", "单位", "计量单位"), req("drawn_on", "领用日期"), req("site", "作业地点"),
		req("lon", "经度"), req("lat", "纬度"), f("returned", "退库数量"),
	},
	KindVideo: {
		req("event_id", "事件编号"), req("camera_id", "摄像头编号"), req("township", "乡镇"), f("village", "村"), req("lon", "经度"),
		req("lat", "纬度"), req("seen_at", "时间", "事件时间"), req("event_type", "事件类型"), req("screenshot", "截图文件名", "截图"),
		f("note", "说明", "备注"),
	},
	KindAcceptances: {
		req("problem_id", "问题编号", "item_id", "编号"), req("accepted_on", "验收日期"), req("unit", "验收单位"),
		req("inspector", "验收人"), req("result", "验收结果"), f("note", "说明", "备注"),
	},
	KindCollections: {
		req("case_id", "案件编号"), f("doc_no", "决定文号", "文号"), req("paid_on", "缴款日期", "缴款时间"),
		req("amount_yuan", "金额", "金额元", "缴款金额", "收缴金额"), req("receipt_no", "票据号", "罚没票据号", "票据编号"),
		req("fine_kind", "类型", "款项类型"), f("note", "说明", "备注"),
	},
	KindPower: power.Columns,
}

// newMatcher is the header matcher of a kind's contract.
func newMatcher(kind Kind) *read.Matcher { return read.NewMatcher(specs[kind]) }

// Columns are the fields of kind's contract, in its order (its columns' Chinese headers, which are
// required, their aliases); false for a kind with none.
func Columns(kind Kind) ([]read.Field, bool) {
	fs, ok := specs[kind]
	return fs, ok
}

// RequiredColumns are the Chinese headers of kind's required columns, in the contract's order.
func RequiredColumns(kind Kind) []string {
	var out []string
	for _, fd := range specs[kind] {
		if fd.Required {
			out = append(out, fd.Zh)
		}
	}
	return out
}
