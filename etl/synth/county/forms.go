package county

import (
	"fmt"

	"landwatch/etl/synth/kit"
)

const formTitle = "严厉打击非法违法采矿等行为专项行动隐患排查报表"

var formHeader = []string{"序号", "村", "排查详细地址", "现场情况", "发现隐患", "整改措施", "包村干部签字", "村委负责人签字", "备注"}

func (f *Form) Header() []string {
	h := append([]string(nil), formHeader...)
	if f.wrapHeader {
		h[6], h[7] = "包村干部\n签字", "村委负责人\n签字"
	}
	if f.Extended {
		h = append(h, "层级", "排查日期", "经度", "纬度", "问题类别")
		if f.deadlineCol {
			h = append(h, "整改时限")
		}
	}
	return h
}

func (f *Form) FileName() string {
	var name string
	switch f.Kind {
	case "自查":
		name = fmt.Sprintf("%s-%s-村级自查-%s", f.Town.Name, f.village, f.Day.Compact())
	case "补报":
		name = fmt.Sprintf("%s-补报-%s", f.Town.Name, f.Day.Compact())
	case "常态化":
		name = fmt.Sprintf("%s-常态化排查-%s", f.Town.Name, f.Day.Compact())
	default:
		name = fmt.Sprintf("%s-乡镇复查-%s", f.Town.Name, f.Day.Compact())
	}
	name += f.suffix
	if f.CSV {
		return name + ".csv"
	}
	return name + ".xlsx"
}

// Cells lays the form out as the seed's attachment: title, township-and-date line, header, data
// with blank lines, footer. Numbers stay numbers (序号, 经度, 纬度).
func (f *Form) Cells(w *World) [][]any {
	t := f.Town
	hdr := f.Header()
	n := len(hdr)
	line := func(first any) []any {
		r := make([]any, n)
		for i := range r {
			r[i] = ""
		}
		r[0] = first
		return r
	}
	d := f.Day.Time()
	var out [][]any
	out = append(out, line(w.Cfg.County.Name+formTitle))
	out = append(out, line(fmt.Sprintf("%s人民政府（盖章）    %d年%d月%d日", t.Name, d.Year(), int(d.Month()), d.Day())))
	h := make([]any, n)
	for i, s := range hdr {
		h[i] = s
	}
	out = append(out, h)
	for i, r := range f.Rows {
		row := []any{int64(r.Seq), r.Village, r.Address, r.Situation, r.Hazard, r.Measures, r.Cadre, r.Head, r.Remark}
		if f.Extended {
			row = append(row, f.Level, r.Inspected.String())
			if r.HasXY {
				row = append(row, kit.Round6(r.Pt.Lon), kit.Round6(r.Pt.Lat))
			} else {
				row = append(row, "", "")
			}
			if r.Problem && r.Cat != "" {
				row = append(row, w.CategoryName(r.Cat))
			} else {
				row = append(row, "")
			}
			if f.deadlineCol {
				row = append(row, r.deadline.String())
			}
		}
		out = append(out, row)
		if i%5 == 4 && (t.Idx+i)%3 == 0 {
			out = append(out, line(""))
		}
	}
	out = append(out, line(""), line(""))
	from, due := w.Timeline.dataFrom.Time(), w.Timeline.rectStart.Time()
	out = append(out, line(fmt.Sprintf("填报说明：1、填报数据从%d年%d月%d日开始，采取拉网式、地毯式、逐村、逐山、逐沟填报。", from.Year(), int(from.Month()), from.Day())))
	out = append(out, line(fmt.Sprintf("          2、此表填报签字、盖章后于%d月%d日纸质版报领导小组办公室（%s自然资源局）。", int(due.Month()), due.Day(), w.Cfg.County.Name)))
	out = append(out, line(""))
	out = append(out, line(fmt.Sprintf("填报人：%s      乡（镇）分管领导签字：%s      乡（镇）长签字：%s", f.Filer, w.Leader(t, 0), w.Leader(t, 1))))
	return out
}

// Leader is a stable name for the township's deputy (0) and head (1).
func (w *World) Leader(t *Town, k int) string {
	return Surnames[(t.Idx*7+k*3)%len(Surnames)] + Given[(t.Idx*5+k*11)%len(Given)]
}

func (w *World) CategoryName(code string) string {
	if c, ok := w.Cfg.Category(code); ok {
		return c.Name
	}
	return code
}
