package county

import (
	"landwatch/etl/synth/kit"
)

// The finance bureau's collections (罚没款收缴, kind collections): receipts against the fines the
// chain decided (the 处罚决定 entries of stages.go, with their 文号) and the confiscations of cases
// sent to the procuratorate. By the order of the fined cases: the first of every four pays in full
// 14 days after the decision, the second pays half 21 days after and owes the rest, the third pays
// nothing, the fourth pays in two halves 10 and 40 days after; every other confiscation is paid in
// full 20 days after the case reached the procuratorate. Payments after the data end are not made.
// The finance bureau sends a file of the week's receipts at the end of each week. No random draw
// is spent.

type Collection struct {
	C       *CaseRec
	Doc     string
	Kind    string
	On      kit.Date
	Amount  int64
	Receipt string
}
