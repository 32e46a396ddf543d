package synth

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

const formTitle = "严厉打击非法违法采矿等行为专项行动隐患排查报表"

var formHeader = []string{"序号", "村", "排查详细地址", "现场情况", "发现隐患", "整改措施", "包村干部签字", "村委负责人签字", "备注"}

func (f *form) header() []string {
	h := append([]string(nil), formHeader...)
	if f.wrapHeader {
		h[6], h[7] = "包村干部\n签字", "村委负责人\n签字"
	}
	if f.extended {
		h = append(h, "层级", "排查日期", "经度", "纬度", "问题类别")
		if f.deadlineCol {
			h = append(h, "整改时限")
		}
	}
	return h
}

func (f *form) fileName() string {
	var name string
	switch f.kind {
	case "自查":
		name = fmt.Sprintf("%s-%s-村级自查-%s", f.town.name, f.village, f.day.Compact())
	case "补报":
		name = fmt.Sprintf("%s-补报-%s", f.town.name, f.day.Compact())
	case "常态化":
		name = fmt.Sprintf("%s-常态化排查-%s", f.town.name, f.day.Compact())
	default:
		name = fmt.Sprintf("%s-乡镇复查-%s", f.town.name, f.day.Compact())
	}
	name += f.suffix
	if f.csv {
		return name + ".csv"
	}
	return name + ".xlsx"
}

// cells lays the form out as the seed's attachment: title, township-and-date line, header, data
// with blank lines, footer. Numbers stay numbers (序号, 经度, 纬度).
func (f *form) cells(w *world) [][]any {
	t := f.town
	hdr := f.header()
	n := len(hdr)
	line := func(first any) []any {
		r := make([]any, n)
		for i := range r {
			r[i] = ""
		}
		r[0] = first
		return r
	}
	d := f.day.Time()
	var out [][]any
	out = append(out, line(w.cfg.County.Name+formTitle))
	out = append(out, line(fmt.Sprintf("%s人民政府（盖章）    %d年%d月%d日", t.name, d.Year(), int(d.Month()), d.Day())))
	h := make([]any, n)
	for i, s := range hdr {
		h[i] = s
	}
	out = append(out, h)
	for i, r := range f.rows {
		row := []any{int64(r.seq), r.village, r.address, r.situation, r.hazard, r.measures, r.cadre, r.head, r.remark}
		if f.extended {
			row = append(row, f.level, r.inspected.String())
			if r.hasXY {
				row = append(row, kit.Round6(r.pt.Lon), kit.Round6(r.pt.Lat))
			} else {
				row = append(row, "", "")
			}
			if r.problem && r.cat != "" {
				row = append(row, w.categoryName(r.cat))
			} else {
				row = append(row, "")
			}
			if f.deadlineCol {
				row = append(row, r.deadline.String())
			}
		}
		out = append(out, row)
		if i%5 == 4 && (t.idx+i)%3 == 0 {
			out = append(out, line(""))
		}
	}
	out = append(out, line(""), line(""))
	from, due := w.tl.dataFrom.Time(), w.tl.rectStart.Time()
	out = append(out, line(fmt.Sprintf("填报说明：1、填报数据从%d年%d月%d日开始，采取拉网式、地毯式、逐村、逐山、逐沟填报。", from.Year(), int(from.Month()), from.Day())))
	out = append(out, line(fmt.Sprintf("          2、此表填报签字、盖章后于%d月%d日纸质版报领导小组办公室（%s自然资源局）。", int(due.Month()), due.Day(), w.cfg.County.Name)))
	out = append(out, line(""))
	out = append(out, line(fmt.Sprintf("填报人：%s      乡（镇）分管领导签字：%s      乡（镇）长签字：%s", f.filer, w.leader(t, 0), w.leader(t, 1))))
	return out
}

// leader is a stable name for the township's deputy (0) and head (1).
func (w *world) leader(t *town, k int) string {
	return surnames[(t.idx*7+k*3)%len(surnames)] + given[(t.idx*5+k*11)%len(given)]
}

func (w *world) categoryName(code string) string {
	if c, ok := w.cfg.Category(code); ok {
		return c.Name
	}
	return code
}

func (w *world) writeForms(out string) ([]File, error) {
	var files []File
	for _, f := range w.forms {
		rel := filepath.Join("inspection", f.fileName())
		path := filepath.Join(out, rel)
		cells := f.cells(w)
		var err error
		if f.csv {
			err = kit.WriteGB18030CSV(path, stringify(cells))
		} else {
			err = writeFormXLSX(path, cells, len(f.header()))
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		files = append(files, File{Path: rel, Rows: int64(len(f.rows)), ReceivedOn: f.recv.String()})
	}
	return files, nil
}

func stringify(cells [][]any) [][]string {
	out := make([][]string, len(cells))
	for i, r := range cells {
		out[i] = make([]string, len(r))
		for j, c := range r {
			switch v := c.(type) {
			case string:
				out[i][j] = v
			case int64:
				out[i][j] = fmt.Sprint(v)
			case float64:
				out[i][j] = power.FmtCoord(v)
			}
		}
	}
	return out
}

func writeFormXLSX(path string, cells [][]any, ncols int) error {
	const sheet = "排查报表"
	f, err := kit.NewWorkbook(sheet)
	if err != nil {
		return err
	}
	defer f.Close()
	last, _ := excelize.ColumnNumberToName(ncols)
	for i, r := range cells {
		for j, c := range r {
			if s, ok := c.(string); ok && s == "" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			switch v := c.(type) {
			case float64:
				err = f.SetCellFloat(sheet, cell, v, 6, 64)
			default:
				err = f.SetCellValue(sheet, cell, v)
			}
			if err != nil {
				return err
			}
		}
	}
	if err := f.MergeCell(sheet, "A1", last+"1"); err != nil {
		return err
	}
	if err := f.MergeCell(sheet, "A2", last+"2"); err != nil {
		return err
	}
	style, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"},
		Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A3", last+"3", style); err != nil {
		return err
	}
	title, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Horizontal: "center"}, Font: &excelize.Font{Bold: true, Size: 16}})
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", "A1", title); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", strings.Repeat("", 0)+last, 14); err != nil {
		return err
	}
	return kit.SaveWorkbook(f, path)
}
