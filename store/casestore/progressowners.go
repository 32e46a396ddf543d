package casestore

import (
	"fmt"
	"strings"

	"landwatch/store/accounts"
)

// Who enters what on the case page's progress form (登记进度). Each date and amount of a case
// belongs to a stage of the enforcement chain ([[stage]] in the configuration), and only the unit
// owning that stage enters it — as on the stage form (RecordStage): the police do not type the
// date a case was filed by natural resources or the court's judgment. 状态 and 说明 are any holding
// unit's. A field whose stage the configuration does not have is open to every holding unit.
var progressFields = []struct {
	key, name, stage string
}{
	{"filed_on", "立案日期", "filed"},
	{"price_requested_on", "价格认定申请日期", "price_requested"},
	{"price_done_on", "价格认定完成日期", "price_done"},
	{"to_police_on", "移送公安日期", "police_accepted"}, // the police record the day they took the case over
	{"to_procuratorate_on", "移送检察院日期", "police_referred"},
	{"judged_on", "判决日期", "judged"},
	{"fine_yuan", "罚款", "penalty"},
	{"confiscated_yuan", "没收", "penalty"},
}

// ProgressFields are the progress form's fields (form keys) u may enter; status and note are
// always among them.
func (s *Store) ProgressFields(u *accounts.User) map[string]bool {
	out := map[string]bool{"status": true, "note": true}
	for _, f := range progressFields {
		owner := s.cfg.StageUnit(f.stage)
		out[f.key] = owner == "" || (u.Role == accounts.RoleDepartment && u.Scope == owner)
	}
	return out
}

// notOwned lists, in Chinese, the fields of in that u's unit does not own.
func (s *Store) notOwned(u *accounts.User, in CaseProgress) []string {
	given := map[string]string{"filed_on": in.FiledOn, "price_requested_on": in.PriceRequestedOn, "price_done_on": in.PriceDoneOn,
		"to_police_on": in.ToPoliceOn, "to_procuratorate_on": in.ToProcuratorateOn, "judged_on": in.JudgedOn,
		"fine_yuan": in.Fine, "confiscated_yuan": in.Confiscated}
	own := s.ProgressFields(u)
	var out []string
	for _, f := range progressFields {
		if strings.TrimSpace(given[f.key]) != "" && !own[f.key] {
			out = append(out, fmt.Sprintf("%s由%s填报，%s不能填写", f.name, s.cfg.StageUnit(f.stage), u.Scope))
		}
	}
	return out
}
