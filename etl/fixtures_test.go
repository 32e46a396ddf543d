package etl

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// The committed fixtures in testdata/etl are written by this test: go test ./etl -run TestFixtures -update
var update = flag.Bool("update", false, "rewrite the fixtures in testdata/etl")

const fixtures = "../testdata/etl"

func fixture(name string) string { return filepath.Join(fixtures, name) }

func TestFixtures(t *testing.T) {
	if !*update {
		for _, n := range []string{"郭道镇排查表.xlsx", "郭道镇排查表-更正.xlsx", "沁河镇村级排查表.csv", "用电户档案.csv",
			"用电数据.csv", "卫片图斑.geojson", "卫片图斑.csv", "案件.xlsx", "其他线索.csv", "用电核查.csv", "巡查记录.csv", "整改台账.csv"} {
			if _, err := os.Stat(fixture(n)); err != nil {
				t.Errorf("fixture missing (run with -update): %v", err)
			}
		}
		return
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(fixtures, 0o755))
	must(seedForm(fixture("郭道镇排查表.xlsx"), false))
	must(seedForm(fixture("郭道镇排查表-更正.xlsx"), true))

	// A village list in the extended template, saved by Excel on Chinese Windows (GB18030).
	village := "沁源县严厉打击非法违法采矿等行为专项行动隐患排查报表,,,,,,,,,,,,,\n" +
		"沁河镇人民政府（盖章）   2023年3月7日,,,,,,,,,,,,,\n" +
		"序号,村,排查详细地址,现场情况,发现隐患,整改措施,包村干部签字,村委负责人签字,备注,层级,排查日期,经度,纬度,问题类别,联系电话\n" +
		"1,沁河村,沁河村后沟,发现井口一处,疑似关闭矿井盗采,封堵井口,刘一,陈二,,村级,2023.3.5,112.3361,36.5102,,13800000001\n" +
		"2,沁河村,沁河村西坡,坡地被挖,挖沙取土,回填,刘一,陈二,,村级,3月6日,112.3402,36.5088,L4,\n" +
		"3,沁河村,沁河村全域,已排查,未发现,,刘一,陈二,,村级,44991,,,,\n" +
		"填报人：刘一,,,,,,,,,,,,,\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(village)
	must(err)
	must(os.WriteFile(fixture("沁河镇村级排查表.csv"), []byte(gb), 0o644))

	// The power company's registry: UTF-8 with a BOM.
	must(os.WriteFile(fixture("用电户档案.csv"), []byte("\uFEFF户号,户名,用电类别,乡镇,村,经度,纬度,地址,备注\n"+
		"1430000001,郭道洗煤厂,洗煤厂,郭道镇,郭道村,112.1811,36.7902,郭道村东,\n"+
		"1430000002,白坪养殖场,养殖场,郭道镇,白坪村,112.1702,36.7811,白坪村南,夜间用电多\n"+
		"1430000003,原沁河煤矿,关闭矿井,沁河镇,沁河村,112.3390,36.5100,沁河村后沟,\n"), 0o644))
	var b strings.Builder
	b.WriteString("户号,时间,电量\n")
	for _, m := range []string{"1430000001", "1430000002", "1430000003"} {
		for h := 0; h < 24; h++ {
			b.WriteString(m + ",2023-03-05 " + two(h) + ":00:00," + two(h%7) + ".5\n")
		}
	}
	must(os.WriteFile(fixture("用电数据.csv"), []byte(b.String()), 0o644))

	must(os.WriteFile(fixture("卫片图斑.geojson"), []byte(`{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"图斑编号":"WP-2023-001","批次":"2023年第一季度","影像日期":"2023-03-02","乡镇":"郭道镇","村":"郭道村","变化类型":"挖损","前地类":"林地","后地类":"采矿用地","面积亩":3.2,"核查结果":"违法","核查日期":"2023-03-20","监测单位":"省测绘院"},
 "geometry":{"type":"Polygon","coordinates":[[[112.180,36.790],[112.182,36.790],[112.182,36.792],[112.180,36.792],[112.180,36.790]]]}},
{"type":"Feature","properties":{"图斑编号":"WP-2023-002","批次":"2023年第一季度","影像日期":"2023-03-02","乡镇":"沁河镇","村":"沁河村","变化类型":"新增建设","面积亩":1.1,"核查结果":"合法"},
 "geometry":{"type":"MultiPolygon","coordinates":[[[[112.330,36.500],[112.331,36.500],[112.331,36.501],[112.330,36.500]]],[[[112.333,36.503],[112.334,36.503],[112.334,36.504],[112.333,36.503]]]]}}
]}`), 0o644))
	must(os.WriteFile(fixture("卫片图斑.csv"), []byte("图斑编号,批次,影像日期,乡镇,村,变化类型,前地类,后地类,面积（亩）,核查结果,核查日期,WKT\n"+
		`WP-2023-101,2023年第二季度,2023/5/10,王和镇,王和村,堆放,耕地,其他,0.8,未核查,,"POLYGON ((112.56 36.43, 112.561 36.43, 112.561 36.431, 112.56 36.43))"`+"\n"), 0o644))

	must(casesXLSX(fixture("案件.xlsx")))
	must(os.WriteFile(fixture("其他线索.csv"), []byte("线索编号,来源,乡镇,村,经度,纬度,类别,发现日期,核查结果\n"+
		"XS-001,媒体曝光,郭道镇,东寨村,112.1850,36.7950,L3,2023年3月3日,属实\n"+
		"XS-002,上级督察,景凤镇,,,,,2023-04-20,核查中\n"), 0o644))
	must(os.WriteFile(fixture("用电核查.csv"), []byte("户号,预警编号,核查日期,核查结果\n"+
		"1430000002,1430000002-NOD-20230305,2023-03-10,非法采矿\n1430000001,,2023-03-11,正常\n"), 0o644))
	must(os.WriteFile(fixture("巡查记录.csv"), []byte("乡镇,巡查日期,巡查人员,巡查村,发现问题\n"+
		"郭道镇,2023-03-02,郭道镇巡查队,郭道村、白坪村,无\n郭道镇,2023-03-09,郭道镇巡查队,东寨村,煤矸石堆放\n"), 0o644))
	must(os.WriteFile(fixture("整改台账.csv"), []byte("问题编号,整改状态,完成日期,验收人,说明\n"+
		"郭道镇-20230312-1,已整改,2023-04-10,郭道镇自然资源所,已封堵\n"+
		"WP-2023-001,整改中,,,\n"+
		"1430000002-NOD-20230305,已整改,2023-03-20,供电公司,已停电\n"), 0o644))
}

