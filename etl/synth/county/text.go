package county

import (
	"strings"

	"landwatch/etl/synth/power"
)

// Names and free text. All wording comes from the world's names stream.

var Surnames = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "郭", "任", "韩", "贾", "梁", "牛", "段", "秦", "阎", "卫", "武", "霍", "郝", "史"}
var Given = []string{"建国", "国庆", "志强", "永胜", "海军", "红梅", "丽娟", "保平", "文斌", "晓东", "二虎", "三娃", "俊峰", "玉兰", "卫东", "爱萍", "满仓", "金锁", "小军", "建平", "润生", "美玲", "宏伟", "拴柱"}

func (w *World) Person() string { return w.Names.Pick(Surnames) + w.Names.Pick(Given) }

func shortVillage(v string) string { return strings.TrimSuffix(v, "村") }

func (w *World) accountName(t *Town, v Village, kind string) string {
	sv := shortVillage(v.Name)
	switch kind {
	case power.KindResident:
		return w.Person()
	case power.KindFactory:
		return "沁源县" + sv + w.Names.Pick([]string{"兴旺", "宏达", "顺通", "鑫源", "永盛"}) + w.Names.Pick([]string{"铸造厂", "砖厂", "机修厂", "石料加工厂"})
	case power.KindFarm:
		return sv + w.Person() + w.Names.Pick([]string{"养猪场", "养牛场", "养鸡场", "养羊场"})
	case power.KindWasher:
		return "沁源县" + sv + w.Names.Pick([]string{"鑫达", "恒通", "正阳", "金泰"}) + "洗煤有限公司"
	case power.KindCoking:
		return "沁源县" + w.Names.Pick([]string{"沁新", "通洲", "康伟", "华丰"}) + "焦化有限公司"
	case power.KindMine:
		return "山西沁源" + sv + w.Names.Pick([]string{"金达", "兴盛", "鑫源", "宏远"}) + "煤业有限公司"
	case power.KindClosedMine:
		return sv + w.Names.Pick([]string{"煤矿", "联营煤矿", "铁矿"}) + "（已关闭）"
	}
	return sv + w.Names.Pick([]string{"村委会", "小学", "卫生所", "加油站", "通信基站"})
}

// hazardText is realistic wording of a found hazard of a category, so keyword inference works.
var hazardText = map[string][]string{
	"M1": {"发现无证开采痕迹，现场有挖掘机一台", "疑似私挖滥采煤炭，已挖出采坑一处", "越界开采，超出批准范围约50米"},
	"M2": {"以平整土地名义开采浅层煤", "借修路工程建设名义开采浅层矿", "以工程建设名义挖取浅层煤约300吨"},
	"M3": {"洗煤厂院内有隐蔽井口，疑似掩护盗采", "养殖场掩护盗采，棚内发现井口", "民宅院内私开小煤窑"},
	"M4": {"露头煤盗采，山坡有新挖采坑", "关闭矿井井口被重新打开，疑似盗采", "废弃矿井周边有新鲜煤堆，存在盗采"},
	"M5": {"发现私存炸药、雷管", "现场有爆破痕迹，疑似非法使用民爆物品"},
	"M6": {"群众反映有矿霸强行收取过路费", "沙霸垄断河道采砂，涉恶线索"},
	"L1": {"一户多宅，新建房屋未办理审批", "未批先建，占用耕地建房约0.3亩", "宅基地超范围占地，院墙外扩"},
	"L2": {"以种养殖名义占地建大棚房", "设施农业用地建成看护房，疑似大棚房"},
	"L3": {"沟内倾倒煤矸石约500立方米", "未经批准堆放废渣，占用林地", "路边倾倒固体废料"},
	"L4": {"河滩挖沙取土，破坏耕地", "私自采石，破坏耕地约2亩", "耕地内取土，形成深坑"},
}

var SituationText = []string{"现场已停工", "现场有机械作业痕迹", "现场无人", "车辆已撤离", "现场有运输车辆进出", "已拉警戒线"}
var MeasureText = []string{"责令立即停止违法行为，限期恢复原状", "已下达停工通知，移交综合执法队", "限期拆除，恢复耕种条件", "封堵井口，清理现场", "移交县自然资源局立案查处", "回填采坑，复绿"}
var noneMarkers = []string{"无", "无隐患", "未发现", "/", "—"}
var noneSituations = []string{"正常", "未发现异常", "巡查正常", "无异常情况"}
var placeText = []string{"后沟", "南山坡", "河滩地", "东梁", "西沟口", "老窑沟", "北坡", "村口", "煤矿旧址", "砖厂旁"}

func (w *World) Hazard(cat string) string { return w.Names.Pick(hazardText[cat]) }

func (w *World) Address(v Village) string {
	return v.Name + w.Names.Pick(placeText)
}

var categoryOrder = []string{"M1", "M2", "M3", "M4", "M5", "M6", "L1", "L2", "L3", "L4"}

var ChangeForCat = map[string][3]string{
	"M1": {"挖损", "林地", "采矿用地"}, "M2": {"挖损", "旱地", "采矿用地"}, "M3": {"其他", "工业用地", "采矿用地"},
	"M4": {"挖损", "其他草地", "采矿用地"}, "L1": {"新增建设", "水浇地", "农村宅基地"}, "L2": {"新增建设", "旱地", "设施农用地"},
	"L3": {"堆放", "其他草地", "裸地"}, "L4": {"挖损", "旱地", "裸地"},
}
