package campaign

// InputKind is one kind of input file: Name is what `landwatch load KIND` and the portal's upload
// form take, Label its Chinese word (the label table's "input" column, dim_labels), Upload the staff
// roles whose upload page offers it (none: the command line only). etl's converters load every kind
// but power-alerts (etl/loader.go; etl/kinds_registry_test.go checks the two agree).
type InputKind struct {
	Name, Label string
	Upload      []string
}

// InputKinds is the one registry of input kinds, in the order pages and lists show them.
var InputKinds = []InputKind{
	{"inspection", "排查报表", []string{"office", "township"}},
	{"rectification", "整改台账", []string{"office", "township"}},
	{"patrol", "巡查记录", []string{"office", "township"}},
	{"cases", "案件台账", []string{"office"}},
	{"clues", "其他线索", []string{"office"}},
	{"imagery", "卫片图斑", []string{"office"}},
	{"meters", "用电户档案", []string{"office", "department"}},
	{"power", "用电数据", []string{"office", "department"}},
	{"power-checks", "用电核查", []string{"office", "department"}},
	{"responsibilities", "责任人名册", []string{"office"}},
	{"duties", "责任分解表", []string{"office"}},
	{"rechecks", "回头看复查", []string{"office", "township"}},
	{"power-alerts", "外部计算的用电预警", nil}, // a folder the Spark job wrote, loaded by the command line
	{"licences", "矿业权登记", []string{"office"}},
	{"case-stages", "案件环节", []string{"office", "department"}}, // a unit's own stages (etl.Options.Unit)
	{"restoration", "恢复治理台账", []string{"office"}},
	{"explosives", "民爆物品流向", []string{"office"}},
	{"video", "视频监控事件", nil}, // the command line only: the screenshots lie beside the list
	{"acceptances", "整改验收", []string{"office"}},
	{"collections", "罚没款收缴", []string{"office", "finance"}},
}

func init() {
	in := map[string]string{}
	for _, k := range InputKinds {
		in[k.Name] = k.Label
	}
	labels["input"] = in
}