func two(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

// seedForm writes the seed's attachment (隐患排查报表) exactly as laid out, with filled rows. The
// corrected version changes one row and adds another.
func seedForm(path string, corrected bool) error {
	f := excelize.NewFile()
	defer f.Close()
	sh := "排查报表"
	f.SetSheetName("Sheet1", sh)
	set := func(cell string, v any) { f.SetCellValue(sh, cell, v) }
	set("A1", "沁源县严厉打击非法违法采矿等行为专项行动隐患排查报表")
	f.MergeCell(sh, "A1", "I1")
	set("A2", "           郭道镇人民政府（盖章）                                                            2023年3月12日")
	f.MergeCell(sh, "A2", "I2")
	for i, h := range []string{"序号", "村", "排查详细地址", "现场情况", "发现隐患", "整改措施", "包村干部\n签字", "村委负责人\n签字", "备注"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 3)
		set(cell, h)
	}
	rows := [][]any{
		{1, "郭道村", "郭道村北山沟口", "发现一处疑似露头煤开采痕迹，已停工", "露头煤区盗采痕迹", "立即封堵并恢复植被", "张三", "李四", "卫片图斑WP-2023-001"},
		{2, "", "郭道村东河滩", "河滩有挖沙痕迹", "挖沙破坏耕地", "回填复垦", "张三", "李四", ""},
		{3, "白坪村", "白坪村全村", "未发现违法行为", "无", "", "王五", "赵六", ""},
		nil, // a blank line of the form
		{4, "阎家峪村", "阎家峪村南", "新建房屋一处", "一户多宅，未批先建", "拆除", "钱七", "孙八", "群众举报"},
		{5, "东寨村", "东寨村沟底", "倾倒煤矸石约200方", "煤矸石乱排乱放", "清运", "周九", "吴十", ""},
		{6, "东寨村", "东寨村村委旁", "围墙年久失修", "围墙倒塌存在安全隐患", "加固", "周九", "吴十", ""},
	}
	if corrected {
		rows[2] = []any{3, "白坪村", "白坪村南沟", "发现竖井一处", "竖井盗采", "封堵竖井", "王五", "赵六", "复查发现"}
		rows = append(rows, []any{7, "郝家庄村", "郝家庄村口", "大棚房一处", "大棚房", "拆除", "郑一", "冯二", ""})
	}
	for i, r := range rows {
		for j, v := range r {
			if v == "" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, 4+i)
			set(cell, v)
		}
	}
	f.MergeCell(sh, "B4", "B5") // 郭道村 spans two rows
	foot := 4 + len(rows)
	a, _ := excelize.CoordinatesToCellName(1, foot)
	i, _ := excelize.CoordinatesToCellName(9, foot)
	set(a, "填报说明：1、填报数据从2023年2月20日开始，采取拉网式、地毯式、逐村、逐山、逐沟填报。\n          2、此表填报签字、盖章后于3月25日纸质版报领导小组办公室（沁源县自然资源局）。")
	f.MergeCell(sh, a, i)
	a, _ = excelize.CoordinatesToCellName(1, foot+3)
	set(a, "填报人：                      乡（镇）分管领导签字：                        乡（镇）长签字：")
	return f.SaveAs(path)
}

