package campaign

import (
	"fmt"
	"strconv"
	"time"
)

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
	"stage": {"filed": "立案", "penalty": "处罚决定", "executed": "执行完毕", "closed": "结案", "price_requested": "价格认定申请", "price_done": "价格认定完成",
		"police_accepted": "公安受案", "police_filed": "立案侦查", "police_referred": "移送审查起诉", "prosec_accepted": "检察院受理",
		"indicted": "提起公诉", "not_indicted": "不起诉", "court_accepted": "法院受理", "judged": "判决"},
	"kind": {"problem": "排查问题", "violation": "违法点位"},
	// "input": the input kinds, filled from InputKinds (kinds.go)
	// why a flow of civil explosives is a clue (mart_explosives_flows.reasons)
	"flow_reason": {"outside_licence": "许可范围外使用", "expired_licence": "许可证不在有效期内", "unknown_licence": "许可证号未登记",
		"over_ceiling": "超过每周用量上限", "near_closed_mine": "靠近关闭矿井", "near_violation": "靠近未整改违法点位"},
	// why a camera event is a clue (mart_video_events.reasons)
	"video_reason": {"night": "夜间", "closed_mine": "关闭矿井处", "repeated": "同一摄像头反复出现"},
	"licence_status": {"no_licence": "无证开采嫌疑", "in_licence": "许可范围内", "expired_licence": "许可证已过期或未生效",
		"verified_lawful": "核查合法", "not_mining": "非采矿变化"},
	"role": {"office": "领导小组办公室", "township": "乡镇", "department": "成员单位", "finance": "财政局",
		"leader": "领导", "media": "融媒体中心", "discipline": "纪检监察"},
	"bool": {"true": "是", "false": "否"},
	// the SQL models' layers and how each is kept (queries.Model.Layer, .Materialized), for
	// `landwatch models list`
	"model_layer":     {"staging": "源数据整理", "intermediate": "中间", "marts": "成果"},
	"materialization": {"view": "视图", "table": "表"},
	// a tip's status (tips.status holds the word; store/tipstore names each by its code)
	"tip_status": {"received": "收到", "checking": "核查中", "true": "属实", "false": "不属实", "filed": "已立案",
		"rewarded": "奖励已批准", "paid": "已领取"},
	// who acted when no staff account did (audit_log.actor and the other "by" columns): the command
	// line, the demo, the server's own schedule, a citizen (portal/view/people.go words accounts)
	"actor": {"cli": "系统管理员（命令行）", "demo": "演示数据", "system": "系统自动", "scheduler": "系统自动", "citizen": "举报人",
		"unknown": "未记录"},
	// how a violation and the problem that reported it correspond (mart_violations.match_reason,
	// int_problem_matches.by_reference); the mart writes 编号对应/距离对应 itself
	"match_reason": {"reference": "编号对应", "by_reference": "编号对应"},
	// the kind of a file a citizen sent (tip_files.kind)
	"file_kind": {"image": "照片", "video": "视频", "pdf": "PDF"},
	// the fields of a tip the office sets when it sorts one (tip.<field> in the audit log)
	"triage_field": {"category": "类别", "assign": "承办单位", "link": "关联编号", "duplicate": "重复举报", "status": "状态"},
	// the actions of the audit log (audit.Entry.Action); the sentence each becomes is in
	// portal/render.go (auditSentences)
	"audit_action": {"tip.received": "收到举报", "tip.status": "改变举报状态", "tip.category": "设定举报类别",
		"tip.assign": "交办举报", "tip.link": "关联举报", "tip.duplicate": "标记重复举报", "tip.evidence": "补充举报材料",
		"reward.approved": "批准奖励", "reward.claim_code": "生成领奖码", "payout.recorded": "登记奖励支付",
		"case.assign": "交办案件", "case.progress": "登记案件进度", "clue.assign": "交办线索", "clue.verdict": "登记线索核查结果",
		"accountability.transfer": "移交纪检监察", "accountability.outcome": "记录处理结果", "models.freeze": "锁定数据",
		"load.received_stamp": "补录送达时间", "briefing.written": "生成工作周报", "dossier.viewed": "查看追责材料",
		"stats.published": "发布统计数据", "power.cutoff_ordered": "下令终止供电", "power.cutoff_done": "确认终止供电",
		"power.check": "登记用电核查", "clue.raise": "上报线索", "clue.files": "补充线索照片", "case.stage": "登记办案环节",
		"load.batch": "导入数据", "load.manifest": "按清单导入数据", "user.add": "添加账号", "audit.baseline": "建立审计基线",
		"explosives.check": "登记民爆流向核查", "video.check": "登记视频事件核查",
		"acceptance.entered": "登记整改验收", "restoration.updated": "更新恢复治理",
		"finance.collection": "登记罚没款收缴"},
}

// Label is the Chinese word for code in column (one of LabelColumns); code itself when the table
// has none.
func Label(column, code string) string {
	if w, ok := labels[column][code]; ok {
		return w
	}
	return code
}

// LabelColumns are the columns whose values Label translates.
func LabelColumns() []string {
	return []string{"level", "detection_status", "rule", "kind", "input", "licence_status", "role", "bool", "match_reason", "file_kind",
		"triage_field", "audit_action", "flow_reason", "video_reason", "actor", "tip_status"}
}

// BoolLabel is 是 or 否.
func BoolLabel(b bool) string { return Label("bool", strconv.FormatBool(b)) }

// Percent writes a share (0.9737) as a percentage with one decimal (97.4%); "" for an empty cell.
func Percent(share string) string {
	f, err := strconv.ParseFloat(share, 64)
	if err != nil {
		return share
	}
	return strconv.FormatFloat(f*100, 'f', 1, 64) + "%"
}

// LabelCodes lists the codes of a column, for tests that check no code reaches a page.
func LabelCodes(column string) []string {
	var out []string
	for code := range labels[column] {
		out = append(out, code)
	}
	return out
}

// WeekName writes a week kept as an ISO week code ("2023-W17") as readers say it, by its dates
// (Monday to Sunday): 2023年4月24日至30日. No page, PDF or export shows the week's number.
// Anything else is returned as it is.
func WeekName(isoWeek string) string {
	mon, ok := WeekMonday(isoWeek)
	if !ok {
		return isoWeek
	}
	return fmt.Sprintf("%d年", mon.Year()) + DaySpan(mon, mon.AddDate(0, 0, 6))
}

// WeekMonday is the Monday of an ISO week code ("2023-W17"); false for anything else.
func WeekMonday(isoWeek string) (time.Time, bool) {
	var y, w int
	if n, err := fmt.Sscanf(isoWeek, "%d-W%d", &y, &w); n != 2 || err != nil || w < 1 || w > 53 {
		return time.Time{}, false
	}
	// the Monday of ISO week 1 is the Monday of the week holding 4 January
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
	return jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(w-1)), true
}

// DaySpan writes the days from a to b without a's year: 4月24日至30日, 4月24日至5月1日 across a
// month, 12月28日至2021年1月3日 across a year.
func DaySpan(a, b time.Time) string {
	s := fmt.Sprintf("%d月%d日至", int(a.Month()), a.Day())
	switch {
	case a.Year() != b.Year():
		return s + fmt.Sprintf("%d年%d月%d日", b.Year(), int(b.Month()), b.Day())
	case a.Month() != b.Month():
		return s + fmt.Sprintf("%d月%d日", int(b.Month()), b.Day())
	}
	return s + fmt.Sprintf("%d日", b.Day())
}
