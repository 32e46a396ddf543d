package etl

import (
	"fmt"
	"time"

	"landwatch/etl/batch"
	"landwatch/etl/read"
)

// Arrival stamps (etl/batch/arrival.go): a file cannot state an event that happened after it
// arrived.

// eventDates are the columns of the raw tables that state when something happened, with their
// Chinese headers. Deadlines (整改时限) look ahead and are not events.
var eventDates = map[string]string{
	"form_date":           "填报日期",
	"inspected_on":        "排查日期",
	"rectified_on":        "完成日期",
	"patrolled_on":        "巡查日期",
	"found_on":            "发现日期",
	"filed_on":            "立案日期",
	"price_requested_on":  "价格认定申请日期",
	"price_done_on":       "价格认定完成日期",
	"to_police_on":        "移送公安日期",
	"to_procuratorate_on": "移送检察日期",
	"judged_on":           "判决日期",
	"checked_on":          "核查日期",
	"imaged_on":           "影像日期",
	"rechecked_on":        "复查日期",
	"valid_from":          "有效期起", // a licence cannot arrive before it was issued; 有效期止 looks ahead
	"stage_on":            "日期",
	"accepted_on":         "验收日期", // 恢复时限 looks ahead
	"drawn_on":            "领用日期",
	"paid_on":             "缴款日期",
}

// checkArrival refuses every event date of the file that lies after the stamp's day, naming its row
// and column. formRow is the row of an inspection form's header line (its 填报日期).
func (o *out) checkArrival(p *read.Problems, a batch.Arrival, formRow int) {
	src := -1
	for i, c := range o.cols {
		if c == "source_row" {
			src = i
		}
	}
	day := a.Day()
	headerDone := false
	for ci, c := range o.cols {
		zh, ok := eventDates[c]
		if !ok {
			continue
		}
		for _, r := range o.rows {
			d, ok := r[ci].(time.Time)
			if !ok || !d.After(day) {
				continue
			}
			row := 0
			if src >= 0 {
				row, _ = r[src].(int)
			}
			if c == "form_date" {
				if headerDone {
					continue
				}
				headerDone, row = true, formRow
			}
			p.Add(row, zh, d.Format("2006-01-02"),
				fmt.Sprintf("日期晚于送达时间 %s：文件送达时不可能已有此日期，请核对送达时间或该日期", a))
		}
	}
}
