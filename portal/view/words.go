package view

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"landwatch/campaign"
	"landwatch/internal/oserr"
)

// AuditSentence is how the audit page words one action: Text with {actor}, {object} and {key} of
// the entry's detail filled in, then each of Extra's keys the detail holds, as “，名称：值”.
type AuditSentence struct {
	Text  string
	Extra []string
}

// AuditSentences are the sentences of the audit log's actions (every action the code appends,
// campaign/labels.go "audit_action"); the one place an action becomes words.
var AuditSentences = map[string]AuditSentence{
	"power.cutoff_ordered": {"{actor}下令终止户号 {object} 的供电（{cutoff_on}，违法点位 {violation}）", []string{"note"}},
	"power.cutoff_done":    {"{actor}确认户号 {object} 已于 {cutoff_on} 终止供电", []string{"note"}},
	"power.check":          {"{actor}登记用电预警 {object} 的现场核查：{result}（{checked_on}，户号 {meter}）", []string{"note"}},
	"explosives.check":     {"{actor}（{unit}）登记民爆流向 {object} 的现场核查：{result}（{checked_on}）", []string{"note"}},
	"video.check":          {"{actor}（{unit}）登记视频监控事件 {object} 的现场核查：{result}（{checked_on}）", []string{"note"}},
	"clue.raise":           {"{actor}（{unit}）上报线索 {object}（{township}{village}，{category}，发现日期 {found_on}）", nil},
	"clue.files":           {"{actor}（{unit}）为线索 {object} 补充照片", nil},
	"acceptance.entered":   {"{actor}（{unit}）登记问题 {item} 的验收：{result}（{accepted_on}，验收人 {inspector}，记录 {object}）", []string{"note"}},
	"restoration.updated":  {"{actor}（{unit}）更新恢复治理事项 {object}：已恢复 {restored_mu} 亩，已付 {paid_yuan} 元", []string{"accepted_on", "payer", "plan"}},
	"finance.collection":   {"{actor}登记罚没款收缴：案件 {case_id} 的{fine_kind} {amount_yuan} 元（票据号 {object}，缴款日期 {paid_on}）", []string{"doc_no", "note"}},
	"case.stage":           {"{actor}登记案件 {object} 的办案环节“{stage}”（{unit}，{stage_on}）", []string{"note"}},
	"tip.received":         {"{actor}提交举报 {object}（{township}，附材料 {files} 个）", nil},
	"tip.status":           {"{actor}把举报 {object} 的状态由“{from}”改为“{to}”", []string{"note"}},
	"tip.category":         {"{actor}把举报 {object} 的类别设为“{value}”", []string{"note"}},
	"tip.assign":           {"{actor}把举报 {object} 交办给{value}", []string{"note"}},
	"tip.link":             {"{actor}把举报 {object} 关联到 {value}", []string{"note"}},
	"tip.duplicate":        {"{actor}把举报 {object} 标记为举报 {value} 的重复", []string{"note"}},
	"tip.evidence":         {"{actor}为举报 {object} 补充材料 {files} 个", nil},
	"reward.approved":      {"{actor}批准举报 {object} 的奖励 {amount_yuan} 元（档次：{severity}，奖励编号 {reward_id}）", nil},
	"reward.claim_code":    {"举报人为举报 {object} 的奖励（编号 {reward_id}）生成领奖码", []string{"reissued"}},
	"payout.recorded":      {"{actor}登记举报 {object} 的奖励支付 {amount_yuan} 元（凭证号 {voucher_no}，支付日期 {paid_on}）", []string{"payout_id"}},
	"case.assign":          {"{actor}把案件 {object} 交办给{department}", []string{"note"}},
	"clue.assign":          {"{actor}把线索 {object} 交办给{department}", []string{"note"}},
	"case.progress": {"{actor}（{department}）登记案件 {object} 的进度", []string{"filed_on", "price_requested_on", "price_done_on",
		"to_police_on", "to_procuratorate_on", "judged_on", "fine_yuan", "confiscated_yuan", "status", "note"}},
	"clue.verdict": {"{actor}（{department}）登记线索 {object} 的核查结果：{verdict}", []string{"note"}},
	"accountability.transfer": {"{actor}把追责事项 {object}（{township}）移交纪检监察，移交日期 {transferred_on}",
		[]string{"reasons", "as_of", "note", "recorded_at", "backdated"}},
	"accountability.outcome": {"{actor}记录追责事项 {object} 的处理结果：{outcome}，处理日期 {outcome_on}",
		[]string{"document_no", "note", "recorded_at", "backdated"}},
	"models.freeze":       {"{actor}锁定 {object} 的数据：记分卡 {scorecards} 行、违法点位 {violations} 处、台账 {ledger} 项", []string{"sha256"}},
	"load.received_stamp": {"{actor}为导入批次 {object}（{kind}“{file}”）补录送达时间 {received_at}", []string{"given_by"}},
	"load.batch":          {"{actor}导入批次 {object}（{kind}“{file}”），送达时间 {received_at}", nil},
	"load.manifest":       {"{actor}按清单 {object} 导入 {files} 个数据文件（批次 {batches}）", nil},
	"user.add":            {"{actor}添加账号 {object}（{role}）", []string{"scope"}},
	"audit.baseline":      {"{actor}为绑定审计以前写入的{record}建立基线（{rows} 条）", nil},
	"briefing.written":    {"{actor}生成工作周报 {object}（数据截至 {as_of}）", nil},
	"dossier.viewed":      {"{actor}查看{object}的追责问责材料（数据截至 {as_of}）", nil},
	"stats.published":     {"{actor}发布公众统计数据（第 {object} 版，数据截至 {as_of}）", nil},
}