// casesXLSX writes a case register with dates as Excel date cells (serials), a second sheet of notes
// before it, and a merged 乡镇 cell.
func casesXLSX(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "说明")
	f.SetCellValue("说明", "A1", "本表由县自然资源局执法大队填报")
	sh := "案件台账"
	f.NewSheet(sh)
	hdr := []string{"案件编号", "线索来源", "来源编号", "乡镇", "村", "经度", "纬度", "违法类型", "发现日期", "立案日期",
		"价格认定申请日期", "价格认定完成日期", "移送公安日期", "罚款金额（元）", "没收金额（元）", "状态"}
	f.SetCellValue(sh, "A1", "2023年自然资源违法案件台账")
	for i, h := range hdr {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		f.SetCellValue(sh, cell, h)
	}
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14}) // m/d/yy: the cell holds a serial
	rows := [][]any{
		{"AJ-2023-001", "卫片", "WP-2023-001", "郭道镇", "郭道村", 112.1811, 36.7911, "M4", 44988.0, 44995.0, 44998.0, 45002.0, nil, 50000, 12000.5, "已移送"},
		{"AJ-2023-002", "举报", "", "", "白坪村", nil, nil, "未批先建占用耕地", "2023-03-20", nil, nil, nil, nil, nil, nil, "立案"},
	}
	for i, r := range rows {
		for j, v := range r {
			if v == nil || v == "" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, 3+i)
			f.SetCellValue(sh, cell, v)
			if _, isF := v.(float64); isF && j >= 8 && j <= 12 {
				f.SetCellStyle(sh, cell, cell, style)
			}
		}
	}
	f.MergeCell(sh, "D3", "D4") // both cases in 郭道镇
	return f.SaveAs(path)
}