// AuditKeys are the Chinese names of the detail keys an audit sentence lists after its text.
var AuditKeys = map[string]string{"note": "说明", "doc_no": "决定文号", "reissued": "重新生成（原领奖码作废）", "payout_id": "支付编号",
	"filed_on": "立案日期", "price_requested_on": "价格认定申请日期", "price_done_on": "价格认定完成日期",
	"to_police_on": "移送公安日期", "to_procuratorate_on": "移送检察院日期", "judged_on": "判决日期", "fine_yuan": "罚款（元）",
	"confiscated_yuan": "没收（元）", "status": "状态", "reasons": "原因", "as_of": "名单日期", "recorded_at": "记录时间",
	"backdated": "补录", "document_no": "文号", "sha256": "校验值", "given_by": "补录人", "scope": "范围",
	"accepted_on": "验收日期", "payer": "付款方", "plan": "治理方案"}

// AuditText words an audit entry: its action's sentence with the detail's values in words (yes/no,
// a category's name, a data kind's name); an action without a sentence says so in Chinese.
func AuditText(cfg *campaign.Config, actor, action, object, detail string) string {
	var d map[string]any
	if detail != "" {
		if err := json.Unmarshal([]byte(detail), &d); err != nil {
			d = nil
		}
	}
	value := func(key string) string {
		v, ok := d[key]
		if !ok || v == nil {
			return ""
		}
		var text string
		switch x := v.(type) {
		case bool:
			text = campaign.BoolLabel(x)
		case float64:
			text = strconv.FormatFloat(x, 'f', -1, 64)
		case string:
			text = x
		default:
			text = fmt.Sprint(x)
		}
		switch {
		case key == "kind":
			return campaign.Label("input", text)
		case key == "value" && action == "tip.category", key == "category":
			return CellWord(cfg, "category", text)
		case key == "stage":
			return campaign.Label("stage", text)
		case key == "role":
			return campaign.Label("role", text)
		}
		return text
	}
	if actor == "citizen" {
		actor = "举报人"
	}
	sent, ok := AuditSentences[action]
	if !ok {
		name := campaign.Label("audit_action", action)
		if name == action {
			name = "其他操作"
		}
		return fmt.Sprintf("%s对 %s 进行了%s。", actor, object, name)
	}
	text := placeholder.ReplaceAllStringFunc(sent.Text, func(m string) string {
		switch key := m[1 : len(m)-1]; key {
		case "actor":
			return actor
		case "object":
			return object
		default:
			return value(key)
		}
	})
	for _, k := range sent.Extra {
		v := value(k)
		if v == "" || v == campaign.BoolLabel(false) {
			continue
		}
		if v == campaign.BoolLabel(true) {
			text += "，" + AuditKeys[k]
			continue
		}
		text += "，" + AuditKeys[k] + "：" + v
	}
	return text + "。"
}

var placeholder = regexp.MustCompile(`\{[a-z_0-9]+\}`)

// The English a message may still carry: the text of a wrapped Go error after the last Chinese
// (DuckDB's or a library's, ": zip: not a valid zip file", or after a Chinese colon,
// "导入：zip: not a valid zip file", "读取：context canceled"), and a gloss in ASCII parentheses after
// the Chinese ("该日期已锁定 (already frozen)"), which the messages of this repository no longer
// carry (cmd/landwatch/flags_test.go TestLoadErrorsChinese) but a library's may. After "：" a tail
// is English when it is Go's (it holds ": ") or has two English words in a row: a path, a file or
// a quoted command (`landwatch init`) after "：" stays.
var (
	englishGloss    = regexp.MustCompile(`\s*\([^()\p{Han}]*[A-Za-z]{2}[^()\p{Han}]*\)`)
	englishTail     = regexp.MustCompile(`([\p{Han}）”》。])\s*:\s[^\p{Han}]*[A-Za-z]{2}[^\p{Han}]*$`)
	han             = regexp.MustCompile(`\p{Han}`)
	goErrorText     = regexp.MustCompile(`: |[A-Za-z]{2,}[ \t]+[A-Za-z]{2,}`)
	commandOrQuoted = regexp.MustCompile("^(`|landwatch )")
)

// ChineseOnly is a message as a page shows it: the OS's errors in it in Chinese (internal/oserr,
// as the command line writes them), without any other wrapped Go error's text or an English
// gloss (README.md: no English reaches a page).
func ChineseOnly(msg string) string {
	msg = englishGloss.ReplaceAllString(oserr.Words(msg), "")
	// a wrap's English after an ASCII colon, then after a Chinese one, until none is left
	for {
		out := englishTail.ReplaceAllString(msg, "$1")
		if i := strings.LastIndex(out, "："); i > 0 {
			tail := strings.TrimSpace(out[i+len("："):])
			if !han.MatchString(tail) && goErrorText.MatchString(tail) && !commandOrQuoted.MatchString(tail) {
				out = strings.TrimSpace(out[:i])
			}
		}
		if out == msg {
			return msg
		}
		msg = out
	}
}
